"""The ``/analysis`` use cases behind the routes: create (check, store, charge, submit) and read.

Create, in order: the file's extension must be .mp4, .mov or .avi (else ``invalid_file_type``,
before anything is probed); the form's parameters are validated (``invalid_parameter``); the
pose engine must be installed (503); the upload is probed from its bytes and checked against
the surface's limits: 30 MB (``file_too_large``), 10 s (``video_too_long``), an MP4/MOV/AVI
container whatever the name says (``invalid_file_type``), a readable video stream
(``invalid_file``); then ``max(1, floor(seconds x credits_per_second))`` credits are charged
(``insufficient_credits`` 402) and the ``gait.analysis`` job is queued carrying the charge, so
that a failed analysis is refunded. Any refusal deletes the stored upload.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from vidlens.accounts import credits
from vidlens.api.context import AppContext
from vidlens.engines.pose import MediaPipePoseEngine
from vidlens.errors import (
    EngineUnavailable,
    MediaRejected,
    NotFound,
    PayloadTooLarge,
    UnsupportedMedia,
)
from vidlens.gait.errors import (
    AnalysisNotFound,
    FileTooLarge,
    InvalidFileType,
    InvalidVideo,
    VideoTooLong,
)
from vidlens.gait.jobs import KIND
from vidlens.gait.options import GaitOptions, from_form
from vidlens.media import service as media_service
from vidlens.media.limits import MediaLimits
from vidlens.media.received import ReceivedFile
from vidlens.storage.tables import CreditEntry, Job, Media

EXTENSIONS = (".mp4", ".mov", ".avi")
"""File name extensions the contract accepts."""
CONTAINERS = frozenset({"mp4", "mov", "3gp", "avi"})
"""Probed containers accepted (3GP is the MP4 family some phones write)."""


@dataclass(frozen=True)
class Upload:
    """A received multipart form: its text fields and the stored video (None: no file)."""

    fields: dict[str, str]
    video: ReceivedFile | None


def check_extension(filename: str) -> None:
    """Raises: InvalidFileType unless ``filename`` ends in .mp4, .mov or .avi."""
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix not in EXTENSIONS:
        shown = suffix or "no extension"
        raise InvalidFileType(
            f"Unsupported file type ({shown}); upload an MP4, MOV or AVI video.",
            accepted=list(EXTENSIONS),
        )


def check_engine(context: AppContext) -> None:
    """Raises: EngineUnavailable when mediapipe or the pose model is missing."""
    availability = MediaPipePoseEngine(context.settings.engines.pose).availability()
    if not availability.available:
        raise EngineUnavailable(
            f"Gait analysis is unavailable: {availability.reason}.", hint=availability.hint
        )


def limits(context: AppContext) -> MediaLimits:
    gait = context.settings.gait
    longest = gait.max_duration_seconds + gait.duration_tolerance_seconds
    return MediaLimits(
        max_bytes=gait.max_upload_bytes,
        max_duration_seconds=min(context.settings.media.max_duration_seconds, longest),
        allowed_containers=CONTAINERS,
        require_video=True,
    )


def ingest(context: AppContext, account_id: str, received: ReceivedFile) -> Media:
    """Probe and record the upload with the surface's limits, in the contract's terms.

    Raises:
        FileTooLarge, VideoTooLong, InvalidFileType, InvalidVideo.
    """
    gait = context.settings.gait
    try:
        return media_service.ingest_file(
            db=context.db,
            store=context.store,
            account_id=account_id,
            received=received,
            limits=limits(context),
            ffprobe=context.settings.media.ffprobe,
            probe_timeout=context.settings.media.probe_timeout_seconds,
        )
    except PayloadTooLarge as exc:
        raise FileTooLarge(
            f"The video is {received.size} bytes; the limit is {gait.max_upload_bytes} bytes "
            f"({gait.max_upload_bytes / 1e6:g} MB).",
            maximum=gait.max_upload_bytes,
            actual=received.size,
        ) from exc
    except MediaRejected as exc:
        raise _rejected(exc, gait.max_duration_seconds) from exc
    except UnsupportedMedia as exc:
        raise InvalidVideo(f"The file is not a readable video: {exc.message}") from exc


def _rejected(exc: MediaRejected, longest: float) -> Exception:
    limit = exc.fields.get("limit")
    if limit == "max_duration_seconds":
        actual = float(exc.fields.get("actual", 0.0))
        return VideoTooLong(
            f"The video lasts {actual:.2f} s; the limit is {longest:g} s.",
            maximum=longest,
            actual=round(actual, 3),
        )
    if limit == "allowed_containers":
        return InvalidFileType(
            f"The file is a {exc.fields.get('actual')} video; upload MP4, MOV or AVI.",
            accepted=list(EXTENSIONS),
        )
    return InvalidVideo(exc.message)


def price(context: AppContext, duration_seconds: float) -> int:
    """Credits for a video: seconds x credits_per_second, rounded down, at least 1."""
    rate = context.settings.gait.credits_per_second
    return max(1, math.floor(duration_seconds * rate + 1e-9))


def job_params(media: Media, options: GaitOptions, filename: str) -> dict[str, Any]:
    return {
        "media_id": media.id,
        "filename": filename,
        "options": {
            "analysis_type": options.analysis_type,
            "height_cm": options.height_cm,
            "weight_kg": options.weight_kg,
            "pace": options.pace,
            "language": options.language,
            "treadmill": options.treadmill,
            "full_body": options.full_body,
        },
    }


def create_analysis(context: AppContext, *, account_id: str, upload: Upload) -> Job:
    """Check, store, charge and queue one analysis (blocking: probes the file).

    Raises:
        InvalidParameter, InvalidFileType, FileTooLarge, VideoTooLong, InvalidVideo,
        InsufficientCredits, EngineUnavailable; the stored upload is deleted on any of them.
    """
    received = upload.video
    try:
        if received is None:
            raise InvalidVideo("The form has no 'video' file part.", field="video")
        check_extension(received.filename)
        options = from_form(upload.fields)
        check_engine(context)
    except BaseException:
        if received is not None:
            context.store.discard(received.key)
        raise
    media = ingest(context, account_id, received)
    try:
        return _charge_and_submit(context, account_id, media, options, received.filename)
    except BaseException:
        media_service.delete_media(
            db=context.db, store=context.store, account_id=account_id, media_id=media.id
        )
        raise


def _charge_and_submit(
    context: AppContext, account_id: str, media: Media, options: GaitOptions, filename: str
) -> Job:
    cost = price(context, media.duration_seconds or 0.0)
    with context.db.session() as session:
        entry = credits.charge(
            session=session, account_id=account_id, amount=cost, reason="gait analysis"
        )
        charge_id = entry.id
    try:
        job = context.queue.submit(
            account_id=account_id,
            kind=KIND,
            params=job_params(media, options, filename),
            media_id=media.id,
            charge_id=charge_id,
        )
    except BaseException:
        with context.db.session() as session:
            credits.refund(session=session, charge_id=charge_id, reason="gait analysis not queued")
        raise
    with context.db.session() as session:
        row = session.get(CreditEntry, charge_id)
        if row is not None:
            row.job_id = job.id
    return job


def get_analysis(context: AppContext, *, account_id: str, analysis_id: str) -> Job:
    """One of the account's analyses.

    Raises:
        AnalysisNotFound: missing, another account's, or not an analysis (one answer for all).
    """
    try:
        job = context.queue.get(account_id=account_id, job_id=analysis_id)
    except NotFound:
        job = None
    if job is None or job.kind != KIND:
        raise AnalysisNotFound(f"Analysis {analysis_id!r} not found.") from None
    return job
