"""The Celery queue (``VIDLENS_JOBS__QUEUE_BACKEND=celery``): jobs in the database, run by
Celery workers that a broker wakes up.

Client side it is the embedded queue without slots: :meth:`CeleryQueue.submit` stores the job
exactly as :class:`~vidlens.jobs.embedded.EmbeddedQueue` does, then sends a wake-up to the
broker; ``get``, ``list`` and ``cancel`` are the same database calls. The broker never holds
a job: when it cannot be reached the job is still stored (a warning is logged) and the next
sweep sends its wake-up. See :mod:`vidlens.jobs.celery_app` for the worker side.
"""

from __future__ import annotations

import builtins
import logging
import threading
from typing import Any

from vidlens.config import Settings
from vidlens.jobs import lifecycle
from vidlens.jobs.celery_app import DEFAULT_QUEUE, create_celery_app, publish_wakeup, wake_pending
from vidlens.jobs.embedded import EmbeddedQueue
from vidlens.jobs.handlers import HandlerRegistry
from vidlens.storage.db import Database
from vidlens.storage.tables import Job
from vidlens.types import JobStatus, Priority
from vidlens.webhooks.deliverer import WebhookDeliverer

logger = logging.getLogger(__name__)


class CeleryQueue:
    """A :class:`~vidlens.jobs.queue.JobQueue` whose jobs are run by Celery workers.

    ``start()`` runs no handler in this process (unless ``workers`` asks for embedded slots
    beside the Celery workers): it recovers abandoned jobs once, then every
    ``settings.jobs.lease_seconds`` recovers expired leases and sweeps, sending a wake-up
    for each pending job that has none waiting in the broker queue, so that a lost message
    (a broker restart, a failed send) delays a job by at most that long.

    Arguments:
        queue: the broker queue to send wake-ups to (workers consume it: ``-Q``).
        app: a Celery app from :func:`~vidlens.jobs.celery_app.create_celery_app`; built
            from ``settings`` when None.
        workers: embedded worker slots in this process as well (default none).
        deliverer: started and stopped with the queue when given.

    Raises:
        ValueError: ``settings.jobs.broker_url`` is not set.
    """

    def __init__(
        self,
        settings: Settings,
        db: Database,
        registry: HandlerRegistry,
        *,
        queue: str = DEFAULT_QUEUE,
        app: Any = None,
        workers: int = 0,
        deliverer: WebhookDeliverer | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.registry = registry
        self.queue = queue
        self.app = app if app is not None else create_celery_app(settings, queue=queue)
        self._local = EmbeddedQueue(settings, db, registry, workers=workers, deliverer=deliverer)
        self._stop = threading.Event()
        self._sweeper: threading.Thread | None = None

    def submit(
        self,
        *,
        account_id: str,
        kind: str,
        params: dict[str, Any],
        priority: Priority = "standard",
        media_id: str | None = None,
        charge_id: str | None = None,
        webhook_url: str | None = None,
        webhook_headers: dict[str, str] | None = None,
        max_attempts: int | None = None,
    ) -> Job:
        """Persist a new pending job (committed), then send its wake-up to the broker.

        Raises:
            InvalidInput: unknown ``kind``, bad params, headers or webhook URL.
            UrlRefused: the webhook URL points where the SSRF rules forbid.
        """
        job = self._local.submit(
            account_id=account_id,
            kind=kind,
            params=params,
            priority=priority,
            media_id=media_id,
            charge_id=charge_id,
            webhook_url=webhook_url,
            webhook_headers=webhook_headers,
            max_attempts=max_attempts,
        )
        publish_wakeup(self.app, self.queue, job.id)
        return job

    def public_kinds(self) -> builtins.list[str]:
        """The kinds accounts may submit through ``POST /api/jobs``, sorted."""
        return self._local.public_kinds()

    def get(self, *, account_id: str, job_id: str) -> Job:
        """Raises: NotFound (also for another account's job)."""
        return self._local.get(account_id=account_id, job_id=job_id)

    def list(
        self,
        *,
        account_id: str,
        status: JobStatus | None = None,
        kind: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Job]:
        return self._local.list(
            account_id=account_id, status=status, kind=kind, limit=limit, offset=offset
        )

    def cancel(self, *, account_id: str, job_id: str) -> Job:
        """Cancel a pending job at once, or ask a processing one to stop (the Celery worker
        running it sees the request at the handler's next progress report).

        Raises:
            NotFound: no such job for this account.
            Conflict: the job already completed or failed.
        """
        return self._local.cancel(account_id=account_id, job_id=job_id)

    def recover_abandoned(self) -> lifecycle.RecoveryCounts:
        """Re-queue or fail jobs whose worker's lease expired."""
        return self._local.recover_abandoned()

    def sweep(self) -> int:
        """Send wake-ups for pending jobs that have none in the broker queue.

        Returns:
            The wake-ups sent.
        """
        return wake_pending(self.app, self.db, self.queue, self.registry.kinds())

    def start(self) -> None:
        """Recover abandoned jobs, start the embedded slots if any were asked for, and the
        sweeper thread.

        Raises:
            RuntimeError: already started.
        """
        self._local.start()
        self._sweeper = threading.Thread(
            target=self._sweep_forever, name="vidlens-celery-sweeper", daemon=True
        )
        self._sweeper.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop the sweeper and any embedded slots (see :meth:`EmbeddedQueue.stop
        <vidlens.jobs.embedded.EmbeddedQueue.stop>`) and close the broker connections."""
        self._stop.set()
        if self._sweeper is not None:
            self._sweeper.join(10.0)
            self._sweeper = None
        self._local.stop(timeout)
        self.app.close()

    def _sweep_forever(self) -> None:
        while not self._stop.wait(self.settings.jobs.lease_seconds):
            try:
                self.sweep()
            except Exception:
                logger.warning("sweeping pending jobs failed", exc_info=True)
