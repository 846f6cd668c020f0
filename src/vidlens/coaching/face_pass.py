"""The face half of a coaching analysis: samples, metrics and (optionally) the FER model.

:func:`run_face_pass` decodes ``sample_fps`` frames a second (the face engine's sampling),
runs MediaPipe's face landmarker on each and, when the 7-class model is asked for, classifies
the primary face of each frame from the same decoded pixels (no second decode). With a
client's ``mediapipeSamples`` the video's faces are not decoded at all: the samples are
measured as they are, and the model cannot run (it needs pixels).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidlens.engines.base import ProgressHook, no_progress
from vidlens.engines.face.errors import VideoUnreadable
from vidlens.engines.face.frames import VideoInfo, iter_frames, probe_video, sample_rate
from vidlens.engines.face.landmarker import FaceLandmarker
from vidlens.engines.face.metrics import face_metrics
from vidlens.engines.face.settings import FaceSettings
from vidlens.engines.face.types import FaceMetrics, FaceSample
from vidlens.errors import MediaRejected

if TYPE_CHECKING:
    from vidlens.coaching.emotion_model import EmotionModel

_PROGRESS_EVERY = 0.5


@dataclass(frozen=True, slots=True)
class ModelReading:
    """The FER model's probabilities for the primary face of one sample."""

    timestamp: float
    probabilities: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class FacePass:
    """What the face side measured (``metrics`` None when nothing could be)."""

    source: str
    """``video`` (decoded here), ``client`` (``mediapipeSamples``) or ``none``."""
    samples: tuple[FaceSample, ...]
    metrics: FaceMetrics | None
    model_readings: tuple[ModelReading, ...] | None
    """FER probabilities per face sample, None when the model did not run."""
    unavailable_reason: str | None
    """Why there are no face metrics (e.g. the file has no video stream)."""
    sample_fps: float | None = None
    duration: float = 0.0
    """Seconds of video (from the container; the samples' span for client samples)."""
    processing: dict[str, float] = field(default_factory=dict)


def client_face_pass(samples: Sequence[FaceSample], settings: FaceSettings) -> FacePass:
    """Measure a client's already-validated ``mediapipeSamples``."""
    started = time.perf_counter()
    metrics = face_metrics(samples, settings.metrics, source="client")
    return FacePass(
        source="client",
        samples=tuple(samples),
        metrics=metrics,
        model_readings=None,
        unavailable_reason=None,
        sample_fps=metrics.sample_rate,
        duration=metrics.duration_seconds,
        processing={"processing_seconds": time.perf_counter() - started},
    )


def run_face_pass(
    video: Path,
    settings: FaceSettings,
    *,
    model: Callable[[], EmotionModel] | None = None,
    progress: ProgressHook | None = None,
) -> FacePass:
    """Sample ``video`` and measure its faces.

    Arguments:
        video: the file (any container ffmpeg reads).
        settings: sampling, landmarker and metric rules.
        model: builds the FER model when it should run on each face (None: it does not).
        progress: ``(fraction, phase)``.

    Returns:
        The pass; a file without a video stream gives ``source="none"`` and the reason.

    Raises:
        VideoUnreadable: the video stream does not decode.
        MediaRejected: too long for the face settings, or decoding timed out.
        EngineUnavailable: mediapipe, ffmpeg or a model is missing.
    """
    report = progress or no_progress
    started = time.perf_counter()
    report(0.0, "probing video")
    try:
        info = probe_video(video, ffprobe=settings.ffprobe)
    except VideoUnreadable as exc:
        if "no video stream" not in exc.message:
            raise
        return FacePass("none", (), None, None, "the file has no video stream")
    if info.duration > settings.max_duration_seconds:
        raise MediaRejected(
            f"the video lasts {info.duration:.0f} s; face analysis accepts at most "
            f"{settings.max_duration_seconds:.0f} s"
        )
    classifier = model() if model is not None else None
    samples, readings, timing = _sample(video, info, settings, classifier, report)
    report(0.96, "measuring faces")
    metrics = face_metrics(samples, settings.metrics, source="video")
    timing["processing_seconds"] = time.perf_counter() - started
    return FacePass(
        source="video",
        samples=tuple(samples),
        metrics=metrics,
        model_readings=tuple(readings) if classifier is not None else None,
        unavailable_reason=None,
        sample_fps=sample_rate(info, settings.sample_fps),
        duration=info.duration or (samples[-1].timestamp if samples else 0.0),
        processing=timing,
    )


def _sample(
    video: Path,
    info: VideoInfo,
    settings: FaceSettings,
    classifier: EmotionModel | None,
    report: ProgressHook,
) -> tuple[list[FaceSample], list[ModelReading], dict[str, float]]:
    """Decode, detect (and classify) every sampled frame, one at a time."""
    samples: list[FaceSample] = []
    readings: list[ModelReading] = []
    timing = {"detect_seconds": 0.0, "model_seconds": 0.0}
    frames = iter_frames(
        video,
        info,
        sample_fps=settings.sample_fps,
        max_side=settings.max_frame_side,
        ffmpeg=settings.ffmpeg,
        threads=settings.decode_threads,
        timeout_seconds=settings.decode_timeout_seconds,
    )
    report(0.02, "detecting faces")
    last = time.monotonic()
    with FaceLandmarker(settings, mode="video") as landmarker:
        try:
            for frame in frames:
                tick = time.perf_counter()
                sample = landmarker.detect(frame.rgb, frame.timestamp)
                timing["detect_seconds"] += time.perf_counter() - tick
                samples.append(sample)
                if classifier is not None and sample.primary is not None:
                    tick = time.perf_counter()
                    probabilities = classifier.classify(frame.rgb, sample.primary.bbox)
                    timing["model_seconds"] += time.perf_counter() - tick
                    readings.append(ModelReading(sample.timestamp, _rounded(probabilities)))
                if time.monotonic() - last >= _PROGRESS_EVERY and info.duration > 0:
                    last = time.monotonic()
                    report(0.02 + 0.93 * min(1.0, frame.timestamp / info.duration), None)
        finally:
            frames.close()
    return samples, readings, timing


def _rounded(values: Any) -> tuple[float, ...]:
    return tuple(round(float(v), 4) for v in values)
