"""Platform job routes: the shared job view under every surface.

Only *public* job kinds (``@job_handler(..., public=True)``) may be submitted here; the other
kinds belong to surfaces that submit them after their own checks (credits charged at creation,
for instance), so letting accounts submit them directly would bypass those checks.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, status
from starlette.concurrency import run_in_threadpool

from vidlens.api.deps import ContextDep, PrincipalDep
from vidlens.api.schemas import (
    JobCreate,
    JobPublic,
    JobsPublic,
    WebhookDeliveriesPublic,
    WebhookDeliveryPublic,
)
from vidlens.errors import InvalidInput
from vidlens.jobs.runner import UNKNOWN_KIND
from vidlens.storage.tables import Job
from vidlens.types import PRIORITY_RANK, JobStatus
from vidlens.webhooks.service import list_deliveries

router = APIRouter(prefix="/api/jobs", tags=["jobs"])
_PRIORITY_NAME = {rank: name for name, rank in PRIORITY_RANK.items()}

MAX_PARAMS_BYTES = 64 * 1024
"""Largest ``params`` accepted, as compact UTF-8 JSON."""
MAX_WEBHOOK_HEADERS = 20
_MEDIA_ID_MAX_LENGTH = 36


def job_public(job: Job) -> JobPublic:
    return JobPublic.model_validate(
        {
            **{name: getattr(job, name) for name in JobPublic.model_fields if name != "priority"},
            "priority": _PRIORITY_NAME.get(job.priority, "standard"),
        }
    )


def check_job_create(body: JobCreate, public_kinds: list[str]) -> None:
    """Refuse what ``POST /api/jobs`` does not accept.

    Raises:
        InvalidInput: a kind that is unknown or not public (code ``UNKNOWN_JOB_KIND``, the
            same answer for both), ``params`` over :data:`MAX_PARAMS_BYTES`, or more than
            :data:`MAX_WEBHOOK_HEADERS` webhook headers.
    """
    if body.kind not in public_kinds:
        listed = ", ".join(public_kinds) or "none"
        raise InvalidInput(
            f"Unknown job kind {body.kind!r}. Kinds you may submit: {listed}.",
            code=UNKNOWN_KIND,
            kinds=public_kinds,
        )
    size = len(json.dumps(body.params, separators=(",", ":"), ensure_ascii=False).encode())
    if size > MAX_PARAMS_BYTES:
        raise InvalidInput(
            f"params must be at most {MAX_PARAMS_BYTES // 1024} KiB of JSON ({size} bytes given)."
        )
    if len(body.webhook_headers) > MAX_WEBHOOK_HEADERS:
        raise InvalidInput(f"At most {MAX_WEBHOOK_HEADERS} webhook headers are allowed.")


def _media_id(params: dict[str, object]) -> str | None:
    # Recorded on the job row for lookups; the handler resolves params["media_id"] itself.
    value = params.get("media_id")
    return value if isinstance(value, str) and 0 < len(value) <= _MEDIA_ID_MAX_LENGTH else None


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=JobPublic)
async def submit_job(body: JobCreate, principal: PrincipalDep, context: ContextDep) -> JobPublic:
    """Queue a job of a public kind (e.g. ``media.verify`` with ``{"media_id": ...}``).

    An unknown or non-public kind is refused with 422 ``UNKNOWN_JOB_KIND``, listing the kinds
    that may be submitted. ``params`` must be a JSON object of at most 64 KiB;
    ``webhook_headers`` holds at most 20 entries.
    """
    check_job_create(body, context.queue.public_kinds())
    job = await run_in_threadpool(
        lambda: context.queue.submit(
            account_id=principal.account_id,
            kind=body.kind,
            params=body.params,
            priority=body.priority,
            media_id=_media_id(body.params),
            webhook_url=str(body.webhook_url) if body.webhook_url else None,
            webhook_headers=body.webhook_headers,
        )
    )
    return job_public(job)


@router.get("", response_model=JobsPublic)
async def list_jobs(
    principal: PrincipalDep,
    context: ContextDep,
    status: JobStatus | None = None,
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> JobsPublic:
    """This account's jobs, newest first."""
    jobs = await run_in_threadpool(
        lambda: context.queue.list(
            account_id=principal.account_id,
            status=status,
            kind=kind,
            limit=max(1, min(limit, 500)),
            offset=max(0, offset),
        )
    )
    return JobsPublic(data=[job_public(job) for job in jobs])


@router.get("/{job_id}", response_model=JobPublic)
async def get_job(job_id: str, principal: PrincipalDep, context: ContextDep) -> JobPublic:
    """Status, phase, progress 0-100 and, once completed, the result."""
    # Served on the event loop on purpose: this is the hottest route (clients poll it), and a
    # primary-key read (~0.1 ms, never waiting on a lock: WAL readers and PostgreSQL SELECTs
    # do not block) costs less than the hop to a worker thread and back.
    job = context.queue.get(account_id=principal.account_id, job_id=job_id)
    return job_public(job)


@router.post("/{job_id}/cancel", response_model=JobPublic)
async def cancel_job(job_id: str, principal: PrincipalDep, context: ContextDep) -> JobPublic:
    """Cancel a pending job, or ask a running one to stop at its next progress step."""
    job = await run_in_threadpool(
        lambda: context.queue.cancel(account_id=principal.account_id, job_id=job_id)
    )
    return job_public(job)


@router.get("/{job_id}/webhooks", response_model=WebhookDeliveriesPublic)
async def job_webhooks(
    job_id: str, principal: PrincipalDep, context: ContextDep
) -> WebhookDeliveriesPublic:
    """The webhook messages of a job and their delivery state (attempts, last HTTP status,
    last error), oldest first. Custom headers are not shown: they may hold the receiver's
    credentials."""

    def load() -> WebhookDeliveriesPublic:
        context.queue.get(account_id=principal.account_id, job_id=job_id)  # 404 if not ours
        with context.db.read_session() as session:
            rows = list_deliveries(session=session, job_id=job_id)
            return WebhookDeliveriesPublic(
                data=[WebhookDeliveryPublic.model_validate(row) for row in rows]
            )

    return await run_in_threadpool(load)
