"""Shared job transitions: row locks, re-queueing and terminal states with their refund and
webhook. Private to :mod:`vidlens.jobs.service` and :mod:`vidlens.jobs.lifecycle`."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Result, select
from sqlalchemy.orm import Session

from vidlens.accounts import credits
from vidlens.errors import InvalidInput, NotFound
from vidlens.jobs.events import EventFormatter, JobEvent, announce
from vidlens.storage.tables import Job

logger = logging.getLogger("vidlens.jobs")

TERMINAL_EVENTS: dict[str, JobEvent] = {
    "completed": "completed",
    "failed": "failed",
    "cancelled": "cancelled",
}


def rowcount(result: Result[Any]) -> int:
    # Session.execute is typed as returning Result; an UPDATE's is a CursorResult.
    return cast(CursorResult[Any], result).rowcount


def lock(session: Session, job_id: str) -> Job | None:
    """The job, freshly read and row-locked (``FOR UPDATE``) for this transaction."""
    query = (
        select(Job)
        .where(Job.id == job_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(query).first()


def held(session: Session, job_id: str, owner: str) -> Job | None:
    """The locked job if ``owner`` holds its lease, else None."""
    job = lock(session, job_id)
    if job is None or job.status != "processing" or job.lease_owner != owner:
        return None
    return job


def requeue(job: Job, *, now: datetime) -> None:
    """Back to ``pending`` for another attempt (attempt count unchanged)."""
    job.status = "pending"
    job.lease_owner = None
    job.lease_expires_at = None
    job.progress = 0.0
    job.phase = None
    job.updated_at = now


def finish(
    session: Session, job: Job, status: str, *, now: datetime, events: EventFormatter
) -> None:
    """Move ``job`` to a terminal status; refund its charge unless it completed."""
    job.status = status
    job.lease_owner = None
    job.lease_expires_at = None
    job.finished_at = now
    job.updated_at = now
    if status != "completed" and job.charge_id is not None:
        _refund(session, job, status)
    announce(session=session, job=job, event=TERMINAL_EVENTS[status], events=events)


def _refund(session: Session, job: Job, status: str) -> None:
    if job.charge_id is None:
        return
    try:
        credits.refund(session=session, charge_id=job.charge_id, reason=f"job {status}")
    except NotFound:
        # A job must still reach its terminal state when its charge id is bogus.
        logger.warning("job charge not found", extra={"job_id": job.id, "charge": job.charge_id})


def check_json_object(value: object, what: str) -> None:
    """Raises: InvalidInput: ``value`` is not a JSON-serialisable object."""
    if not isinstance(value, dict):
        raise InvalidInput(f"{what} must be a JSON object.")
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{what} must be JSON-serialisable: {exc}") from None
