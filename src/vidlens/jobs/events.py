"""Job lifecycle events and how they become webhook deliveries.

Each job kind chooses how its events are named and shaped with an :class:`EventFormatter`
(registered with its handler, see :func:`vidlens.jobs.handlers.job_handler`). The default
names events ``job.progress``, ``job.completed``, ``job.failed`` and ``job.cancelled`` and wraps
:func:`job_summary` in the Standard Webhooks envelope. A surface with its own contract (the AI
gateway's ``transcription.*`` events in a JSON:API body) registers its own formatter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlalchemy.orm import Session

from vidlens.storage.tables import Job
from vidlens.types import PRIORITY_RANK
from vidlens.webhooks.service import enqueue_event

JobEvent = Literal["progress", "completed", "failed", "cancelled"]

PROGRESS_EVENT_STEP = 10.0
"""A progress webhook is sent when progress crosses a multiple of this many percent (or the
phase changes), not on every stored progress update."""

_PRIORITY_NAME = {rank: name for name, rank in PRIORITY_RANK.items()}


@dataclass(frozen=True)
class WebhookEvent:
    """One webhook to send: its event type and its data.

    ``raw=True`` makes ``data`` the whole request body instead of the ``data`` member of the
    Standard Webhooks envelope ``{"type", "timestamp", "data"}``.
    """

    type: str
    data: dict[str, Any]
    raw: bool = False


class EventFormatter(Protocol):
    """Turns a job event into a webhook, or None to send nothing for it.

    A formatter whose payload carries no phase may set ``shows_phase = False``: its
    ``progress`` events are then sent when the job is claimed and when progress crosses a
    step, not on phase changes its receivers cannot see.
    """

    def __call__(self, job: Job, event: JobEvent) -> WebhookEvent | None: ...


def progress_is_notable(events: EventFormatter, job: Job, *, new: float, phase: str | None) -> bool:
    """Whether moving ``job`` (still at its stored progress and phase) to ``new`` percent and
    ``phase`` deserves a ``progress`` webhook."""
    if crosses_progress_step(job.progress, new):
        return True
    if phase == job.phase:
        return False
    dispatch = getattr(events, "shows_phase_of", None)
    if callable(dispatch):
        return bool(dispatch(job))
    return bool(getattr(events, "shows_phase", True))


def priority_name(rank: int) -> str:
    """``high`` / ``standard`` / ``low`` for a stored priority rank."""
    return _PRIORITY_NAME.get(rank, "standard")


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def job_summary(job: Job) -> dict[str, Any]:
    """The job as seen by clients: no params, no lease bookkeeping."""
    summary: dict[str, Any] = {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "phase": job.phase,
        "progress": job.progress,
        "priority": priority_name(job.priority),
        "attempts": job.attempts,
        "created_at": _iso(job.created_at),
        "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at),
    }
    if job.status == "completed":
        summary["result"] = job.result
    if job.status == "failed":
        summary["error"] = {"code": job.error_code, "message": job.error_message}
    return summary


@dataclass(frozen=True)
class PrefixedEvents:
    """The default formatter: ``<prefix>.<event>`` with :func:`job_summary` as data."""

    prefix: str = "job"

    def __call__(self, job: Job, event: JobEvent) -> WebhookEvent | None:
        return WebhookEvent(type=f"{self.prefix}.{event}", data=job_summary(job))


STANDARD_EVENTS: EventFormatter = PrefixedEvents("job")


def announce(*, session: Session, job: Job, event: JobEvent, events: EventFormatter) -> None:
    """Queue the webhook for ``event`` in the caller's transaction (if the job has one)."""
    if not job.webhook_url:
        return
    produced = events(job, event)
    if produced is None:
        return
    enqueue_event(
        session=session, job=job, event_type=produced.type, data=produced.data, raw=produced.raw
    )


def crosses_progress_step(old: float, new: float) -> bool:
    """Whether going from ``old`` to ``new`` percent passes a :data:`PROGRESS_EVENT_STEP`."""
    return int(new // PROGRESS_EVENT_STEP) != int(old // PROGRESS_EVENT_STEP)
