"""MediaPipe pose landmarker over decoded frames: the subject's 33 landmarks on every frame.

Pipeline: :mod:`~vidlens.engines.pose.decode` (ffmpeg, upright, scaled) → MediaPipe Tasks
``PoseLandmarker`` in VIDEO running mode (tracks between frames; up to ``max_poses`` people)
→ a person lost by the tracker looked for again in a crop (:mod:`~vidlens.engines.pose.recovery`)
→ people joined across frames (:mod:`~vidlens.engines.pose.tracking`) → the person with the
most leg motion is the subject → when the subject was first found after the start (the
detector often misses a person entering the frame or half hidden), the frames before are
decoded again and the subject is tracked backwards in time from its first detection →
swap repair, gap filling and zero-phase smoothing (:mod:`~vidlens.engines.pose.sequence`).
The background's motion between frames is recorded (:mod:`~vidlens.engines.pose.motion`) so
that a panning camera can be told apart.

Two cores: the clip is cut into ``workers`` consecutive pieces of frames, each decoded by its
own ffmpeg process and followed by its own VIDEO-mode landmarker in its own thread (MediaPipe
runs its graph outside the GIL). Each piece starts with a fresh detection; people are joined
across the cut by the same torso-distance rule as between any two frames.

Each landmarker is created per piece and closed explicitly (``close()``), as MediaPipe needs.

Given a :class:`~vidlens.engines.pose.frames.FrameStore`, the workers keep every decoded frame
in it (when the clip fits its budget), so that the caller (the annotated video) need not decode
the file again.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from vidlens.engines.base import Availability, Engine, ProgressHook, no_progress
from vidlens.engines.pose import model as pose_model
from vidlens.engines.pose.decode import FrameReader, StreamGeometry, probe_stream, scaled_size
from vidlens.engines.pose.frames import FrameStore
from vidlens.engines.pose.motion import GlobalMotion
from vidlens.engines.pose.recovery import Recovery
from vidlens.engines.pose.sequence import build_sequence
from vidlens.engines.pose.settings import PoseSettings
from vidlens.engines.pose.tracking import (
    PersonTrack,
    Pose,
    associate,
    choose_subject,
    people_per_frame,
    poses_from_result,
)
from vidlens.engines.pose.types import PoseSequence
from vidlens.errors import MediaRejected

BACKTRACK_SECONDS = 2.5
"""How far before the subject's first detection the backward tracking may go."""
MIN_PIECE_FRAMES = 60
"""Pieces shorter than this are not split further (each piece restarts detection)."""
PROGRESS_POSE = 0.95
"""Share of the engine's progress given to the forward pass."""


@dataclass
class _Piece:
    """What one worker saw: poses and background shift per frame, from ``start``."""

    start: int
    stop: int
    poses: list[list[Pose]] = field(default_factory=list)
    shifts: list[tuple[float, float]] = field(default_factory=list)
    recovered: int = 0

    @property
    def complete(self) -> bool:
        return self.start + len(self.poses) >= self.stop


class _Stop(Exception):
    """Raised inside a worker thread when the caller gave up (cancel, time limit, error)."""


def pieces(count: int, workers: int) -> list[tuple[int, int]]:
    """[start, stop) frame ranges for ``workers`` threads over ``count`` frames (0: unknown)."""
    if count <= 0:
        return [(0, 0)]
    parts = max(1, min(workers, count // MIN_PIECE_FRAMES))
    bounds = np.linspace(0, count, parts + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in itertools.pairwise(bounds)]


class MediaPipePoseEngine(Engine):
    """Body pose (33 landmarks, image and world coordinates) with MediaPipe Tasks.

    Arguments:
        settings: model file, people per frame, thresholds, decoding size, smoothing, workers.
    """

    name: ClassVar[str] = "mediapipe-pose"
    kind: ClassVar[str] = "body-pose"

    def __init__(self, settings: PoseSettings | None = None) -> None:
        self.settings = settings or PoseSettings()

    def availability(self) -> Availability:
        return pose_model.availability(self.settings)

    def _landmarker(self, video: bool = True) -> Any:
        from mediapipe.tasks.python import (  # type: ignore[import-untyped]  # no stubs
            BaseOptions,
            vision,
        )

        mode = vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=pose_model.model_bytes(self.settings)),
            running_mode=mode,
            num_poses=self.settings.max_poses if video else 1,
            min_pose_detection_confidence=self.settings.min_detection_confidence,
            min_pose_presence_confidence=self.settings.min_presence_confidence,
            min_tracking_confidence=self.settings.min_tracking_confidence,
        )
        return vision.PoseLandmarker.create_from_options(options)

    def estimate(
        self,
        path: Path,
        progress: ProgressHook = no_progress,
        frames: FrameStore | None = None,
    ) -> PoseSequence:
        """The main person's pose on every frame of ``path``.

        Arguments:
            path: a video file (any container ffmpeg reads from the allowed demuxers).
            progress: receives the fraction of frames processed and the phase.
            frames: when given, filled with the decoded frames (at the decoding size, see
                :meth:`FrameStore.open`) if they fit its budget.

        Raises:
            UnsupportedMedia: the file cannot be decoded.
            MediaRejected: no video stream, or nobody is visible in the video (code
                ``no_person_detected``).
            ModelMissing, ModelIntegrityError: the model is absent or altered.
            Whatever ``progress`` raises (cancellation, time limit), after the workers stop.
        """
        settings = self.settings
        geometry = probe_stream(path, ffprobe=settings.ffprobe)
        size = scaled_size(geometry.width, geometry.height, settings.max_side_pixels)
        store = frames if frames is not None else FrameStore(budget_bytes=0)
        store.open(size, min(len(geometry.times), settings.max_frames))
        progress(0.0, "detecting pose")
        parts = self._forward(path, geometry, size, store, progress)
        count, poses, shifts = _joined(parts)
        tracks: list[PersonTrack] = []
        for index, frame_poses in enumerate(poses):
            associate(tracks, index, frame_poses)
        subject = choose_subject(tracks, size[0] / size[1], geometry.nominal_fps or 30.0)
        if subject is None:
            raise MediaRejected(
                "Nobody was detected in the video: film the runner's whole body.",
                code="no_person_detected",
            )
        if subject.frames[0] > 0:
            progress(PROGRESS_POSE, "tracking back")
            self._track_back(path, size, geometry, subject)
        progress(1.0, "detecting pose")
        people = people_per_frame(tracks, count)
        return build_sequence(
            geometry=geometry,
            size=size,
            count=count,
            subject=subject,
            shifts=shifts,
            people_max=int(people.max()) if count else 0,
            settings=settings,
        )

    def _forward(
        self,
        path: Path,
        geometry: StreamGeometry,
        size: tuple[int, int],
        store: FrameStore,
        progress: ProgressHook,
    ) -> list[_Piece]:
        """Run the pieces in parallel; report progress from this thread."""
        known = len(geometry.times)
        limit = self.settings.max_frames
        ranges = pieces(min(known, limit), self.settings.workers) if known else [(0, limit)]
        parts = [_Piece(start, stop) for start, stop in ranges]
        stop = threading.Event()
        total = max(1, sum(p.stop - p.start for p in parts))
        with ThreadPoolExecutor(max_workers=len(parts), thread_name_prefix="pose") as pool:
            futures = [
                pool.submit(self._run_piece, path, geometry, size, p, store, stop) for p in parts
            ]
            try:
                _follow(futures, parts, total, progress)
            finally:
                stop.set()
        return parts

    def _run_piece(
        self,
        path: Path,
        geometry: StreamGeometry,
        size: tuple[int, int],
        piece: _Piece,
        store: FrameStore,
        stop: threading.Event,
    ) -> None:
        import mediapipe as mp  # type: ignore[import-untyped]  # no stubs

        motion = GlobalMotion()
        recovery = Recovery(lambda: self._landmarker(video=False))
        landmarker = self._landmarker()
        try:
            with self._reader(path, size, piece.stop - piece.start, piece.start) as reader:
                for offset, frame in enumerate(reader):
                    if stop.is_set():
                        raise _Stop
                    image = mp.Image(image_format=mp.ImageFormat.SRGB, data=frame)
                    stamp = _milliseconds(geometry, piece.start + offset)
                    poses = poses_from_result(landmarker.detect_for_video(image, stamp))
                    poses = recovery.update(frame, poses)
                    piece.shifts.append(motion.update(frame, [p[0] for p in poses]))
                    piece.poses.append(poses)
                    store.put(piece.start + offset, frame)
        finally:
            landmarker.close()
            recovery.close()
            piece.recovered = recovery.recovered

    def _reader(
        self, path: Path, size: tuple[int, int], max_frames: int, start: int = 0
    ) -> FrameReader:
        return FrameReader(
            path,
            size,
            ffmpeg=self.settings.ffmpeg,
            max_frames=max_frames,
            timeout=self.settings.decode_timeout_seconds,
            start_frame=start,
        )

    def _track_back(
        self,
        path: Path,
        size: tuple[int, int],
        geometry: StreamGeometry,
        subject: PersonTrack,
    ) -> None:
        """Track the subject backwards from its first detection over the frames before it.

        The frames up to the first detection are decoded again (only the last
        :data:`BACKTRACK_SECONDS` are kept; not taken from the frame store, whose YUV 4:2:0
        copies differ slightly from the decoded RGB and moved the tracked landmarks enough to
        lose a step on a labelled clip) and fed in reverse order to a fresh VIDEO-mode
        landmarker, starting on the first detected frame so that its tracker locks on to the
        subject; poses continuing the subject's track are prepended to it.
        """
        import mediapipe as mp

        first = subject.frames[0]
        keep = int(BACKTRACK_SECONDS * (geometry.nominal_fps or 30.0)) + 1
        start = max(0, first + 1 - keep)
        buffer: deque[tuple[int, np.ndarray]] = deque(maxlen=keep)
        with self._reader(path, size, first + 1 - start, start) as reader:
            for offset, frame in enumerate(reader):
                buffer.append((start + offset, frame.copy()))
        if not buffer or buffer[-1][0] != first:
            return
        landmarker = self._landmarker()
        try:
            for clock, (index, frame) in enumerate(reversed(buffer), start=1):
                image = mp.Image(image_format=mp.ImageFormat.SRGB, data=frame)
                poses = poses_from_result(landmarker.detect_for_video(image, clock * 33))
                if index == first:
                    continue
                head = PersonTrack()  # the subject's earliest pose, to continue backwards
                head.append(index, (subject.image[0], subject.world[0], subject.visibility[0]))
                near = [(d, i) for i, p in enumerate(poses) if (d := head.accepts(p)) is not None]
                if not near:
                    break
                subject.prepend(index, poses[min(near)[1]])
        finally:
            landmarker.close()


def _milliseconds(geometry: StreamGeometry, index: int) -> int:
    if index < len(geometry.times):
        return round(geometry.times[index] * 1000)
    return round(index * 1000 / (geometry.nominal_fps or 30.0))


def _follow(
    futures: list[Future[None]], parts: list[_Piece], total: int, progress: ProgressHook
) -> None:
    """Wait for the workers, reporting progress; re-raise the first worker error."""
    last = 0.0
    pending = set(futures)
    while pending:
        done, pending = wait(pending, timeout=0.25, return_when=FIRST_EXCEPTION)
        for future in done:
            future.result()  # raises the worker's error, if any
        now = time.monotonic()
        if now - last >= 0.25:
            last = now
            processed = sum(len(p.poses) for p in parts)
            progress(PROGRESS_POSE * min(1.0, processed / total), "detecting pose")


def _joined(parts: list[_Piece]) -> tuple[int, list[list[Pose]], list[tuple[float, float]]]:
    """Frame count, poses and shifts of the pieces end to end; a piece that ended early
    (a decode error part-way) ends the clip there."""
    poses: list[list[Pose]] = []
    shifts: list[tuple[float, float]] = []
    for piece in parts:
        poses.extend(piece.poses)
        shifts.extend(piece.shifts)
        if not piece.complete:
            break
    return len(poses), poses, shifts
