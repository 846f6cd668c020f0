"""Scale-out with Celery: the Celery app, its one task, and what a Celery worker runs.

The database stays the source of truth. The broker (Redis or RabbitMQ,
``settings.jobs.broker_url``) only carries **wake-ups**: a message ``vidlens.jobs.run`` with
a job id, sent when a job is submitted. A worker receiving one claims the *next* pending job
through :mod:`vidlens.jobs.lifecycle` (highest priority, then oldest: the same claim as
embedded slots, so priorities hold whatever order messages arrive in), holds its lease, and
runs it with the same executors as embedded slots (a child process per pool thread, or the
thread itself), which call :func:`~vidlens.jobs.runner.run_claimed`. Retries, time limits,
refunds, cancellation and webhooks are therefore those of the embedded queue.

A lost message loses no job: every worker (and every server using
:class:`~vidlens.jobs.celery_queue.CeleryQueue`) recovers expired leases and **sweeps** every
``lease_seconds``: when more jobs are pending than wake-ups wait in the broker queue, it sends
the missing ones. An attempt that ends with its job pending again (retry, hand-back at
shutdown) sends a wake-up for it at once.

Start workers with ``vidlens worker --celery`` (threads pool, ``VIDLENS_JOBS__WORKERS``
threads) or with Celery's own command::

    celery -A vidlens.jobs.celery_app worker -Q vidlens --pool=threads --concurrency=2

Importing this module has no side effect: ``celery -A`` reads the module attribute ``app``,
which is built on first access from the ``VIDLENS_*`` environment (:func:`__getattr__`).
Use :func:`create_celery_app` everywhere else.
"""

from __future__ import annotations

import builtins
import logging
import multiprocessing
import os
import socket
import threading
import time
import uuid
from typing import Any

from celery import Celery, bootsteps  # type: ignore[import-untyped]  # celery ships no hints
from sqlalchemy import func, select

from vidlens.config import Settings
from vidlens.jobs import lifecycle
from vidlens.jobs._slots import Executor, ProcessExecutor, ThreadExecutor
from vidlens.jobs.handlers import HandlerRegistry, load_registry
from vidlens.storage.db import Database
from vidlens.storage.tables import Job

logger = logging.getLogger(__name__)

DEFAULT_QUEUE = "vidlens"
"""The broker queue wake-ups go to and workers consume, unless told otherwise."""
RUN_TASK = "vidlens.jobs.run"
"""The task name of a wake-up; its one argument is the id of the job that caused it."""
SWEEP_BATCH = 100
"""At most this many wake-ups are sent by one sweep."""

_RUNTIME_ATTR = "vidlens_runtime"


def create_celery_app(
    settings: Settings,
    *,
    queue: str = DEFAULT_QUEUE,
    registry: HandlerRegistry | None = None,
) -> Any:
    """Build the Celery app (no connection is made until it sends or consumes).

    Wake-ups go to ``queue`` (a direct exchange of the same name); a worker consumes it
    unless started with another ``-Q``. Defaults for workers: the threads pool with
    ``settings.jobs.workers`` threads (at least 1), one message reserved per thread,
    messages acknowledged on receipt (the job's lease, not the message, guards the work),
    no result backend (results live in the database).

    Arguments:
        registry: the worker's handler registry; built from the settings when None.

    Raises:
        ValueError: ``settings.jobs.broker_url`` is not set.
    """
    broker_url = settings.jobs.broker_url
    if not broker_url:
        raise ValueError(
            "VIDLENS_JOBS__BROKER_URL must name a Redis or RabbitMQ broker to use Celery "
            "(e.g. redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1:5672//)"
        )
    app = Celery("vidlens", set_as_current=False)
    app.conf.update(
        broker_url=broker_url,
        broker_connection_retry_on_startup=True,
        # A submit must not hang on a dead broker: the job is stored, a sweep wakes it later.
        broker_connection_timeout=2.0,
        task_publish_retry_policy={
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.5,
        },
        task_default_queue=queue,
        task_default_exchange=queue,
        task_default_routing_key=queue,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=False,
        worker_prefetch_multiplier=1,
        # Redis only: fetch a message only when a pool thread is free.
        worker_disable_prefetch=broker_url.startswith(("redis://", "rediss://")),
        worker_pool="threads",
        worker_concurrency=settings.jobs.workers or 1,
        worker_send_task_events=False,
        task_send_sent_event=False,
    )
    runtime = WorkerRuntime(app, settings, registry=registry, queue=queue)
    setattr(app, _RUNTIME_ATTR, runtime)

    def run(job_id: str | None = None) -> None:
        runtime.run_next(job_id)

    app.task(name=RUN_TASK, ignore_result=True)(run)
    app.steps["worker"].add(VidlensWorkerStep)
    return app


def runtime_of(app: Any) -> WorkerRuntime:
    """The :class:`WorkerRuntime` of an app made by :func:`create_celery_app`."""
    runtime = getattr(app, _RUNTIME_ATTR, None)
    if not isinstance(runtime, WorkerRuntime):
        raise TypeError("not a Celery app made by vidlens.jobs.celery_app.create_celery_app")
    return runtime


def publish_wakeup(app: Any, queue: str, job_id: str | None = None) -> bool:
    """Send one wake-up to ``queue``. Returns False (and logs a warning) when the broker
    cannot be reached: the job stays pending and a later sweep sends its wake-up."""
    try:
        app.send_task(RUN_TASK, args=[job_id], queue=queue)
    except Exception as exc:
        logger.warning(
            "could not send a job wake-up to the broker; a sweep will send it later",
            extra={"job_id": job_id, "queue": queue, "error": f"{type(exc).__name__}: {exc}"},
        )
        return False
    return True


def queued_wakeups(app: Any, queue: str) -> int | None:
    """Messages waiting in ``queue`` (not those already handed to a worker), or None when
    the broker cannot be asked."""
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)
            channel = conn.channel()
            try:
                declared = channel.queue_declare(queue=queue, passive=True)
            except conn.channel_errors:
                return 0  # the queue does not exist (yet, or Redis dropped the empty list)
            finally:
                try:
                    channel.close()
                except Exception:
                    logger.debug("closing a broker channel failed", exc_info=True)
            return int(declared.message_count)
    except Exception as exc:
        logger.warning(
            "could not read the broker queue's length",
            extra={"queue": queue, "error": f"{type(exc).__name__}: {exc}"},
        )
        return None


def pending_count(db: Database, kinds: builtins.list[str] | None = None) -> int:
    """Pending jobs (of ``kinds``) in the database."""
    query = select(func.count()).select_from(Job).where(Job.status == "pending")
    if kinds is not None:
        query = query.where(Job.kind.in_(kinds))
    with db.read_session() as session:
        return int(session.scalar(query) or 0)


def wake_pending(
    app: Any, db: Database, queue: str, kinds: builtins.list[str] | None = None
) -> int:
    """The sweep: send a wake-up for each pending job that has none waiting in ``queue``
    (pending jobs minus queued messages, at most :data:`SWEEP_BATCH`). Wake-ups a worker
    has reserved but not started are not counted, so a sweep may send a few too many; an
    extra wake-up finds nothing to claim and costs one query.

    Returns:
        The wake-ups sent.
    """
    pending = pending_count(db, kinds)
    if pending == 0:
        return 0
    waiting = queued_wakeups(app, queue)
    if waiting is None:
        return 0
    missing = min(pending - waiting, SWEEP_BATCH)
    sent = 0
    for _ in range(missing):
        if not publish_wakeup(app, queue):
            break
        sent += 1
    if sent:
        logger.info("sent wake-ups for pending jobs", extra={"sent": sent, "pending": pending})
    return sent


class WorkerRuntime:
    """What runs in a Celery worker process: claims, executors, leases, recovery, sweeps.

    Built lazily, per process (a forked pool child builds its own database engine). The
    worker's :class:`VidlensWorkerStep` starts it (migrating the database, recovering
    abandoned jobs, starting a webhook deliverer and the maintenance thread) before the
    worker consumes, and stops it like :meth:`EmbeddedQueue.stop
    <vidlens.jobs.embedded.EmbeddedQueue.stop>`: running jobs get
    ``settings.jobs.stop_timeout_seconds`` to finish, then are handed back to the queue.
    """

    def __init__(
        self,
        app: Any,
        settings: Settings,
        *,
        registry: HandlerRegistry | None = None,
        queue: str = DEFAULT_QUEUE,
    ) -> None:
        self.app = app
        self.settings = settings
        self.queue = queue
        self._given_registry = registry
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._db: Database | None = None
        self._registry: HandlerRegistry | None = None
        self._node = ""
        self._running: dict[str, tuple[lifecycle.ClaimedJob, Executor]] = {}
        self._handed_back: set[str] = set()
        self._executors: dict[int, Executor] = {}
        self._stopping = threading.Event()
        self._maintenance_stop = threading.Event()
        self._maintenance: threading.Thread | None = None
        self._coordinating = False
        self._deliverer: Any = None

    # -- the task ---------------------------------------------------------------------

    def run_next(self, hint: str | None = None) -> str | None:
        """Handle one wake-up: claim the next pending job and run one attempt of it.

        Returns:
            The id of the job run, or None when nothing was pending (or the worker stops:
            the wake-up is then sent on for another worker).
        """
        db, registry = self._process_state()
        with self._lock:
            stopping = self._stopping.is_set()
            claim = None if stopping else self._claim(db, registry)
            if claim is not None:
                executor = self._executor(db, registry)
                self._running[claim.owner] = (claim, executor)
        if stopping:
            publish_wakeup(self.app, self.queue, hint)  # for another worker
            return None
        if claim is None:
            logger.debug("wake-up found no pending job", extra={"job_id": hint})
            return None
        try:
            executor.execute(claim)
        finally:
            with self._lock:
                self._running.pop(claim.owner, None)
                handed_back = claim.owner in self._handed_back
        if not handed_back:  # stop() sent the wake-up of a job it handed back
            self._wake_if_pending(db, claim.job_id)
        return claim.job_id

    # -- worker lifecycle -------------------------------------------------------------

    def start(self, queues: builtins.list[str] | None = None) -> None:
        """Worker start (main process): migrate, recover abandoned jobs, start the webhook
        deliverer and the maintenance thread that renews leases, recovers and sweeps."""
        from vidlens.storage.migrate import upgrade
        from vidlens.webhooks.deliverer import WebhookDeliverer

        if queues:
            self.queue = queues[0]
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        db, registry = self._process_state()
        upgrade(db.engine)
        with db.session() as session:
            lifecycle.recover_abandoned(session=session, events=registry.format_event)
        self._deliverer = WebhookDeliverer(self.settings, db)
        self._deliverer.start()
        self._coordinating = True
        logger.info(
            "celery worker runtime started",
            extra={"queue": self.queue, "kinds": ",".join(registry.kinds())},
        )

    def stop(self, timeout: float | None = None) -> None:
        """Stop taking wake-ups; give running attempts ``timeout`` seconds
        (``settings.jobs.stop_timeout_seconds`` when None), then stop them and hand their
        jobs back to the queue without consuming an attempt; then close everything.

        An exception while waiting (Celery's cold shutdown raises one from its signal
        handler) hands the running jobs back at once, then propagates."""
        if timeout is None:
            timeout = self.settings.jobs.stop_timeout_seconds
        self._stopping.set()
        logger.info(
            "celery worker runtime stopping",
            extra={"running": len(self._running_claims()), "timeout_seconds": timeout},
        )
        try:
            deadline = time.monotonic() + timeout
            while self._running_claims() and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            self._hand_back_running()
            self.close()

    def _hand_back_running(self) -> None:
        """Stop the attempts still running and hand their jobs back, sending their
        wake-ups on for other workers."""
        with self._lock:
            running = builtins.list(self._running.values())
            self._handed_back.update(claim.owner for claim, _ in running)
        released: builtins.list[str] = []
        for claim, executor in running:
            logger.warning("handing a running job back", extra={"job_id": claim.job_id})
            try:
                executor.abort(claim)
                released.append(claim.job_id)
            except Exception:
                logger.warning("could not hand a job back", exc_info=True)
        for job_id in released:
            publish_wakeup(self.app, self.queue, job_id)
        # Aborted attempts return at once; give their pool threads a moment to unwind.
        deadline = time.monotonic() + 5.0
        while self._running_claims() and time.monotonic() < deadline:
            time.sleep(0.05)

    def close(self) -> None:
        """Stop the maintenance thread and the deliverer, close executors and the database."""
        self._stopping.set()
        self._maintenance_stop.set()
        maintenance = self._maintenance
        if maintenance is not None and maintenance is not threading.current_thread():
            maintenance.join(10.0)
        if self._deliverer is not None:
            self._deliverer.stop()
            self._deliverer = None
        with self._lock:
            executors = builtins.list(self._executors.values())
            self._executors.clear()
        for executor in executors:
            try:
                executor.close()
            except Exception:
                logger.warning("could not close a job executor", exc_info=True)
        if self._db is not None and self._pid == os.getpid():
            self._db.dispose()

    # -- internals --------------------------------------------------------------------

    def _process_state(self) -> tuple[Database, HandlerRegistry]:
        """This process's database, registry and maintenance thread, built on first use."""
        with self._lock:
            if self._pid != os.getpid():
                if self._db is not None:
                    # Inherited through fork: leave the parent's connections alone.
                    self._db.engine.dispose(close=False)
                    self._db.read_engine.dispose(close=False)
                self._pid = os.getpid()
                self._node = f"{socket.gethostname()[:40]}:{self._pid}"
                self._db = Database.from_settings(self.settings)
                self._registry = self._given_registry or load_registry(self.settings)
                self._running.clear()
                self._executors.clear()
                self._maintenance_stop.clear()
                self._maintenance = threading.Thread(
                    target=self._maintain, name="vidlens-celery-maintenance", daemon=True
                )
                self._maintenance.start()
            if self._db is None or self._registry is None:
                raise RuntimeError("the worker runtime is closed")
            return self._db, self._registry

    def _claim(self, db: Database, registry: HandlerRegistry) -> lifecycle.ClaimedJob | None:
        kinds = registry.kinds()
        with db.read_session() as session:
            if not lifecycle.has_pending(session=session, kinds=kinds):
                return None
        with db.session() as session:
            return lifecycle.claim_next(
                session=session,
                owner=f"{self._node}:{uuid.uuid4().hex[:12]}",
                lease_seconds=self.settings.jobs.lease_seconds,
                kinds=kinds,
                events=registry.format_event,
            )

    def _executor(self, db: Database, registry: HandlerRegistry) -> Executor:
        """The executor of the calling pool thread (one child process per thread)."""
        key = threading.get_ident()
        executor = self._executors.get(key)
        if executor is None:
            # A daemonic process (a prefork pool child) may not start children of its own.
            if self.settings.jobs.use_processes and not multiprocessing.current_process().daemon:
                executor = ProcessExecutor(settings=self.settings, db=db, registry=registry)
            else:
                executor = ThreadExecutor(settings=self.settings, db=db, registry=registry)
            self._executors[key] = executor
        return executor

    def _running_claims(self) -> builtins.list[lifecycle.ClaimedJob]:
        with self._lock:
            return [claim for claim, _ in self._running.values()]

    def _wake_if_pending(self, db: Database, job_id: str) -> None:
        """An attempt that left its job pending (a retry) consumed its wake-up: send one."""
        with db.read_session() as session:
            status = session.scalar(select(Job.status).where(Job.id == job_id))
        if status == "pending":
            publish_wakeup(self.app, self.queue, job_id)

    def _maintain(self) -> None:
        lease = self.settings.jobs.lease_seconds
        next_sweep = 0.0
        while not self._maintenance_stop.wait(lease / 3):
            try:
                self._renew_leases()
                if self._coordinating and time.monotonic() >= next_sweep:
                    next_sweep = time.monotonic() + lease
                    self._recover_and_sweep()
            except Exception:
                logger.warning("celery worker maintenance failed", exc_info=True)

    def _renew_leases(self) -> None:
        claims = self._running_claims()
        if not claims or self._db is None:
            return
        with self._db.session() as session:
            for claim in claims:
                lifecycle.renew_lease(
                    session=session,
                    job_id=claim.job_id,
                    owner=claim.owner,
                    lease_seconds=self.settings.jobs.lease_seconds,
                )

    def _recover_and_sweep(self) -> None:
        if self._db is None or self._registry is None or self._stopping.is_set():
            return
        with self._db.session() as session:
            lifecycle.recover_abandoned(session=session, events=self._registry.format_event)
        wake_pending(self.app, self._db, self.queue, self._registry.kinds())


class VidlensWorkerStep(bootsteps.StartStopStep):  # type: ignore[misc]  # celery is untyped
    """Worker bootstep: starts the :class:`WorkerRuntime` after the pool and before the
    consumer, and stops it (running jobs finish or are handed back) before the pool."""

    requires = ("celery.worker.components:Pool",)

    def start(self, worker: Any) -> None:
        queues = builtins.list(worker.app.amqp.queues.consume_from)
        runtime_of(worker.app).start(queues)

    def stop(self, worker: Any) -> None:
        runtime_of(worker.app).stop()

    def terminate(self, worker: Any) -> None:
        runtime_of(worker.app).stop(timeout=0.0)


_entry_app: Any = None
_entry_lock = threading.Lock()


def __getattr__(name: str) -> Any:
    """``app`` (and ``celery``): the app built from the environment, for
    ``celery -A vidlens.jobs.celery_app``; made on first access, with vidlens's JSON logs."""
    if name not in ("app", "celery"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    global _entry_app
    with _entry_lock:
        if _entry_app is None:
            from vidlens.config import load_settings

            settings = load_settings()
            use_vidlens_logging(settings)
            _entry_app = create_celery_app(settings)
        return _entry_app


def use_vidlens_logging(settings: Settings) -> None:
    """Have Celery workers log through vidlens's JSON logging instead of configuring their
    own (Celery's ``setup_logging`` signal; affects workers started in this process)."""
    from celery.signals import setup_logging  # type: ignore[import-untyped]  # no hints

    from vidlens.logs import configure_logging

    def configure(**_: Any) -> None:
        configure_logging(settings.log_level)

    setup_logging.connect(configure, weak=False, dispatch_uid="vidlens-json-logging")
