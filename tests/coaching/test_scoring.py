"""Scores from measurements: the ramps, the weighted means, missing measurements, profiles."""

from __future__ import annotations

import pytest

from vidlens.coaching.measurements import Measurement, Measurements
from vidlens.coaching.profiles import DEFAULT, PROFILES, resolve_profile
from vidlens.coaching.scoring import CATEGORY_COMPONENTS, Ramp, ramps, score_all

GOOD = {
    "pace": 140.0, "filler_rate": 0.5, "disfluency_rate": 0.2, "pause_ratio": 0.15,
    "long_pauses": 0.0, "long_monologue": 12.0, "hedge_rate": 0.5, "intelligibility": 0.9,
    "lexical_variety": 0.8, "pitch_variation": 4.0, "loudness_variation": 6.0,
    "sentiment": 0.5, "eye_contact": 0.9, "head_stability": 5.0, "smile": 0.3,
    "facial_expressiveness": 0.1,
}  # fmt: skip


def measured(values: dict[str, float | None]) -> Measurements:
    return {n: Measurement(n, v, None if v is not None else "gone") for n, v in values.items()}


def test_ramps() -> None:
    band = Ramp("band", 120, 160, 40)
    assert band.score(140) == 1.0
    assert band.score(180) == pytest.approx(0.5)
    assert band.score(80) == 0.0
    assert band.score(60) == 0.0
    assert Ramp("rising", 0.3, 0.8).score(0.55) == pytest.approx(0.5)
    assert Ramp("rising", 0.3, 0.8).score(0.9) == 1.0
    assert Ramp("falling", 1, 8).score(4.5) == pytest.approx(0.5)
    assert Ramp("falling", 1, 8).score(0.0) == 1.0
    assert "1 inside 120-160" in band.describe()


def test_perfect_measurements_score_ten_everywhere() -> None:
    scores = score_all(measured(dict(GOOD)), DEFAULT, seconds=60)
    assert scores.category_values() == {
        "likeability": 10.0, "authenticity": 10.0, "clarity": 10.0, "confidence": 10.0,
    }  # fmt: skip
    assert scores.overall == 100
    assert scores.overall_confidence == pytest.approx(1.0)


def test_category_is_the_weighted_mean_of_its_measured_components() -> None:
    values: dict[str, float | None] = dict(GOOD)
    values["filler_rate"] = 4.5  # falling 1..8: 0.5
    values["pace"] = 180.0  # band 120-160 ±40: 0.5
    values["intelligibility"] = None  # not measured: its weight drops out
    scores = score_all(measured(values), DEFAULT, seconds=60)
    weights = dict(CATEGORY_COMPONENTS["clarity"])
    del weights["intelligibility"]
    component = {n: 1.0 for n in weights} | {"filler_rate": 0.5, "pace": 0.5}
    expected = 10 * sum(weights[n] * component[n] for n in weights) / sum(weights.values())
    clarity = scores.categories["clarity"]
    assert clarity.score == pytest.approx(expected)
    # confidence: the measured share of the weight (60 s: full sufficiency)
    assert clarity.confidence == pytest.approx(sum(weights.values()) / 1.0)
    evidence = scores.evidence()["clarity"]
    names = [c["name"] for c in evidence["components"]]
    assert names == list(CATEGORY_COMPONENTS["clarity"])
    gone = next(c for c in evidence["components"] if c["name"] == "intelligibility")
    assert gone["component_score"] is None
    assert gone["unavailable"] == "gone"
    # the overall score is the category-weighted mean, on 0-100
    values_by = scores.category_values()
    assert scores.overall == round(10 * sum(0.25 * (v or 0) for v in values_by.values()))


def test_nothing_measured_gives_no_scores() -> None:
    scores = score_all(measured({n: None for n in GOOD}), DEFAULT, seconds=60)
    assert scores.overall is None
    assert set(scores.category_values().values()) == {None}
    assert scores.overall_confidence == 0.0


def test_short_talks_get_lower_confidence() -> None:
    scores = score_all(measured(dict(GOOD)), DEFAULT, seconds=6)
    assert scores.categories["clarity"].confidence == pytest.approx(0.2)


def test_profiles_change_targets_and_weights() -> None:
    interview = resolve_profile("Job interview practice")
    assert interview.profile.key == "job_interview"
    assert interview.matched == "interview"
    values: dict[str, float | None] = dict(GOOD)
    values["hedge_rate"] = 6.0  # falling 1..6: 0
    general = score_all(measured(values), DEFAULT, 60).categories["confidence"].score
    strict = score_all(measured(values), interview.profile, 60).categories["confidence"].score
    assert general is not None
    assert strict is not None
    assert strict < general  # hedging weighs 1.5x in an interview
    presentation = next(p for p in PROFILES if p.key == "presentation")
    assert ramps(presentation)["pace"].b == 150.0
    assert sum(presentation.category_weights.values()) == pytest.approx(1.0)
    for profile in (DEFAULT, *PROFILES):
        assert sum(profile.category_weights.values()) == pytest.approx(1.0)
