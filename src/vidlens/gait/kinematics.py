"""Per-frame foot and pelvis quantities shared by the event detectors, in display pixels.

Speeds are in leg lengths per second (the leg is the median hip-to-ankle distance of the
clip), so that thresholds do not depend on how far the camera is. In a side view only the
horizontal component counts (``axis="x"``): a planted foot does not travel forward, while its
landmarks still drift up and down as the foot rolls from heel to toe; in a back view the foot
travels up and down the picture, so both components count (``axis="xy"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from vidlens.engines.pose.types import INDEX, FloatArray, PoseSequence

Foot = Literal["left", "right"]
Axis = Literal["x", "xy"]
FEET: tuple[Foot, Foot] = ("left", "right")

EDGE_MARGIN = 0.015
"""Foot points within this share of the frame's left, right or bottom border are not used."""
MIN_VISIBILITY = 0.3
"""Foot points less visible than this (MediaPipe visibility) are not used."""


@dataclass(frozen=True)
class Kinematics:
    """Per-frame quantities of one pose sequence.

    Attributes:
        leg_px: median hip-to-ankle length in pixels (the unit of speeds).
        axis: ``x`` (side view) or ``xy`` (back view): which motion counts.
        pelvis: mid-hip position (N, 2) in pixels.
        points: foot points (N, 2 labels left/right, 2 points heel/toe, 2) in pixels, NaN
            where hidden, outside the frame or less visible than :data:`MIN_VISIBILITY`.
        foot_speed: per label, speed of the slower of heel and toe (N,), leg lengths / s.
    """

    leg_px: float
    axis: Axis
    pelvis: FloatArray
    points: FloatArray
    foot_speed: dict[Foot, FloatArray]

    def distance(self, a: FloatArray, b: FloatArray) -> FloatArray:
        """Distance between points along the counted axis (pixels); broadcasts."""
        if self.axis == "x":
            return np.asarray(np.abs(a[..., 0] - b[..., 0]), dtype=np.float64)
        return np.asarray(np.linalg.norm(a - b, axis=-1), dtype=np.float64)


def leg_length(seq: PoseSequence) -> float:
    """Median hip-centre to ankle-centre distance in pixels (a quarter of the frame height
    when the legs were never seen)."""
    hips = (seq.pixels("left_hip") + seq.pixels("right_hip")) / 2
    ankles = (seq.pixels("left_ankle") + seq.pixels("right_ankle")) / 2
    with np.errstate(invalid="ignore"):
        lengths = np.linalg.norm(hips - ankles, axis=1)
    finite = lengths[np.isfinite(lengths)]
    leg = float(np.median(finite)) if finite.size else float("nan")
    if not np.isfinite(leg) or leg <= 1:
        leg = float(seq.video.height) / 4
    return leg


def foot_points(seq: PoseSequence) -> FloatArray:
    """Heel and toe of each label in pixels, (N, 2, 2, 2), NaN where not usable."""
    width, height = seq.video.width, seq.video.height
    points = np.full((seq.frame_count, 2, 2, 2), np.nan)
    for li, foot in enumerate(FEET):
        for pi, name in enumerate(("heel", "foot_index")):
            xy = seq.pixels(f"{foot}_{name}")
            with np.errstate(invalid="ignore"):
                usable = (
                    (xy[:, 0] > EDGE_MARGIN * width)
                    & (xy[:, 0] < (1 - EDGE_MARGIN) * width)
                    & (xy[:, 1] < (1 - EDGE_MARGIN / 2) * height)
                    & (seq.visibility[:, INDEX[f"{foot}_{name}"]] >= MIN_VISIBILITY)
                )
            points[:, li, pi] = np.where(usable[:, None], xy, np.nan)
    return points


def kinematics(seq: PoseSequence, axis: Axis = "x") -> Kinematics:
    """Foot speeds, foot points and the pelvis path of ``seq``."""
    leg = leg_length(seq)
    points = foot_points(seq)
    fps = seq.video.fps
    speeds: dict[Foot, FloatArray] = {}
    for li, foot in enumerate(FEET):
        parts = []
        for pi in (0, 1):
            velocity = _gradient(points[:, li, pi]) * fps
            if axis == "x":
                parts.append(np.abs(velocity[:, 0]) / leg)
            else:
                parts.append(np.linalg.norm(velocity, axis=1) / leg)
        speeds[foot] = np.fmin(parts[0], parts[1])
    pelvis = (seq.pixels("left_hip") + seq.pixels("right_hip")) / 2
    return Kinematics(leg_px=leg, axis=axis, pelvis=pelvis, points=points, foot_speed=speeds)


def _gradient(values: FloatArray) -> FloatArray:
    if values.shape[0] < 2:
        return np.zeros_like(values)
    return np.asarray(np.gradient(values, axis=0), dtype=np.float64)
