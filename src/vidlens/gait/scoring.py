"""Scores: the overall biomechanical score with its components, and the running style.

**Components** (each scored 0-1): a value inside its good range scores 1; outside, the score
falls linearly to 0 at ``width`` beyond the nearer bound; the okay range is where the score is
at least 0.5 (half a width beyond the good range). :data:`RANGES` lists every range; the
overall score is the weighted mean (:data:`WEIGHTS`) of the components that could be scored
(a component whose value is missing, or that does not apply to walking, is left out and says
why). Side view: cadence, overstride, vertical oscillation, knee flexion at contact, trunk
lean. Back view: pronation, knee adduction, pelvic drop (pronation only with full_body=false).

**Running style** (side view), from the duty factor ``D`` and the pelvis's vertical
oscillation ``V`` relative to the leg length: walking when D > 0.5; otherwise aerial (D below
0.35) or grounded, and bouncy (V above 0.09) or flat: bouncer (aerial, bouncy), glider
(aerial, flat), pusher (grounded, bouncy), shuffler (grounded, flat). Each style's confidence
is its soft membership: logistic functions of (0.5 - D) / 0.03, (0.35 - D) / 0.03 and
(V - 0.09) / 0.015, multiplied along the style's branch, in percent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from vidlens.gait.i18n import text
from vidlens.gait.landing import level

WALKING_DUTY = 0.5
AERIAL_DUTY = 0.35
BOUNCY_OSCILLATION = 0.09


@dataclass(frozen=True)
class Range:
    """A component's good range and how fast its score falls outside it."""

    low: float
    high: float
    width: float
    unit: str


RANGES: dict[tuple[str, str], Range] = {
    ("running", "cadence"): Range(170.0, 190.0, 30.0, "steps/min"),
    ("walking", "cadence"): Range(100.0, 125.0, 25.0, "steps/min"),
    ("running", "overstride"): Range(-10.0, 5.0, 10.0, "deg"),
    ("running", "vertical_oscillation"): Range(4.0, 8.0, 6.0, "cm"),
    ("running", "knee_flexion_at_contact"): Range(15.0, 25.0, 10.0, "deg"),
    ("walking", "knee_flexion_at_contact"): Range(0.0, 10.0, 10.0, "deg"),
    ("running", "trunk_lean"): Range(2.0, 10.0, 10.0, "deg"),
    ("walking", "trunk_lean"): Range(-2.0, 6.0, 8.0, "deg"),
    ("any", "pronation"): Range(-2.0, 8.0, 6.0, "deg"),
    ("any", "knee_adduction"): Range(-5.0, 5.0, 8.0, "deg"),
    ("any", "pelvic_drop"): Range(0.0, 5.0, 4.0, "deg"),
}
"""(gait, component) → good range; ``any`` applies to both gaits."""
WEIGHTS = {
    "cadence": 0.25,
    "overstride": 0.25,
    "vertical_oscillation": 0.2,
    "knee_flexion_at_contact": 0.15,
    "trunk_lean": 0.15,
    "pronation": 0.4,
    "knee_adduction": 0.3,
    "pelvic_drop": 0.3,
}


def band_score(value: float, wanted: Range) -> float:
    """1 inside the range, falling linearly to 0 at ``width`` outside it."""
    if wanted.low <= value <= wanted.high:
        return 1.0
    distance = wanted.low - value if value < wanted.low else value - wanted.high
    return max(0.0, 1.0 - distance / wanted.width)


def component(
    key: str, value: float | None, gait: str | None, language: str, reason: str | None = None
) -> dict[str, Any]:
    """One scored component; ``reason`` (a text key) says why it is not scored."""
    wanted = RANGES.get((gait or "running", key)) or RANGES.get(("any", key))
    score: float | None = None
    if value is not None and math.isfinite(value) and wanted is not None and reason is None:
        score = band_score(value, wanted)
    elif reason is None:
        reason = "reason_not_running" if wanted is None else "reason_landmarks_hidden"
    body: dict[str, Any] = {
        "label": text(key, language),
        "value": None if value is None else round(value, 1),
        "unit": None if wanted is None else wanted.unit,
        "score": None if score is None else round(score, 2),
        "weight": WEIGHTS[key],
        "range_good": None if wanted is None else [wanted.low, wanted.high],
        "range_okay": None
        if wanted is None
        else [wanted.low - wanted.width / 2, wanted.high + wanted.width / 2],
        "level": level(score),
        "level_label": None if score is None else text(str(level(score)), language),
        "verdict": None,
        "reason": None if score is not None else str(reason).removeprefix("reason_"),
        "reason_text": None if score is not None else text(str(reason), language),
    }
    if score is not None and value is not None and wanted is not None:
        side = "good" if score == 1.0 else "low" if value < wanted.low else "high"
        body["verdict"] = text(
            f"verdict_{side}",
            language,
            label=body["label"],
            value=body["value"],
            unit=wanted.unit,
            low=f"{wanted.low:g}",
            high=f"{wanted.high:g}",
        )
    return body


def total_score(components: dict[str, dict[str, Any]], language: str) -> dict[str, Any]:
    """The weighted mean of the scored components (None when none could be scored)."""
    scored = [(c["score"], c["weight"]) for c in components.values() if c["score"] is not None]
    total = sum(s * w for s, w in scored) / sum(w for _, w in scored) if scored else None
    return {
        "label": text("total_score", language),
        "value": None if total is None else round(total, 3),
        "level": level(total),
        "level_label": None if total is None else text(str(level(total)), language),
        "components": components,
        "reason": None if scored else "no_contacts",
        "reason_text": None if scored else text("reason_no_contacts", language),
    }


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x))))


def running_styles(
    duty: float | None, oscillation: float | None, gait: str | None, language: str
) -> dict[str, Any]:
    """The ``running_styles`` result (see the module docstring)."""
    if duty is None and gait is None:
        return {
            "styles": [],
            "primary": None,
            "title": None,
            "percentage": None,
            "reason": "no_contacts",
            "reason_text": text("reason_no_contacts", language),
        }
    if duty is not None:
        walk = _sigmoid((duty - WALKING_DUTY) / 0.03)
        aerial = _sigmoid((AERIAL_DUTY - duty) / 0.03)
    else:
        walk, aerial = (1.0 if gait == "walking" else 0.0), 0.5
    bouncy = 0.5 if oscillation is None else _sigmoid((oscillation - BOUNCY_OSCILLATION) / 0.015)
    memberships = {
        "walking": walk,
        "bouncer": (1 - walk) * aerial * bouncy,
        "glider": (1 - walk) * aerial * (1 - bouncy),
        "pusher": (1 - walk) * (1 - aerial) * bouncy,
        "shuffler": (1 - walk) * (1 - aerial) * (1 - bouncy),
    }
    styles = [
        {
            "style": name,
            "title": text(name, language),
            "percentage": round(100.0 * share, 1),
            "summary": text(f"summary_style_{name}", language),
        }
        for name, share in sorted(memberships.items(), key=lambda item: -item[1])
    ]
    return {
        "styles": styles,
        "primary": styles[0]["style"],
        "title": styles[0]["title"],
        "percentage": styles[0]["percentage"],
        "summary": styles[0]["summary"],
        "inputs": {"duty_factor": duty, "vertical_oscillation_relative": oscillation},
        "reason": None,
        "reason_text": None,
    }
