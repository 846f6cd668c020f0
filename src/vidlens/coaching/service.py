"""Coaching use cases behind the routes (blocking; the routes call them in a thread pool).

Both routes check, in this order: the form fields, the engines, the video (probed from its
bytes: the contract's containers, a video stream, the duration limit), the client's
``mediapipeSamples``, then charge 1 credit per second of video. Any refusal deletes what the
request stored. ``full-analysis`` keeps the video (for ``videoUrl``) and queues a job;
``analyze-video`` keeps nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vidlens.api.context import AppContext
from vidlens.coaching import intake, sessions
from vidlens.coaching.analysis import CoachingRequest
from vidlens.coaching.jobs import KIND
from vidlens.errors import NotFound
from vidlens.media import service as media_service
from vidlens.media.limits import check_limits
from vidlens.media.probe import probe_file
from vidlens.media.received import ReceivedFile
from vidlens.media.store import MediaStore
from vidlens.storage.tables import Job, Media


@dataclass(frozen=True, slots=True)
class StatelessUpload:
    """An accepted ``analyze-video`` request: the file, what to do with it, its charge."""

    path: Path
    request: CoachingRequest
    charge_id: str
    duration: float


def accept_stateless(
    context: AppContext,
    *,
    store: MediaStore,
    account_id: str,
    video: ReceivedFile,
    samples: ReceivedFile | None,
    form: intake.CoachingForm,
) -> StatelessUpload:
    """Check an ``analyze-video`` upload held in a temporary ``store`` and charge it.

    Raises:
        UnsupportedMedia, MediaRejected, PayloadTooLarge: the video is refused.
        InvalidFaceSamples: the ``mediapipeSamples`` are refused.
        EngineUnavailable: an engine is missing.
        InsufficientCredits: the balance does not cover the video.
    """
    settings = context.settings
    intake.check_engines(settings)
    path = store.local_path(video.key)
    info = probe_file(
        path, ffprobe=settings.media.ffprobe, timeout=settings.media.probe_timeout_seconds
    )
    limits = intake.media_limits(settings.media, settings.coaching, stateless=True)
    check_limits(info, video.size, limits)
    face_samples = (
        intake.read_face_samples(
            store.local_path(samples.key), settings.coaching.face, info.duration_seconds
        )
        if samples is not None
        else None
    )
    with context.db.session() as session:
        entry = intake.charge(
            session=session,
            account_id=account_id,
            duration_seconds=info.duration_seconds,
            reason="coaching analyze-video",
        )
        charge_id = entry.id
    request = CoachingRequest(form.context_phrase, form.transcript, face_samples)
    return StatelessUpload(path, request, charge_id, info.duration_seconds)


def refund(context: AppContext, charge_id: str, reason: str) -> None:
    """Give back a stateless analysis's charge (it failed)."""
    from vidlens.accounts import credits

    with context.db.session() as session:
        credits.refund(session=session, charge_id=charge_id, reason=reason)


def submit_full_analysis(
    context: AppContext,
    *,
    account_id: str,
    video: ReceivedFile,
    samples: ReceivedFile | None,
    form: intake.CoachingForm,
) -> tuple[Job, str]:
    """Store the video, check everything, charge and queue the analysis.

    Returns:
        The job and the session id (the client's or a new one).

    Raises:
        The errors of :func:`accept_stateless`.
    """
    settings = context.settings
    store = context.store
    try:
        intake.check_engines(settings)
        limits = intake.media_limits(settings.media, settings.coaching, stateless=False)
        media = media_service.ingest_file(
            db=context.db,
            store=store,
            account_id=account_id,
            received=video,
            limits=limits,
            ffprobe=settings.media.ffprobe,
            probe_timeout=settings.media.probe_timeout_seconds,
        )
    except BaseException:
        _discard(store, video, samples)
        raise
    try:
        return _queue(context, account_id, media, samples, form)
    except BaseException:
        _discard(store, None, samples)
        media_service.delete_media(
            db=context.db, store=store, account_id=account_id, media_id=media.id
        )
        raise


def _queue(
    context: AppContext,
    account_id: str,
    media: Media,
    samples: ReceivedFile | None,
    form: intake.CoachingForm,
) -> tuple[Job, str]:
    settings = context.settings
    if samples is not None:
        intake.read_face_samples(
            context.store.local_path(samples.key),
            settings.coaching.face,
            media.duration_seconds or 0.0,
        )
    session_id = form.session_id or intake.new_session_id()
    with context.db.session() as session:
        entry = intake.charge(
            session=session,
            account_id=account_id,
            duration_seconds=media.duration_seconds or 0.0,
            reason=f"coaching full-analysis {session_id}",
        )
        charge_id = entry.id
    try:
        job = context.queue.submit(
            account_id=account_id,
            kind=KIND,
            params={
                "media_id": media.id,
                "session_id": session_id,
                "transcript": form.transcript,
                "context_phrase": form.context_phrase,
                "samples_key": samples.key if samples is not None else None,
            },
            media_id=media.id,
            charge_id=charge_id,
        )
        with context.db.session() as session:
            sessions.bind_session(
                session=session, account_id=account_id, session_id=session_id, job_id=job.id
            )
    except BaseException:
        refund(context, charge_id, "coaching full-analysis not queued")
        raise
    return job, session_id


def _discard(store: MediaStore, video: ReceivedFile | None, samples: ReceivedFile | None) -> None:
    for received in (video, samples):
        if received is not None:
            store.discard(received.key)


def session_job(context: AppContext, *, account_id: str, session_id: str) -> Job:
    """The full-analysis job of one of the account's sessions.

    Raises:
        NotFound: unknown session, or another account's.
    """
    with context.db.read_session() as session:
        job = sessions.session_job(session=session, account_id=account_id, session_id=session_id)
        if job.kind != KIND:
            raise NotFound("Session not found.")
        session.expunge(job)
        return job


def media_of(context: AppContext, *, account_id: str, media_id: str | None) -> Media | None:
    """The session's stored video, if it still exists (it may have been deleted)."""
    if media_id is None:
        return None
    with context.db.read_session() as session:
        try:
            media = media_service.get_media(
                session=session, account_id=account_id, media_id=media_id
            )
        except NotFound:
            return None
        session.expunge(media)
        return media
