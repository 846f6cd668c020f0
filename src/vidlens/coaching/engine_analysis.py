"""``engine_analysis`` (triage, emotion, governance, interpretation) and ``engine_kpis``.

Triage applies the first rule of :data:`TRIAGE_RULES` that fires, and says which one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vidlens.coaching.emotion import EMOTION_LIMITS
from vidlens.coaching.governance import Flag
from vidlens.coaching.scoring import Scores
from vidlens.coaching.speech_pass import SpeechPass
from vidlens.engines.delivery.kpis import RANGES

READY_OVERALL = 75
READY_CATEGORY = 6.0
SUPPORT_OVERALL = 45
SUPPORT_CATEGORY = 4.0
MIN_CONFIDENCE = 0.1

TRIAGE_RULES: tuple[tuple[str, str, str], ...] = (
    ("insufficient_data", "no_scores", "no category could be scored (no speech and no face)"),
    (
        "insufficient_data",
        "low_confidence",
        f"the scores rest on too little (overall confidence below {MIN_CONFIDENCE:g})",
    ),
    ("needs_support", "possible_distress", "the possible_distress flag is raised"),
    ("needs_support", "low_overall", f"overall_score below {SUPPORT_OVERALL}"),
    ("needs_support", "low_categories", f"two or more categories below {SUPPORT_CATEGORY:g}/10"),
    (
        "ready",
        "ready",
        f"overall_score at least {READY_OVERALL}, every scored category at least "
        f"{READY_CATEGORY:g}/10 and no action flag",
    ),
    ("needs_practice", "default", "no other rule fired"),
)
"""``(classification, rule id, rule)`` in the order they are tried."""


def _fires(rule: str, scores: Scores, flags: set[str]) -> bool:
    values = [v for v in scores.category_values().values() if v is not None]
    overall = scores.overall
    if rule == "no_scores":
        return overall is None
    if rule == "low_confidence":
        return scores.overall_confidence < MIN_CONFIDENCE
    if rule == "possible_distress":
        return "possible_distress" in flags
    if rule == "low_overall":
        return overall is not None and overall < SUPPORT_OVERALL
    if rule == "low_categories":
        return sum(1 for v in values if v < SUPPORT_CATEGORY) >= 2
    if rule == "ready":
        return (
            overall is not None
            and overall >= READY_OVERALL
            and all(v >= READY_CATEGORY for v in values)
            and not flags
        )
    return True


def triage(scores: Scores, flags: Sequence[Flag]) -> dict[str, Any]:
    """The classification, the rule that fired and the inputs it looked at."""
    names = {f.name for f in flags}
    for classification, rule_id, rule in TRIAGE_RULES:
        if _fires(rule_id, scores, names):
            return {
                "classification": classification,
                "rule_id": rule_id,
                "rule": rule,
                "inputs": {
                    "overall_score": scores.overall,
                    "category_scores": scores.category_values(),
                    "flags": sorted(names),
                },
                "rules_in_order": [f"{c}: {r}" for c, _, r in TRIAGE_RULES],
            }
    raise AssertionError("the last triage rule always fires")


def engine_kpis(speech: SpeechPass) -> dict[str, Any]:
    """The five KPIs of the delivery report, by name (value ``None`` with a note when the
    speech could not be measured)."""
    out: dict[str, Any] = {}
    kpis = speech.delivery.kpis if speech.delivery is not None else ()
    by_name = {k.name: k for k in kpis}
    for name, (unit, low, high) in RANGES.items():
        kpi = by_name.get(name)
        out[name] = {
            "value": None if kpi is None or kpi.value is None else round(kpi.value, 4),
            "unit": unit,
            "normal_range": {"low": low, "high": high},
            "in_range": None if kpi is None else kpi.in_range,
            "note": kpi.note if kpi is not None else (speech.unavailable_reason or "no speech"),
        }
    return out


def interpretation(
    *,
    scores: Scores,
    triage_result: dict[str, Any],
    emotion: dict[str, Any],
    flags: Sequence[Flag],
    speech: SpeechPass,
    face_samples: int,
    face_rate: float | None,
    duration: float,
) -> str:
    """A narrative that explains the numbers and states the limits of emotion inference."""
    words = len(speech.delivery.words) if speech.delivery is not None else 0
    rate = f" at {face_rate:.0f} a second" if face_rate else ""
    parts = [
        f"These results come from {words} words of speech and {face_samples} face samples"
        f"{rate} over {duration:.1f} s of video, with every score computed by the documented "
        "formulas in the evidence block."
    ]
    overall = scores.overall
    parts.append(
        f"Triage is {triage_result['classification'].replace('_', ' ')} because "
        f"{triage_result['rule']}" + (f" (overall {overall}/100)." if overall is not None else ".")
    )
    if flags:
        parts.append("Flags: " + "; ".join(f"{f.name} ({f.reason})" for f in flags) + ".")
    parts.append(_emotion_sentence(emotion))
    if emotion.get("enabled"):
        parts.append(EMOTION_LIMITS)
    return " ".join(parts)


def _emotion_sentence(emotion: dict[str, Any]) -> str:
    if not emotion.get("enabled"):
        return (
            "Emotion inference is switched off on this server: no facial expression or emotion "
            "was inferred, and no score, flag or triage rule used one."
        )
    overall = emotion.get("overall")
    if not overall:
        return f"No facial expression could be read: {emotion.get('reason', 'no face')}."
    shares = sorted(overall["distribution"].items(), key=lambda item: -item[1])[:3]
    listed = ", ".join(f"{label} {share:.0%}" for label, share in shares)
    return (
        f"Facial expression readings ({emotion['method']}): {listed}; mean confidence "
        f"{overall['confidence']:.2f} over {overall['samples']} samples. They describe "
        "visible facial movement, and only the possible_distress flag uses them, together "
        "with the words."
    )
