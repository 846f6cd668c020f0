"""``vidlens serve``, ``vidlens worker`` and ``vidlens migrate``."""

from __future__ import annotations

import gc

import click

from vidlens.cli._common import open_db, settings_from
from vidlens.logs import configure_logging


@click.command()
@click.option("--host", default=None, help="Interface to bind (default: VIDLENS_HOST).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (VIDLENS_PORT).")
@click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=None,
    help="Embedded job worker slots (VIDLENS_JOBS__WORKERS); 0 runs no jobs here.",
)
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None) -> None:
    """Run the HTTP API with the embedded job workers."""
    import uvicorn

    from vidlens.app import create_app

    settings = settings_from(ctx)
    if workers is not None:
        settings.jobs.workers = workers
    configure_logging(settings.log_level)
    app = create_app(settings)
    bind_host = host or settings.host
    bind_port = port or settings.port
    click.echo(
        f"vidlens on http://{bind_host}:{bind_port}  (data: {settings.data_dir.resolve()}, "
        f"admin token: {settings.data_dir.resolve() / 'admin_token'} unless "
        "VIDLENS_AUTH__ADMIN_TOKEN is set)",
        err=True,
    )
    # Everything built so far (modules, app, ORM mappers) lives as long as the process: move
    # it out of the collector's reach so that full collections stay short and do not show up
    # as latency spikes under load (p99 of status polls: ~60 ms before, ~15 ms after).
    gc.collect()
    gc.freeze()
    uvicorn.run(
        app,
        host=bind_host,
        port=bind_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=15,
    )


@click.command()
@click.option(
    "--celery/--embedded",
    "use_celery",
    default=None,
    help="Run a Celery worker fed by VIDLENS_JOBS__BROKER_URL, or embedded slots that poll "
    "the database (default: VIDLENS_JOBS__QUEUE_BACKEND).",
)
@click.option(
    "--queue",
    default=None,
    help="Celery only: the broker queue to consume (default: vidlens).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Job slots / Celery pool threads (VIDLENS_JOBS__WORKERS, at least 1).",
)
@click.pass_context
def worker(
    ctx: click.Context, use_celery: bool | None, queue: str | None, workers: int | None
) -> None:
    """Run job workers without the HTTP server (scale-out on the same database)."""
    from vidlens.jobs.worker import run_celery_worker, run_worker

    settings = settings_from(ctx)
    configure_logging(settings.log_level)
    if use_celery is None:
        use_celery = settings.jobs.queue_backend == "celery"
    if not use_celery:
        if queue is not None:
            raise click.UsageError("--queue applies to Celery workers only (add --celery).")
        run_worker(settings, workers=workers)
        return
    if not settings.jobs.broker_url:
        raise click.UsageError(
            "A Celery worker needs VIDLENS_JOBS__BROKER_URL "
            "(e.g. redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1:5672//)."
        )
    try:
        code = run_celery_worker(settings, queue=queue, concurrency=workers)
    except ImportError as exc:
        raise click.ClickException(
            f"Celery is not installed ({exc}); install it with: pip install 'vidlens[celery]'"
        ) from exc
    ctx.exit(code)


@click.command()
@click.pass_context
def migrate(ctx: click.Context) -> None:
    """Create or upgrade the database schema (serve and worker do this on start)."""
    from vidlens.storage.migrate import current_revision

    with open_db(ctx) as db:
        click.echo(f"database at revision {current_revision(db.engine)}")
