"""The ``vidlens`` command line."""

from __future__ import annotations

import click

from vidlens import __version__
from vidlens.cli.accounts import accounts, credits, keys, oauth_clients
from vidlens.cli.coach import coach
from vidlens.cli.doctor import doctor
from vidlens.cli.gait import gait
from vidlens.cli.jobs import jobs
from vidlens.cli.reframe import reframe
from vidlens.cli.serve import migrate, serve, worker
from vidlens.cli.transcribe import transcribe


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vidlens")
def cli() -> None:
    """vidlens: self-hosted video intelligence.

    Settings come from VIDLENS_* environment variables (data directory: VIDLENS_DATA_DIR).
    """


for command in (
    serve,
    worker,
    migrate,
    accounts,
    keys,
    credits,
    oauth_clients,
    jobs,
    doctor,
    transcribe,
    coach,
    gait,
    reframe,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="vidlens")
