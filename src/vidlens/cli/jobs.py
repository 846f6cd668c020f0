"""``vidlens jobs list|show|cancel``: the operator's view of every account's jobs."""

from __future__ import annotations

import time

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import select

from vidlens.cli._common import echo_json, fmt_time, open_db, settings_from
from vidlens.jobs import service as job_service
from vidlens.jobs.handlers import load_registry
from vidlens.storage.db import Database
from vidlens.storage.tables import Account, Job

_TERMINAL = {"completed", "failed", "cancelled"}


def _job_dict(job: Job, account: str) -> dict[str, object]:
    return {
        "id": job.id,
        "account": account,
        "kind": job.kind,
        "status": job.status,
        "phase": job.phase,
        "progress": job.progress,
        "attempts": job.attempts,
        "error_code": job.error_code,
        "error_message": job.error_message,
        "result": job.result,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def _load(db: Database, job_id: str) -> tuple[Job, str]:
    with db.read_session() as session:
        row = session.execute(
            select(Job, Account.name)
            .join(Account, Account.id == Job.account_id)
            .where(Job.id == job_id)
        ).first()
    if row is None:
        raise click.ClickException(f"No job {job_id}.")
    return row[0], row[1]


@click.group()
def jobs() -> None:
    """Inspect and cancel jobs."""


@jobs.command("list")
@click.option("--account", "account_name", default=None)
@click.option(
    "--status", type=click.Choice(["pending", "processing", "completed", "failed", "cancelled"])
)
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def jobs_list(
    ctx: click.Context, account_name: str | None, status: str | None, limit: int, as_json: bool
) -> None:
    """List jobs, newest first."""
    query = select(Job, Account.name).join(Account, Account.id == Job.account_id)
    if account_name:
        query = query.where(Account.name == account_name)
    if status:
        query = query.where(Job.status == status)
    query = query.order_by(Job.created_at.desc()).limit(limit)
    with open_db(ctx) as db, db.read_session() as session:
        rows = session.execute(query).all()
    if as_json:
        echo_json([_job_dict(job, name) for job, name in rows])
        return
    for job, name in rows:
        click.echo(
            f"{job.id}  {name:16} {job.kind:20} {job.status:10} {job.progress:5.1f}%  "
            f"{fmt_time(job.created_at)}"
        )


@jobs.command("show")
@click.argument("job_id")
@click.option("--follow", is_flag=True, help="Show a progress bar until the job ends.")
@click.pass_context
def jobs_show(ctx: click.Context, job_id: str, follow: bool) -> None:
    """Show one job (with --follow: a live progress bar)."""
    with open_db(ctx) as db:
        job, account = _load(db, job_id)
        if follow and job.status not in _TERMINAL:
            job = _follow(db, job_id)
    echo_json(_job_dict(job, account))


def _follow(db: Database, job_id: str) -> Job:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("pending", total=100)
        while True:
            job, _ = _load(db, job_id)
            bar.update(task, completed=job.progress, description=job.phase or job.status)
            if job.status in _TERMINAL:
                return job
            time.sleep(0.5)


@jobs.command("cancel")
@click.argument("job_id")
@click.pass_context
def jobs_cancel(ctx: click.Context, job_id: str) -> None:
    """Cancel a pending job, or ask a running one to stop."""
    with open_db(ctx) as db:
        job, _ = _load(db, job_id)
        registry = load_registry(settings_from(ctx))
        with db.session() as session:
            job = job_service.cancel(
                session=session,
                account_id=job.account_id,
                job_id=job_id,
                events=registry.format_event,
            )
        click.echo(f"{job.id}: {job.status}")
