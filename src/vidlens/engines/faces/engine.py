"""The face tracker: a video (and its scenes) in, face tracks with people's ids out.

One decoding pass: every frame is decoded, ``sample_fps`` frames a second are converted to
RGB (longer side at most ``max_frame_side``) and searched with BlazeFace
(:mod:`.detector`); each face gets dlib's 68 landmarks (:mod:`.landmarks`, mouth openness);
:mod:`.tracker` links faces into tracks inside each scene; a few aligned face chips per track
are kept, embedded with dlib's ResNet at the end (:mod:`vidlens.engines.face_id`), and
tracks are grouped into people (:mod:`vidlens.engines.face_id.reid`).
"""

from __future__ import annotations

import atexit
import importlib.util
import threading
import time
import weakref
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidlens.engines.base import Availability, Engine, ProgressHook, no_progress
from vidlens.engines.errors import ModelMissing
from vidlens.engines.face.model import INSTALL_HINT, bundled_model_path
from vidlens.engines.face_id.embedder import FaceEmbedder
from vidlens.engines.face_id.reid import TrackSummary, assign_face_ids
from vidlens.engines.faces.detector import DETECTOR_NAME, BlazeFaceDetector
from vidlens.engines.faces.landmarks import MouthLandmarker
from vidlens.engines.faces.models import DLIB_HINT, dlib_model_path
from vidlens.engines.faces.settings import FaceTrackingSettings
from vidlens.engines.faces.tracker import OpenTrack, SceneTracker
from vidlens.engines.faces.types import Detection, FaceTrack, FaceTrackingResult
from vidlens.engines.scenes.detector import find_boundaries
from vidlens.engines.scenes.engine import SceneDetector, ShotFeatures, build_result
from vidlens.engines.scenes.settings import SceneSettings
from vidlens.engines.scenes.types import SceneResult
from vidlens.engines.video.decode import VideoProbe, iter_analysis_frames, iter_frames, probe
from vidlens.errors import MediaRejected

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

_PROGRESS_EVERY = 0.5
_CHIP_SPACING_SECONDS = 1.0


@dataclass
class _Chips:
    """The largest faces seen of one track (aligned chips, embedded at the end)."""

    kept: list[tuple[float, float, npt.NDArray[np.uint8]]] = field(default_factory=list)
    """``(area, time, chip)``."""


class FaceTracker(Engine):
    """Face detection, landmarks, tracking and re-identification.

    Arguments:
        settings: sampling, detection, tracking and re-identification settings.
    """

    name = "vidlens-face-tracker"
    kind = "face-tracking"

    def __init__(self, settings: FaceTrackingSettings | None = None) -> None:
        self.settings = settings or FaceTrackingSettings()
        self._lock = threading.Lock()
        self._busy = threading.RLock()
        """Held while the models work: MediaPipe's graphs and dlib's networks are not
        documented as safe to share between threads, so two jobs of one process (thread-mode
        workers) track one after the other (a two-thread run matched the one-thread result
        with and without this lock: it is a precaution, not a measured fix)."""
        self._loaded: tuple[BlazeFaceDetector, MouthLandmarker, FaceEmbedder | None] | None = None

    def _models(self) -> tuple[BlazeFaceDetector, MouthLandmarker, FaceEmbedder | None]:
        """The detector, landmarker and embedder, loaded on first use and kept until
        :meth:`close` (loading dlib's models takes about 1.5 s)."""
        with self._lock:
            if self._loaded is None:
                embedder = FaceEmbedder() if self.settings.embeddings_per_track else None
                detector = BlazeFaceDetector(self.settings)
                # MediaPipe's graph must be closed while its dispatcher thread pool is still
                # up, or exit prints a (harmless) TypeError. That pool stops in threading's
                # own shutdown hooks, before atexit: close the graph from one of those too.
                _register_thread_exit(_close_at_exit, weakref.ref(self))
                self._loaded = (detector, MouthLandmarker(), embedder)
            return self._loaded

    def close(self) -> None:
        """Release the loaded models (idempotent)."""
        with self._lock:
            if self._loaded is not None:
                self._loaded[0].close()
            self._loaded = None

    def availability(self) -> Availability:
        for module, hint in (
            ("mediapipe", INSTALL_HINT),
            ("dlib", DLIB_HINT),
            ("av", "pip install av"),
        ):
            if importlib.util.find_spec(module) is None:
                return Availability.missing(f"{module} is not installed", hint=hint)
        try:
            if self.settings.landmarker_path is None:
                bundled_model_path()
            dlib_model_path("shape_predictor_68_face_landmarks.dat")
            if self.settings.embeddings_per_track:
                dlib_model_path("shape_predictor_5_face_landmarks.dat")
                dlib_model_path("dlib_face_recognition_resnet_model_v1.dat")
        except ModelMissing as exc:
            return Availability.missing(exc.message, hint=exc.hint)
        return Availability.ok()

    def track(
        self,
        video: Path,
        scenes: SceneResult | None = None,
        progress: ProgressHook | None = None,
    ) -> FaceTrackingResult:
        """Detect and track the faces of ``video``.

        Arguments:
            video: any file with a video stream libavformat reads.
            scenes: the video's shots; tracks are cut at their boundaries. None: one scene.
            progress: called with ``(fraction, phase)``.

        Raises:
            vidlens.errors.NotFound: the file does not exist.
            vidlens.engines.face.errors.VideoUnreadable: not media, no video stream, or
                nothing decodes.
            vidlens.errors.MediaRejected: longer than ``max_duration_seconds``.
            vidlens.errors.EngineUnavailable: a model or library is missing or altered.
        """
        report = progress or no_progress
        started = time.perf_counter()
        report(0.0, "probing")
        info = probe(video)
        if info.duration > self.settings.max_duration_seconds:
            raise MediaRejected(
                f"the video lasts {info.duration:.0f} s; face tracking accepts at most "
                f"{self.settings.max_duration_seconds:.0f} s",
                duration=info.duration,
            )
        report(0.02, "loading models")
        with self._busy:
            detector, landmarker, embedder = self._models()
            tracks, chips, frames = self._scan(
                video, info, scenes, (detector, landmarker, embedder), report
            )
            report(0.92, "identifying faces")
            return self._result(info, scenes, tracks, chips, embedder, frames, started)

    def _result(
        self,
        info: VideoProbe,
        scenes: SceneResult | None,
        tracks: list[OpenTrack],
        chips: dict[int, _Chips],
        embedder: FaceEmbedder | None,
        frames: int,
        started: float,
    ) -> FaceTrackingResult:
        result_tracks = self._identify(tracks, chips, embedder)
        width, height = info.display_size
        return FaceTrackingResult(
            video_fps=info.fps,
            total_frames=frames,
            sample_fps=min(self.settings.sample_fps, info.fps),
            width=width,
            height=height,
            duration=info.duration,
            tracks=tuple(result_tracks),
            scene_count=len(scenes.scenes) if scenes is not None else 1,
            detector=DETECTOR_NAME,
            embedder=embedder.model_id if embedder is not None else None,
            processing={"processing_seconds": time.perf_counter() - started},
        )

    def track_with_scenes(
        self,
        video: Path,
        detector: SceneDetector | None = None,
        progress: ProgressHook | None = None,
    ) -> tuple[SceneResult, FaceTrackingResult]:
        """Shot detection and face tracking from one decoding pass: the same results as
        ``detector.detect(video)`` then :meth:`track` with those scenes, for about the CPU
        of the tracking alone (the second full decode is saved).

        Tracks must end at scene boundaries, which are only final once the frames after
        them are scored, so each sampled frame is searched ``_LAG_SECONDS`` of video later,
        with the boundaries found in the features up to then. At the end, the scene each
        sample was given is checked against the final scenes; if any differs (a boundary
        that needed more than that look-ahead, such as a very long fade), the faces are
        tracked again with the final scenes (a second pass, the results still exact).

        Raises:
            The errors of :meth:`SceneDetector.detect` and :meth:`track`.
        """
        report = progress or no_progress
        started = time.perf_counter()
        shots = detector or SceneDetector()
        report(0.0, "probing")
        info = probe(video)
        limit = min(self.settings.max_duration_seconds, shots.settings.max_duration_seconds)
        if info.duration > limit:
            raise MediaRejected(
                f"the video lasts {info.duration:.0f} s; shot detection and face tracking "
                f"accept at most {limit:.0f} s",
                duration=info.duration,
            )
        report(0.02, "loading models")
        with self._busy:
            models = self._models()
            scan = _JointScan(self, shots.settings, info, models)
            width, height = _analysis_size(info, self.settings.max_frame_side)
            last_report = time.monotonic()
            for index, now, small, rgb in iter_analysis_frames(
                video,
                small_width=shots.settings.analysis_width,
                width=width,
                height=height,
                sample_fps=self.settings.sample_fps,
                threads=self.settings.decode_threads,
            ):
                scan.add(index, now, small, None if rgb is None else _upright(rgb, info.rotation))
                if time.monotonic() - last_report >= _PROGRESS_EVERY and info.duration > 0:
                    last_report = time.monotonic()
                    report(
                        0.05 + 0.85 * min(1.0, now / info.duration), "detecting scenes and faces"
                    )
            scenes = scan.finish(started)
            if not scan.consistent(scenes):
                return scenes, self.track(video, scenes, progress)
            report(0.92, "identifying faces")
            tracks = scan.tracker.finish()
            return scenes, self._result(
                info, scenes, tracks, scan.chips, models[2], len(scan.times), started
            )

    def _scan(
        self,
        video: Path,
        info: VideoProbe,
        scenes: SceneResult | None,
        models: tuple[BlazeFaceDetector, MouthLandmarker, FaceEmbedder | None],
        report: ProgressHook,
    ) -> tuple[list[OpenTrack], dict[int, _Chips], int]:
        detector, landmarker, embedder = models
        width, height = _analysis_size(info, self.settings.max_frame_side)
        tracker = SceneTracker(self.settings)
        chips: dict[int, _Chips] = {}
        last_report, frames = time.monotonic(), 0
        for frame in iter_frames(
            video,
            width=width,
            height=height,
            pix_fmt="rgb24",
            sample_fps=self.settings.sample_fps,
            threads=self.settings.decode_threads,
        ):
            frames = frame.index + 1
            if frame.array is None:
                continue
            rgb = _upright(frame.array, info.rotation)
            detections = detector.detect(rgb)
            mouths = [landmarker.mouth_open(rgb, d.box) for d in detections]
            scene = scenes.scene_at(frame.index).index if scenes is not None else 0
            ids = tracker.update(
                time=frame.time,
                frame=frame.index,
                scene_index=scene,
                detections=detections,
                mouths=mouths,
            )
            if embedder is not None:
                self._keep_chips(chips, ids, detections, rgb, frame.time, embedder)
            if time.monotonic() - last_report >= _PROGRESS_EVERY and info.duration > 0:
                last_report = time.monotonic()
                report(0.05 + 0.85 * min(1.0, frame.time / info.duration), "tracking faces")
        return tracker.finish(), chips, frames

    def _keep_chips(
        self,
        chips: dict[int, _Chips],
        ids: list[int],
        detections: list[Detection],
        rgb: npt.NDArray[np.uint8],
        now: float,
        embedder: FaceEmbedder,
    ) -> None:
        """Keep the ``embeddings_per_track`` largest faces of each track, at least 1 s
        apart (an aligned chip is made only for a face that enters that list)."""
        limit = self.settings.embeddings_per_track
        for track_id, detection in zip(ids, detections, strict=True):
            entry = chips.setdefault(track_id, _Chips())
            area = detection.box.area
            if any(abs(now - t) < _CHIP_SPACING_SECONDS for _, t, _ in entry.kept):
                continue
            if len(entry.kept) >= limit and area <= min(a for a, _, _ in entry.kept):
                continue
            entry.kept.append((area, now, embedder.chip(rgb, detection.box)))
            entry.kept.sort(key=lambda item: -item[0])
            del entry.kept[limit:]

    def _identify(
        self, tracks: list[OpenTrack], chips: dict[int, _Chips], embedder: FaceEmbedder | None
    ) -> list[FaceTrack]:
        embeddings: list[tuple[float, ...] | None] = []
        for track in tracks:
            entry = chips.get(track.track_id)
            if embedder is None or entry is None or not entry.kept:
                embeddings.append(None)
                continue
            vectors = embedder.embed_chips([chip for _, _, chip in entry.kept])
            embeddings.append(tuple(sum(v) / len(vectors) for v in zip(*vectors, strict=True)))
        summaries = [
            TrackSummary(t.points[0].time, t.points[-1].time, e)
            for t, e in zip(tracks, embeddings, strict=True)
        ]
        face_ids = assign_face_ids(summaries, self.settings.reid_threshold)
        return [
            FaceTrack(
                track_id=track.track_id,
                face_id=face_id,
                scene_index=track.scene_index,
                points=tuple(track.points),
                embedding=embedding,
            )
            for track, face_id, embedding in zip(tracks, face_ids, embeddings, strict=True)
        ]


_LAG_SECONDS = 2.0
"""How far ahead of a sampled frame the shot features are scored before its faces are
tracked (a cut needs 2 frames after it; a fade, its whole dark run)."""
_BACK_SECONDS = 4.0
"""Features before a sampled frame that the provisional boundaries are computed from."""


class _JointScan:
    """The state of :meth:`FaceTracker.track_with_scenes`: shot features of every frame,
    sampled frames waiting for their look-ahead, the tracker and the chips."""

    def __init__(
        self,
        owner: FaceTracker,
        scene_settings: SceneSettings,
        info: VideoProbe,
        models: tuple[BlazeFaceDetector, MouthLandmarker, FaceEmbedder | None],
    ) -> None:
        self.owner, self.scene_settings, self.info, self.models = (
            owner,
            scene_settings,
            info,
            models,
        )
        self.features = ShotFeatures()
        self.times: list[float] = []
        self.tracker = SceneTracker(owner.settings)
        self.chips: dict[int, _Chips] = {}
        fps = info.fps
        self.lag = round(_LAG_SECONDS * fps) + 2 * scene_settings.window_frames + 2
        self.back = round(_BACK_SECONDS * fps) + self.lag
        self._small: list[Any] = []
        self._queue: deque[tuple[int, float, Any]] = deque()
        self._boundaries: list[int] = []
        self._last_sample = -1
        self.given: list[tuple[int, int]] = []
        """``(frame, scene index)`` each sample was tracked with."""

    def add(self, index: int, now: float, small: Any, rgb: Any | None) -> None:
        import numpy as np

        self._small.append(small)
        self.times.append(now)
        if rgb is not None:
            self._queue.append((index, now, rgb))
        if len(self._small) >= _SMALL_CHUNK or (
            self._queue and index >= self._queue[0][0] + self.lag
        ):
            self.features.add(np.stack(self._small))
            self._small.clear()
        known = len(self.features.changes)
        while self._queue and known > self._queue[0][0] + self.lag:
            self._track(*self._queue.popleft())

    def finish(self, started: float) -> SceneResult:
        """Track the samples still waiting and return the final scenes."""
        import numpy as np

        if self._small:
            self.features.add(np.stack(self._small))
            self._small.clear()
        while self._queue:
            self._track(*self._queue.popleft())
        changes, luma, skips = self.features.finish()
        boundaries = find_boundaries(changes, luma, self.info.fps, self.scene_settings, skips)
        elapsed = time.perf_counter() - started
        return build_result(
            self.info,
            self.times,
            boundaries,
            processing={
                "processing_seconds": elapsed,
                "frames_per_second": len(self.times) / elapsed if elapsed > 0 else 0.0,
                "decoded_with_faces": 1.0,
            },
        )

    def consistent(self, scenes: SceneResult) -> bool:
        """Whether every sample was tracked in its final scene."""
        return all(scenes.scene_at(frame).index == scene for frame, scene in self.given)

    def _track(self, frame: int, now: float, rgb: Any) -> None:
        changes, luma, skips = self.features.finish()
        start = max(0, frame - self.back)
        found = find_boundaries(
            changes[start:],
            luma[start:],
            self.info.fps,
            self.scene_settings,
            skips[start:],
        )
        for boundary in found:
            at = start + boundary.frame
            if self._last_sample < at <= frame:
                self._boundaries.append(at)
        self._last_sample = frame
        scene = len(self._boundaries)
        self.given.append((frame, scene))
        detector, landmarker, embedder = self.models
        detections = detector.detect(rgb)
        mouths = [landmarker.mouth_open(rgb, d.box) for d in detections]
        ids = self.tracker.update(
            time=now, frame=frame, scene_index=scene, detections=detections, mouths=mouths
        )
        if embedder is not None:
            self.owner._keep_chips(self.chips, ids, detections, rgb, now, embedder)


_SMALL_CHUNK = 16
"""Small pictures scored together in the joint scan (few: samples wait for the scores)."""


def _register_thread_exit(function: Any, *args: Any) -> None:
    """Run ``function(*args)`` when the interpreter stops threads (before atexit)."""
    register = getattr(threading, "_register_atexit", None)
    try:
        if register is not None:
            register(function, *args)
            return
    except RuntimeError:  # already shutting down
        return
    atexit.register(function, *args)


def _close_at_exit(tracker: weakref.ref[FaceTracker]) -> None:
    alive = tracker()
    if alive is not None:
        alive.close()


def _analysis_size(info: VideoProbe, max_side: int) -> tuple[int, int]:
    """Decoded (coded-orientation) size with the longer side at most ``max_side``, even."""
    scale = min(1.0, max_side / max(info.width, info.height))
    return max(2, round(info.width * scale / 2) * 2), max(2, round(info.height * scale / 2) * 2)


def _upright(rgb: npt.NDArray[np.uint8], rotation: int) -> npt.NDArray[np.uint8]:
    """The frame as displayed: rotated counter-clockwise by the display rotation."""
    import numpy as np

    if rotation % 360 == 0:
        return rgb
    return np.ascontiguousarray(np.rot90(rgb, k=(rotation // 90) % 4))
