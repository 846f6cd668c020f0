"""How the foot lands (side view): overstride and the foot-strike pattern of every step.

**Overstride**: at each initial contact, the angle between the vertical through the hip and
the hip-to-heel line of the landing leg, positive when the heel lands ahead of the hip; also
how far ahead in cm. Score 1 at 5° or less, 0 at 15° or more, linear in between; levels:
``score_good`` from 0.67, ``score_okay`` from 0.34, else ``score_bad``. Overstriding is a
running notion: for walking the score is not applied (``applies`` false).

**Foot strike** per stance: strike angle = foot angle (heel → toe, from the horizontal,
positive toes up) at initial contact minus the flat-foot angle of the same stance (median over
its middle third, which absorbs camera tilt and the landmarks' own offset). Rearfoot above
:data:`REARFOOT`°, forefoot below :data:`FOREFOOT`°, midfoot between (the sagittal foot-strike
angle thresholds of Altman & Davis 2012). Confidence = landmark visibility x distance to the
nearest threshold / 5° (clipped to 0.3-1) x frame-rate factor (fps / 60, 0.5-1).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from vidlens.engines.pose.types import INDEX, FloatArray, PoseSequence
from vidlens.gait.angles import leg_on_ground
from vidlens.gait.geometry import nanmean, nanmedian, signed_from_vertical
from vidlens.gait.i18n import text
from vidlens.gait.measure import Measure, missing
from vidlens.gait.steps import Stance

REARFOOT = 8.0
FOREFOOT = -1.6
OVERSTRIDE_GOOD = 5.0
OVERSTRIDE_BAD = 15.0
KINDS = ("rearfoot", "midfoot", "forefoot")


def ramp(value: float, good: float, bad: float) -> float:
    """1 at ``good``, 0 at ``bad``, linear in between (either order)."""
    if good == bad:
        return 1.0
    return float(np.clip((value - bad) / (good - bad), 0.0, 1.0))


def level(score: float | None) -> str | None:
    """``score_good`` (≥ 0.67), ``score_okay`` (≥ 0.34) or ``score_bad``."""
    if score is None:
        return None
    if score >= 0.67:
        return "score_good"
    return "score_okay" if score >= 0.34 else "score_bad"


def _contact_angles(
    seq: PoseSequence, stances: list[Stance], facing: FloatArray, ppm: float | None
) -> tuple[list[float], list[float]]:
    """Hip-to-heel angle from the vertical at each contact, and the heel's lead in cm."""
    angles: list[float] = []
    distances: list[float] = []
    for stance in stances:
        frame = stance.contact
        leg = leg_on_ground(seq, stance, frame)
        hip = seq.pixels(f"{leg}_hip")[frame : frame + 1]
        heel = seq.pixels(f"{leg}_heel")[frame : frame + 1]
        at_contact = float(signed_from_vertical(hip, heel, facing[frame])[0])
        if math.isfinite(at_contact):
            angles.append(at_contact)
            if ppm is not None:
                distances.append(100.0 * float((heel[0, 0] - hip[0, 0]) * facing[frame]) / ppm)
    return angles, distances


def overstride(
    seq: PoseSequence,
    stances: list[Stance],
    facing: FloatArray,
    pixels_per_metre: float | None,
    gait: str | None,
    language: str,
) -> dict[str, Any]:
    """The ``overstride`` result (see the module docstring)."""
    angles, distances = _contact_angles(seq, stances, facing, pixels_per_metre)
    mean = nanmean(angles)
    applies = gait != "walking"
    score = None
    if mean is not None and applies:
        score = round(ramp(mean, OVERSTRIDE_GOOD, OVERSTRIDE_BAD), 2)
    angle = (
        Measure("overstride", mean, "deg", confidence=0.6, digits=1)
        if mean is not None
        else missing("overstride", "deg", "reason_no_contacts")
    )
    category = level(score)
    return {
        "label": text("overstride", language),
        "mean_angle": angle.number,
        "score": category,
        "score_label": None if category is None else text(category, language),
        "score_number": score,
        "heel_ahead_of_hip_cm": None if not distances else round(float(np.mean(distances)), 1),
        "contacts": len(angles),
        "applies": applies,
        "reason": None if applies else "not_running",
        "reason_text": None if applies else text("reason_not_running", language),
        "details": angle.details(language),
    }


def foot_angle(seq: PoseSequence, leg: str, frames: list[int], forward: float) -> FloatArray:
    """Heel-to-toe angle from the horizontal, degrees, positive toes up, on ``frames``."""
    heel = seq.pixels(f"{leg}_heel")[frames]
    toe = seq.pixels(f"{leg}_foot_index")[frames]
    dx = (toe[:, 0] - heel[:, 0]) * forward
    dy = heel[:, 1] - toe[:, 1]  # image y grows downwards
    return np.asarray(np.degrees(np.arctan2(dy, dx)), dtype=np.float64)


def foot_landing(
    seq: PoseSequence, stances: list[Stance], facing: FloatArray, language: str
) -> dict[str, Any]:
    """The ``foot_landing`` result: one entry per stance and the counts per kind."""
    steps = [s for s in (_strike(seq, stance, facing, language) for stance in stances) if s]
    counts = {kind: sum(1 for s in steps if s["type"] == kind) for kind in KINDS}
    dominant = max(counts, key=lambda k: counts[k]) if steps else None
    return {
        "label": text("foot_landing", language),
        "steps": steps,
        "counts": counts,
        "dominant": dominant,
        "dominant_label": None if dominant is None else text(dominant, language),
        "reason": None if steps else "no_contacts",
        "reason_text": None if steps else text("reason_no_contacts", language),
    }


def _strike(
    seq: PoseSequence, stance: Stance, facing: FloatArray, language: str
) -> dict[str, Any] | None:
    length = stance.toe_off - stance.contact
    if length < 3:
        return None
    forward = float(facing[stance.contact])
    leg = leg_on_ground(seq, stance, stance.contact)
    middle = list(range(stance.contact + length // 3, stance.contact + 2 * length // 3 + 1))
    flat = nanmedian(foot_angle(seq, leg_on_ground(seq, stance, stance.middle), middle, forward))
    at_contact = float(foot_angle(seq, leg, [stance.contact], forward)[0])
    if flat is None or not math.isfinite(at_contact):
        return None
    angle = at_contact - flat
    kind = "rearfoot" if angle > REARFOOT else "forefoot" if angle < FOREFOOT else "midfoot"
    margin = min(abs(angle - REARFOOT), abs(angle - FOREFOOT))
    ids = [INDEX[f"{leg}_heel"], INDEX[f"{leg}_foot_index"]]
    visibility = float(np.mean(seq.visibility[stance.contact, ids]))
    rate = float(np.clip(seq.video.fps / 60.0, 0.5, 1.0))
    return {
        "foot": stance.foot,
        "foot_label": text(stance.foot, language),
        "frame": stance.contact,
        "time": round(float(seq.times[stance.contact]), 3),
        "strike_angle": round(angle, 1),
        "type": kind,
        "label": text(kind, language),
        "confidence": round(visibility * float(np.clip(margin / 5.0, 0.3, 1.0)) * rate, 2),
    }
