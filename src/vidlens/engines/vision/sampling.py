"""One sampled decoding pass over a video, shared by every frame analyser of a job.

OCR, moderation and labels all look at the same frames: the video is decoded once by
:func:`vidlens.engines.face.frames.iter_frames` at ``sample_fps`` (frames scaled to fit
``max_side``) and each frame is handed to every analyser in turn, so asking for three
visual features costs one decode, not three.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from vidlens.engines.base import ProgressHook, no_progress
from vidlens.engines.face.frames import Frame, VideoInfo, iter_frames, probe_video, sample_rate


class FrameAnalyser(Protocol):
    """Something that looks at sampled frames in order."""

    def observe(self, frame: Frame) -> None:
        """Look at one frame (called in timestamp order)."""


@dataclass(frozen=True, slots=True)
class SamplingPlan:
    """How frames are sampled.

    Attributes:
        sample_fps: frames a second (capped at the video's own rate).
        max_side: frames are scaled down so the longer side fits this many pixels.
        ffmpeg, ffprobe: executables.
        timeout_seconds: longest decode allowed.
    """

    sample_fps: float = 1.0
    max_side: int = 1280
    ffmpeg: str = "ffmpeg"
    ffprobe: str = "ffprobe"
    timeout_seconds: float = 3600.0


@dataclass(frozen=True, slots=True)
class SampledVideo:
    """What the pass saw: the stream's properties, the interval between samples and the
    number of frames analysed."""

    info: VideoInfo
    interval: float
    frames: int


def run_frames(
    path: Path,
    analysers: Sequence[FrameAnalyser],
    plan: SamplingPlan,
    *,
    info: VideoInfo | None = None,
    progress: ProgressHook = no_progress,
) -> SampledVideo:
    """Decode ``path`` once and feed every sampled frame to each analyser.

    Raises:
        vidlens.engines.face.errors.VideoUnreadable: no video stream, or it does not decode.
        MediaRejected: decoding took longer than the plan allows.
        EngineUnavailable: ffmpeg / ffprobe missing.
    """
    info = info or probe_video(path, ffprobe=plan.ffprobe)
    rate = sample_rate(info, plan.sample_fps)
    expected = max(1.0, info.duration * rate)
    count = 0
    for frame in iter_frames(
        path,
        info,
        sample_fps=plan.sample_fps,
        max_side=plan.max_side,
        ffmpeg=plan.ffmpeg,
        timeout_seconds=plan.timeout_seconds,
    ):
        for analyser in analysers:
            analyser.observe(frame)
        count += 1
        progress(min(1.0, count / expected), None)
    return SampledVideo(info=info, interval=1.0 / rate, frames=count)
