"""Jobs as clients see them: repository functions with keyword-only arguments, each in the
caller's transaction. Workers move jobs on with :mod:`vidlens.jobs.lifecycle`.

States: ``pending`` → ``processing`` → ``completed`` | ``failed`` | ``cancelled`` (a pending job
may also be cancelled directly). A job that fails or is cancelled gets its charge refunded, once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vidlens.errors import Conflict, InvalidInput, NotFound
from vidlens.jobs._transitions import check_json_object, finish, lock
from vidlens.jobs.events import STANDARD_EVENTS, EventFormatter
from vidlens.storage.tables import Job, utcnow
from vidlens.types import PRIORITY_RANK, JobStatus
from vidlens.webhooks.service import validate_headers

TERMINAL_STATUSES: frozenset[str] = frozenset({"completed", "failed", "cancelled"})


def submit(
    *,
    session: Session,
    account_id: str,
    kind: str,
    params: dict[str, Any],
    priority: str = "standard",
    media_id: str | None = None,
    charge_id: str | None = None,
    webhook_url: str | None = None,
    webhook_headers: dict[str, str] | None = None,
    max_attempts: int = 3,
    now: datetime | None = None,
) -> Job:
    """Insert a pending job. The caller checks that ``kind`` has a handler and that the
    webhook URL is allowed (see :meth:`EmbeddedQueue.submit`).

    Raises:
        InvalidInput: empty kind, unknown priority, params not a JSON object, bad webhook
            headers or ``max_attempts`` below 1.
    """
    if not kind or len(kind) > 100:
        raise InvalidInput("Job kind must be 1-100 characters.")
    if priority not in PRIORITY_RANK:
        raise InvalidInput("priority must be one of low, standard, high.")
    if max_attempts < 1:
        raise InvalidInput("max_attempts must be at least 1.")
    check_json_object(params, "params")
    now = now or utcnow()
    job = Job(
        account_id=account_id,
        kind=kind,
        status="pending",
        priority=PRIORITY_RANK[priority],
        params=params,
        media_id=media_id,
        charge_id=charge_id,
        webhook_url=webhook_url,
        webhook_headers=validate_headers(webhook_headers),
        max_attempts=max_attempts,
        created_at=now,
        updated_at=now,
    )
    session.add(job)
    session.flush()
    return job


def get(*, session: Session, account_id: str, job_id: str) -> Job:
    """One of the account's jobs.

    Raises:
        NotFound: no such job, or another account's (the same error either way).
    """
    job = session.get(Job, job_id)
    if job is None or job.account_id != account_id:
        raise NotFound("Job not found.", job_id=job_id)
    return job


def list_jobs(
    *,
    session: Session,
    account_id: str,
    status: JobStatus | None = None,
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Job]:
    """The account's jobs, newest first."""
    query = select(Job).where(Job.account_id == account_id)
    if status is not None:
        query = query.where(Job.status == status)
    if kind is not None:
        query = query.where(Job.kind == kind)
    query = query.order_by(Job.created_at.desc(), Job.id).limit(limit).offset(offset)
    return list(session.scalars(query))


def cancel(
    *,
    session: Session,
    account_id: str,
    job_id: str,
    events: EventFormatter = STANDARD_EVENTS,
    now: datetime | None = None,
) -> Job:
    """Cancel a pending job at once (refunding its charge), or ask a processing one to stop:
    its handler raises :class:`~vidlens.errors.JobCancelled` at its next progress call and the
    job then ends ``cancelled``. Cancelling a cancelled job returns it unchanged.

    Raises:
        NotFound: no such job for this account.
        Conflict: the job already completed or failed.
    """
    job = lock(session, job_id)
    if job is None or job.account_id != account_id:
        raise NotFound("Job not found.", job_id=job_id)
    now = now or utcnow()
    if job.status == "pending":
        finish(session, job, "cancelled", now=now, events=events)
    elif job.status == "processing" and not job.cancel_requested:
        job.cancel_requested = True
        job.updated_at = now
    elif job.status in ("completed", "failed"):
        raise Conflict(f"Job already {job.status}.", job_id=job_id, status=job.status)
    return job
