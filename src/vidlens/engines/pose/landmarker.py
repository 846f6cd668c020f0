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
across the cut by the same torso-distance rule as between any two frames. When the first
piece ends before the others, the backward tracking of its likeliest late-starting people is
started at once, on the core it left free (:class:`_Backward`); the subject's is used when the
guess was right, so the result never depends on the timing.

Each landmarker is created per piece and closed explicitly (``close()``), as MediaPipe needs.

Given a :class:`~vidlens.engines.pose.frames.FrameStore`, the workers keep every decoded frame
in it (when the clip fits its budget), so that the caller (the annotated video) need not decode
the file again.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
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
    chain_tracks,
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
GUESSES = 2
"""People of the first piece tracked backwards before the subject is known."""
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
        ranges = self._ranges(geometry)
        backward: list[_Backward] = []
        threads = len(ranges) + GUESSES
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="pose") as pool:
            try:
                parts, backward = self._forward(pool, path, geometry, size, ranges, store, progress)
                count, poses, shifts = _joined(parts)
                tracks: list[PersonTrack] = []
                for index, frame_poses in enumerate(poses):
                    associate(tracks, index, frame_poses)
                aspect = size[0] / size[1]
                subject = choose_subject(tracks, aspect, geometry.nominal_fps or 30.0)
                if subject is None:
                    raise MediaRejected(
                        "Nobody was detected in the video: film the runner's whole body.",
                        code="no_person_detected",
                    )
                if subject.frames[0] > 0:
                    progress(PROGRESS_POSE, "tracking back")
                    self._track_back(path, size, geometry, subject, backward)
            finally:
                for guess in backward:
                    guess.cancel.set()  # no-op once used; stops the guesses that were wrong
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

    def _ranges(self, geometry: StreamGeometry) -> list[tuple[int, int]]:
        known = len(geometry.times)
        limit = self.settings.max_frames
        return pieces(min(known, limit), self.settings.workers) if known else [(0, limit)]

    def _forward(
        self,
        pool: ThreadPoolExecutor,
        path: Path,
        geometry: StreamGeometry,
        size: tuple[int, int],
        ranges: list[tuple[int, int]],
        store: FrameStore,
        progress: ProgressHook,
    ) -> tuple[list[_Piece], list[_Backward]]:
        """Run the pieces in parallel; report progress from this thread. When the first
        piece is done before the others, the backward tracking of its likeliest subject is
        started at once (see :class:`_Backward`)."""
        parts = [_Piece(start, stop) for start, stop in ranges]
        stop = threading.Event()
        total = max(1, sum(p.stop - p.start for p in parts))
        futures = [
            pool.submit(self._run_piece, path, geometry, size, p, store, stop) for p in parts
        ]
        backward: list[_Backward] = []

        def first_done() -> None:
            if len(parts) > 1 and parts[0].complete:
                backward.extend(self._guess_backward(pool, path, size, geometry, parts[0]))

        try:
            _follow(futures, parts, total, progress, first_done)
        except BaseException:
            for guess in backward:
                guess.cancel.set()
            raise
        finally:
            stop.set()
        return parts, backward

    def _guess_backward(
        self,
        pool: ThreadPoolExecutor,
        path: Path,
        size: tuple[int, int],
        geometry: StreamGeometry,
        piece: _Piece,
    ) -> list[_Backward]:
        """Start tracking backwards the :data:`GUESSES` people of the first piece alone that
        begin after frame 0 and move their legs the most (the rule of
        :func:`choose_subject`): the subject of the whole clip is only known once every
        piece is done, and is mostly one of them."""
        tracks: list[PersonTrack] = []
        for index, frame_poses in enumerate(piece.poses):
            associate(tracks, index, frame_poses)
        aspect, fps = size[0] / size[1], geometry.nominal_fps or 30.0
        late = [t for t in chain_tracks(tracks) if t.frames[0] > 0]
        late.sort(key=lambda t: t.leg_motion(aspect, fps), reverse=True)
        guesses = []
        for track in late[:GUESSES]:
            pose = (track.image[0], track.world[0], track.visibility[0])
            cancel = threading.Event()
            future = pool.submit(
                self._backward_poses, path, size, geometry, track.frames[0], pose, cancel
            )
            guesses.append(_Backward(track.frames[0], pose, future, cancel))
        return guesses

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
        guesses: list[_Backward],
    ) -> None:
        """Prepend to the subject's track its poses tracked backwards from its first
        detection (:meth:`_backward_poses`): a guess's, when it was started from the same
        frame and pose (the same computation, done while the last pieces ran), else now."""
        first = subject.frames[0]
        pose = (subject.image[0], subject.world[0], subject.visibility[0])
        found: list[tuple[int, Pose]] | None = None
        for guess in guesses:
            if guess.first == first and _same(guess.pose, pose):
                with contextlib.suppress(_Stop):
                    found = guess.future.result()
            else:
                guess.cancel.set()
        if found is None:
            found = self._backward_poses(path, size, geometry, first, pose, None)
        for index, earlier in found:
            subject.prepend(index, earlier)

    def _backward_poses(
        self,
        path: Path,
        size: tuple[int, int],
        geometry: StreamGeometry,
        first: int,
        pose: Pose,
        cancel: threading.Event | None,
    ) -> list[tuple[int, Pose]]:
        """The poses continuing ``pose`` (seen on frame ``first``) backwards in time, latest
        first.

        The frames up to the first detection are decoded again (only the last
        :data:`BACKTRACK_SECONDS` are kept; not taken from the frame store, whose YUV 4:2:0
        copies differ slightly from the decoded RGB and moved the tracked landmarks enough to
        lose a step on a labelled clip) and fed in reverse order to a fresh VIDEO-mode
        landmarker, starting on the first detected frame so that its tracker locks on to the
        subject; each pose continuing the previous one is kept, until one does not.

        Raises:
            _Stop: ``cancel`` was set.
        """
        import mediapipe as mp

        keep = int(BACKTRACK_SECONDS * (geometry.nominal_fps or 30.0)) + 1
        start = max(0, first + 1 - keep)
        buffer: deque[tuple[int, np.ndarray]] = deque(maxlen=keep)
        with self._reader(path, size, first + 1 - start, start) as reader:
            for offset, frame in enumerate(reader):
                if cancel is not None and cancel.is_set():
                    raise _Stop
                buffer.append((start + offset, frame.copy()))
        if not buffer or buffer[-1][0] != first:
            return []
        found: list[tuple[int, Pose]] = []
        landmarker = self._landmarker()
        try:
            for clock, (index, frame) in enumerate(reversed(buffer), start=1):
                if cancel is not None and cancel.is_set():
                    raise _Stop
                image = mp.Image(image_format=mp.ImageFormat.SRGB, data=frame)
                poses = poses_from_result(landmarker.detect_for_video(image, clock * 33))
                if index == first:
                    continue
                head = PersonTrack()  # the earliest pose so far, to continue backwards
                head.append(index, pose)
                near = [(d, i) for i, p in enumerate(poses) if (d := head.accepts(p)) is not None]
                if not near:
                    break
                pose = poses[min(near)[1]]
                found.append((index, pose))
        finally:
            landmarker.close()
        return found


@dataclass
class _Backward:
    """A backward tracking started on a guess (see
    :meth:`MediaPipePoseEngine._guess_backward`) as soon as the first piece is done, while
    the others still run. It is used when the subject chosen at the end starts on the same
    frame with the same pose (so the result is exactly what tracking back then would give);
    else it is cancelled."""

    first: int
    pose: Pose
    future: Future[list[tuple[int, Pose]]]
    cancel: threading.Event


def _same(a: Pose, b: Pose) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def _milliseconds(geometry: StreamGeometry, index: int) -> int:
    if index < len(geometry.times):
        return round(geometry.times[index] * 1000)
    return round(index * 1000 / (geometry.nominal_fps or 30.0))


def _follow(
    futures: list[Future[None]],
    parts: list[_Piece],
    total: int,
    progress: ProgressHook,
    first_done: Callable[[], None],
) -> None:
    """Wait for the workers, reporting progress; re-raise the first worker error; call
    ``first_done`` once when the first piece has ended while others still run."""
    last = 0.0
    pending = set(futures)
    called = False
    while pending:
        done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
        for future in done:
            future.result()  # raises the worker's error, if any
        if not called and futures[0].done() and pending:
            called = True
            first_done()
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
