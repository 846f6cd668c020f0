"""The reframe pipeline surface, ``/api/v2`` (contract: reference/reframe-pipeline.txt)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import FileResponse
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from vidlens.api.context import AppContext
from vidlens.api.deps import ContextDep, PrincipalDep
from vidlens.api.reframe_schemas import (
    AnalyzeCreate,
    IngestCreate,
    ReframeCreate,
    StatusPublic,
    StepAccepted,
    TransformCreate,
    request_body,
)
from vidlens.api.uploads import declared_oversize
from vidlens.errors import Conflict, InvalidInput, PayloadTooLarge
from vidlens.media import service as media_service
from vidlens.media.fetch import UrlPolicy, check_url
from vidlens.media.upload import receive_multipart
from vidlens.reframe import llm, service
from vidlens.reframe.status import step_result, video_status
from vidlens.reframe.steps import PIPELINE, STEPS
from vidlens.storage.tables import ReframeVideo

router = APIRouter(prefix="/api/v2", tags=["reframe pipeline"])


def _accepted(video_id: str, step: str, job_id: str | None, state: str = "pending") -> StepAccepted:
    return StepAccepted(
        video_id=video_id,
        step=step,
        status=state,
        job_id=job_id,
        status_url=f"/api/v2/status/{video_id}",
    )


async def _json_or_form(
    request: Request, context: AppContext, account_id: str
) -> tuple[dict[str, Any], Any]:
    """The JSON body, or the multipart form's fields and its stored ``file``."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        limit = context.settings.media.max_upload_bytes
        declared = declared_oversize(request, limit)
        if declared is not None:
            raise PayloadTooLarge(
                f"The upload is {declared} bytes; the limit is {limit} bytes.",
                limit="max_bytes",
                maximum=limit,
                actual=declared,
            )
        try:
            form = await receive_multipart(
                request.stream(),
                content_type,
                store=context.store,
                account_id=account_id,
                max_file_bytes=limit,
                file_fields={"file"},
            )
        except ClientDisconnect as exc:
            raise InvalidInput("The upload was interrupted before it completed.") from exc
        received = form.files.get("file")
        if received is None:
            raise InvalidInput("The form has no 'file' part.")
        fields: dict[str, Any] = dict(form.fields)
        if "parameters" in fields:
            try:
                fields["parameters"] = json.loads(fields["parameters"])
            except ValueError:
                context.store.discard(received.key)
                raise InvalidInput("The 'parameters' field must be a JSON object.") from None
        return fields, received
    try:
        body = json.loads(await request.body() or b"null")
    except ValueError:
        raise InvalidInput(
            "The body must be JSON ({\"url\": ...}) or multipart/form-data with a 'file' part."
        ) from None
    if not isinstance(body, dict):
        raise InvalidInput("Missing or invalid request body.")
    return body, None


async def _store_upload(context: AppContext, account_id: str, received: Any) -> ReframeVideo:
    media = await run_in_threadpool(
        lambda: media_service.ingest_file(
            db=context.db,
            store=context.store,
            account_id=account_id,
            received=received,
            limits=service.media_limits(context.settings),
            ffprobe=context.settings.media.ffprobe,
            probe_timeout=context.settings.media.probe_timeout_seconds,
        )
    )
    return await run_in_threadpool(
        lambda: service.record_upload(db=context.db, account_id=account_id, media=media)
    )


def _validated(model: type[BaseModel], body: dict[str, Any]) -> Any:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise InvalidInput(
            "Missing or invalid request body.",
            errors=[
                {"loc": [str(p) for p in e["loc"]], "msg": e["msg"], "type": e["type"]}
                for e in exc.errors()
            ],
        ) from None


async def _check_url(context: AppContext, url: str) -> None:
    policy = UrlPolicy.from_setting(context.settings.url_allowlist)
    await run_in_threadpool(check_url, url, policy)


@router.post(
    "/ingest",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=StepAccepted,
    openapi_extra=request_body(IngestCreate, {"url": "https://example.com/video.mp4"}),
    responses={
        413: {"description": "Upload too large."},
        415: {"description": "Not a readable video."},
        422: {"description": "URL refused (SSRF rules) or invalid body."},
    },
)
async def ingest(request: Request, principal: PrincipalDep, context: ContextDep) -> StepAccepted:
    """Download a video from ``url`` (async job: poll ``/status``) and return its
    ``video_id``. Private, loopback and link-local addresses are refused at once (and at
    every redirect). Extension: a multipart upload (part ``file``) is stored and probed
    during the request, and the video is ingested when the answer arrives."""
    fields, received = await _json_or_form(request, context, principal.account_id)
    if received is not None:
        video = await _store_upload(context, principal.account_id, received)
        return _accepted(video.id, "ingest", None, "completed")
    body: IngestCreate = _validated(IngestCreate, fields)
    await _check_url(context, body.url)
    video, job = await run_in_threadpool(
        lambda: service.start_ingest(
            db=context.db, queue=context.queue, account_id=principal.account_id, url=body.url
        )
    )
    return _accepted(video.id, "ingest", job.id)


def _check_tracking_model(parameters: dict[str, Any]) -> None:
    model = parameters.get("face_tracking_model")
    if model is not None and model != "face_tracking_yolov8":
        raise InvalidInput(
            f"Unknown face_tracking_model {model!r}; the only one is 'face_tracking_yolov8'.",
            field="parameters.face_tracking_model",
        )


@router.post(
    "/analyze",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=StepAccepted,
    responses={
        404: {"description": "Unknown video."},
        409: {"description": "A prerequisite step has not completed (named in the body)."},
    },
)
def analyze(body: AnalyzeCreate, principal: PrincipalDep, context: ContextDep) -> StepAccepted:
    """Run one analysis model on an ingested video, as an async job. Steps run in order:
    ``scene_detection`` → ``face_tracking_yolov8`` → ``active_speaker``; ``transcription``
    and ``diarization`` need only the ingested video (run ``diarization`` before
    ``active_speaker`` to use speaker turns). A missing prerequisite answers 409 naming it."""
    _check_tracking_model(body.parameters)
    job = service.submit_step(
        db=context.db,
        queue=context.queue,
        account_id=principal.account_id,
        video_id=body.video_id,
        step=body.model_type,
        parameters=body.parameters,
    )
    return _accepted(body.video_id, body.model_type, job.id)


@router.post(
    "/transform",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=StepAccepted,
    responses={
        404: {"description": "Unknown video."},
        409: {"description": "active_speaker has not completed."},
        503: {"description": "reframe_llm without a configured chat endpoint."},
    },
)
def transform(body: TransformCreate, principal: PrincipalDep, context: ContextDep) -> StepAccepted:
    """Render a transform as an async job: ``reframe`` (a smooth per-scene virtual camera on
    the active speaker, blur-padded or centred without a face, H.264/AAC, the crop path in
    the result) or ``reframe_llm`` (whom to follow decided by a chat model from
    ``parameters.instruction``; needs ``VIDLENS_REFRAME__LLM_URL``)."""
    _check_tracking_model(body.parameters)
    from vidlens.engines.reframe.aspect import parse_aspect

    parse_aspect(
        str(body.parameters.get("aspect_ratio") or context.settings.reframe.camera.aspect_ratio)
    )
    if body.parameters.get("mode") not in (None, "auto", "center", "blur_pad"):
        raise InvalidInput("mode must be auto, center or blur_pad.", field="parameters.mode")
    height = body.parameters.get("output_height")
    if height is not None and (not isinstance(height, int) or not 64 <= height <= 4320):
        raise InvalidInput(
            "output_height must be a whole number of pixels, 64-4320.",
            field="parameters.output_height",
        )
    if body.transform_type == "reframe_llm":
        llm.require_llm(context.settings.reframe)
        if not str(body.parameters.get("instruction") or "").strip():
            raise InvalidInput(
                "reframe_llm needs parameters.instruction (whom to follow).",
                field="parameters.instruction",
            )
    job = service.submit_step(
        db=context.db,
        queue=context.queue,
        account_id=principal.account_id,
        video_id=body.video_id,
        step=body.transform_type,
        parameters=body.parameters,
    )
    return _accepted(body.video_id, body.transform_type, job.id)


@router.get(
    "/status/{video_id}",
    response_model=StatusPublic,
    responses={404: {"description": "Unknown video."}},
)
def get_status(video_id: str, principal: PrincipalDep, context: ContextDep) -> StatusPublic:
    """The most recent step of a video: its state, progress and (once completed) result,
    with the state of every step and the downloads ready."""
    return StatusPublic(
        **video_status(db=context.db, account_id=principal.account_id, video_id=video_id)
    )


@router.get(
    "/results/{video_id}/{step}",
    response_model=dict[str, Any],
    responses={
        200: {
            "content": {"application/json": {"example": {"model": "scene_detection", "scenes": []}}}
        },
        404: {"description": "Unknown video or step."},
        409: {"description": "Not completed yet."},
    },
)
def get_result(
    video_id: str, step: str, principal: PrincipalDep, context: ContextDep
) -> dict[str, Any]:
    """Extension: the stored result of any completed step (also kept as JSON on the
    volume)."""
    if step not in STEPS:
        raise InvalidInput(f"Unknown step {step!r}; steps: {', '.join(STEPS)}.", field="step")
    result = step_result(
        db=context.db, account_id=principal.account_id, video_id=video_id, step=step
    )
    if result is None:
        raise Conflict(f"{step} has not completed for this video.", step=step, missing_step=step)
    return result


@router.get(
    "/download/{video_id}",
    response_class=FileResponse,
    responses={
        200: {"description": "The rendered MP4."},
        402: {"description": "Not enough credits."},
        404: {"description": "Unknown video."},
        409: {"description": "The transform has not completed."},
    },
)
def download(
    video_id: str,
    principal: PrincipalDep,
    context: ContextDep,
    suffix: str = Query(default="_reframe", description="_reframe or _reframe_llm"),
) -> FileResponse:
    """Download a transform's output. Credits are charged here, once per video: 1 per second
    of source video, rounded down (402 ``insufficient_credits`` when short)."""
    path, name = service.download_path(
        db=context.db,
        settings=context.settings,
        account_id=principal.account_id,
        video_id=video_id,
        suffix=suffix,
    )
    return FileResponse(path, media_type="video/mp4", filename=name)


@router.post(
    "/reframe",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=StepAccepted,
    openapi_extra=request_body(
        ReframeCreate,
        {"url": "https://example.com/video.mp4", "parameters": {"aspect_ratio": "9:16"}},
    ),
    responses={422: {"description": "URL refused or invalid parameters."}},
)
async def reframe(request: Request, principal: PrincipalDep, context: ContextDep) -> StepAccepted:
    """One call for the whole pipeline: ingest, scene detection, face tracking,
    diarization, active speaker, transcription and the ``reframe`` transform, as one async
    job. Poll ``/status/{video_id}``, then ``GET /download/{video_id}?suffix=_reframe``.
    Extension: a multipart upload (part ``file``, optional ``parameters`` JSON) instead of
    ``url``."""
    fields, received = await _json_or_form(request, context, principal.account_id)
    parameters = fields.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise InvalidInput("parameters must be a JSON object.", field="parameters")
    from vidlens.engines.reframe.aspect import parse_aspect

    parse_aspect(
        str(parameters.get("aspect_ratio") or context.settings.reframe.camera.aspect_ratio)
    )
    chain = tuple(
        s for s in PIPELINE if s != "transcription" or context.settings.reframe.pipeline_transcribe
    )
    if received is not None:
        video = await _store_upload(context, principal.account_id, received)
        job = await run_in_threadpool(
            lambda: _pipeline_job(context, principal.account_id, video.id, parameters, chain)
        )
        return _accepted(video.id, "ingest", job, "completed")
    body: ReframeCreate = _validated(ReframeCreate, fields)
    await _check_url(context, body.url)
    video, started = await run_in_threadpool(
        lambda: service.start_ingest(
            db=context.db,
            queue=context.queue,
            account_id=principal.account_id,
            url=body.url,
            kind=service.PIPELINE_KIND,
            parameters=body.parameters,
            steps=("ingest", *chain),
        )
    )
    return _accepted(video.id, "ingest", started.id)


def _pipeline_job(
    context: AppContext,
    account_id: str,
    video_id: str,
    parameters: dict[str, Any],
    chain: tuple[str, ...],
) -> str:
    with context.db.session() as session:
        for step in chain:
            service.prepare_step(
                session=session,
                video_id=video_id,
                step=step,
                parameters=parameters if step == "reframe" else {},
            )
    job = context.queue.submit(
        account_id=account_id,
        kind=service.PIPELINE_KIND,
        params={"video_id": video_id, "parameters": parameters},
    )
    service._attach(context.db, video_id, list(chain), job.id)
    return job.id
