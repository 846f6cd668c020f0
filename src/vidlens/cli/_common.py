"""Shared CLI plumbing: settings, database, output helpers and the progress bar."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from vidlens.config import Settings, load_settings
from vidlens.engines.base import ProgressHook
from vidlens.errors import VidlensError
from vidlens.storage.db import Database
from vidlens.storage.migrate import upgrade


def settings_from(ctx: click.Context) -> Settings:
    obj = ctx.ensure_object(dict)
    settings = obj.get("settings")
    if not isinstance(settings, Settings):
        settings = load_settings()
        obj["settings"] = settings
    return settings


@contextmanager
def open_db(ctx: click.Context) -> Iterator[Database]:
    """The configured database, migrated to the current schema."""
    settings = settings_from(ctx)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database.from_settings(settings)
    try:
        upgrade(db.engine)
        yield db
    finally:
        db.dispose()


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, default=_default, indent=2))


def fail(error: VidlensError) -> None:
    raise click.ClickException(error.message)


def fmt_time(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M")


@contextmanager
def progress_bar(*, label_width: int, quiet: bool) -> Iterator[ProgressHook]:
    """One transient progress bar on stderr (hidden with ``quiet``), driven by the
    ``(fraction, phase)`` hook it yields; the phase is the bar's label."""
    columns = (
        TextColumn(f"{{task.description:<{label_width}}}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True, disable=quiet) as bar:
        task = bar.add_task("starting", total=1.0)

        def hook(fraction: float, phase: str | None) -> None:
            bar.update(task, completed=max(0.0, min(1.0, fraction)), description=phase or "")

        yield hook
