"""AI gateway translations (reference/ai-gateway-api.txt, "Translation"): JSON:API resources
under ``/v1/translations``, and signed downloads of translated documents. See
docs/gateway.md."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from vidlens.api.context import AppContext
from vidlens.api.deps import ContextDep, PrincipalDep
from vidlens.api.routes._jsonapi import json_body, json_request_body
from vidlens.engines.translation.documents import CONTENT_TYPES
from vidlens.gateway import service, translation_service
from vidlens.gateway.translation_job import (
    download_url,
    public_translation_result,
    translation_resource,
)
from vidlens.gateway.translation_schemas import TranslationCreateRequest
from vidlens.storage.tables import Job

router = APIRouter(prefix="/v1/translations", tags=["translations"])

_INPUT = {"type": "text", "content": "Good morning, my friend.", "target_language": "es"}
_EXAMPLE = {
    "data": {
        "type": "translation-job",
        "attributes": {
            "input": {
                "type": "text",
                "content": "Good morning, my friend.",
                "target_language": "es",
            },
            "options": {"source_language": "auto", "formality": "default", "priority": "standard"},
        },
        "meta": {"client": {"order": 42}},
    }
}
_RESULT_EXAMPLE: dict[str, Any] = {
    "source_language": "en",
    "target_language": "es",
    "content": "Buenos días, mi amigo.",
    "character_count": 24,
    "detected": True,
}
_RESOURCE_EXAMPLE = {
    "data": {
        "id": "9a1bc2f3-d405-4678-bcde-f12345678901",
        "type": "translation-job",
        "attributes": {
            "provider": "vidlens-local",
            "status": "completed",
            "progress": 100,
            "created_at": "2026-11-25T10:00:00Z",
            "processed_at": "2026-11-25T10:00:01Z",
            "completed_at": "2026-11-25T10:00:02Z",
            "input": {
                "type": "text",
                "content": "Good morning, my friend.",
                "target_language": "es",
            },
            "options": {"source_language": "auto", "formality": "default", "priority": "standard"},
            "result": _RESULT_EXAMPLE,
        },
        "meta": {"client": {"order": 42}},
    }
}


def _document(context: AppContext, request: Request, job: Job) -> dict[str, Any]:
    fresh = None
    if job.result is not None and "download_url" in job.result:
        base = context.settings.public_url or str(request.base_url)
        fresh = download_url(
            base,
            job.id,
            secret=context.signing_key,
            ttl_seconds=context.settings.media.signed_url_ttl_seconds,
        )
    return {"data": translation_resource(job, fresh_url=fresh)}


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    openapi_extra=json_request_body(TranslationCreateRequest.model_json_schema(), _EXAMPLE),
    responses={
        202: {
            "description": "The job resource (status pending).",
            "content": {"application/json": {"example": _RESOURCE_EXAMPLE}},
        },
        400: {"description": "The body is not JSON (INVALID_JSON)."},
        413: {"description": "The JSON body is over 256 KiB."},
        422: {
            "description": "VALIDATION_ERROR, UNSUPPORTED_PROVIDER, UNSUPPORTED_FEATURE "
            "(formality), UNSUPPORTED_LANGUAGE_PAIR (naming the supported directions), "
            "LANGUAGE_NOT_DETECTED, URL_REFUSED; JSON:API errors with source.pointer."
        },
    },
)
async def create_translation(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Create a translation job (``data.type`` ``translation-job``): ``input.type`` ``text``
    with ``content``, or ``document`` with the ``url`` of a .txt, .srt, .vtt, .html or
    .docx file (timestamps, markup and formatting kept).

    ``source_language`` ``auto`` detects the language; ``formality`` other than ``default``
    is refused (no backend here controls it). Poll ``GET /v1/translations/{id}`` or set
    ``attributes.webhook`` for ``translation.progress|completed|failed``.
    """
    body = await json_body(request)
    job = await run_in_threadpool(
        lambda: translation_service.create_translation(
            context, account_id=principal.account_id, body=body
        )
    )
    return JSONResponse(_document(context, request, job), status_code=status.HTTP_202_ACCEPTED)


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
async def get_translation(
    job_id: str, request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """The job resource; for a document, ``result.download_url`` is signed afresh. Another
    account's id answers 404 exactly like a missing one."""
    job = await run_in_threadpool(
        lambda: translation_service.get_translation(
            context, account_id=principal.account_id, job_id=job_id
        )
    )
    return JSONResponse(_document(context, request, job))


@router.get(
    "/{job_id}/result",
    responses={
        200: {
            "description": "The result (translation_Result).",
            "content": {"application/json": {"example": _RESULT_EXAMPLE}},
        },
        404: {"description": "No such job, or RESULT_NOT_READY before completion."},
    },
)
async def get_translation_result(
    job_id: str, request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Only the output: ``content`` for text, a fresh signed ``download_url`` for a
    document, and ``character_count``. 404 ``RESULT_NOT_READY`` until completed."""
    job = await run_in_threadpool(
        lambda: translation_service.get_translation(
            context, account_id=principal.account_id, job_id=job_id
        )
    )
    service.stored_result(job)
    result: dict[str, Any] = _document(context, request, job)["data"]["attributes"]["result"]
    return JSONResponse(public_translation_result(result))


@router.get(
    "/{job_id}/document",
    response_class=FileResponse,
    responses={
        200: {"description": "The translated document."},
        403: {"description": "Missing, invalid or expired signature."},
        404: {"description": "No such translated document."},
    },
)
def download_translated_document(
    job_id: str,
    context: ContextDep,
    expires: int | None = Query(default=None, description="Expiry, Unix seconds."),
    signature: str | None = Query(default=None, max_length=100, description="Signature."),
) -> FileResponse:
    """Download a translated document through its signed ``download_url``; no credentials
    needed."""
    path, fmt = translation_service.document_path(
        context, job_id=job_id, expires=expires, signature=signature
    )
    return FileResponse(
        path,
        media_type=CONTENT_TYPES.get(fmt, "application/octet-stream"),  # type: ignore[call-overload]
        filename=f"translation-{job_id}.{fmt}",
    )
