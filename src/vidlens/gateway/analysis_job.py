"""The ``gateway.video_analysis`` job: download the video, run the requested features, store
the contract's result.

Speech features (``speech_to_text``, and ``sentiment``, ``topics``, ``summary`` which read
the transcript) share one transcription; visual features (``ocr``, ``brands``,
``content_moderation``, ``labels``, and the on-screen text behind ``topics`` and
``summary``) share one sampled decoding pass (:mod:`vidlens.engines.vision.sampling`);
``scenes`` and ``faces`` run the shot detector and the face tracker, each with its own
decoding pass (:mod:`vidlens.gateway.analysis_tracks`). Engines are built once per worker
process and stay warm between jobs.

Progress: downloading and probing 0-5 %, then speech, the sampled frame pass, shot detection
and face tracking share 5-95 % in proportion to their usual cost (weights
:data:`PHASE_WEIGHTS`: speech and the frame pass alike, faces a fifth, scenes a fifteenth of
either), then the text features. What could not be measured (no audio track, no speech, no
text) is an empty list or ``null`` with a reason in the result's ``warnings``; a video with
no face has ``faces: []``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidlens.engines.base import ProgressHook
from vidlens.engines.faces.types import FaceTrackingResult
from vidlens.engines.moderation.nudity import ModerationFrameAnalyser, NudityDetector
from vidlens.engines.ocr.rapid import RapidOcrEngine
from vidlens.engines.ocr.tracks import OcrFrameAnalyser, TextTrack
from vidlens.engines.scenes.types import SceneResult
from vidlens.engines.speech.pipeline import transcribe_with_speakers
from vidlens.engines.speech.types import TranscribeOptions, Transcript
from vidlens.engines.text import sentiment as sentiment_engine
from vidlens.engines.text import summary as summary_engine
from vidlens.engines.text import topics as topics_engine
from vidlens.engines.text.brands import find_brands, load_brands
from vidlens.engines.text.language import detect
from vidlens.engines.text.spans import TimedText
from vidlens.engines.vision.labels import LabelFrameAnalyser, YoloLabelEngine
from vidlens.engines.vision.sampling import FrameAnalyser, SamplingPlan, run_frames
from vidlens.errors import MediaRejected, UnsupportedMedia
from vidlens.gateway import analysis_result as out
from vidlens.gateway.analysis_schemas import ANALYSIS_TYPE
from vidlens.gateway.analysis_tracks import detect_scenes, face_items, scene_items, track_faces
from vidlens.gateway.jobs import (
    DIARIZERS,
    DOWNLOAD_SHARE,
    ENGINES,
    EngineCache,
    download_input,
    forget_media,
)
from vidlens.gateway.resource import ResourceEvents, job_resource
from vidlens.gateway.schemas import engine_language
from vidlens.jobs.context import JobContext
from vidlens.jobs.handlers import job_handler
from vidlens.storage.tables import Job, Media

ANALYSIS_KIND = "gateway.video_analysis"
"""Job kind of a video analysis (internal: only ``/v1/video-analyses`` submits it)."""
SPEECH_FEATURES = frozenset({"speech_to_text", "sentiment", "topics", "summary"})
OCR_FEATURES = frozenset({"ocr", "brands", "topics", "summary"})
VISUAL_FEATURES = frozenset({"ocr", "brands", "content_moderation", "labels", "scenes", "faces"})
PHASE_WEIGHTS = {"speech": 45.0, "frames": 45.0, "scenes": 3.0, "faces": 9.0}
"""Relative cost of each phase (measured on the bench's 60 s 720p video: speech 53 s, the
frame pass 22-35 s, face tracking 5.8-6.4 CPU s, shot detection 0.8-1.3 CPU s)."""

OCR_ENGINES = EngineCache(RapidOcrEngine)
NUDITY = EngineCache(NudityDetector)
LABELS = EngineCache(YoloLabelEngine)


class VideoUnreadableInput(MediaRejected):
    """The input has no video the server can decode (``VIDEO_UNREADABLE``)."""

    code = "VIDEO_UNREADABLE"


def analysis_resource(job: Job) -> dict[str, Any]:
    """The JSON:API resource object (``data``) of a video-analysis job."""
    return job_resource(job, ANALYSIS_TYPE)


@dataclass
class _Run:
    ctx: JobContext
    media: Media
    path: Path
    features: frozenset[str]
    options: dict[str, Any]
    audio_track: int
    warnings: list[dict[str, str]] = field(default_factory=list)
    transcript: Transcript | None = None
    ocr: OcrFrameAnalyser | None = None
    moderation: ModerationFrameAnalyser | None = None
    labels: LabelFrameAnalyser | None = None
    scenes: SceneResult | None = None
    faces: FaceTrackingResult | None = None
    interval: float = 1.0

    def warn(self, feature: str, reason: str) -> None:
        self.warnings.append({"feature": feature, "reason": reason})


@job_handler(ANALYSIS_KIND, events=ResourceEvents("video-analysis", analysis_resource))
def analyze_video(ctx: JobContext) -> dict[str, Any]:
    """Analyse the job's video.

    Params (written by :mod:`vidlens.gateway.analysis_service`): ``input`` (``url``,
    ``features``, ``audio_track``), ``options`` (defaults filled in), ``provider``,
    ``client``.

    Raises:
        UrlRefused, UrlFetchFailed: the URL could not be downloaded.
        VideoUnreadableInput: no decodable video where a visual feature needs one.
        MediaRejected, PayloadTooLarge: the file breaks a server limit.
    """
    source: dict[str, Any] = ctx.params.get("input", {})
    ctx.progress(0.0, "downloading")
    try:
        media = download_input(ctx, str(source["url"]))
    except UnsupportedMedia as exc:
        raise VideoUnreadableInput(f"The input is not a readable video: {exc.message}") from exc
    try:
        run = _Run(
            ctx=ctx,
            media=media,
            path=ctx.media_path(media.id),
            features=frozenset(source.get("features", [])),
            options=ctx.params.get("options", {}),
            audio_track=int(source.get("audio_track") or 0),
        )
        _check_input(run)
        _run_engines(run)
        return _result(run)
    finally:
        forget_media(ctx, media)


def _check_input(run: _Run) -> None:
    limit = run.ctx.settings.engines.video_analysis.max_duration_seconds
    if (run.media.duration_seconds or 0.0) > limit:
        raise MediaRejected(
            f"The video lasts {run.media.duration_seconds:.0f} s; analyses accept at most "
            f"{limit:.0f} s."
        )
    visual = sorted(run.features & VISUAL_FEATURES)
    if visual and not run.media.has_video:
        raise VideoUnreadableInput(
            f"The input has no video stream, which {', '.join(visual)} need."
        )


def _run_engines(run: _Run) -> None:
    settings = run.ctx.settings.engines
    speech = (
        bool(run.features & SPEECH_FEATURES)
        and ENGINES.get(settings.whisper).availability().available
    )
    analysers = _analysers(run)
    wants_faces = "faces" in run.features
    phases = [
        name
        for name, wanted in (
            ("speech", speech),
            ("frames", bool(analysers)),
            ("scenes", wants_faces or "scenes" in run.features),
            ("faces", wants_faces),
        )
        if wanted
    ]
    shares = _shares(phases)
    if speech:
        _transcribe(run, *shares["speech"])
    if analysers:
        plan = SamplingPlan(
            sample_fps=settings.video_analysis.sample_fps,
            max_side=settings.video_analysis.max_side,
            ffmpeg=run.ctx.settings.media.ffmpeg,
            ffprobe=run.ctx.settings.media.ffprobe,
        )
        hook = _hook(run, *shares["frames"], "analysing frames")
        run.interval = run_frames(run.path, analysers, plan, progress=hook).interval
    if "scenes" in shares:
        run.scenes = detect_scenes(
            run.path, run.ctx.settings, _hook(run, *shares["scenes"], "detecting scenes")
        )
    if "faces" in shares:
        run.faces = track_faces(
            run.path, run.ctx.settings, run.scenes, _hook(run, *shares["faces"], "tracking faces")
        )
    run.ctx.progress(96.0, "text features")


def _shares(phases: list[str]) -> dict[str, tuple[float, float]]:
    """``(start, share)`` of the progress bar per phase, in the order given."""
    total = sum(PHASE_WEIGHTS[p] for p in phases)
    span = 95.0 - DOWNLOAD_SHARE
    found: dict[str, tuple[float, float]] = {}
    start = DOWNLOAD_SHARE
    for phase in phases:
        share = span * PHASE_WEIGHTS[phase] / total
        found[phase] = (start, share)
        start += share
    return found


def _hook(run: _Run, start: float, share: float, label: str) -> ProgressHook:
    def hook(fraction: float, phase: str | None) -> None:
        run.ctx.progress(start + share * max(0.0, min(1.0, fraction)), label)

    return hook


def _analysers(run: _Run) -> list[FrameAnalyser]:
    settings = run.ctx.settings.engines
    found: list[FrameAnalyser] = []
    ocr_engine = OCR_ENGINES.get(settings.ocr)
    wants_ocr = bool(run.features & {"ocr", "brands"}) or (
        bool(run.features & {"topics", "summary"})
        and run.media.has_video
        and ocr_engine.availability().available
    )
    if wants_ocr:
        run.ocr = OcrFrameAnalyser(ocr_engine, similarity=settings.ocr.merge_similarity)
        found.append(run.ocr)
    if "content_moderation" in run.features:
        run.moderation = ModerationFrameAnalyser(NUDITY.get(settings.moderation))
        found.append(run.moderation)
    if "labels" in run.features:
        run.labels = LabelFrameAnalyser(LABELS.get(settings.labels))
        found.append(run.labels)
    return found


def _transcribe(run: _Run, start: float, share: float) -> None:
    media = run.media
    if not media.has_audio or run.audio_track >= max(media.audio_tracks, 0):
        run.warn("speech_to_text", f"the video has no audio track {run.audio_track}")
        return
    settings = run.ctx.settings.engines

    def hook(fraction: float, phase: str | None) -> None:
        run.ctx.progress(start + share * max(0.0, min(1.0, fraction)), phase or "transcribing")

    diarizer = DIARIZERS.get(settings.diarization)
    if not diarizer.availability().available:
        diarizer = None  # type: ignore[assignment]  # speakers are then all 0
        run.warn("speech_to_text", "speaker diarization is unavailable: speaker_id is 0")
    run.transcript = transcribe_with_speakers(
        ENGINES.get(settings.whisper),
        run.path,
        TranscribeOptions(
            language=engine_language(str(run.options.get("language", "auto"))),
            audio_track=run.audio_track,
        ),
        diarizer=diarizer,
        ffmpeg=settings.whisper.ffmpeg,
        progress=hook,
    ).transcript
    if not run.transcript.segments:
        reason = run.transcript.no_speech_reason or "no speech was found"
        run.warn("speech_to_text", reason)


def _tracks(run: _Run) -> list[TextTrack]:
    if run.ocr is None:
        return []
    return run.ocr.tracker.tracks(interval=run.interval, duration=run.media.duration_seconds)


def _language(run: _Run, tracks: list[TextTrack]) -> str:
    """The language of the video's text: given, else the speech's, else the screen's."""
    given = str(run.options.get("language", "auto"))
    if given != "auto":
        return given
    if run.transcript is not None and run.transcript.segments:
        return run.transcript.language
    found = detect(" ".join(t.text for t in tracks))
    return found.code if found is not None else "und"


def _result(run: _Run) -> dict[str, Any]:
    threshold = float(run.options.get("confidence_threshold", 0.5))
    tracks = _tracks(run)
    language = _language(run, tracks)
    speech = [
        TimedText(s.start, s.end, s.text, "speech")
        for s in (run.transcript.segments if run.transcript else ())
    ]
    screen = [
        TimedText(i.start, i.end, t.text, "screen")
        for t in tracks
        if t.confidence >= threshold
        for i in t.instances
    ]
    result: dict[str, Any] = {"video_metadata": out.video_metadata(run.media)}
    duration = run.media.duration_seconds
    features = run.features
    if "speech_to_text" in features:
        result["speech_to_text"] = out.speech_segments(run.transcript) if run.transcript else []
    if "ocr" in features:
        result["ocr"] = out.ocr_items(tracks, threshold, language)
    if run.moderation is not None:
        timeline = run.moderation.timeline
        result["content_moderation"] = out.moderation(
            timeline.tracks(threshold=threshold, interval=run.interval, duration=duration)
        )
    if "scenes" in features and run.scenes is not None:
        result["scenes"] = scene_items(run.scenes)
    if run.faces is not None:
        result["faces"] = face_items(run.faces, threshold)
    if run.labels is not None:
        timeline = run.labels.timeline
        result["labels"] = out.label_items(
            timeline.tracks(threshold=threshold, interval=run.interval, duration=duration)
        )
    _text_features(run, result, speech, screen, language, threshold)
    if "brands" in features:
        brands = load_brands(run.ctx.settings.engines.video_analysis.brand_file)
        result["brands"] = out.brand_items(find_brands(tracks, brands), threshold)
    if run.warnings:
        result["warnings"] = run.warnings
    return result


def _text_features(
    run: _Run,
    result: dict[str, Any],
    speech: list[TimedText],
    screen: list[TimedText],
    language: str,
    threshold: float,
) -> None:
    code = language.split("-", 1)[0].lower()
    if "sentiment" in run.features:
        result["sentiment"] = out.sentiment(sentiment_engine.measure(speech))
        if result["sentiment"] is None:
            run.warn("sentiment", "no speech to score")
    if "topics" in run.features:
        top = run.ctx.settings.engines.video_analysis.topics
        found = topics_engine.extract(speech + screen, language=code, top=top)
        result["topics"] = out.topic_items(found, threshold)
    if "summary" in run.features:
        result["summary"] = summary_engine.summarize(speech + screen, language=code)
        if not result["summary"]:
            run.warn("summary", "no speech or on-screen text to summarise")
