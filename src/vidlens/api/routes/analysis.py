"""Running-gait analysis (reference/gait-analysis.txt): ``POST /analysis`` (multipart) and the
three result levels, plus signed downloads of the annotated video and thumbnail. Errors under
``/analysis`` use the contract's codes (:mod:`vidlens.api.analysis_errors`). See docs/gait.md."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from vidlens.api.context import AppContext
from vidlens.api.deps import ContextDep, PrincipalDep
from vidlens.api.uploads import declared_oversize
from vidlens.errors import Forbidden, InvalidInput, NotFound, PayloadTooLarge
from vidlens.gait import resource, service
from vidlens.gait.errors import FileTooLarge
from vidlens.media.upload import receive_multipart

router = APIRouter(prefix="/analysis", tags=["gait analysis"])

_FIELDS = {
    "analysis_type": "side_view or back_view (default side_view).",
    "height": "Runner height in centimetres (default 170; 0.5-2.5 is read as metres).",
    "weight": "Runner weight in kilograms (default 70).",
    "pace": "Pace MM:SS per km; required when treadmill=true.",
    "language": "Result language: en, fr, de, zh, ko, pt, es, it, ja (default en).",
    "treadmill": "true when the runner is on a treadmill (default false).",
    "full_body": "Back view only: false gives pronation only (default true).",
}
_CREATE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["video"],
                    "properties": {
                        "video": {
                            "type": "string",
                            "format": "binary",
                            "description": "MP4, MOV or AVI, at most 30 MB and 10 s.",
                        },
                        **{
                            name: {"type": "string", "description": text}
                            for name, text in _FIELDS.items()
                        },
                    },
                },
                "example": {
                    "video": "(binary) runner_side.mp4",
                    "analysis_type": "side_view",
                    "height": "175",
                    "weight": "68",
                    "language": "en",
                    "treadmill": "false",
                },
            }
        },
    }
}
_STARTED = {
    "message": "Analysis started for ID: 3dde3402-94d7-462e-a784-9306207108dd",
    "video_id": "3dde3402-94d7-462e-a784-9306207108dd",
    "analysis_id": "3dde3402-94d7-462e-a784-9306207108dd",
    "status": "pending",
}
_ANALYZING = {
    "video_id": "3dde3402-…",
    "status": "analyzing",
    "percentage": 45,
    "phase": "detecting pose",
}
_SUCCESS = {
    "video_id": "3dde3402-94d7-462e-a784-9306207108dd",
    "analysis_id": "3dde3402-94d7-462e-a784-9306207108dd",
    "status": "success",
    "percentage": 100,
    "thumbnail": "https://vidlens.example/analysis/3dde3402-…/files/thumbnail.jpg?expires=…",
    "output_video": "https://vidlens.example/analysis/3dde3402-…/files/output_video.mp4?expires=…",
    "urls_expire_at": "2026-12-01T19:00:00Z",
    "biomechanical_analysis": {
        "analysis_type": "side_view",
        "gait_type": "running",
        "summary": "Running at 172 steps per minute.",
        "total_score": 0.71,
        "metrics": {"step_frequency_steps_per_min": 172.4, "ground_contact_time_ms": 268},
    },
}
_CALCULATED = {
    "video_id": "3dde3402-94d7-462e-a784-9306207108dd",
    "analysis_type": "side_view",
    "metrics": {
        "speed_meter_per_second": 3.12,
        "step_length_meter": 1.09,
        "pace_min_per_km": 5.342,
        "step_frequency_steps_per_min": 172.4,
        "ground_contact_time_ms": 268,
        "time_of_flight_ms": 84,
    },
    "overstride": {"mean_angle": 6.1, "score": "score_good", "score_number": 0.89},
    "total_score": 0.71,
}
_RAW = {
    "video_input_information": {"resolution": "1280x720", "fps": 30.0, "duration": 9.5},
    "frames": {
        "0": {
            "time": 0.0,
            "detected": True,
            "landmarks": {
                "nose": {"x": 612.4, "y": 201.8, "z": -310.2, "visibility": 0.998,
                         "world": [0.021, -0.612, -0.283]},
            },
        }
    },
}  # fmt: skip


def _links(context: AppContext, request: Request) -> resource.Links:
    base = (context.settings.public_url or str(request.base_url)).rstrip("/")
    ttl = context.settings.media.signed_url_ttl_seconds
    return resource.Links(base=base, secret=context.signing_key, ttl_seconds=ttl)


async def _receive(request: Request, context: AppContext, account_id: str) -> service.Upload:
    limit = context.settings.gait.max_upload_bytes
    declared = declared_oversize(request, limit)
    if declared is not None:
        raise FileTooLarge(
            f"The upload is {declared} bytes; the limit is {limit} bytes ({limit / 1e6:g} MB).",
            maximum=limit,
            actual=declared,
        )
    try:
        form = await receive_multipart(
            request.stream(),
            request.headers.get("content-type", ""),
            store=context.store,
            account_id=account_id,
            max_file_bytes=limit,
            file_fields={"video"},
        )
    except PayloadTooLarge as exc:
        if exc.fields.get("limit") == "max_field_bytes":
            raise
        raise FileTooLarge(
            f"The video is larger than the {limit}-byte ({limit / 1e6:g} MB) limit.", maximum=limit
        ) from exc
    except ClientDisconnect as exc:
        raise InvalidInput("The upload was interrupted before it completed.") from exc
    return service.Upload(fields=dict(form.fields), video=form.files.get("video"))


async def _create(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    upload = await _receive(request, context, principal.account_id)
    job = await run_in_threadpool(
        lambda: service.create_analysis(context, account_id=principal.account_id, upload=upload)
    )
    body = {
        "message": f"Analysis started for ID: {job.id}",
        "video_id": job.id,
        "analysis_id": job.id,
        "status": "pending",
    }
    return JSONResponse(body, status_code=status.HTTP_202_ACCEPTED)


_CREATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    202: {"description": "Queued.", "content": {"application/json": {"example": _STARTED}}},
    400: {
        "description": "invalid_file_type (not MP4/MOV/AVI), video_too_long (over 10 s), "
        "invalid_file (unreadable), invalid_parameter."
    },
    402: {"description": "insufficient_credits: the account cannot pay for the video."},
    413: {"description": "file_too_large: over 30 MB."},
    503: {"description": "The pose engine is not installed."},
}


@router.post("", status_code=202, openapi_extra=_CREATE_BODY, responses=_CREATE_RESPONSES)
async def create_analysis(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Upload a video (multipart part ``video``) and start an analysis. Credits are charged
    now (1 a second of video, at least 1) and refunded if the analysis fails. Poll
    ``GET /analysis/{id}/results`` every 3-5 s."""
    return await _create(request, principal, context)


@router.post("/start", status_code=202, openapi_extra=_CREATE_BODY, responses=_CREATE_RESPONSES)
async def start_analysis(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """The same as ``POST /analysis``, under the path some client libraries use."""
    return await _create(request, principal, context)


@router.get(
    "/{analysis_id}/results",
    responses={
        200: {
            "description": "pending (percentage 0) or success (signed URLs and the analysis).",
            "content": {"application/json": {"example": _SUCCESS}},
        },
        202: {
            "description": "analyzing: percentage and phase.",
            "content": {"application/json": {"example": _ANALYZING}},
        },
        400: {"description": "failed: the reason (credits refunded)."},
        404: {"description": "No such analysis for this account."},
    },
)
async def get_results(
    analysis_id: str, request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Status and, once ``success``, signed thumbnail and annotated-video URLs (valid for
    ``VIDLENS_MEDIA__SIGNED_URL_TTL_SECONDS``) and ``biomechanical_analysis``. HTTP status
    follows the contract: pending 200, analyzing 202, success 200, failed 400."""
    job = await run_in_threadpool(
        lambda: service.get_analysis(
            context, account_id=principal.account_id, analysis_id=analysis_id
        )
    )
    body = resource.results_body(job, _links(context, request))
    return JSONResponse(body, status_code=resource.HTTP_STATUS[body["status"]])


@router.get(
    "/{analysis_id}/results/calculated_data",
    responses={
        200: {
            "description": "Side view: metrics, overstride, foot_landing, joint_angles, "
            "running_styles, total_score; back view: gait_cycle (and metrics, total_score).",
            "content": {"application/json": {"example": _CALCULATED}},
        },
        400: {"description": "analysis_not_completed: before success."},
        404: {"description": "No such analysis for this account."},
    },
)
async def get_calculated_data(
    analysis_id: str, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """The numerical results without media URLs (400 ``analysis_not_completed`` before
    success)."""
    job = await run_in_threadpool(
        lambda: service.get_analysis(
            context, account_id=principal.account_id, analysis_id=analysis_id
        )
    )
    return JSONResponse(resource.calculated_body(job))


@router.get(
    "/{analysis_id}/results/raw_data",
    response_class=FileResponse,
    responses={
        200: {
            "description": "video_input_information and frames keyed by frame number.",
            "content": {"application/json": {"example": _RAW}},
        },
        400: {"description": "analysis_not_completed: before success."},
        404: {"description": "No such analysis for this account."},
    },
)
async def get_raw_data(
    analysis_id: str, principal: PrincipalDep, context: ContextDep
) -> FileResponse:
    """Every landmark on every frame (pixels, relative depth, visibility, world metres), with
    the video's resolution, fps and duration (400 ``analysis_not_completed`` before
    success)."""
    job = await run_in_threadpool(
        lambda: service.get_analysis(
            context, account_id=principal.account_id, analysis_id=analysis_id
        )
    )
    resource.require_success(job)
    return _file(context, job, "raw_data.json", "application/json", None)


@router.get(
    "/{analysis_id}/files/{name}",
    response_class=FileResponse,
    responses={
        200: {"description": "The annotated H.264 MP4 or the JPEG thumbnail (Range supported)."},
        403: {"description": "Missing, invalid or expired signature."},
        404: {"description": "No such file."},
    },
)
async def download_file(
    analysis_id: str,
    name: str,
    context: ContextDep,
    expires: int | None = Query(default=None, description="Expiry, Unix seconds."),
    signature: str | None = Query(default=None, max_length=100, description="Signature."),
) -> FileResponse:
    """A result file through the signed URL given by ``/results``; no credentials needed."""
    if (
        name not in resource.MEDIA_TYPES
        or expires is None
        or signature is None
        or not resource.file_signature_ok(
            analysis_id, name, expires, signature, context.signing_key
        )
    ):
        raise Forbidden("The link is invalid or has expired.")
    job = await run_in_threadpool(lambda: _job_for_download(context, analysis_id))
    return _file(context, job, name, resource.MEDIA_TYPES[name], name)


def _job_for_download(context: AppContext, analysis_id: str) -> Any:
    from vidlens.storage.tables import Job

    with context.db.read_session() as session:
        job = session.get(Job, analysis_id)
        if job is None:
            raise NotFound("No such file.")
        session.expunge(job)
        return job


def _file(
    context: AppContext, job: Any, name: str, media_type: str, filename: str | None
) -> FileResponse:
    key = resource.stored_file(job, name)
    if key is None:
        raise NotFound("No such file.")
    return FileResponse(
        context.store.local_path(key),
        media_type=media_type,
        filename=filename,
        content_disposition_type="inline",
    )
