"""Coaching sessions: ``sessionId`` → the full-analysis job, and how a job reads as the
contract's polling body. Repository functions take keyword-only arguments and run in the
caller's transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vidlens.errors import NotFound
from vidlens.storage.tables import CoachingSession, Job, utcnow

SCORING_PHASES = frozenset({"scoring", "done"})


def bind_session(*, session: Session, account_id: str, session_id: str, job_id: str) -> None:
    """Point ``session_id`` at ``job_id`` (a reused id moves to the newest analysis)."""
    row = session.scalar(
        select(CoachingSession).where(
            CoachingSession.account_id == account_id, CoachingSession.session_id == session_id
        )
    )
    if row is None:
        session.add(CoachingSession(account_id=account_id, session_id=session_id, job_id=job_id))
    else:
        row.job_id = job_id
        row.updated_at = utcnow()
    session.flush()


def session_job(*, session: Session, account_id: str, session_id: str) -> Job:
    """The job behind one of the account's sessions.

    Raises:
        NotFound: no such session for this account (another account's answers the same).
    """
    row = session.scalar(
        select(CoachingSession).where(
            CoachingSession.account_id == account_id, CoachingSession.session_id == session_id
        )
    )
    job = session.get(Job, row.job_id) if row is not None else None
    if job is None or job.account_id != account_id:
        raise NotFound("Session not found.")
    return job


def contract_status(job: Job) -> str:
    """``processing`` (pending or running), ``complete`` or ``failed`` (also cancelled)."""
    if job.status == "completed":
        return "complete"
    if job.status in ("failed", "cancelled"):
        return "failed"
    return "processing"


def progress_body(job: Job) -> dict[str, Any]:
    """``progress`` of a processing job. ``kpnPackagesSent`` (a field of the contract) counts
    the KPI packages handed to the engine stage: 0 while speech and face are measured, 1 once
    scoring has started."""
    phase = job.phase or ("queued" if job.status == "pending" else "starting")
    return {
        "phase": phase,
        "percent": round(job.progress, 1),
        "kpnPackagesSent": 1 if phase in SCORING_PHASES else 0,
        "jobStatus": job.status,
    }


def failure_body(job: Job) -> dict[str, Any]:
    code = job.error_code or ("CANCELLED" if job.status == "cancelled" else "FAILED")
    reason = job.error_message or (
        "The analysis was cancelled." if job.status == "cancelled" else "The analysis failed."
    )
    return {"status": "failed", "code": code, "reason": reason}
