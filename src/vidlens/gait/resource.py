"""Analyses as the contract shows them: status, percentage, signed URLs and result levels.

Status: a queued job is ``pending`` (HTTP 200), a running one ``analyzing`` (202, with its
``percentage`` and ``phase``), a completed one ``success`` (200), a failed or cancelled one
``failed`` (400, with the reason). Signed URLs (``thumbnail``, ``output_video``) are
HMAC-signed links to ``/analysis/{id}/files/{name}`` that work without credentials until
they expire (``urls_expire_at``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from vidlens.gait.errors import NotCompleted
from vidlens.media.signing import signed_query, verify_download
from vidlens.storage.tables import Job

Status = Literal["pending", "analyzing", "success", "failed"]
HTTP_STATUS: dict[Status, int] = {"pending": 200, "analyzing": 202, "success": 200, "failed": 400}
FILES = {"output_video": "output_video.mp4", "thumbnail": "thumbnail.jpg"}
"""Result file → the name in its URL."""
MEDIA_TYPES = {"output_video.mp4": "video/mp4", "thumbnail.jpg": "image/jpeg"}


@dataclass(frozen=True)
class Links:
    """How to build signed URLs: the public base URL, the secret and their lifetime."""

    base: str
    secret: str
    ttl_seconds: int


def status_of(job: Job) -> Status:
    if job.status == "pending":
        return "pending"
    if job.status == "processing":
        return "analyzing"
    if job.status == "completed":
        return "success"
    return "failed"


def percentage(job: Job) -> int:
    return 100 if job.status == "completed" else max(0, min(99, int(job.progress)))


def _signature_subject(job_id: str, name: str) -> str:
    return f"gait:{job_id}:{name}"


def file_url(links: Links, job_id: str, name: str) -> tuple[str, int]:
    """A signed URL of one result file and its expiry (Unix seconds)."""
    query = signed_query(
        key_or_media_id=_signature_subject(job_id, name),
        ttl_seconds=links.ttl_seconds,
        secret=links.secret,
    )
    url = (
        f"{links.base}/analysis/{job_id}/files/{name}"
        f"?expires={query['expires']}&signature={query['signature']}"
    )
    return url, int(query["expires"])


def file_signature_ok(job_id: str, name: str, expires: int, signature: str, secret: str) -> bool:
    return verify_download(
        key_or_media_id=_signature_subject(job_id, name),
        expires_at=expires,
        signature=signature,
        secret=secret,
    )


def results_body(job: Job, links: Links) -> dict[str, Any]:
    """``GET /analysis/{id}/results``: what the job's status allows (see the docstring)."""
    status = status_of(job)
    body: dict[str, Any] = {
        "video_id": job.id,
        "analysis_id": job.id,
        "status": status,
        "percentage": percentage(job),
    }
    if status == "analyzing":
        body["phase"] = job.phase
    if status == "failed":
        body["error"] = {
            "code": (job.error_code or "analysis_failed").lower(),
            "message": job.error_message or "The analysis could not be completed.",
        }
    if status == "success" and job.result is not None:
        expiry = 0
        for field, name in FILES.items():
            body[field], expiry = file_url(links, job.id, name)
        body["urls_expire_at"] = (
            datetime.fromtimestamp(expiry, UTC).isoformat().replace("+00:00", "Z")
        )
        body["biomechanical_analysis"] = job.result["biomechanical_analysis"]
    return body


def require_success(job: Job) -> dict[str, Any]:
    """The stored result of a successful analysis.

    Raises:
        NotCompleted: the analysis is pending, analysing or failed.
    """
    status = status_of(job)
    if status != "success" or job.result is None:
        raise NotCompleted(
            f"The analysis is {status}; calculated and raw data exist only once it succeeds.",
            analysis_status=status,
            percentage=percentage(job),
        )
    return job.result


def calculated_body(job: Job) -> dict[str, Any]:
    """``/results/calculated_data``: the view's numerical results.

    Raises:
        NotCompleted: before success.
    """
    result = require_success(job)
    analysis = result["biomechanical_analysis"]
    body = {key: analysis.get(key) for key in result["calculated_keys"]}
    return {"video_id": job.id, "analysis_type": analysis.get("analysis_type"), **body}


def stored_file(job: Job, name: str) -> str | None:
    """The store key of result file ``name`` (``output_video.mp4``, ``thumbnail.jpg``,
    ``raw_data.json``), or None."""
    if job.result is None:
        return None
    files: dict[str, str] = job.result.get("files", {})
    by_name = {
        **{v: files.get(k) for k, v in FILES.items()},
        "raw_data.json": files.get("raw_data"),
    }
    return by_name.get(name)
