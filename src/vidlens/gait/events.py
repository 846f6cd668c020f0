"""Gait events: initial contact and toe-off per foot, each with a confidence.

Static camera, overground (the default): the ends of each footprint
(:mod:`~vidlens.gait.footprints`): the first frame on the ground is the initial contact, the
last one the toe-off. A contact on the first frame the runner is seen, or a toe-off on the
last one, may have happened outside the footage and is not reported.

Treadmill or a panning camera: the stance foot moves in the picture, so the foot's horizontal
position relative to the pelvis is used instead (Zeni et al. 2008): initial contact at the
heel's most forward point, toe-off at the toe's most backward point (peaks at least 0.3 s
apart, at least 0.15 leg lengths from the pelvis, prominence 0.2 leg lengths).

Confidence 0-1 = visibility of the foot landmarks around the event x (0.5 + 0.5 x how sharply
the foot speed changes there: the swing's peak speed / 4 leg lengths per second, clipped to
0.3-1) x (0.6 + 0.4 x frame-rate factor: fps / 60 clipped to 0.5-1, since one frame at 30 fps
is 33 ms).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from vidlens.engines.pose.types import INDEX, FloatArray, PoseSequence
from vidlens.gait.footprints import Footprint
from vidlens.gait.kinematics import FEET, Foot, Kinematics

EventType = Literal["initial_contact", "toe_off"]


@dataclass(frozen=True)
class GaitEvent:
    """One initial contact or toe-off.

    Attributes:
        foot: which foot.
        type: ``initial_contact`` or ``toe_off``.
        frame: frame index (0-based decoded frame).
        time: seconds from the first frame (stream timestamps).
        confidence: 0-1.
        heel: where the heel stood (pixels), when the event ends a footprint.
    """

    foot: Foot
    type: EventType
    frame: int
    time: float
    confidence: float
    heel: tuple[float, float] | None = None


def events_from_footprints(
    seq: PoseSequence, kin: Kinematics, footprints: list[Footprint]
) -> list[GaitEvent]:
    """Contacts and toe-offs at the ends of each footprint, in time order."""
    events: list[GaitEvent] = []
    last = seq.frame_count - 1
    for fp in footprints:
        speed = np.nan_to_num(kin.foot_speed[fp.foot], nan=0.0)
        if fp.start > 0 and seq.detected[fp.start - 1]:
            events.append(_event(seq, fp.foot, "initial_contact", fp.start, speed, heel=fp.heel))
        if fp.end < last and seq.detected[fp.end + 1]:
            events.append(_event(seq, fp.foot, "toe_off", fp.end, speed, heel=fp.heel))
    return sorted(events, key=lambda e: (e.frame, e.foot))


def events_relative_to_pelvis(
    seq: PoseSequence, kin: Kinematics, facing: FloatArray
) -> list[GaitEvent]:
    """Zeni's method; ``facing`` is +1 (image-right) or -1 per frame."""
    from scipy.signal import find_peaks  # type: ignore[import-untyped]  # no stubs

    events: list[GaitEvent] = []
    spacing = max(1, round(0.3 * seq.video.fps))
    pelvis = kin.pelvis[:, 0]
    for li, foot in enumerate(FEET):
        heel, toe = kin.points[:, li, 0, 0], kin.points[:, li, 1, 0]
        forward = np.nan_to_num(facing * (heel - pelvis) / kin.leg_px, nan=0.0)
        backward = np.nan_to_num(-facing * (toe - pelvis) / kin.leg_px, nan=0.0)
        speed = np.nan_to_num(kin.foot_speed[foot], nan=0.0)
        kinds: tuple[tuple[FloatArray, EventType], ...] = (
            (forward, "initial_contact"),
            (backward, "toe_off"),
        )
        for signal, kind in kinds:
            peaks, _ = find_peaks(signal, height=0.15, distance=spacing, prominence=0.2)
            for frame in peaks:
                if seq.detected[frame]:
                    events.append(_event(seq, foot, kind, int(frame), speed, sharp=False))
    return sorted(events, key=lambda e: (e.frame, e.foot))


def _event(
    seq: PoseSequence,
    foot: Foot,
    kind: EventType,
    frame: int,
    speed: FloatArray,
    *,
    sharp: bool = True,
    heel: tuple[float, float] | None = None,
) -> GaitEvent:
    reach = round(seq.video.fps * 0.3)
    window = speed[max(0, frame - reach) : frame + reach + 1]
    peak = float(np.max(window)) if sharp and window.size else None
    return GaitEvent(
        foot=foot,
        type=kind,
        frame=frame,
        time=float(seq.times[frame]),
        confidence=confidence(seq, foot, frame, peak),
        heel=heel,
    )


def confidence(seq: PoseSequence, foot: str, frame: int, peak: float | None) -> float:
    """The event confidence of the module docstring (``peak`` None: sharpness unknown, 1)."""
    lo, hi = max(0, frame - 2), min(seq.frame_count, frame + 3)
    ids = [INDEX[f"{foot}_heel"], INDEX[f"{foot}_foot_index"], INDEX[f"{foot}_ankle"]]
    visibility = float(np.clip(np.mean(seq.visibility[lo:hi][:, ids]), 0.0, 1.0))
    sharpness = 1.0 if peak is None else float(np.clip(peak / 4.0, 0.3, 1.0))
    rate = float(np.clip(seq.video.fps / 60.0, 0.5, 1.0))
    return round(visibility * (0.5 + 0.5 * sharpness) * (0.6 + 0.4 * rate), 3)


def events_from_leg_extension(seq: PoseSequence, kin: Kinematics) -> list[GaitEvent]:
    """Back view on a treadmill (the foot moves in the picture, forward is away from the
    camera): a foot is on the ground while its leg is extended, i.e. while the hip-to-ankle
    distance is above 80 % of the way from its 10th to its 90th percentile over the clip;
    initial contact where it rises above that level, toe-off where it falls below. Coarser
    than footprints (about ±2 frames more), but one contact per step."""
    events: list[GaitEvent] = []
    for foot in FEET:
        hip, ankle = seq.pixels(f"{foot}_hip"), seq.pixels(f"{foot}_ankle")
        length = np.linalg.norm(hip - ankle, axis=1)
        finite = length[np.isfinite(length)]
        if finite.size < 10:
            continue
        low, high = np.percentile(finite, [10, 90])
        down = np.nan_to_num(length, nan=0.0) >= low + 0.8 * (high - low)
        speed = np.nan_to_num(kin.foot_speed[foot], nan=0.0)
        for frame in np.flatnonzero(np.diff(down.astype(np.int8)) != 0) + 1:
            if not (seq.detected[frame] and seq.detected[frame - 1]):
                continue
            kind: EventType = "initial_contact" if down[frame] else "toe_off"
            at = int(frame if kind == "initial_contact" else frame - 1)
            events.append(_event(seq, foot, kind, at, speed, sharp=False))
    return sorted(events, key=lambda e: (e.frame, e.foot))
