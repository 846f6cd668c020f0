"""Worker slots of the embedded queue: a thread that claims jobs and runs them in-thread or in
a child process it owns.

Time limits: the handler's :class:`~vidlens.jobs.context.JobContext` stops it at its first
progress report past the limit. An attempt still running :data:`TIMEOUT_GRACE_SECONDS` after
its limit (a handler that never reports progress) is dealt with by the executor: a child
process is killed, and the next job gets a fresh one; a thread cannot be killed, so its job is
failed while the handler keeps running (and keeps its slot busy) until it returns.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from typing import Protocol

from vidlens.config import Settings
from vidlens.jobs import lifecycle
from vidlens.jobs._child import ChildReply, child_main
from vidlens.jobs.handlers import HandlerRegistry
from vidlens.jobs.runner import JOB_TIMEOUT, run_claimed, timeout_message
from vidlens.storage.db import Database

logger = logging.getLogger(__name__)

WORKER_CRASHED = "WORKER_CRASHED"
WORKER_ERROR = "WORKER_ERROR"
TIMEOUT_GRACE_SECONDS = 1.0
"""How long past its time limit an attempt that did not stop itself is left running before the
executor stops it."""
_REPLY_POLL_SECONDS = 0.2


class _Overdue(Exception):
    """The child is still running its attempt at the attempt's deadline."""


class Executor(Protocol):
    def execute(self, claim: lifecycle.ClaimedJob) -> None:
        """Run one attempt to its end (its outcome is stored by the time this returns)."""
        ...

    def abort(self, claim: lifecycle.ClaimedJob) -> None:
        """Stop a running attempt from another thread and hand the job back to the queue."""
        ...

    def close(self) -> None: ...


class JobRecorder:
    """Stores outcomes decided by the parent rather than by the handler."""

    def __init__(self, settings: Settings, db: Database, registry: HandlerRegistry) -> None:
        self.settings = settings
        self.db = db
        self.registry = registry

    def timeout_for(self, claim: lifecycle.ClaimedJob) -> float:
        """The attempt's time limit in seconds (its kind's, else the settings')."""
        return self.registry.timeout_for(claim.kind, self.settings.jobs.timeout_seconds)

    def fail(
        self, claim: lifecycle.ClaimedJob, code: str, message: str, *, retryable: bool = True
    ) -> None:
        with self.db.session() as session:
            lifecycle.fail(
                session=session,
                job_id=claim.job_id,
                owner=claim.owner,
                code=code,
                message=message,
                retryable=retryable,
                events=self.registry.format_event,
            )

    def time_out(self, claim: lifecycle.ClaimedJob, limit_seconds: float) -> None:
        """Fail the attempt with ``JOB_TIMEOUT``, without retry (a rerun would time out too)."""
        self.fail(claim, JOB_TIMEOUT, timeout_message(limit_seconds), retryable=False)

    def release(self, claim: lifecycle.ClaimedJob) -> None:
        with self.db.session() as session:
            lifecycle.release(
                session=session,
                job_id=claim.job_id,
                owner=claim.owner,
                events=self.registry.format_event,
            )


class ThreadExecutor:
    """Runs handlers in the slot's own thread (``use_processes=False``).

    A thread cannot be killed: a handler past its time limit stops at its next progress
    report. One that reports none is failed with ``JOB_TIMEOUT`` by a watchdog timer
    :data:`TIMEOUT_GRACE_SECONDS` after the limit, but keeps its slot until it returns.
    """

    def __init__(self, *, settings: Settings, db: Database, registry: HandlerRegistry) -> None:
        self._settings = settings
        self._db = db
        self._registry = registry
        self._recorder = JobRecorder(settings, db, registry)

    def execute(self, claim: lifecycle.ClaimedJob) -> None:
        limit = self._recorder.timeout_for(claim)
        watchdog = threading.Timer(limit + TIMEOUT_GRACE_SECONDS, self._overdue, (claim, limit))
        watchdog.daemon = True
        watchdog.start()
        try:
            run_claimed(claim=claim, settings=self._settings, db=self._db, registry=self._registry)
        except Exception:
            # The lease stops being renewed once this returns, so the job is recovered.
            logger.exception("could not store a job's outcome", extra={"job_id": claim.job_id})
        finally:
            watchdog.cancel()

    def _overdue(self, claim: lifecycle.ClaimedJob, limit: float) -> None:
        logger.warning(
            "job timed out; its thread cannot be stopped and keeps its slot until it returns",
            extra={"job_id": claim.job_id, "kind": claim.kind},
        )
        try:
            self._recorder.time_out(claim, limit)
        except Exception:
            # The slot's lease renewal then keeps the job processing until the handler ends.
            logger.warning("could not fail a timed-out job", exc_info=True)

    def abort(self, claim: lifecycle.ClaimedJob) -> None:
        # A thread cannot be killed: the handler stops at its next progress call (its lease
        # is gone) and whatever it stores afterwards is refused by the owner check.
        self._recorder.release(claim)

    def close(self) -> None:
        return None


def describe_exit(exitcode: int | None) -> str:
    """A human reason for a child process that ended without reporting."""
    if exitcode is None:
        return "The job's worker process disappeared."
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"The job's worker process was killed by {name}."
    return f"The job's worker process exited with code {exitcode}."


class ProcessExecutor:
    """Runs handlers in one long-lived spawned child per slot (``use_processes=True``).

    A child that dies mid-job costs only that attempt: the job is retried (or failed once out
    of attempts) with :data:`WORKER_CRASHED` and the reason, and the next job gets a new child.
    A child still running :data:`TIMEOUT_GRACE_SECONDS` after its job's time limit is killed
    and the job failed with ``JOB_TIMEOUT``.
    """

    def __init__(self, *, settings: Settings, db: Database, registry: HandlerRegistry) -> None:
        self._settings = settings
        self._recorder = JobRecorder(settings, db, registry)
        self._mp = multiprocessing.get_context("spawn")
        self._process: SpawnProcess | None = None
        self._conn: Connection | None = None
        self._aborted: str | None = None

    def execute(self, claim: lifecycle.ClaimedJob) -> None:
        limit = self._recorder.timeout_for(claim)
        deadline = time.monotonic() + limit + TIMEOUT_GRACE_SECONDS
        try:
            conn = self._ensure_child()
            conn.send(claim)
            reply = self._await_reply(conn, deadline)
        except (OSError, EOFError):
            reply = None
        except _Overdue:
            logger.warning(
                "job timed out; killing its worker process",
                extra={"job_id": claim.job_id, "kind": claim.kind},
            )
            self._reap_child()
            if self._aborted != claim.job_id:
                self._recorder.time_out(claim, limit)
            return
        if reply is None:
            exitcode = self._reap_child()
            if self._aborted != claim.job_id:
                logger.warning(
                    "job worker process died", extra={"job_id": claim.job_id, "exit": exitcode}
                )
                self._recorder.fail(claim, WORKER_CRASHED, describe_exit(exitcode))
        elif reply[0] == "error":
            self._recorder.fail(claim, WORKER_ERROR, reply[2])

    def abort(self, claim: lifecycle.ClaimedJob) -> None:
        self._aborted = claim.job_id
        process = self._process
        if process is not None:
            process.kill()
        self._recorder.release(claim)

    def close(self) -> None:
        process, conn = self._process, self._conn
        if process is not None and conn is not None and process.is_alive():
            with contextlib.suppress(OSError):
                conn.send(None)
            process.join(2.0)
        self._reap_child()

    def _ensure_child(self) -> Connection:
        if self._process is not None and self._conn is not None and self._process.is_alive():
            return self._conn
        self._reap_child()
        parent_end, child_end = self._mp.Pipe()
        process = self._mp.Process(
            target=child_main,
            args=(self._settings, child_end, os.getpid()),
            name="vidlens-job",
            daemon=True,
        )
        process.start()
        child_end.close()
        self._process, self._conn = process, parent_end
        return parent_end

    def _await_reply(self, conn: Connection, deadline: float) -> ChildReply | None:
        """The child's reply, or None when it died without one.

        Raises:
            _Overdue: no reply by ``deadline`` (monotonic seconds).
        """
        process = self._process
        while True:
            if conn.poll(_REPLY_POLL_SECONDS):
                reply: ChildReply = conn.recv()
                return reply
            if process is None or not process.is_alive():
                # It may have replied just before exiting.
                return conn.recv() if conn.poll(0) else None
            if time.monotonic() >= deadline:
                raise _Overdue

    def _reap_child(self) -> int | None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is None:
            return None
        if process.is_alive():
            process.kill()
        process.join(5.0)
        return process.exitcode


class WorkerSlot:
    """One slot: claims a job whenever idle and runs it with its executor."""

    def __init__(
        self,
        *,
        claim: Callable[[], lifecycle.ClaimedJob | None],
        executor: Executor,
        stopping: threading.Event,
        wake: threading.Event,
        poll_seconds: float,
    ) -> None:
        self.executor = executor
        self.running: lifecycle.ClaimedJob | None = None
        self._claim = claim
        self._stopping = stopping
        self._wake = wake
        self._poll = poll_seconds

    def run(self) -> None:
        while not self._stopping.is_set():
            claim = self._next()
            if claim is None:
                self._wake.wait(self._poll)
                self._wake.clear()
                continue
            self.running = claim
            try:
                self.executor.execute(claim)
            finally:
                self.running = None

    def _next(self) -> lifecycle.ClaimedJob | None:
        try:
            return self._claim()
        except Exception:
            logger.exception("could not claim a job")
            self._stopping.wait(self._poll)
            return None
