"""From the subject's track to a :class:`PoseSequence`: frame times, clean-up, smoothing."""

from __future__ import annotations

import numpy as np

from vidlens.engines.pose.decode import StreamGeometry
from vidlens.engines.pose.filters import (
    describe_smoothing,
    drop_spikes,
    fill_gaps,
    repair_handedness,
    repair_swaps,
    smooth,
)
from vidlens.engines.pose.settings import PoseSettings
from vidlens.engines.pose.tracking import PersonTrack
from vidlens.engines.pose.types import FloatArray, PoseSequence, VideoInfo

VFR_SPREAD = 0.15
"""A stream is variable-frame-rate when its 5th or 95th percentile frame interval is more than
this fraction away from the median interval."""


def frame_times(geometry: StreamGeometry, count: int) -> tuple[FloatArray, bool]:
    """Presentation time of each decoded frame in seconds from the first, and whether the
    times come from the stream's timestamps (else from the declared rate)."""
    if len(geometry.times) >= count > 0:
        return np.asarray(geometry.times[:count], dtype=np.float64), True
    rate = geometry.nominal_fps or 30.0
    return np.arange(count, dtype=np.float64) / rate, False


def frame_rate(times: FloatArray, nominal: float | None) -> float:
    """Frames per second from the median frame interval; the declared rate when within 1 %."""
    intervals = np.diff(times)
    positive = intervals[intervals > 0]
    if not positive.size:
        return nominal or 30.0
    measured = float(1.0 / np.median(positive))
    if nominal and abs(measured / nominal - 1.0) < 0.01:
        return nominal
    return measured


def video_info(geometry: StreamGeometry, times: FloatArray, from_stream: bool) -> VideoInfo:
    """The stream as the analysis sees it (rotation applied, rate from the timestamps)."""
    count = int(times.shape[0])
    fps = frame_rate(times, geometry.nominal_fps)
    intervals = np.diff(times)
    vfr = bool(
        from_stream
        and intervals.size > 2
        and (
            np.percentile(intervals, 95) > (1 + VFR_SPREAD) / fps
            or np.percentile(intervals, 5) < (1 - VFR_SPREAD) / fps
        )
    )
    return VideoInfo(
        width=geometry.width,
        height=geometry.height,
        fps=fps,
        nominal_fps=geometry.nominal_fps,
        duration_seconds=float(times[-1] + 1.0 / fps) if count else 0.0,
        rotation=geometry.rotation,
        frame_count=count,
        variable_frame_rate=vfr,
    )


def _arrays(
    subject: PersonTrack, count: int
) -> tuple[FloatArray, FloatArray, FloatArray, np.ndarray]:
    """Image, world, visibility and detected arrays of ``count`` frames (NaN where unseen)."""
    image = np.full((count, 33, 3), np.nan)
    world = np.full((count, 33, 3), np.nan)
    visibility = np.zeros((count, 33))
    detected = np.zeros(count, dtype=bool)
    rows = np.asarray(subject.frames)
    keep = rows < count
    rows = rows[keep]
    image[rows] = np.stack(subject.image)[keep]
    world[rows] = np.stack(subject.world)[keep]
    visibility[rows] = np.stack(subject.visibility)[keep]
    detected[rows] = True
    return image, world, visibility, detected


def build_sequence(
    *,
    geometry: StreamGeometry,
    size: tuple[int, int],
    count: int,
    subject: PersonTrack,
    shifts: list[tuple[float, float]],
    people_max: int,
    settings: PoseSettings,
) -> PoseSequence:
    """The subject's landmarks on every frame (NaN where unseen), swap-repaired and smoothed.

    Order: left/right swap repair (:func:`repair_swaps`) → spike removal on image x, y →
    side-view handedness (:func:`repair_handedness`) → gap filling and zero-phase smoothing
    of image and world coordinates. ``shifts`` (per-frame background motion in pixels of the
    decoded ``size``) are accumulated and scaled to the displayed frame.
    """
    times, from_stream = frame_times(geometry, count)
    info = video_info(geometry, times, from_stream)
    image, world, visibility, detected = _arrays(subject, count)
    swaps, _ = repair_swaps(image, [world, visibility], aspect=size[0] / size[1])
    image[..., :2] = drop_spikes(image[..., :2])
    swaps += repair_handedness(image, [world, visibility])
    cutoff, gap = settings.smoothing_cutoff_hz, settings.max_gap_frames
    shift = np.cumsum(np.asarray(shifts[:count] or [(0.0, 0.0)], dtype=np.float64), axis=0)
    shift *= geometry.width / size[0]
    return PoseSequence(
        video=info,
        times=times,
        image=smooth(fill_gaps(image, gap), info.fps, cutoff),
        world=smooth(fill_gaps(world, gap), info.fps, cutoff),
        visibility=visibility,
        detected=detected,
        people_max=people_max,
        swaps_repaired=swaps,
        smoothing=describe_smoothing(info.fps, cutoff, gap),
        camera_shift=shift,
    )
