"""Gateway job resources as the contract shapes them (``*_Attributes``), built from a job row,
and the webhook formatter for ``<resource>.*`` events (transcription, translation,
video-analysis)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vidlens.gateway.schemas import PROVIDER_ID, RESOURCE_TYPE
from vidlens.jobs.events import JobEvent, WebhookEvent
from vidlens.storage.tables import Job

KIND = "gateway.transcription"
"""Job kind of a transcription (internal: only ``/v1/transcriptions`` submits it)."""

_TERMINAL = {"completed", "failed", "cancelled"}


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def contract_status(job: Job) -> str:
    """``pending`` / ``processing`` / ``completed`` / ``failed`` (cancelled jobs are failed)."""
    return "failed" if job.status == "cancelled" else job.status


def public_result(stored: dict[str, Any]) -> dict[str, Any]:
    """``attributes.result``: the stored result without per-word timings (those are served by
    ``GET /v1/transcriptions/{id}/result`` in JSON)."""
    result = dict(stored)
    if "segments" in result:
        result["segments"] = [
            {key: value for key, value in segment.items() if key != "words"}
            for segment in result["segments"]
        ]
    return result


def job_resource(
    job: Job, resource_type: str, *, result: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The JSON:API resource object (``data``) of any gateway job: the contract's common
    attributes (provider, status, progress, timestamps, input, options, webhook URL, error)
    and ``result`` when the job completed (``result`` given, else the stored one)."""
    params = job.params or {}
    status = contract_status(job)
    attributes: dict[str, Any] = {
        "provider": params.get("provider", PROVIDER_ID),
        "status": status,
        "progress": 100 if status == "completed" else max(0, min(100, int(job.progress))),
        "created_at": _iso(job.created_at),
        "processed_at": _iso(job.started_at),
        "completed_at": _iso(job.finished_at) if job.status in _TERMINAL else None,
        "input": params.get("input", {}),
        "options": params.get("options", {}),
    }
    if job.webhook_url:
        # Custom headers are never echoed: they usually hold the receiver's credentials.
        attributes["webhook"] = {"url": job.webhook_url}
    if status == "failed":
        if job.status == "cancelled":
            error = {"code": "CANCELLED", "message": "The job was cancelled."}
        else:
            error = {
                "code": job.error_code or "FAILED",
                "message": job.error_message or "The job failed.",
            }
        attributes["error"] = error
    if job.status == "completed" and job.result is not None:
        attributes["result"] = result if result is not None else job.result
    return {
        "id": job.id,
        "type": resource_type,
        "attributes": attributes,
        "meta": {"client": params.get("client", {})},
    }


def transcription_resource(job: Job) -> dict[str, Any]:
    """The JSON:API resource object (``data``) of a transcription job."""
    result = public_result(job.result) if job.result is not None else None
    return job_resource(job, RESOURCE_TYPE, result=result)


@dataclass(frozen=True)
class ResourceEvents:
    """Webhooks in the gateway contract's body: ``{"event": "<prefix>.<x>", "data":
    resource}`` (sent raw, not wrapped in the Standard Webhooks envelope; still signed with
    the ``webhook-*`` headers). A cancelled job is announced as ``<prefix>.failed``."""

    prefix: str
    render: Callable[[Job], dict[str, Any]]
    shows_phase = False  # the resource has no phase: progress events follow 10 % steps

    def __call__(self, job: Job, event: JobEvent) -> WebhookEvent | None:
        name = f"{self.prefix}.{'failed' if event == 'cancelled' else event}"
        return WebhookEvent(type=name, data={"event": name, "data": self.render(job)}, raw=True)


@dataclass(frozen=True)
class TranscriptionEvents:
    """Webhooks in the contract's body: ``{"event": "transcription.<x>", "data": resource}``
    (sent raw, not wrapped in the Standard Webhooks envelope; still signed with the
    ``webhook-*`` headers)."""

    shows_phase = False

    def __call__(self, job: Job, event: JobEvent) -> WebhookEvent | None:
        return ResourceEvents("transcription", transcription_resource)(job, event)
