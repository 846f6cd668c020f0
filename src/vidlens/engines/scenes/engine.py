"""The shot detector: a video in, its scenes out (see :mod:`.detector` for the rules)."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vidlens.engines.base import Availability, Engine, ProgressHook, no_progress
from vidlens.engines.scenes.detector import find_boundaries
from vidlens.engines.scenes.settings import SceneSettings
from vidlens.engines.scenes.types import Boundary, Scene, SceneResult, Transition
from vidlens.engines.video.decode import VideoProbe, iter_small_yuv_chunks
from vidlens.errors import MediaRejected

_PROGRESS_EVERY = 0.5
_LIMITED_BLACK, _LIMITED_SPAN = 16.0, 219.0


class SceneDetector(Engine):
    """Hard cuts and fades through black, from one decoding pass at full frame rate.

    Arguments:
        settings: thresholds and analysis size.
    """

    name = "vidlens-shots"
    kind = "scene-detection"

    def __init__(self, settings: SceneSettings | None = None) -> None:
        self.settings = settings or SceneSettings()

    def availability(self) -> Availability:
        if importlib.util.find_spec("av") is None:
            return Availability.missing("PyAV is not installed", hint="pip install av")
        return Availability.ok()

    def detect(self, video: Path, progress: ProgressHook | None = None) -> SceneResult:
        """Find the shots of ``video``.

        Arguments:
            video: any file with a video stream libavformat reads.
            progress: called with ``(fraction, phase)``.

        Returns:
            Scenes covering every decoded frame, and the boundaries between them.

        Raises:
            vidlens.errors.NotFound: the file does not exist.
            vidlens.engines.face.errors.VideoUnreadable: not media, no video stream, or
                nothing decodes.
            vidlens.errors.MediaRejected: longer than ``max_duration_seconds``.
        """
        report = progress or no_progress
        started = time.perf_counter()
        report(0.0, "detecting scenes")
        info, changes, luma, skips, times = self._features(video, report)
        boundaries = find_boundaries(changes, luma, info.fps, self.settings, skips)
        elapsed = time.perf_counter() - started
        report(1.0, None)
        return build_result(
            info,
            times,
            boundaries,
            processing={
                "processing_seconds": elapsed,
                "frames_per_second": len(times) / elapsed if elapsed > 0 else 0.0,
            },
        )

    def _features(
        self, video: Path, report: ProgressHook
    ) -> tuple[VideoProbe, list[float], list[float], list[float], list[float]]:
        width = self.settings.analysis_width
        probed: list[VideoProbe] = []

        def check(info: VideoProbe) -> None:
            if info.duration > self.settings.max_duration_seconds:
                raise MediaRejected(
                    f"the video lasts {info.duration:.0f} s; shot detection accepts at most "
                    f"{self.settings.max_duration_seconds:.0f} s",
                    duration=info.duration,
                )
            probed.append(info)

        features = ShotFeatures()
        times: list[float] = []
        last_report = time.monotonic()
        chunks = iter_small_yuv_chunks(
            video,
            width=width,
            chunk=_CHUNK,
            threads=self.settings.decode_threads,
            on_probe=check,
        )
        for chunk_times, frames in chunks:
            features.add(frames)
            times.extend(chunk_times)
            if time.monotonic() - last_report >= _PROGRESS_EVERY:
                last_report = time.monotonic()
                total = probed[0].frame_count if probed else 1
                report(min(0.99, len(times) / max(1, total)), "detecting scenes")
        changes, luma, skips = features.finish()
        return probed[0], changes, luma, skips, times


_CHUNK = 64
"""Frames scored together: large enough to leave little per-frame Python, small enough for
the int16 temporaries to stay in cache (256 frames of 160x107 were slower)."""


class ShotFeatures:
    """Per-frame change, two-frame change and luma of small ``(3, h, w)`` frames, computed a
    chunk at a time; the last two frames of each chunk are carried into the next (not
    across a change of frame size: the first frame of a new size scores no change)."""

    def __init__(self) -> None:
        self._carried: Any = None
        self.changes: list[float] = []
        self.skips: list[float] = []
        self.luma: list[float] = []

    def add(self, frames: Any) -> None:
        """Score ``frames``, a ``(n, 3, h, w)`` uint8 array (the frames that follow)."""
        import numpy as np

        if not len(frames):
            return
        carried = self._carried
        if carried is not None and carried.shape[1:] != frames.shape[1:]:
            carried = None
        new = frames.astype(np.int16)
        block = new if carried is None else np.concatenate([carried, new])
        held = 0 if carried is None else len(carried)
        y = new[:, 0].mean(axis=(1, 2))
        self.luma.extend(np.clip((y - _LIMITED_BLACK) * 255.0 / _LIMITED_SPAN, 0.0, 255.0).tolist())
        axes = (1, 2, 3)
        one = np.abs(block[1:] - block[:-1]).mean(axis=axes).tolist()  # into frames 1..
        two = np.abs(block[2:] - block[:-2]).mean(axis=axes).tolist() if len(block) > 2 else []
        for k in range(held, len(block)):  # frame k gets one[k - 1] and two[k - 2]
            self.changes.append(one[k - 1] if k >= 1 else 0.0)
            self.skips.append(two[k - 2] if k >= 2 else 0.0)
        self._carried = block[-2:].copy()

    def finish(self) -> tuple[list[float], list[float], list[float]]:
        """``(changes, luma, skips)``, one value per frame added."""
        return self.changes, self.luma, self.skips


def build_result(
    info: VideoProbe,
    times: Sequence[float],
    boundaries: Sequence[Boundary],
    *,
    processing: dict[str, float] | None = None,
) -> SceneResult:
    """Scenes from boundaries: one scene per stretch between boundaries, with times."""
    count = len(times)
    frame_seconds = 1.0 / info.fps if info.fps > 0 else 0.0
    duration = (times[-1] + frame_seconds) if times else 0.0
    starts = [0, *(b.frame for b in boundaries)]
    kinds: list[Transition] = ["start", *(b.kind for b in boundaries)]
    scenes = []
    for index, (start, kind) in enumerate(zip(starts, kinds, strict=True)):
        end = starts[index + 1] if index + 1 < len(starts) else count
        scenes.append(
            Scene(
                index=index,
                start_frame=start,
                end_frame=end,
                start=times[start] if count else 0.0,
                end=times[end] if end < count else duration,
                transition=kind,
            )
        )
    return SceneResult(
        fps=info.fps,
        frame_count=count,
        duration=duration,
        width=info.width,
        height=info.height,
        scenes=tuple(scenes),
        boundaries=tuple(boundaries),
        processing=processing or {},
    )
