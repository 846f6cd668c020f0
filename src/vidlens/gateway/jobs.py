"""The ``gateway.transcription`` job: download the URL input (if any), transcribe with the
local faster-whisper engine, store the result in the requested format.

Runs in a worker (a child process by default). The engine, and through it the loaded model,
is built once per process by :data:`ENGINES` and reused by every job of that process.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from vidlens.engines.base import Engine
from vidlens.engines.speech.diarization import SpeakerDiarizer
from vidlens.engines.speech.diarization_settings import DiarizationSettings
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
from vidlens.engines.speech.formats import to_json, to_srt, to_vtt
from vidlens.engines.speech.pipeline import transcribe_with_speakers
from vidlens.engines.speech.settings import WhisperSettings
from vidlens.engines.speech.types import TranscribeOptions, Transcript
from vidlens.errors import NotFound, UnsupportedMedia, VidlensError
from vidlens.gateway.resource import KIND, TranscriptionEvents
from vidlens.gateway.schemas import engine_language
from vidlens.jobs.context import JobContext
from vidlens.jobs.handlers import job_handler
from vidlens.media import service as media_service
from vidlens.media.fetch import UrlPolicy, fetch_url
from vidlens.media.store import LocalMediaStore
from vidlens.storage.tables import Media

DOWNLOAD_SHARE = 5.0
"""Percent of the progress bar given to downloading and probing a URL input."""

S = TypeVar("S")
E = TypeVar("E", bound=Engine)


class AudioUnreadableInput(VidlensError):
    """The input holds no audio the server can decode (the contract's ``AUDIO_UNREADABLE``)."""

    status = 422
    code = "AUDIO_UNREADABLE"


class EngineCache(Generic[S, E]):
    """One engine per process, rebuilt only if its settings change."""

    def __init__(self, factory: Callable[[S], E]) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._engine: E | None = None
        self._settings: S | None = None

    def get(self, settings: S) -> E:
        with self._lock:
            if self._engine is None or self._settings != settings:
                if self._engine is not None:
                    self._engine.close()
                self._engine = self._factory(settings)
                self._settings = settings
            return self._engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
            self._engine, self._settings = None, None


ENGINES: EngineCache[WhisperSettings, FasterWhisperEngine] = EngineCache(FasterWhisperEngine)
"""The speech-to-text engine of this process."""
DIARIZERS: EngineCache[DiarizationSettings, SpeakerDiarizer] = EngineCache(SpeakerDiarizer)
"""The speaker diarizer of this process (loaded only by jobs that ask for diarization)."""


def _download(ctx: JobContext, url: str) -> Media:
    """Fetch ``url`` (SSRF rules re-checked at every hop) and record it as the account's
    media. Bytes that are not audio/video fail as ``AUDIO_UNREADABLE``."""
    try:
        return download_input(ctx, url)
    except UnsupportedMedia as exc:
        raise AudioUnreadableInput(f"Could not extract audio: {exc.message}") from exc


def download_input(ctx: JobContext, url: str) -> Media:
    """Fetch ``url`` (SSRF rules re-checked at every hop) and record it as the account's
    media (probed, limits applied), reporting the ``probing`` phase.

    Raises:
        UrlRefused, UrlFetchFailed: the download failed.
        UnsupportedMedia: the bytes are not audio/video.
        MediaRejected, PayloadTooLarge: a server limit is broken.
    """
    settings = ctx.settings
    store = LocalMediaStore(settings.media_dir)
    received = asyncio.run(
        fetch_url(
            url,
            policy=UrlPolicy.from_setting(settings.url_allowlist),
            store=store,
            account_id=ctx.account_id,
            max_bytes=settings.media.max_upload_bytes,
            timeout=settings.media.url_timeout_seconds,
            max_redirects=settings.media.url_max_redirects,
        )
    )
    ctx.progress(DOWNLOAD_SHARE / 2, "probing")
    return media_service.ingest_with_settings(
        db=ctx.db,
        store=store,
        settings=settings.media,
        account_id=ctx.account_id,
        received=received,
        source_url=url,
    )


def _result(transcript: Transcript, options: dict[str, Any]) -> dict[str, Any]:
    """The stored result: the contract's ``Result`` (format, duration, language, segments
    when ``timestamps``) plus ``text``, ``language_probability``, ``no_speech_reason``,
    ``model`` and, for srt/vtt, the subtitle file as ``content``."""
    body = to_json(transcript)
    fmt = str(options.get("format", "json"))
    result: dict[str, Any] = {
        "format": fmt,
        "duration": body["duration"],
        "language": body["language"],
        "language_probability": body["language_probability"],
        "text": body["text"],
        "no_speech_reason": body["no_speech_reason"],
        "model": body["model"],
    }
    if options.get("diarization"):
        result["speakers"] = body["speakers"]
    if options.get("timestamps", True):
        result["segments"] = body["segments"]
    if fmt == "srt":
        result["content"] = to_srt(transcript)
    elif fmt == "vtt":
        result["content"] = to_vtt(transcript)
    return result


@job_handler(KIND, events=TranscriptionEvents())
def transcribe(ctx: JobContext) -> dict[str, Any]:
    """Transcribe the job's input.

    Params (written by :func:`vidlens.gateway.service.create_transcription`): ``input``
    (``type``, ``url`` or ``filename``, ``audio_track``), ``options`` (contract options with
    defaults filled in), ``media_id`` for uploads, ``provider``, ``client``.

    Raises:
        UrlRefused, UrlFetchFailed: the URL input could not be downloaded.
        AudioUnreadable / AudioUnreadableInput: no decodable audio (``AUDIO_UNREADABLE``).
        MediaRejected, PayloadTooLarge: the file breaks a server limit.
    """
    params = ctx.params
    source: dict[str, Any] = params.get("input", {})
    options: dict[str, Any] = params.get("options", {})
    media_id = params.get("media_id")
    if isinstance(media_id, str):
        media = ctx.media(media_id)
    else:
        ctx.progress(0.0, "downloading")
        media = _download(ctx, str(source["url"]))
    try:
        transcript = _transcribe(ctx, media, source, options)
    except VidlensError:
        # Fails for good (not retried): the file is not needed any more.
        forget_media(ctx, media)
        raise
    forget_media(ctx, media)
    return _result(transcript, options)


def _transcribe(
    ctx: JobContext, media: Media, source: dict[str, Any], options: dict[str, Any]
) -> Transcript:
    settings = ctx.settings.engines
    track = source.get("audio_track") if source.get("type") == "video" else None
    span = 99.0 - DOWNLOAD_SHARE

    def hook(fraction: float, phase: str | None) -> None:
        ctx.progress(DOWNLOAD_SHARE + span * max(0.0, min(1.0, fraction)), phase or "transcribing")

    num_speakers = options.get("num_speakers")
    return transcribe_with_speakers(
        ENGINES.get(settings.whisper),
        ctx.media_path(media.id),
        TranscribeOptions(
            language=engine_language(str(options.get("language", "auto"))),
            audio_track=int(track) if isinstance(track, int) else 0,
            word_timestamps=bool(options.get("timestamps", True)),
        ),
        diarizer=DIARIZERS.get(settings.diarization) if options.get("diarization") else None,
        num_speakers=int(num_speakers) if isinstance(num_speakers, int) else None,
        ffmpeg=settings.whisper.ffmpeg,
        progress=hook,
    ).transcript


def forget_media(ctx: JobContext, media: Media) -> None:
    """Delete the source file once the job no longer needs it (the transcript is the
    product; uploads and downloads are not kept as media)."""
    with contextlib.suppress(NotFound):  # already deleted through /api/media
        media_service.delete_media(
            db=ctx.db,
            store=LocalMediaStore(ctx.settings.media_dir),
            account_id=ctx.account_id,
            media_id=media.id,
        )
