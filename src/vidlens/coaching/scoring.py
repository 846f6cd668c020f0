"""Scores from measurements, each with the evidence that produced it.

Every measurement becomes a **component score** in [0, 1] through one of three documented
ramps; a **category score** (0-10) is the weighted mean of its measured components::

    category = 10 * Σ(wᵢ · mᵢ · sᵢ) / Σ(wᵢ · mᵢ)        (over measured components only)

with ``wᵢ`` the component's base weight in that category (:data:`CATEGORY_COMPONENTS`),
``mᵢ`` the context profile's multiplier (1 by default) and ``sᵢ`` the component score. A
category with no measured component is ``None``. ``overall_score`` (0-100) is
``10 * Σ(W_c · category_c) / Σ(W_c)`` over the categories that have a score, ``W_c`` the
profile's category weights. Each score's ``confidence`` is the share of its weight that was
measured times ``min(1, seconds analysed / 30)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vidlens.coaching.measurements import Measurement, Measurements
from vidlens.coaching.profiles import CATEGORIES, ContextProfile

FULL_CONFIDENCE_SECONDS = 30.0
"""Talks at least this long are long enough for full confidence in a score."""


@dataclass(frozen=True, slots=True)
class Ramp:
    """How a measurement maps to [0, 1].

    ``band``: 1 inside ``[a, b]``, falling linearly to 0 at ``a - c`` and ``b + c``;
    ``rising``: 0 at or below ``a``, 1 at or above ``b``; ``falling``: 1 at or below ``a``,
    0 at or above ``b``.
    """

    kind: str
    a: float
    b: float
    c: float = 0.0

    def score(self, x: float) -> float:
        if self.kind == "band":
            if self.a <= x <= self.b:
                return 1.0
            distance = self.a - x if x < self.a else x - self.b
            return max(0.0, 1.0 - distance / self.c)
        if self.kind == "rising":
            return min(1.0, max(0.0, (x - self.a) / (self.b - self.a)))
        return min(1.0, max(0.0, (self.b - x) / (self.b - self.a)))

    def describe(self) -> str:
        if self.kind == "band":
            return (
                f"1 inside {self.a:g}-{self.b:g}, 0 at {self.a - self.c:g} or {self.b + self.c:g}"
            )
        if self.kind == "rising":
            return f"0 at or below {self.a:g}, 1 at or above {self.b:g}, linear between"
        return f"1 at or below {self.a:g}, 0 at or above {self.b:g}, linear between"


def ramps(profile: ContextProfile) -> dict[str, Ramp]:
    """The ramp of every measurement for this profile (targets depend on the profile)."""
    pace_low, pace_high = profile.pace_range
    pause_low, pause_high = profile.pause_ratio_range
    return {
        "pace": Ramp("band", pace_low, pace_high, 40.0),
        "filler_rate": Ramp("falling", 1.0, 8.0),
        "disfluency_rate": Ramp("falling", 0.5, 5.0),
        "pause_ratio": Ramp("band", pause_low, pause_high, 0.15),
        "long_pauses": Ramp("falling", 0.5, 3.0),
        "long_monologue": Ramp("falling", 25.0, 60.0),
        "hedge_rate": Ramp("falling", 1.0, 6.0),
        "intelligibility": Ramp("rising", 0.6, 0.85),
        "lexical_variety": Ramp("rising", 0.5, 0.72),
        "pitch_variation": Ramp("band", 2.5, 7.0, 1.5),
        "loudness_variation": Ramp("band", 4.0, 10.0, 3.0),
        "sentiment": Ramp("rising", -0.3, 0.4),
        "eye_contact": Ramp("rising", 0.3, 0.8),
        "head_stability": Ramp("falling", 10.0, 35.0),
        "smile": Ramp("rising", 0.0, 0.25),
        "facial_expressiveness": Ramp("rising", 0.02, 0.08),
    }


CATEGORY_COMPONENTS: Mapping[str, Mapping[str, float]] = {
    "clarity": {
        "filler_rate": 0.25,
        "pace": 0.20,
        "disfluency_rate": 0.15,
        "intelligibility": 0.15,
        "pause_ratio": 0.10,
        "lexical_variety": 0.10,
        "long_monologue": 0.05,
    },
    "confidence": {
        "eye_contact": 0.25,
        "hedge_rate": 0.20,
        "filler_rate": 0.10,
        "pace": 0.10,
        "pitch_variation": 0.10,
        "head_stability": 0.10,
        "long_pauses": 0.10,
    },
    "likeability": {
        "smile": 0.30,
        "sentiment": 0.25,
        "eye_contact": 0.20,
        "pitch_variation": 0.15,
        "loudness_variation": 0.10,
    },
    "authenticity": {
        "pitch_variation": 0.35,
        "facial_expressiveness": 0.30,
        "eye_contact": 0.20,
        "loudness_variation": 0.15,
    },
}
"""Base weight of each component inside each category (each row sums to 1 or close)."""


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    measurement: Measurement
    weight: float
    score: float | None
    rule: str

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "source": self.measurement.source,
            "measurement": self.measurement.to_dict()["value"],
            "unit": self.measurement.unit,
            "weight": round(self.weight, 4),
            "component_score": None if self.score is None else round(self.score, 3),
            "rule": self.rule,
        }
        if self.measurement.reason:
            data["unavailable"] = self.measurement.reason
        return data


@dataclass(frozen=True, slots=True)
class CategoryScore:
    name: str
    score: float | None
    confidence: float
    components: tuple[Component, ...]

    @property
    def measured(self) -> tuple[Component, ...]:
        return tuple(c for c in self.components if c.score is not None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": None if self.score is None else round(self.score, 1),
            "confidence": round(self.confidence, 2),
            "formula": "10 * Σ(weight * component_score) / Σ(weight), measured components only",
            "components": [c.to_dict() for c in self.components],
        }


@dataclass(frozen=True, slots=True)
class Scores:
    categories: dict[str, CategoryScore]
    overall: int | None
    overall_confidence: float
    category_weights: dict[str, float]

    def category_values(self) -> dict[str, float | None]:
        return {
            name: None if c.score is None else round(c.score, 1)
            for name, c in self.categories.items()
        }

    def evidence(self) -> dict[str, Any]:
        evidence: dict[str, Any] = {name: c.to_dict() for name, c in self.categories.items()}
        evidence["overall_score"] = {
            "score": self.overall,
            "confidence": round(self.overall_confidence, 2),
            "formula": "10 * Σ(category_weight * category_score) / Σ(category_weight), "
            "categories with a score only",
            "category_weights": self.category_weights,
        }
        return evidence


def score_all(measurements: Measurements, profile: ContextProfile, seconds: float) -> Scores:
    """The four categories and the overall score of one set of measurements.

    Arguments:
        measurements: from :func:`~vidlens.coaching.measurements.talk_measurements` or
            :func:`~vidlens.coaching.measurements.window_measurements`.
        profile: weights and targets.
        seconds: how much speech/video the measurements cover (for the confidence).
    """
    rules = ramps(profile)
    sufficiency = min(1.0, max(0.0, seconds) / FULL_CONFIDENCE_SECONDS)
    categories = {
        name: _category(name, measurements, rules, profile, sufficiency) for name in CATEGORIES
    }
    weights = dict(profile.category_weights)
    scored = [(weights[n], c) for n, c in categories.items() if c.score is not None]
    total = sum(w for w, _ in scored)
    overall = round(10 * sum(w * (c.score or 0.0) for w, c in scored) / total) if total else None
    confidence = sum(w * c.confidence for w, c in scored) / sum(weights.values()) if scored else 0.0
    return Scores(categories, overall, confidence, weights)


def _category(
    name: str,
    measurements: Measurements,
    rules: Mapping[str, Ramp],
    profile: ContextProfile,
    sufficiency: float,
) -> CategoryScore:
    components = []
    for component, base in CATEGORY_COMPONENTS[name].items():
        weight = base * profile.component_weights.get(component, 1.0)
        measurement = measurements.get(component) or Measurement(component, None, "not measured")
        rule = rules[component]
        value = measurement.value
        components.append(
            Component(
                component,
                measurement,
                weight,
                None if value is None else rule.score(value),
                f"{rule.kind}: {rule.describe()}",
            )
        )
    measured = [c for c in components if c.score is not None]
    total = sum(c.weight for c in components)
    have = sum(c.weight for c in measured)
    score = 10 * sum(c.weight * (c.score or 0.0) for c in measured) / have if have else None
    return CategoryScore(
        name, score, (have / total) * sufficiency if total else 0.0, tuple(components)
    )
