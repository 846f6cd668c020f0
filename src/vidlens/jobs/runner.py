"""Run one claimed attempt of a job and record its outcome: shared by every queue."""

from __future__ import annotations

import json
import logging
from typing import Any, Literal

from vidlens.config import Settings
from vidlens.errors import JobCancelled, VidlensError
from vidlens.jobs import lifecycle
from vidlens.jobs.context import JobContext, JobTimeout, LeaseLost
from vidlens.jobs.handlers import HandlerRegistry
from vidlens.storage.db import Database
from vidlens.storage.tables import Job

logger = logging.getLogger(__name__)

Outcome = Literal["completed", "failed", "retrying", "cancelled", "lost"]
HANDLER_ERROR = "HANDLER_ERROR"
JOB_TIMEOUT = "JOB_TIMEOUT"
INVALID_RESULT = "INVALID_RESULT"
UNKNOWN_KIND = "UNKNOWN_JOB_KIND"
_OUTCOMES: dict[str, Outcome] = {
    "pending": "retrying",
    "completed": "completed",
    "failed": "failed",
    "cancelled": "cancelled",
}


def timeout_message(limit_seconds: float) -> str:
    """The error message of a job failed with :data:`JOB_TIMEOUT`."""
    return f"The job ran longer than its time limit of {limit_seconds:g} s and was stopped."


def run_claimed(
    *,
    claim: lifecycle.ClaimedJob,
    settings: Settings,
    db: Database,
    registry: HandlerRegistry,
) -> Outcome:
    """Run the handler of ``claim`` and store what happened.

    A :class:`~vidlens.errors.VidlensError` fails the job without retry; any other
    exception is retried while the handler is retryable and attempts remain; a cancel request
    ends the job ``cancelled``; passing the kind's time limit (see
    :meth:`~vidlens.jobs.handlers.HandlerRegistry.timeout_for`) fails it with
    :data:`JOB_TIMEOUT`, without retry. When the attempt lost its lease meanwhile, nothing is
    stored.

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the outcome could not be stored (the lease then
            expires and the job is recovered).
    """
    spec = registry.get(claim.kind)
    if spec is None:
        message = f"No handler for job kind {claim.kind!r} in this worker."
        return _fail(db, registry, claim, UNKNOWN_KIND, message, retryable=False)
    context = JobContext(
        claim=claim,
        settings=settings,
        db=db,
        events=registry.format_event,
        timeout_seconds=registry.timeout_for(claim.kind, settings.jobs.timeout_seconds),
    )
    try:
        result: Any = spec.func(context)
    except LeaseLost:
        return "lost"
    except JobTimeout as exc:
        logger.warning("job timed out", extra={"job_id": claim.job_id, "kind": claim.kind})
        message = timeout_message(exc.limit_seconds)
        return _fail(db, registry, claim, JOB_TIMEOUT, message, retryable=False)
    except JobCancelled:
        with db.session() as session:
            job = lifecycle.mark_cancelled(
                session=session,
                job_id=claim.job_id,
                owner=claim.owner,
                events=registry.format_event,
            )
        return _outcome(job)
    except VidlensError as exc:
        return _fail(db, registry, claim, exc.code, exc.message, retryable=False)
    except Exception as exc:
        logger.warning(
            "job handler raised", exc_info=True, extra={"job_id": claim.job_id, "kind": claim.kind}
        )
        reason = f"{type(exc).__name__}: {exc}"
        return _fail(db, registry, claim, HANDLER_ERROR, reason, retryable=spec.retryable)
    return _complete(db, registry, claim, result)


def _complete(
    db: Database, registry: HandlerRegistry, claim: lifecycle.ClaimedJob, result: Any
) -> Outcome:
    try:
        if not isinstance(result, dict):
            raise TypeError(f"handler returned {type(result).__name__}, not a dict")
        json.dumps(result, allow_nan=False)
    except (TypeError, ValueError) as exc:
        reason = f"The handler's result is not a JSON object: {exc}"
        return _fail(db, registry, claim, INVALID_RESULT, reason, retryable=False)
    with db.session() as session:
        job = lifecycle.complete(
            session=session,
            job_id=claim.job_id,
            owner=claim.owner,
            result=result,
            events=registry.format_event,
        )
    return _outcome(job)


def _fail(
    db: Database,
    registry: HandlerRegistry,
    claim: lifecycle.ClaimedJob,
    code: str,
    message: str,
    *,
    retryable: bool,
) -> Outcome:
    with db.session() as session:
        job = lifecycle.fail(
            session=session,
            job_id=claim.job_id,
            owner=claim.owner,
            code=code,
            message=message,
            retryable=retryable,
            events=registry.format_event,
        )
    return _outcome(job)


def _outcome(job: Job | None) -> Outcome:
    return "lost" if job is None else _OUTCOMES.get(job.status, "lost")
