"""``vidlens doctor``."""

from __future__ import annotations

import click

from vidlens.cli._common import echo_json, settings_from
from vidlens.doctor import run_checks

_MARK = {"ok": "ok  ", "missing": "MISS", "error": "FAIL"}


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def doctor(ctx: click.Context, as_json: bool) -> None:
    """Check ffmpeg, the database and every engine's model; say what to install."""
    results = run_checks(settings_from(ctx))
    if as_json:
        echo_json([r.__dict__ for r in results])
    else:
        for r in results:
            click.echo(f"[{_MARK[r.state]}] {r.name:16} {r.detail}")
    if any(r.required and r.state != "ok" for r in results):
        ctx.exit(1)
