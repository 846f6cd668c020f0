"""AI gateway transcriptions (reference/ai-gateway-api.txt, "Transcript"): JSON:API
resources under ``/v1/transcriptions``. Errors under ``/v1/`` are JSON:API error documents
(:mod:`vidlens.gateway.errors`). See docs/gateway.md."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from vidlens.api.context import AppContext
from vidlens.api.deps import ContextDep, PrincipalDep
from vidlens.api.routes._jsonapi import MAX_JSON_BYTES, inline_refs, json_body
from vidlens.api.uploads import declared_oversize
from vidlens.errors import BadRequest, InvalidInput, PayloadTooLarge, VidlensError
from vidlens.gateway import service
from vidlens.gateway.resource import transcription_resource
from vidlens.gateway.schemas import CreateRequest, error_object, parse_create
from vidlens.media import service as media_service
from vidlens.media.received import ReceivedFile
from vidlens.media.upload import receive_multipart
from vidlens.storage.tables import Job

router = APIRouter(prefix="/v1/transcriptions", tags=["transcriptions"])

_FLAT_FIELDS = {
    "type": ("input", "type"),
    "audio_track": ("input", "audio_track"),
    "language": ("options", "language"),
    "timestamps": ("options", "timestamps"),
    "format": ("options", "format"),
    "diarization": ("options", "diarization"),
    "num_speakers": ("options", "num_speakers"),
    "priority": ("options", "priority"),
}


_inline_refs = inline_refs


_EXAMPLE = {
    "data": {
        "type": "transcription-job",
        "attributes": {
            "input": {"type": "audio", "url": "https://example.com/talk.wav"},
            "options": {"language": "en", "timestamps": True, "format": "json"},
            "webhook": {"url": "https://hooks.example.com/t", "headers": {"X-Token": "s3cr3t"}},
            "provider": "vidlens-local",
        },
        "meta": {"client": {"order": 42}},
    }
}
_RESOURCE_EXAMPLE = {
    "data": {
        "id": "2f41bc1f-b608-4360-acd9-a26a296fea3c",
        "type": "transcription-job",
        "attributes": {
            "provider": "vidlens-local",
            "status": "completed",
            "progress": 100,
            "created_at": "2026-11-25T10:00:00Z",
            "processed_at": "2026-11-25T10:00:01Z",
            "completed_at": "2026-11-25T10:00:05Z",
            "input": {"type": "audio", "url": "https://example.com/talk.wav"},
            "options": {
                "language": "en",
                "timestamps": True,
                "format": "json",
                "diarization": False,
                "priority": "standard",
            },
            "result": {
                "format": "json",
                "duration": 11.0,
                "language": "en",
                "text": "And so, my fellow Americans, ask not what your country can do for you.",
                "segments": [
                    {"start": 0.0, "end": 4.2, "text": "And so, my fellow Americans,"},
                ],
            },
        },
        "meta": {"client": {"order": 42}},
    }
}
_RESULT_EXAMPLE = {
    "format": "json",
    "duration": 11.0,
    "language": "en",
    "text": "And so, my fellow Americans, ask not what your country can do for you.",
    "segments": [{"start": 0.0, "end": 4.2, "text": "And so, my fellow Americans,"}],
}
_CREATE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": _inline_refs(CreateRequest.model_json_schema()),
                "example": _EXAMPLE,
            },
            "application/vnd.api+json": {"schema": {"type": "object"}, "example": _EXAMPLE},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "description": "Extension: upload the file instead of input.url. Options "
                    "as form fields, or the whole JSON envelope (without input.url) as `data`.",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "data": {"type": "string", "description": "JSON create envelope."},
                        **{name: {"type": "string"} for name in _FLAT_FIELDS},
                        "provider": {"type": "string"},
                        "webhook_url": {"type": "string"},
                    },
                },
                "example": {"file": "(binary) talk.wav", "type": "audio", "format": "vtt"},
            },
        },
    }
}


def _document(job: Job) -> dict[str, Any]:
    return {"data": transcription_resource(job)}


async def _json_body(request: Request) -> Any:
    return await json_body(request, limit=MAX_JSON_BYTES)


def _form_envelope(fields: dict[str, str]) -> Any:
    """The create envelope of a multipart request: its ``data`` field (JSON), or one built
    from the flat fields."""
    if "data" in fields:
        try:
            envelope = json.loads(fields["data"])
        except json.JSONDecodeError as exc:
            detail = f"The 'data' field is not valid JSON: {exc}."
            raise BadRequest(
                detail,
                code="INVALID_JSON",
                errors=[error_object("", detail, code="INVALID_JSON", status=400)],
            ) from None
        if isinstance(envelope, dict) and "data" not in envelope and "attributes" in envelope:
            envelope = {"data": envelope}  # the resource object alone
        return envelope
    attributes: dict[str, Any] = {"input": {}, "options": {}}
    for name, (group, key) in _FLAT_FIELDS.items():
        if name in fields:
            attributes[group][key] = fields[name]
    if "provider" in fields:
        attributes["provider"] = fields["provider"]
    if "webhook_url" in fields:
        attributes["webhook"] = {"url": fields["webhook_url"]}
    unknown = set(fields) - set(_FLAT_FIELDS) - {"provider", "webhook_url"}
    if unknown:
        names = ", ".join(sorted(unknown))
        detail = f"Unknown form fields: {names}."
        raise InvalidInput(detail, errors=[error_object(None, detail)])
    return {"data": {"type": "transcription-job", "attributes": attributes}}


async def _create_from_upload(
    request: Request, context: AppContext, account_id: str
) -> tuple[CreateRequest, dict[str, Any]]:
    max_bytes = context.settings.media.max_upload_bytes
    declared = declared_oversize(request, max_bytes)
    if declared is not None:
        raise PayloadTooLarge(
            f"The upload is {declared} bytes; the limit is {max_bytes} bytes.",
            limit="max_bytes",
            maximum=max_bytes,
        )
    try:
        form = await receive_multipart(
            request.stream(),
            request.headers.get("content-type", ""),
            store=context.store,
            account_id=account_id,
            max_file_bytes=max_bytes,
            file_fields={"file"},
        )
    except ClientDisconnect as exc:
        raise InvalidInput("The upload was interrupted before it completed.") from exc
    received = form.files.get("file")
    try:
        if received is None:
            detail = "The form has no 'file' part."
            raise InvalidInput(detail, errors=[error_object(None, detail)])
        parsed = parse_create(_form_envelope(dict(form.fields)), upload=True)
        await run_in_threadpool(service.check_engine, context, parsed)
    except VidlensError:
        for stored in form.files.values():
            context.store.delete(stored.key)
        raise
    media = await _ingest(context, account_id, received)
    return parsed, service.job_params(parsed, media_id=media.id, filename=received.filename)


async def _ingest(context: AppContext, account_id: str, received: ReceivedFile) -> Any:
    return await run_in_threadpool(
        lambda: media_service.ingest_with_settings(
            db=context.db,
            store=context.store,
            settings=context.settings.media,
            account_id=account_id,
            received=received,
        )
    )


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    openapi_extra=_CREATE_BODY,
    responses={
        202: {
            "description": "The job resource (status pending).",
            "content": {"application/json": {"example": _RESOURCE_EXAMPLE}},
        },
        400: {"description": "The body is not JSON (INVALID_JSON)."},
        415: {"description": "Upload extension: the file is not audio/video."},
        422: {
            "description": "Validation error (VALIDATION_ERROR, UNSUPPORTED_PROVIDER, "
            "UNSUPPORTED_FEATURE) or an input/webhook URL refused by the SSRF rules "
            "(URL_REFUSED); JSON:API errors with source.pointer."
        },
        503: {"description": "The local speech engine is not installed (ENGINE_UNAVAILABLE)."},
    },
)
async def create_transcription(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Create a transcription job (``data.type`` ``transcription-job``; ``input`` by URL).

    The URL is checked against the SSRF rules now and downloaded inside the job. Extension:
    ``multipart/form-data`` with a ``file`` part and the options as form fields (or the
    JSON envelope as a ``data`` field). Poll ``GET /v1/transcriptions/{id}`` or set
    ``attributes.webhook``.
    """
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith("multipart/form-data"):
        parsed, params = await _create_from_upload(request, context, principal.account_id)
    else:
        parsed = parse_create(await _json_body(request), upload=False)
        await run_in_threadpool(service.check_engine, context, parsed)
        url = parsed.data.attributes.input.url
        assert url is not None  # parse_create requires it without an upload
        await run_in_threadpool(service.check_input_url, context, url)
        params = service.job_params(parsed)
    job = await run_in_threadpool(
        lambda: service.submit(
            context, account_id=principal.account_id, request=parsed, params=params
        )
    )
    return JSONResponse(_document(job), status_code=status.HTTP_202_ACCEPTED)


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
async def get_transcription(
    job_id: str, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """The job resource: status, progress, timestamps, error or result. Another account's
    id answers 404 exactly like a missing one."""
    job = service.get_transcription(context, account_id=principal.account_id, job_id=job_id)
    return JSONResponse(_document(job))


@router.get(
    "/{job_id}/result",
    response_class=Response,
    responses={
        200: {
            "description": "The transcript in the requested format.",
            "content": {
                "application/json": {"example": _RESULT_EXAMPLE},
                "text/srt": {"example": "1\n00:00:00,000 --> 00:00:04,200\nAnd so, my fellow\n"},
                "text/vtt": {"example": "WEBVTT\n\n00:00:00.000 --> 00:00:04.200\nAnd so\n"},
            },
        },
        404: {"description": "No such job, or RESULT_NOT_READY before completion."},
    },
)
async def get_transcription_result(
    job_id: str, request: Request, principal: PrincipalDep, context: ContextDep
) -> Response:
    """Only the output, in the job's ``options.format``: ``application/json``, ``text/srt``
    (``application/x-subrip`` if your Accept header asks for it) or ``text/vtt``. 404
    ``RESULT_NOT_READY`` until the job is completed (also when it failed)."""
    job = service.get_transcription(context, account_id=principal.account_id, job_id=job_id)
    body = service.result_body(job, accept=request.headers.get("accept", ""))
    if isinstance(body.content, dict):
        return JSONResponse(body.content)
    return Response(body.content, media_type=body.media_type)
