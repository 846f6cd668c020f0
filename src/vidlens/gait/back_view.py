"""Frontal-plane angles seen from behind, averaged over each leg's stances (``gait_cycle``).

2-D projections in the picture, degrees; "medial" is toward the midline between the hips:

- **pronation** (proxy): the heel-to-ankle line from the vertical, positive when the ankle
  leans medially over the heel (eversion), negative laterally (supination).
- **hip adduction**: the thigh (hip → knee) from the vertical toward the midline, plus the
  pelvic drop.
- **knee adduction**: shank angle minus thigh angle toward the midline (positive: the knee
  bows outwards, varus; negative: it collapses inwards, valgus).
- **pelvic drop**: how far the swing-side hip sits below the stance-side hip, positive when it
  drops (the hip line's angle from the horizontal).

Per stance the mean and the peak (largest magnitude) over its frames; per leg the mean of the
stance means, with confidence 0.3 + 0.15 per stance (at most 1). ``full_body=false`` gives
pronation only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vidlens.engines.pose.types import FloatArray, PoseSequence
from vidlens.gait.i18n import text
from vidlens.gait.kinematics import FEET
from vidlens.gait.measure import Measure, missing
from vidlens.gait.steps import Stance

FULL_BODY = ("pronation", "hip_adduction", "knee_adduction", "pelvic_drop")


def frontal_series(seq: PoseSequence) -> dict[str, dict[str, FloatArray]]:
    """Per leg, per angle of the module docstring: the value on every frame."""
    px = seq.pixels
    mid_x = (px("left_hip")[:, 0] + px("right_hip")[:, 0]) / 2
    out: dict[str, dict[str, FloatArray]] = {}
    for side in FEET:
        other = "right" if side == "left" else "left"
        hip, knee, ankle, heel = (px(f"{side}_{n}") for n in ("hip", "knee", "ankle", "heel"))
        contra = px(f"{other}_hip")
        with np.errstate(invalid="ignore"):
            medial = np.sign(mid_x - heel[:, 0])
            medial[medial == 0] = 1.0
            pronation = np.degrees(
                np.arctan2((ankle[:, 0] - heel[:, 0]) * medial, heel[:, 1] - ankle[:, 1])
            )
            thigh = np.degrees(
                np.arctan2((knee[:, 0] - hip[:, 0]) * medial, knee[:, 1] - hip[:, 1])
            )
            shank = np.degrees(
                np.arctan2((ankle[:, 0] - knee[:, 0]) * medial, ankle[:, 1] - knee[:, 1])
            )
            drop = np.degrees(
                np.arctan2(contra[:, 1] - hip[:, 1], np.abs(contra[:, 0] - hip[:, 0]))
            )
        out[side] = {
            "pronation": pronation,
            "hip_adduction": thigh + drop,
            "knee_adduction": shank - thigh,
            "pelvic_drop": drop,
        }
    return out


def gait_cycle(
    seq: PoseSequence, stances: list[Stance], full_body: bool, language: str
) -> dict[str, Any]:
    """The ``gait_cycle`` result: stance means per leg and step-by-step data."""
    names = FULL_BODY if full_body else FULL_BODY[:1]
    series = frontal_series(seq)
    steps = [_step(seq, series, stance, names, language) for stance in stances]
    steps.sort(key=lambda s: s["initial_contact_frame"])
    legs: dict[str, Any] = {}
    for side in FEET:
        mine = [s for s in steps if s["foot"] == side]
        leg: dict[str, Any] = {"label": text(side, language), "stances": len(mine)}
        for name in FULL_BODY:
            leg[name] = _leg_mean(name, mine, language, name in names).details(language)
        legs[side] = leg
    return {
        "label": text("gait_cycle", language),
        "stance_means": legs,
        "steps": steps,
        "full_body": full_body,
    }


def leg_means(cycle: dict[str, Any], name: str) -> float | None:
    """Mean of both legs' stance means of ``name`` (for scoring), or None."""
    values = [cycle["stance_means"][s][name]["value"] for s in FEET]
    present = [v for v in values if v is not None]
    return float(np.mean(present)) if present else None


def _leg_mean(name: str, steps: list[dict[str, Any]], language: str, wanted: bool) -> Measure:
    del language
    if not wanted:
        return missing(name, "deg", "reason_pronation_only")
    means = [s[name]["mean"] for s in steps if s[name]["mean"] is not None]
    if not means:
        return missing(name, "deg", "reason_no_contacts")
    return Measure(
        name, float(np.mean(means)), "deg", confidence=min(1.0, 0.3 + 0.15 * len(means)), digits=1
    )


def _step(
    seq: PoseSequence,
    series: dict[str, dict[str, FloatArray]],
    stance: Stance,
    names: tuple[str, ...],
    language: str,
) -> dict[str, Any]:
    frames = np.arange(stance.contact, stance.toe_off + 1)
    values: dict[str, Any] = {}
    for name in names:
        window = series[stance.foot][name][frames]
        finite = window[np.isfinite(window)]
        values[name] = {
            "mean": None if not finite.size else round(float(finite.mean()), 1),
            "peak": None if not finite.size else round(float(finite[np.argmax(np.abs(finite))]), 1),
        }
    times = seq.times
    return {
        "foot": stance.foot,
        "foot_label": text(stance.foot, language),
        "initial_contact_frame": stance.contact,
        "toe_off_frame": stance.toe_off,
        "initial_contact_time": round(float(times[stance.contact]), 3),
        "toe_off_time": round(float(times[stance.toe_off]), 3),
        "contact_ms": round(
            1000.0 * (float(times[stance.toe_off] - times[stance.contact]) + 1.0 / seq.video.fps)
        ),
        **values,
    }
