"""``vidlens worker``: job workers without the HTTP server, on the shared database."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from vidlens.config import Settings
from vidlens.jobs.embedded import EmbeddedQueue
from vidlens.jobs.handlers import load_registry
from vidlens.storage.db import Database
from vidlens.storage.migrate import upgrade
from vidlens.webhooks.deliverer import WebhookDeliverer

logger = logging.getLogger(__name__)


def run_worker(
    settings: Settings,
    *,
    stop_event: threading.Event | None = None,
    workers: int | None = None,
    deliver_webhooks: bool = True,
) -> None:
    """Migrate the database, then run job slots until SIGTERM/SIGINT or ``stop_event``.
    Running jobs then get ``settings.jobs.stop_timeout_seconds`` to finish before they are
    handed back to the queue.

    Signal handlers are installed only when called from the main thread.

    Arguments:
        workers: slot count; ``settings.jobs.workers``, or 1 when that is 0 (a worker process
            always runs jobs, even when the server's own pool is switched off).
        deliver_webhooks: also run a webhook deliverer (safe beside the server's: each
            delivery is claimed before it is sent).

    Raises:
        ImportError: a plugin module in ``settings.jobs.plugins`` cannot be imported.
    """
    stop = stop_event or threading.Event()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database.from_settings(settings)
    try:
        upgrade(db.engine)
        deliverer = WebhookDeliverer(settings, db) if deliver_webhooks else None
        queue = EmbeddedQueue(
            settings,
            db,
            load_registry(settings),
            workers=workers or settings.jobs.workers or 1,
            deliverer=deliverer,
        )
        with _stop_on_signals(stop):
            queue.start()
            logger.info("worker started", extra={"slots": queue.workers})
            stop.wait()
            logger.info("worker stopping")
            queue.stop(settings.jobs.stop_timeout_seconds)
    finally:
        db.dispose()


def run_celery_worker(
    settings: Settings,
    *,
    queue: str | None = None,
    concurrency: int | None = None,
    extra_args: list[str] | None = None,
) -> int:
    """Run a Celery worker (threads pool) that takes wake-ups from
    ``settings.jobs.broker_url`` and runs jobs of the shared database until SIGTERM/SIGINT
    (a second one stops at once). On start it migrates the database and recovers abandoned
    jobs; on stop, running jobs get ``settings.jobs.stop_timeout_seconds`` to finish before
    they are handed back. See :mod:`vidlens.jobs.celery_app`.

    Arguments:
        queue: the broker queue to consume (default ``vidlens``, where servers send).
        concurrency: pool threads, each with its own job child process;
            ``settings.jobs.workers``, or 1 when that is 0.
        extra_args: more ``celery worker`` options.

    Returns:
        The worker's exit code.

    Raises:
        ValueError: ``settings.jobs.broker_url`` is not set.
        ImportError: celery is not installed (``pip install 'vidlens[celery]'``).
    """
    import os

    from vidlens.jobs.celery_app import DEFAULT_QUEUE, create_celery_app, use_vidlens_logging

    queue = queue or DEFAULT_QUEUE
    app = create_celery_app(settings, queue=queue)
    use_vidlens_logging(settings)
    argv = [
        "worker",
        "--pool=threads",
        f"--concurrency={concurrency or settings.jobs.workers or 1}",
        f"--queues={queue}",
        f"--hostname={queue}-{os.getpid()}@%h",
        f"--loglevel={settings.log_level}",
        "--without-mingle",
        "--without-gossip",
        *(extra_args or []),
    ]
    code = app.start(argv=argv)
    return code if isinstance(code, int) else 0


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set ``stop`` (main thread only; elsewhere signals are not ours)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
