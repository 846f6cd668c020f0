"""Platform job routes: the shared job view under every surface."""

from __future__ import annotations

from fastapi import APIRouter, status
from starlette.concurrency import run_in_threadpool

from vidlens.api.deps import ContextDep, PrincipalDep
from vidlens.api.schemas import JobCreate, JobPublic, JobsPublic
from vidlens.storage.tables import Job
from vidlens.types import PRIORITY_RANK, JobStatus

router = APIRouter(prefix="/api/jobs", tags=["jobs"])
_PRIORITY_NAME = {rank: name for name, rank in PRIORITY_RANK.items()}


def job_public(job: Job) -> JobPublic:
    return JobPublic.model_validate(
        {
            **{name: getattr(job, name) for name in JobPublic.model_fields if name != "priority"},
            "priority": _PRIORITY_NAME.get(job.priority, "standard"),
        }
    )


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=JobPublic)
async def submit_job(body: JobCreate, principal: PrincipalDep, context: ContextDep) -> JobPublic:
    """Queue a job of a public kind (e.g. ``media.verify`` with ``{"media_id": ...}``)."""
    job = await run_in_threadpool(
        lambda: context.queue.submit(
            account_id=principal.account_id,
            kind=body.kind,
            params=body.params,
            priority=body.priority,
            media_id=body.params.get("media_id") if isinstance(body.params, dict) else None,
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
    job = await run_in_threadpool(
        lambda: context.queue.get(account_id=principal.account_id, job_id=job_id)
    )
    return job_public(job)


@router.post("/{job_id}/cancel", response_model=JobPublic)
async def cancel_job(job_id: str, principal: PrincipalDep, context: ContextDep) -> JobPublic:
    """Cancel a pending job, or ask a running one to stop at its next progress step."""
    job = await run_in_threadpool(
        lambda: context.queue.cancel(account_id=principal.account_id, job_id=job_id)
    )
    return job_public(job)
