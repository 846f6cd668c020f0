"""Sagittal joint angles (side view), per frame and at the phases of each stance, in degrees.

Definitions (2-D, in the picture; ``facing`` gives the runner's forward direction per frame):

- **ankle**: dorsiflexion = 90 - angle between the shank (ankle → knee) and the foot
  (heel → toe); 0 with the shank vertical on a flat foot, positive with the toes pulled up.
- **knee**: flexion = 180 - angle hip-knee-ankle (0 = straight leg).
- **hip**: angle of the thigh (hip → knee) from the trunk line (shoulder → hip, extended
  downwards), positive when the thigh points forward (flexion), negative behind (extension).
- **shoulder**: angle of the upper arm (shoulder → elbow) from the trunk line, positive forward.
- **elbow**: flexion = 180 - angle shoulder-elbow-wrist.

At **initial contact**, **mid-stance** (the middle frame of the stance) and **toe-off** the
angle is read on the leg that stands on the footprint at that frame (the label whose heel or
toe is nearest to it: MediaPipe's left/right labels swap now and then at leg crossings), and
averaged over that foot's stances. **min**, **max** and **range** are the 2nd and 98th
percentiles over every frame with the runner, and their difference.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vidlens.engines.pose.types import FloatArray, PoseSequence
from vidlens.gait.geometry import angle_between, joint_angle, nanmean, signed_between
from vidlens.gait.i18n import text
from vidlens.gait.kinematics import FEET, Foot
from vidlens.gait.steps import Stance

JOINTS = ("ankle", "knee", "hip", "shoulder", "elbow")
PHASES = ("initial_contact", "mid_stance", "toe_off")
Series = dict[str, dict[str, FloatArray]]
"""Per label (left/right), per joint: the angle on every frame."""


def joint_series(seq: PoseSequence, facing: FloatArray) -> Series:
    """Every joint angle of both labels on every frame (NaN where a point is missing)."""
    out: Series = {}
    for side in FEET:
        px = seq.pixels
        hip, knee, ankle = px(f"{side}_hip"), px(f"{side}_knee"), px(f"{side}_ankle")
        heel, toe, shoulder = px(f"{side}_heel"), px(f"{side}_foot_index"), px(f"{side}_shoulder")
        elbow, wrist = px(f"{side}_elbow"), px(f"{side}_wrist")
        trunk_down = hip - shoulder
        out[side] = {
            "ankle": 90.0 - angle_between(knee - ankle, toe - heel),
            "knee": 180.0 - joint_angle(hip, knee, ankle),
            "hip": signed_between(trunk_down, knee - hip, facing),
            "shoulder": signed_between(trunk_down, elbow - shoulder, facing),
            "elbow": 180.0 - joint_angle(shoulder, elbow, wrist),
        }
    return out


def leg_on_ground(seq: PoseSequence, stance: Stance, frame: int) -> Foot:
    """The label standing on ``stance``'s footprint at ``frame`` (its foot when unknown)."""
    if stance.heel is None:
        return stance.foot
    home = np.asarray(stance.heel)
    best: tuple[float, Foot] | None = None
    for side in FEET:
        for point in ("heel", "foot_index"):
            xy = seq.pixels(f"{side}_{point}")[frame]
            if np.isfinite(xy).all():
                distance = float(np.linalg.norm(xy - home))
                if best is None or distance < best[0]:
                    best = (distance, side)
    return stance.foot if best is None else best[1]


def phase_frame(stance: Stance, phase: str) -> int:
    if phase == "initial_contact":
        return stance.contact
    if phase == "toe_off":
        return stance.toe_off
    return stance.middle


def phase_value(
    seq: PoseSequence, series: Series, stances: list[Stance], joint: str, phase: str
) -> float | None:
    """Mean ``joint`` angle at ``phase`` over ``stances``, on the leg on the ground."""
    values = []
    for stance in stances:
        frame = phase_frame(stance, phase)
        values.append(series[leg_on_ground(seq, stance, frame)][joint][frame])
    return nanmean(values)


def joint_angles(
    seq: PoseSequence, series: Series, stances: list[Stance], language: str
) -> dict[str, Any]:
    """The ``joint_angles`` result: per joint and side, phase means and the range."""
    result: dict[str, Any] = {}
    for joint in JOINTS:
        entry: dict[str, Any] = {"label": text(joint, language), "unit": "deg"}
        for side in FEET:
            mine = [s for s in stances if s.foot == side]
            values = series[side][joint][seq.detected]
            finite = values[np.isfinite(values)]
            low = float(np.percentile(finite, 2)) if finite.size else None
            high = float(np.percentile(finite, 98)) if finite.size else None
            phases = {p: _round(phase_value(seq, series, mine, joint, p)) for p in PHASES}
            entry[side] = {
                "label": text(side, language),
                **phases,
                "min": _round(low),
                "max": _round(high),
                "range": None if low is None or high is None else _round(high - low),
                "stances": len(mine),
            }
        result[joint] = entry
    result["phase_labels"] = {p: text(p, language) for p in PHASES}
    return result


def _round(value: float | None) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 1)
