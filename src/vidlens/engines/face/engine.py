"""The face engine: a video (or a still) in, face samples and coaching metrics out.

:func:`analyze_faces` probes the video, decodes ``sample_fps`` frames a second with ffmpeg
(:mod:`.frames`), runs MediaPipe's face landmarker in VIDEO mode on each (:mod:`.landmarker`)
and computes :func:`~vidlens.engines.face.metrics.face_metrics` over the samples.
:func:`face_metrics_from_client` does the same for a client's ``mediapipeSamples``.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidlens.engines.base import Availability, Engine, ProgressHook, no_progress
from vidlens.engines.errors import ModelMissing
from vidlens.engines.face.frames import VideoInfo, iter_frames, probe_video, sample_rate
from vidlens.engines.face.landmarker import FaceLandmarker
from vidlens.engines.face.metrics import face_metrics
from vidlens.engines.face.model import INSTALL_HINT, MODEL_ID, bundled_model_path
from vidlens.engines.face.samples import parse_face_samples
from vidlens.engines.face.settings import FaceSettings
from vidlens.engines.face.types import FaceMetrics, FaceReport, FaceSample
from vidlens.errors import MediaRejected

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

_PROGRESS_EVERY = 0.5
"""Seconds of wall time between two progress reports."""


class FaceAnalyzer(Engine):
    """MediaPipe face landmarks, blendshapes and head pose, and coaching face metrics.

    Arguments:
        settings: sampling rate, faces per frame, landmarker thresholds, metric rules.
    """

    name = "mediapipe-face-landmarker"
    kind = "face-analysis"

    def __init__(self, settings: FaceSettings | None = None) -> None:
        self.settings = settings or FaceSettings()

    def availability(self) -> Availability:
        if importlib.util.find_spec("mediapipe") is None:
            return Availability.missing("mediapipe is not installed", hint=INSTALL_HINT)
        if self.settings.model_path is not None:
            if not self.settings.model_path.is_file():
                return Availability.missing(
                    f"the configured model {self.settings.model_path} does not exist",
                    hint="set the face model_path to a face_landmarker.task file",
                )
            return Availability.ok()
        try:
            bundled_model_path()
        except ModelMissing as exc:
            return Availability.missing(exc.message, hint=exc.hint)
        return Availability.ok()

    def analyze(self, video: Path, progress: ProgressHook | None = None) -> FaceReport:
        """Sample ``video`` and measure the faces in it.

        Arguments:
            video: any video file ffmpeg reads.
            progress: called with ``(fraction, phase)``.

        Returns:
            The samples (one per analysed frame) and their metrics.

        Raises:
            vidlens.engines.face.errors.VideoUnreadable: no video stream, or it does not
                decode.
            vidlens.errors.MediaRejected: longer than ``max_duration_seconds`` or decoding
                timed out.
            vidlens.errors.NotFound: the file does not exist.
            vidlens.errors.EngineUnavailable: mediapipe, the model or ffmpeg is missing
                (``ModelIntegrityError`` when the packaged model was altered).
        """
        report = progress or no_progress
        settings = self.settings
        started = time.perf_counter()
        report(0.0, "probing")
        info = probe_video(video, ffprobe=settings.ffprobe)
        self._check_duration(info)
        samples: list[FaceSample] = []
        timing: dict[str, float] = {}
        for sample in self.iter_samples(video, report, info=info, timing=timing):
            samples.append(sample)
        report(0.95, "measuring")
        metrics = face_metrics(samples, settings.metrics, source="video")
        detect_seconds = timing.get("detect_seconds", 0.0)
        elapsed = time.perf_counter() - started
        duration = info.duration or (samples[-1].timestamp if samples else 0.0)
        report(1.0, None)
        return FaceReport(
            width=info.width,
            height=info.height,
            duration=duration,
            sample_fps=sample_rate(info, settings.sample_fps),
            samples=tuple(samples),
            metrics=metrics,
            model=MODEL_ID if settings.model_path is None else str(settings.model_path),
            processing={
                "processing_seconds": elapsed,
                "model_load_seconds": timing.get("model_load_seconds", 0.0),
                "detect_seconds": detect_seconds,
                "ms_per_frame": 1000.0 * elapsed / max(1, len(samples)),
                "detect_ms_per_frame": 1000.0 * detect_seconds / max(1, len(samples)),
                "real_time_factor": elapsed / duration if duration > 0 else 0.0,
            },
        )

    def iter_samples(
        self,
        video: Path,
        progress: ProgressHook | None = None,
        *,
        info: VideoInfo | None = None,
        timing: dict[str, float] | None = None,
    ) -> Generator[FaceSample, None, None]:
        """Yield one :class:`FaceSample` per sampled frame, in time order, without keeping
        them (for long videos and for callers that track faces themselves).

        Arguments:
            video: any video file ffmpeg reads.
            progress: called with ``(fraction, phase)``; fractions go from 0.02 to 0.95.
            info: the probed video, when the caller already has it.
            timing: filled with ``model_load_seconds`` and ``detect_seconds``.

        Raises:
            The errors of :meth:`analyze`.
        """
        report = progress or no_progress
        settings = self.settings
        if info is None:
            info = probe_video(video, ffprobe=settings.ffprobe)
            self._check_duration(info)
        clock = timing if timing is not None else {}
        report(0.02, "loading model")
        tick = time.perf_counter()
        with FaceLandmarker(settings, mode="video") as landmarker:
            clock["model_load_seconds"] = time.perf_counter() - tick
            clock["detect_seconds"] = 0.0
            report(0.05, "detecting faces")
            last_report = time.monotonic()
            frames = iter_frames(
                video,
                info,
                sample_fps=settings.sample_fps,
                max_side=settings.max_frame_side,
                ffmpeg=settings.ffmpeg,
                threads=settings.decode_threads,
                timeout_seconds=settings.decode_timeout_seconds,
            )
            try:
                for frame in frames:
                    tick = time.perf_counter()
                    sample = landmarker.detect(frame.rgb, frame.timestamp)
                    clock["detect_seconds"] += time.perf_counter() - tick
                    yield sample
                    if time.monotonic() - last_report >= _PROGRESS_EVERY and info.duration > 0:
                        last_report = time.monotonic()
                        done = min(1.0, frame.timestamp / info.duration)
                        report(0.05 + 0.9 * done, "detecting faces")
            finally:
                frames.close()

    def _check_duration(self, info: VideoInfo) -> None:
        limit = self.settings.max_duration_seconds
        if info.duration > limit:
            raise MediaRejected(
                f"the video lasts {info.duration:.0f} s; face analysis accepts at most "
                f"{limit:.0f} s",
                duration=info.duration,
            )

    def analyze_image(self, rgb: npt.NDArray[np.uint8]) -> FaceSample:
        """The faces of one still RGB image (``(h, w, 3)`` uint8), timestamp 0."""
        with FaceLandmarker(self.settings, mode="image") as landmarker:
            return landmarker.detect(rgb, 0.0)


def analyze_faces(
    video_path: Path,
    settings: FaceSettings | None = None,
    progress: ProgressHook | None = None,
) -> FaceReport:
    """Sample a video and measure its faces (see :meth:`FaceAnalyzer.analyze`)."""
    return FaceAnalyzer(settings).analyze(video_path, progress)


def face_metrics_from_client(
    document: str | bytes | Sequence[Any], settings: FaceSettings | None = None
) -> FaceMetrics:
    """Validate a client's ``mediapipeSamples`` and compute the same metrics from them.

    Raises:
        vidlens.engines.face.errors.InvalidFaceSamples: the document breaks the schema of
            :mod:`vidlens.engines.face.samples`.
    """
    settings = settings or FaceSettings()
    samples = parse_face_samples(document, settings)
    return face_metrics(samples, settings.metrics, source="client")
