"""What a job handler sees: its job, its media and a progress hook that carries cancellation
and the time limit."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from vidlens.config import Settings
from vidlens.errors import InvalidInput, JobCancelled, NotFound
from vidlens.jobs import lifecycle
from vidlens.jobs.events import STANDARD_EVENTS, EventFormatter
from vidlens.storage.db import Database
from vidlens.storage.tables import Job, Media

PROGRESS_MIN_INTERVAL_SECONDS = 0.5
PROGRESS_MIN_STEP = 1.0


class LeaseLost(Exception):
    """This attempt no longer owns its job (it was recovered, released or already ended).

    Raised by :meth:`JobContext.progress`; the runner stops the handler without recording
    anything, because the job's state now belongs to someone else.
    """


class JobTimeout(Exception):
    """This attempt ran past its time limit.

    Raised by :meth:`JobContext.progress` and :meth:`JobContext.check_cancelled`; the runner
    fails the job with ``JOB_TIMEOUT`` and does not retry it. Deliberately not a
    :class:`~vidlens.errors.VidlensError`, so that handlers catching those do not swallow it.
    """

    def __init__(self, limit_seconds: float) -> None:
        super().__init__(f"time limit of {limit_seconds:g} s exceeded")
        self.limit_seconds = limit_seconds


class JobContext:
    """Handed to every handler: ``handler(ctx) -> dict`` (the job's JSON result).

    Attributes:
        job_id, account_id, kind, params: the job.
        attempt: 1 on the first run, 2 on the first retry, …
        settings, db: the process's settings and database.
        timeout_seconds: this attempt's time limit, counted from the context's creation;
            None: no limit.
    """

    def __init__(
        self,
        *,
        claim: lifecycle.ClaimedJob,
        settings: Settings,
        db: Database,
        events: EventFormatter = STANDARD_EVENTS,
        clock: Callable[[], float] = time.monotonic,
        timeout_seconds: float | None = None,
    ) -> None:
        self.job_id = claim.job_id
        self.account_id = claim.account_id
        self.kind = claim.kind
        self.params: dict[str, Any] = claim.params
        self.attempt = claim.attempt
        self.media_id = claim.media_id
        self.settings = settings
        self.db = db
        self._owner = claim.owner
        self._events = events
        self._clock = clock
        self.timeout_seconds = timeout_seconds
        self._deadline = math.inf if timeout_seconds is None else clock() + timeout_seconds
        self._last_write: float | None = None
        self._last_percent = -math.inf
        self._last_phase: str | None = None

    def progress(self, percent: float, phase: str | None = None) -> None:
        """Report progress (0-100) and the current phase; a :data:`~vidlens.types.ProgressHook`.

        Writes are throttled: a call is stored when the phase changes, progress moved by at
        least 1 %, or 0.5 s passed since the last write. Each write also checks for a cancel
        request, and every call checks the time limit, so handlers should call this regularly.

        Raises:
            JobCancelled: the job's cancellation was requested; let it propagate.
            LeaseLost: this attempt no longer owns the job; let it propagate.
            JobTimeout: the attempt ran past its time limit; let it propagate.
        """
        now = self._clock()
        self._check_deadline(now)
        if not math.isfinite(percent):
            return
        due = (
            self._last_write is None
            or phase != self._last_phase
            or abs(percent - self._last_percent) >= PROGRESS_MIN_STEP
            or now - self._last_write >= PROGRESS_MIN_INTERVAL_SECONDS
        )
        if not due:
            return
        self._last_write, self._last_percent, self._last_phase = now, percent, phase
        self._write(percent, phase)

    def check_cancelled(self) -> None:
        """Check for a cancel request now (without reporting progress).

        Raises:
            JobCancelled: cancellation was requested.
            LeaseLost: this attempt no longer owns the job.
            JobTimeout: the attempt ran past its time limit.
        """
        self._check_deadline(self._clock())
        with self.db.read_session() as session:
            job = session.get(Job, self.job_id)
            held = job is not None and job.status == "processing" and job.lease_owner == self._owner
            requested = job is not None and job.cancel_requested
        if not held:
            raise LeaseLost(self.job_id)
        if requested:
            raise JobCancelled("Job cancelled.", job_id=self.job_id)

    def _check_deadline(self, now: float) -> None:
        if now >= self._deadline and self.timeout_seconds is not None:
            raise JobTimeout(self.timeout_seconds)

    def _write(self, percent: float, phase: str | None) -> None:
        with self.db.session() as session:
            state = lifecycle.record_progress(
                session=session,
                job_id=self.job_id,
                owner=self._owner,
                percent=percent,
                phase=phase,
                events=self._events,
            )
        if not state.held:
            raise LeaseLost(self.job_id)
        if state.cancel_requested:
            raise JobCancelled("Job cancelled.", job_id=self.job_id)

    def media(self, media_id: str | None = None) -> Media:
        """The job account's media row: ``media_id``, else ``params["media_id"]``, else the
        job's ``media_id``.

        Raises:
            InvalidInput: no media id given anywhere.
            NotFound: no such media for this account.
        """
        wanted = media_id or self.params.get("media_id") or self.media_id
        if not isinstance(wanted, str) or not wanted:
            raise InvalidInput("This job needs a media_id.")
        with self.db.read_session() as session:
            row = session.scalar(
                select(Media).where(Media.id == wanted, Media.account_id == self.account_id)
            )
        if row is None:
            raise NotFound("Media not found.", media_id=wanted)
        return row

    def media_path(self, media_id: str | None = None) -> Path:
        """The local file of a media row (see :meth:`media`): ``settings.media_dir / key``.

        Raises:
            InvalidInput: no media id given anywhere.
            NotFound: no such media for this account, or its file is missing.
        """
        row = self.media(media_id)
        root = self.settings.media_dir.resolve()
        path = (root / row.storage_key).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise NotFound("The stored file of this media is missing.", media_id=row.id)
        return path
