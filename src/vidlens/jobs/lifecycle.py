"""Jobs as workers see them: claim, lease, progress, outcome and recovery.

A claimed job carries a lease: an owner token unique to the attempt and an expiry that the
owner renews. Every transition here is guarded by that token, so a worker whose job was
recovered and handed to someone else can no longer change it. On PostgreSQL row locks are
taken with ``FOR UPDATE`` (``SKIP LOCKED`` when claiming or recovering); on SQLite every
writing transaction already holds the database write lock (``BEGIN IMMEDIATE``), and claims
are also conditional updates whose row count is checked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from vidlens.jobs._transitions import check_json_object, finish, held, lock, requeue, rowcount
from vidlens.jobs.events import STANDARD_EVENTS, EventFormatter, announce, progress_is_notable
from vidlens.storage.tables import Job, utcnow

logger = logging.getLogger(__name__)

WORKER_LOST = "WORKER_LOST"


@dataclass(frozen=True)
class ClaimedJob:
    """What a worker needs to run one attempt of a job (picklable, sent to child processes)."""

    job_id: str
    account_id: str
    kind: str
    params: dict[str, Any]
    attempt: int
    max_attempts: int
    media_id: str | None
    owner: str
    """The lease owner token of this attempt."""


@dataclass(frozen=True)
class ProgressState:
    held: bool
    """False when this attempt no longer owns the job (recovered, released or finished)."""
    cancel_requested: bool


@dataclass(frozen=True)
class RecoveryCounts:
    requeued: int = 0
    failed: int = 0
    cancelled: int = 0


def has_pending(*, session: Session, kinds: list[str] | None = None) -> bool:
    """Whether any pending job (of ``kinds``) waits: a cheap read before claiming."""
    query = select(Job.id).where(Job.status == "pending")
    if kinds is not None:
        query = query.where(Job.kind.in_(kinds))
    return session.scalar(query.limit(1)) is not None


def claim_next(
    *,
    session: Session,
    owner: str,
    lease_seconds: float,
    kinds: list[str] | None = None,
    events: EventFormatter = STANDARD_EVENTS,
    now: datetime | None = None,
) -> ClaimedJob | None:
    """Take the next pending job: highest priority first, then oldest.

    Arguments:
        owner: a token unique to this attempt; later transitions must present it.
        kinds: only claim these kinds (the ones this worker has handlers for).

    Returns:
        The claimed attempt, or None when nothing is pending.
    """
    query = select(Job.id).where(Job.status == "pending")
    if kinds is not None:
        query = query.where(Job.kind.in_(kinds))
    query = query.order_by(Job.priority, Job.created_at, Job.id).limit(1)
    job_id = session.scalar(query.with_for_update(skip_locked=True))
    if job_id is None:
        return None
    now = now or utcnow()
    claimed = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "pending")
        .values(
            status="processing",
            attempts=Job.attempts + 1,
            lease_owner=owner,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            progress=0.0,
            phase=None,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if rowcount(claimed) != 1:
        return None  # taken by a concurrent claimer between our read and write
    job = lock(session, job_id)
    if job is None:
        return None
    if job.started_at is None:
        job.started_at = now
    announce(session=session, job=job, event="progress", events=events)
    return ClaimedJob(
        job_id=job.id,
        account_id=job.account_id,
        kind=job.kind,
        params=dict(job.params),
        attempt=job.attempts,
        max_attempts=job.max_attempts,
        media_id=job.media_id,
        owner=owner,
    )


def renew_lease(
    *,
    session: Session,
    job_id: str,
    owner: str,
    lease_seconds: float,
    now: datetime | None = None,
) -> bool:
    """Extend a running attempt's lease. Returns False when ``owner`` no longer holds it."""
    now = now or utcnow()
    renewed = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "processing", Job.lease_owner == owner)
        .values(lease_expires_at=now + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    return rowcount(renewed) == 1


def record_progress(
    *,
    session: Session,
    job_id: str,
    owner: str,
    percent: float,
    phase: str | None,
    events: EventFormatter = STANDARD_EVENTS,
    now: datetime | None = None,
) -> ProgressState:
    """Store progress (0-100, clamped) and phase, and report whether cancel was requested.

    A ``progress`` webhook is queued when progress crosses a multiple of
    :data:`~vidlens.jobs.events.PROGRESS_EVENT_STEP` percent or the phase changes (see
    :func:`~vidlens.jobs.events.progress_is_notable`).
    """
    job = held(session, job_id, owner)
    if job is None:
        return ProgressState(held=False, cancel_requested=False)
    percent = min(max(percent, 0.0), 100.0)
    notable = progress_is_notable(events, job, new=percent, phase=phase)
    job.progress = percent
    job.phase = phase
    job.updated_at = now or utcnow()
    if notable:
        announce(session=session, job=job, event="progress", events=events)
    return ProgressState(held=True, cancel_requested=job.cancel_requested)


def complete(
    *,
    session: Session,
    job_id: str,
    owner: str,
    result: dict[str, Any],
    events: EventFormatter = STANDARD_EVENTS,
    now: datetime | None = None,
) -> Job | None:
    """Mark a running attempt completed with its result.

    Returns:
        The job, or None when ``owner`` no longer holds it (nothing changed).

    Raises:
        InvalidInput: ``result`` is not a JSON object.
    """
    check_json_object(result, "A job result")
    job = held(session, job_id, owner)
    if job is None:
        return None
    job.result = result
    job.progress = 100.0
    job.error_code = None
    job.error_message = None
    finish(session, job, "completed", now=now or utcnow(), events=events)
    return job


def fail(
    *,
    session: Session,
    job_id: str,
    owner: str,
    code: str,
    message: str,
    retryable: bool,
    events: EventFormatter = STANDARD_EVENTS,
    now: datetime | None = None,
) -> Job | None:
    """Record a failed attempt: re-queue it while ``retryable`` and attempts remain,
    otherwise fail the job (refunding its charge) with ``code`` and ``message``.

    Returns:
        The job, or None when ``owner`` no longer holds it (nothing changed).
    """
    job = held(session, job_id, owner)
    if job is None:
        return None
    now = now or utcnow()
    job.error_code = code[:100]
    job.error_message = message
    if job.cancel_requested:
        finish(session, job, "cancelled", now=now, events=events)
    elif retryable and job.attempts < job.max_attempts:
        requeue(job, now=now)
    else:
        finish(session, job, "failed", now=now, events=events)
    return job


def mark_cancelled(
    *,
    session: Session,
    job_id: str,
    owner: str,
    events: EventFormatter = STANDARD_EVENTS,
    now: datetime | None = None,
) -> Job | None:
    """End a running attempt whose handler stopped on request (refunding its charge).

    Returns:
        The job, or None when ``owner`` no longer holds it.
    """
    job = held(session, job_id, owner)
    if job is None:
        return None
    finish(session, job, "cancelled", now=now or utcnow(), events=events)
    return job


def release(
    *,
    session: Session,
    job_id: str,
    owner: str,
    events: EventFormatter = STANDARD_EVENTS,
    now: datetime | None = None,
) -> Job | None:
    """Hand a running attempt back to the queue without consuming an attempt (shutdown).
    A job whose cancel was requested is cancelled instead.

    Returns:
        The job, or None when ``owner`` no longer holds it.
    """
    job = held(session, job_id, owner)
    if job is None:
        return None
    now = now or utcnow()
    if job.cancel_requested:
        finish(session, job, "cancelled", now=now, events=events)
    else:
        job.attempts = max(job.attempts - 1, 0)
        requeue(job, now=now)
    return job


def recover_abandoned(
    *, session: Session, events: EventFormatter = STANDARD_EVENTS, now: datetime | None = None
) -> RecoveryCounts:
    """Deal with ``processing`` jobs whose lease expired (their worker died): re-queue those
    with attempts left, fail the others with ``WORKER_LOST``, cancel those asked to stop."""
    now = now or utcnow()
    query = (
        select(Job)
        .where(
            Job.status == "processing",
            or_(Job.lease_expires_at.is_(None), Job.lease_expires_at < now),
        )
        .with_for_update(skip_locked=True)
    )
    requeued = failed = cancelled = 0
    for job in session.scalars(query).all():
        if job.cancel_requested:
            finish(session, job, "cancelled", now=now, events=events)
            cancelled += 1
        elif job.attempts < job.max_attempts:
            job.error_code = WORKER_LOST
            job.error_message = f"The worker running attempt {job.attempts} died; re-queued."
            requeue(job, now=now)
            requeued += 1
        else:
            job.error_code = WORKER_LOST
            job.error_message = (
                f"The worker running this job died (lease expired) on attempt {job.attempts} "
                f"of {job.max_attempts}; no attempts left."
            )
            finish(session, job, "failed", now=now, events=events)
            failed += 1
    if requeued or failed or cancelled:
        logger.warning(
            "recovered abandoned jobs",
            extra={"requeued": requeued, "failed": failed, "cancelled": cancelled},
        )
    return RecoveryCounts(requeued=requeued, failed=failed, cancelled=cancelled)
