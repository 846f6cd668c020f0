"""Communication coaching (reference/softskills-getting-started.txt and
softskills-full-analysis.txt): ``POST /api/v1/analyze-video``, ``POST /api/v1/full-analysis``
and ``GET /api/v1/full-analysis/{sessionId}``. Errors under ``/api/v1/`` use the contract's
bodies (:func:`coaching_error_renderer`). See docs/coaching.md."""

from __future__ import annotations

import asyncio
import functools
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from vidlens.api.context import AppContext
from vidlens.api.deps import ContextDep, PrincipalDep
from vidlens.api.errors import ErrorInfo
from vidlens.api.routes import coaching_docs as docs
from vidlens.api.uploads import declared_oversize
from vidlens.coaching import intake, service, sessions
from vidlens.coaching.stateless import StatelessRunner
from vidlens.errors import InvalidInput, PayloadTooLarge, VidlensError
from vidlens.media.received import ReceivedFile
from vidlens.media.signing import signed_query
from vidlens.media.store import LocalMediaStore, MediaStore
from vidlens.media.upload import ReceivedForm, receive_multipart
from vidlens.storage.tables import Job

router = APIRouter(prefix="/api/v1", tags=["coaching"])

SERVICE_ERROR = (
    "Video analysis service error. Try a different format (e.g. MP4 or WebM) or shorter video."
)
"""The contract's 500 message."""
VIDEO_URL_TTL_SECONDS = 3600
POLL_SECONDS = 0.2
_ANALYSIS_FIELDS = ("video", "contextPhrase", "context_phrase", "transcript", "mediapipeSamples")
_FULL_FIELDS = ("video", "sessionId", *_ANALYSIS_FIELDS[1:])


def coaching_error_renderer(info: ErrorInfo) -> JSONResponse:
    """The contract's bodies: 401 and 500 exactly as written, 422 ``Missing or invalid
    request body.`` for a missing video (or a wrong field name); other refusals keep their
    status (415 becomes 422, the contract's code for an unusable request) with ``detail``
    and a ``code``."""
    if info.status == 401:
        return JSONResponse(
            {"detail": info.message}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )
    if info.status >= 500 and info.status != 503:
        return JSONResponse({"detail": SERVICE_ERROR}, status_code=500)
    if info.code == intake.MissingBody.code or info.validation is not None:
        return JSONResponse({"detail": intake.MISSING_BODY}, status_code=422)
    body: dict[str, Any] = {"detail": info.message, "code": info.code}
    if info.hint:
        body["hint"] = info.hint
    body.update({k: v for k, v in info.fields.items() if k not in body and k != "reason"})
    return JSONResponse(body, status_code=422 if info.status == 415 else info.status)


def _runner(context: AppContext) -> StatelessRunner:
    runner = context.extras.get("coaching")
    if not isinstance(runner, StatelessRunner):
        runner = StatelessRunner(context.settings)
        context.extras["coaching"] = runner
    return runner


async def _receive(
    request: Request, store: MediaStore, context: AppContext, account: str
) -> ReceivedForm:
    limit = context.settings.media.max_upload_bytes
    declared = declared_oversize(request, limit)
    if declared is not None:
        raise PayloadTooLarge(
            f"The upload is {declared} bytes; the limit is {limit} bytes.",
            limit="max_bytes",
            maximum=limit,
        )
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise intake.MissingBody("not a multipart/form-data body")
    try:
        form = await receive_multipart(
            request.stream(),
            content_type,
            store=store,
            account_id=account,
            max_file_bytes=limit,
            file_fields=set(intake.FILE_FIELDS),
        )
    except ClientDisconnect as exc:
        raise intake.MissingBody("the upload was interrupted") from exc
    except PayloadTooLarge:
        raise
    except InvalidInput as exc:
        raise intake.MissingBody(exc.message) from exc
    if intake.VIDEO_FIELD not in form.files:
        for received in form.files.values():
            store.discard(received.key)
        raise intake.MissingBody("no 'video' file part")
    return form


def _split(form: ReceivedForm, store: MediaStore) -> tuple[ReceivedFile, ReceivedFile | None]:
    """The video and the samples; anything else is refused (and discarded)."""
    if "file" in form.files:
        for received in form.files.values():
            store.discard(received.key)
        raise intake.MissingBody("the file was sent as 'file'; the field must be 'video'")
    return form.files[intake.VIDEO_FIELD], form.files.get(intake.SAMPLES_FIELD)


_UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": '`{"detail": "Invalid or expired API key."}`'},
    402: {"description": "Not enough credits (1 credit per second of video)."},
    413: {"description": "The upload is larger than the server's limit."},
    422: {
        "description": '`{"detail": "Missing or invalid request body."}` without a '
        "`video` part; a refused video or mediapipeSamples: `detail` and `code`."
    },
    500: {"description": f'`{{"detail": "{SERVICE_ERROR}"}}`'},
    503: {"description": "Speech-to-text or the face landmarker is not installed."},
}
"""The error answers both analysis routes share (the contract's bodies)."""


@router.post(
    "/analyze-video",
    openapi_extra=docs.form_body(_ANALYSIS_FIELDS),
    responses={
        200: {
            "description": "The video analysis (stateless: nothing is kept).",
            "content": {"application/json": {"example": docs.VIDEO_ANALYSIS_EXAMPLE}},
        },
        **_UPLOAD_ERRORS,
    },
)
async def analyze_video(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Analyse one recorded talk and return ``video_analysis`` directly.

    Stateless: the upload goes to a private folder under ``<data dir>/tmp``, is analysed off
    the event loop and deleted before the response is sent (also on errors); no media, job
    or result is stored. Optional extension fields: ``contextPhrase``/``context_phrase``,
    ``transcript``, ``mediapipeSamples``. Charges 1 credit per second of video (refunded if
    it fails).
    """
    scratch = context.settings.data_dir / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="coach-", dir=scratch))
    try:
        store = LocalMediaStore(folder)
        form = await _receive(request, store, context, principal.account_id)
        video, samples = _split(form, store)
        fields = intake.parse_form(dict(form.fields))
        upload = await run_in_threadpool(
            lambda: service.accept_stateless(
                context,
                store=store,
                account_id=principal.account_id,
                video=video,
                samples=samples,
                form=fields,
            )
        )
        try:
            result = await _runner(context).analyze(upload.path, upload.request)
        except BaseException:
            await run_in_threadpool(service.refund, context, upload.charge_id, "analysis failed")
            raise
    finally:
        await run_in_threadpool(shutil.rmtree, folder, True)
    return JSONResponse(result)


def _base(context: AppContext, request: Request) -> str:
    return (context.settings.public_url or str(request.base_url)).rstrip("/")


def _video_url(context: AppContext, request: Request, job: Job) -> str | None:
    media = service.media_of(context, account_id=job.account_id, media_id=job.media_id)
    if media is None:
        return None
    query = signed_query(
        key_or_media_id=media.id, ttl_seconds=VIDEO_URL_TTL_SECONDS, secret=context.signing_key
    )
    return (
        f"{_base(context, request)}/media/download/{media.id}?expires={query['expires']}"
        f"&signature={query['signature']}"
    )


def _result(context: AppContext, request: Request, job: Job) -> dict[str, Any]:
    result = dict(job.result or {})
    result["videoUrl"] = _video_url(context, request, job)
    return result


class AnalysisRejected(VidlensError):
    status = 422
    code = "ANALYSIS_REJECTED"


class AnalysisUnavailable(VidlensError):
    status = 503
    code = "ENGINE_UNAVAILABLE"


class AnalysisFailed(VidlensError):
    status = 500
    code = "ANALYSIS_FAILED"


def _failure(job: Job) -> VidlensError:
    """The error a synchronous caller gets for a job that failed inside the window."""
    code, reason = job.error_code or "FAILED", job.error_message or "The analysis failed."
    if code in ("ENGINE_UNAVAILABLE", "MODEL_MISSING", "MODEL_INTEGRITY"):
        return AnalysisUnavailable(reason, code=code)
    if code in (
        "HANDLER_ERROR",
        "WORKER_CRASHED",
        "WORKER_ERROR",
        "WORKER_LOST",
        "JOB_TIMEOUT",
        "INVALID_RESULT",
        "FAILED",
        "CANCELLED",
    ):
        return AnalysisFailed(reason, code=code)
    return AnalysisRejected(reason, code=code)


async def _wait(context: AppContext, job: Job, seconds: float) -> Job:
    deadline = time.monotonic() + seconds
    while job.status not in ("completed", "failed", "cancelled") and time.monotonic() < deadline:
        await asyncio.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
        job = await run_in_threadpool(
            functools.partial(context.queue.get, account_id=job.account_id, job_id=job.id)
        )
    return job


@router.post(
    "/full-analysis",
    openapi_extra=docs.form_body(_FULL_FIELDS),
    responses={
        200: {
            "description": "Done within the synchronous window: the whole result.",
            "content": {"application/json": {"example": docs.FULL_ANALYSIS_EXAMPLE}},
        },
        202: {
            "description": "Still running: poll `pollingUrl`.",
            "content": {"application/json": {"example": docs.ACCEPTED_EXAMPLE}},
        },
        **_UPLOAD_ERRORS,
    },
)
async def full_analysis(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Analyse a talk (speech and face in parallel) as a persistent session.

    200 with the result when it finishes within ``VIDLENS_COACHING__SYNC_WINDOW_SECONDS``,
    else 202 ``{sessionId, pollingUrl}``: poll ``GET /api/v1/full-analysis/{sessionId}``.
    The video is kept (``videoUrl``, a signed link valid 1 h); a reused ``sessionId`` points
    at the newest analysis. Charges 1 credit per second of video (refunded if it fails).
    """
    form = await _receive(request, context.store, context, principal.account_id)
    video, samples = _split(form, context.store)
    try:
        fields = intake.parse_form(dict(form.fields))
    except VidlensError:
        for received in form.files.values():
            context.store.discard(received.key)
        raise
    job, session_id = await run_in_threadpool(
        lambda: service.submit_full_analysis(
            context, account_id=principal.account_id, video=video, samples=samples, form=fields
        )
    )
    job = await _wait(context, job, context.settings.coaching.sync_window_seconds)
    if job.status == "completed":
        return JSONResponse(await run_in_threadpool(_result, context, request, job))
    if job.status in ("failed", "cancelled"):
        raise _failure(job)
    polling = f"{_base(context, request)}/api/v1/full-analysis/{session_id}"
    return JSONResponse(
        {"sessionId": session_id, "pollingUrl": polling, "status": "processing"},
        status_code=status.HTTP_202_ACCEPTED,
    )


@router.get(
    "/full-analysis/{sessionId}",
    responses={
        200: {
            "description": "`processing` with progress, `complete` with the result, or `failed` "
            "with a reason.",
            "content": {"application/json": {"examples": docs.POLL_EXAMPLES}},
        },
        404: {"description": "No such session for this account."},
    },
)
async def get_full_analysis(
    sessionId: str,
    request: Request,
    principal: PrincipalDep,
    context: ContextDep,
) -> JSONResponse:
    """Poll a full analysis. Another account's ``sessionId`` answers 404 exactly like an
    unknown one. ``result`` holds the same body as the synchronous 200, plus
    ``biometric_analysis`` (the contract's polling name for ``engine_analysis``)."""
    job = await run_in_threadpool(
        lambda: service.session_job(context, account_id=principal.account_id, session_id=sessionId)
    )
    state = sessions.contract_status(job)
    body: dict[str, Any] = {"sessionId": sessionId, "status": state}
    if state == "processing":
        body["progress"] = sessions.progress_body(job)
    elif state == "complete":
        result = await run_in_threadpool(_result, context, request, job)
        result["biometric_analysis"] = result.get("engine_analysis")
        body["result"] = result
    else:
        body.update(sessions.failure_body(job))
    return JSONResponse(body)
