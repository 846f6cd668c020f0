"""AI gateway video analyses (reference/ai-gateway-api.txt, "Video Analysis"): JSON:API
resources under ``/v1/video-analyses``. See docs/gateway.md."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from vidlens.api.deps import ContextDep, PrincipalDep
from vidlens.api.routes._jsonapi import inline_refs, json_body, json_request_body
from vidlens.gateway import analysis_service, service
from vidlens.gateway.analysis_job import analysis_resource
from vidlens.gateway.analysis_result_schema import result_schema
from vidlens.gateway.analysis_schemas import AnalysisCreateRequest

router = APIRouter(prefix="/v1/video-analyses", tags=["video analyses"])

_EXAMPLE = {
    "data": {
        "type": "video-analysis-job",
        "attributes": {
            "input": {
                "url": "https://media.example.com/talk.mp4",
                "features": ["speech_to_text", "ocr", "content_moderation", "topics"],
            },
            "options": {"language": "auto", "confidence_threshold": 0.5, "priority": "standard"},
            "webhook": {"url": "https://hooks.example.com/va", "headers": {"X-Token": "s3cr3t"}},
        },
        "meta": {"client": {"order": 42}},
    }
}
_RESULT_EXAMPLE: dict[str, Any] = {
    "video_metadata": {
        "duration": 6.0,
        "width": 1280,
        "height": 720,
        "frame_rate": 25.0,
        "format": "mp4",
        "codec": "h264",
    },
    "ocr": [
        {
            "text": "Genaxis Theatre",
            "confidence": 0.9974,
            "language": "en",
            "instances": [{"start": 3.0, "end": 6.0, "confidence": 0.9974}],
        }
    ],
    "content_moderation": {"is_safe": True, "signals": []},
    "scenes": [{"index": 0, "start": 0.0, "end": 3.0}, {"index": 1, "start": 3.0, "end": 6.0}],
    "faces": [
        {
            "track_id": 1,
            "fingerprint": "<684 base64 characters: 128 float32 little-endian>",
            "instances": [{"start": 0.0, "end": 3.0, "confidence": 0.9312}],
        }
    ],
    "topics": [
        {
            "name": "Genaxis Theatre",
            "confidence": 1.0,
            "instances": [{"start": 3.0, "end": 6.0, "confidence": 1.0}],
        }
    ],
}
_RESOURCE_EXAMPLE = {
    "data": {
        "id": "3e7dc4b2-91f0-4a1e-8c2d-b56789012345",
        "type": "video-analysis-job",
        "attributes": {
            "provider": "vidlens-local",
            "status": "completed",
            "progress": 100,
            "created_at": "2026-11-25T10:00:00Z",
            "processed_at": "2026-11-25T10:00:01Z",
            "completed_at": "2026-11-25T10:00:09Z",
            "input": _EXAMPLE["data"]["attributes"]["input"],  # type: ignore[index]
            "options": {"language": "auto", "confidence_threshold": 0.5, "priority": "standard"},
            "result": _RESULT_EXAMPLE,
        },
        "meta": {"client": {"order": 42}},
    }
}


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    openapi_extra=json_request_body(AnalysisCreateRequest.model_json_schema(), _EXAMPLE),
    responses={
        202: {
            "description": "The job resource (status pending).",
            "content": {"application/json": {"example": _RESOURCE_EXAMPLE}},
        },
        400: {"description": "The body is not JSON (INVALID_JSON)."},
        413: {"description": "The JSON body is over 256 KiB."},
        422: {
            "description": "Validation error (VALIDATION_ERROR: wrong type, empty or unknown "
            "features, bad URL or language), UNSUPPORTED_PROVIDER, UNSUPPORTED_FEATURE "
            "(naming the features no provider supports), URL_REFUSED; JSON:API errors with "
            "source.pointer."
        },
    },
)
async def create_video_analysis(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Create a video-analysis job (``data.type`` ``video-analysis-job``; ``input.url`` and a
    non-empty ``input.features``).

    ``provider`` picks a backend; omitted, the gateway picks one that supports every
    requested feature (see ``GET /v1/providers``). The URL is checked against the SSRF rules
    now and downloaded inside the job. Poll ``GET /v1/video-analyses/{id}`` or set
    ``attributes.webhook`` for ``video-analysis.progress|completed|failed``.
    """
    body = await json_body(request)
    job = await run_in_threadpool(
        lambda: analysis_service.create_analysis(
            context, account_id=principal.account_id, body=body
        )
    )
    return JSONResponse({"data": analysis_resource(job)}, status_code=status.HTTP_202_ACCEPTED)


@router.get(
    "/{job_id}",
    responses={
        200: {
            "description": "The job resource.",
            "content": {"application/json": {"example": _RESOURCE_EXAMPLE}},
        },
        404: {"description": "No such job for this account."},
    },
)
async def get_video_analysis(
    job_id: str, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """The job resource: status, progress, timestamps, error or result. Another account's
    id answers 404 exactly like a missing one."""
    job = await run_in_threadpool(
        lambda: analysis_service.get_analysis(
            context, account_id=principal.account_id, job_id=job_id
        )
    )
    return JSONResponse({"data": analysis_resource(job)})


@router.get(
    "/{job_id}/result",
    responses={
        200: {
            "description": "The result (video_metadata and one member per feature).",
            "content": {
                "application/json": {
                    "schema": inline_refs(result_schema()),
                    "example": _RESULT_EXAMPLE,
                }
            },
        },
        404: {"description": "No such job, or RESULT_NOT_READY before completion."},
    },
)
async def get_video_analysis_result(
    job_id: str, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Only the output (``video-analysis_Result``). 404 ``RESULT_NOT_READY`` until the job
    is completed (also when it failed)."""
    job = await run_in_threadpool(
        lambda: analysis_service.get_analysis(
            context, account_id=principal.account_id, job_id=job_id
        )
    )
    return JSONResponse(service.stored_result(job))
