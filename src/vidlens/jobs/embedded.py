"""The default queue: jobs in the database, worker slots in this process.

``start()`` recovers abandoned jobs once, then runs ``settings.jobs.workers`` slot threads
(none: this process only submits) and one maintenance thread that renews the leases of running
jobs every ``lease_seconds / 3`` and recovers jobs of dead workers (here or in another
``vidlens worker`` process on the same database) every ``lease_seconds``. With
``use_processes`` each slot runs its handlers in a child process of its own, so that a crashing
handler only takes its child down.
"""

from __future__ import annotations

import builtins
import logging
import os
import socket
import threading
import time
import uuid
from typing import Any

from vidlens.config import Settings
from vidlens.errors import InvalidInput
from vidlens.jobs import lifecycle, service
from vidlens.jobs._slots import Executor, ProcessExecutor, ThreadExecutor, WorkerSlot
from vidlens.jobs.handlers import HandlerRegistry
from vidlens.jobs.runner import UNKNOWN_KIND
from vidlens.storage.db import Database
from vidlens.storage.tables import Job
from vidlens.types import JobStatus, Priority
from vidlens.webhooks.deliverer import WebhookDeliverer
from vidlens.webhooks.urls import check_webhook_url

logger = logging.getLogger(__name__)


class EmbeddedQueue:
    """A :class:`~vidlens.jobs.queue.JobQueue` with an in-process worker pool.

    With ``use_processes`` each child process rebuilds its registry with
    :func:`~vidlens.jobs.handlers.load_registry` from the settings, so handlers must be reachable
    that way (built-ins and ``settings.jobs.plugins``); a registry assembled by hand is honoured
    in thread mode only. ``registry`` decides which kinds this queue accepts and claims, and how
    their webhook events are named.

    Arguments:
        workers: slot count; ``settings.jobs.workers`` when None (0: submit only).
        deliverer: started and stopped with the queue when given.
    """

    def __init__(
        self,
        settings: Settings,
        db: Database,
        registry: HandlerRegistry,
        *,
        workers: int | None = None,
        deliverer: WebhookDeliverer | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.registry = registry
        self.workers = settings.jobs.workers if workers is None else workers
        self._deliverer = deliverer
        self._node = f"{socket.gethostname()[:40]}:{os.getpid()}"
        self._stopping = threading.Event()
        self._maintenance_stop = threading.Event()
        self._wake = threading.Event()
        self._slots: list[tuple[WorkerSlot, threading.Thread]] = []
        self._maintenance: threading.Thread | None = None
        self._started = False

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
        """Persist a new pending job and wake an idle slot.

        Raises:
            InvalidInput: unknown ``kind``, bad params, headers or webhook URL.
            UrlRefused: the webhook URL points where the SSRF rules forbid.
        """
        if kind not in self.registry:
            raise InvalidInput(
                f"Unknown job kind {kind!r}.", code=UNKNOWN_KIND, kinds=self.registry.kinds()
            )
        if webhook_url is not None:
            check_webhook_url(webhook_url, self.settings)
        with self.db.session() as session:
            job = service.submit(
                session=session,
                account_id=account_id,
                kind=kind,
                params=params,
                priority=priority,
                media_id=media_id,
                charge_id=charge_id,
                webhook_url=webhook_url,
                webhook_headers=webhook_headers,
                max_attempts=max_attempts or self.settings.jobs.max_attempts,
            )
        self._wake.set()
        return job

    def public_kinds(self) -> builtins.list[str]:
        """The kinds accounts may submit through ``POST /api/jobs``, sorted (see
        :func:`~vidlens.jobs.handlers.job_handler`'s ``public``)."""
        return self.registry.public_kinds()

    def get(self, *, account_id: str, job_id: str) -> Job:
        """Raises: NotFound (also for another account's job)."""
        with self.db.read_session() as session:
            return service.get(session=session, account_id=account_id, job_id=job_id)

    def list(
        self,
        *,
        account_id: str,
        status: JobStatus | None = None,
        kind: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Job]:
        with self.db.read_session() as session:
            return service.list_jobs(
                session=session,
                account_id=account_id,
                status=status,
                kind=kind,
                limit=limit,
                offset=offset,
            )

    def cancel(self, *, account_id: str, job_id: str) -> Job:
        """Cancel a pending job at once, or ask a processing one to stop.

        Raises:
            NotFound: no such job for this account.
            Conflict: the job already completed or failed.
        """
        with self.db.session() as session:
            return service.cancel(
                session=session,
                account_id=account_id,
                job_id=job_id,
                events=self.registry.format_event,
            )

    def recover_abandoned(self) -> lifecycle.RecoveryCounts:
        """Re-queue or fail jobs whose worker's lease expired (see
        :func:`~vidlens.jobs.lifecycle.recover_abandoned`)."""
        with self.db.session() as session:
            return lifecycle.recover_abandoned(session=session, events=self.registry.format_event)

    def running(self) -> builtins.list[str]:
        """Ids of the jobs this process is running now."""
        return [slot.running.job_id for slot, _ in self._slots if slot.running is not None]

    def start(self) -> None:
        """Recover abandoned jobs, then start the slots, the maintenance thread and the
        deliverer.

        Raises:
            RuntimeError: already started.
        """
        if self._started:
            raise RuntimeError("queue already started")
        self._started = True
        self.recover_abandoned()
        if self._deliverer is not None:
            self._deliverer.start()
        for index in range(self.workers):
            slot = WorkerSlot(
                claim=self._claim,
                executor=self._executor(),
                stopping=self._stopping,
                wake=self._wake,
                poll_seconds=self.settings.jobs.poll_interval_seconds,
            )
            thread = threading.Thread(target=slot.run, name=f"vidlens-slot-{index}", daemon=True)
            thread.start()
            self._slots.append((slot, thread))
        self._maintenance = threading.Thread(
            target=self._maintain, name="vidlens-job-maintenance", daemon=True
        )
        self._maintenance.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop claiming; give running jobs ``timeout`` seconds
        (``settings.jobs.stop_timeout_seconds`` when None) to finish, then kill their
        children (or abandon their threads) and hand the jobs back to the queue without
        consuming an attempt."""
        if not self._started:
            return
        if timeout is None:
            timeout = self.settings.jobs.stop_timeout_seconds
        self._stopping.set()
        self._wake.set()
        deadline = time.monotonic() + timeout
        for _, thread in self._slots:
            thread.join(max(0.0, deadline - time.monotonic()))
        for slot, thread in self._slots:
            running = slot.running
            if thread.is_alive() and running is not None:
                logger.warning("handing a running job back", extra={"job_id": running.job_id})
                slot.executor.abort(running)
        for slot, thread in self._slots:
            thread.join(5.0)
            slot.executor.close()
        self._maintenance_stop.set()
        if self._maintenance is not None:
            self._maintenance.join(10.0)
        if self._deliverer is not None:
            self._deliverer.stop()
        self._slots.clear()

    def _executor(self) -> Executor:
        if self.settings.jobs.use_processes:
            return ProcessExecutor(settings=self.settings, db=self.db, registry=self.registry)
        return ThreadExecutor(settings=self.settings, db=self.db, registry=self.registry)

    def _claim(self) -> lifecycle.ClaimedJob | None:
        kinds = self.registry.kinds()
        with self.db.read_session() as session:
            # A read first: idle slots must not take SQLite's write lock every poll.
            if not lifecycle.has_pending(session=session, kinds=kinds):
                return None
        with self.db.session() as session:
            return lifecycle.claim_next(
                session=session,
                owner=f"{self._node}:{uuid.uuid4().hex[:12]}",
                lease_seconds=self.settings.jobs.lease_seconds,
                kinds=kinds,
                events=self.registry.format_event,
            )

    def _maintain(self) -> None:
        lease = self.settings.jobs.lease_seconds
        next_recovery = time.monotonic() + lease
        while not self._maintenance_stop.wait(lease / 3):
            try:
                self._renew_leases()
                if time.monotonic() >= next_recovery:
                    next_recovery = time.monotonic() + lease
                    self.recover_abandoned()
            except Exception:
                logger.exception("job maintenance failed")

    def _renew_leases(self) -> None:
        claims = [slot.running for slot, _ in self._slots if slot.running is not None]
        if not claims:
            return
        with self.db.session() as session:
            for claim in claims:
                lifecycle.renew_lease(
                    session=session,
                    job_id=claim.job_id,
                    owner=claim.owner,
                    lease_seconds=self.settings.jobs.lease_seconds,
                )
