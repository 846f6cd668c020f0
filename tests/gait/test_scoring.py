"""Score components, levels, the total and the running styles, on exact inputs."""

from __future__ import annotations

import pytest

from vidlens.gait.landing import level, ramp
from vidlens.gait.scoring import RANGES, band_score, component, running_styles, total_score


def test_band_score_is_one_inside_and_falls_linearly_outside() -> None:
    cadence = RANGES[("running", "cadence")]  # 170-190, width 30
    assert band_score(180, cadence) == 1.0
    assert band_score(155, cadence) == pytest.approx(0.5)
    assert band_score(140, cadence) == 0.0
    assert band_score(205, cadence) == pytest.approx(0.5)


def test_component_verdicts_and_reasons() -> None:
    low = component("cadence", 150.0, "running", "en")
    assert low["score"] == pytest.approx(0.33, abs=0.01)
    assert low["level"] == "score_bad"
    assert low["range_good"] == [170.0, 190.0]
    assert low["range_okay"] == [155.0, 205.0]
    assert (
        low["verdict"] == "Cadence: 150.0 steps/min, below the target range 170 to 190 steps/min."
    )
    walking = component("overstride", 20.0, "walking", "es")
    assert walking["score"] is None
    assert walking["reason"] == "not_running"
    assert walking["reason_text"].startswith("Esto es caminar")
    hidden = component("trunk_lean", None, "running", "en")
    assert hidden["reason"] == "landmarks_hidden"


def test_total_is_the_weighted_mean_of_scored_components() -> None:
    components = {
        "cadence": component("cadence", 180.0, "running", "en"),  # 1.0, weight 0.25
        "trunk_lean": component("trunk_lean", 20.0, "running", "en"),  # 0.0, weight 0.15
        "overstride": component("overstride", None, "running", "en"),  # not scored
    }
    total = total_score(components, "en")
    assert total["value"] == pytest.approx(0.25 / 0.40, abs=0.001)
    assert total["level"] == "score_okay"
    assert total_score({}, "en")["value"] is None


def test_levels_and_ramp() -> None:
    assert [level(x) for x in (0.9, 0.5, 0.1, None)] == [
        "score_good",
        "score_okay",
        "score_bad",
        None,
    ]
    assert ramp(5.0, 5.0, 15.0) == 1.0
    assert ramp(10.0, 5.0, 15.0) == pytest.approx(0.5)
    assert ramp(20.0, 5.0, 15.0) == 0.0


@pytest.mark.parametrize(
    ("duty", "oscillation", "primary"),
    [
        (0.65, 0.12, "walking"),
        (0.28, 0.12, "bouncer"),
        (0.28, 0.05, "glider"),
        (0.42, 0.12, "pusher"),
        (0.42, 0.05, "shuffler"),
    ],
)
def test_running_styles_follow_the_documented_rule(
    duty: float, oscillation: float, primary: str
) -> None:
    styles = running_styles(duty, oscillation, None, "en")
    assert styles["primary"] == primary
    assert styles["percentage"] > 50
    assert sum(s["percentage"] for s in styles["styles"]) == pytest.approx(100.0, abs=0.5)


def test_no_contact_no_style() -> None:
    styles = running_styles(None, None, None, "it")
    assert styles["styles"] == []
    assert styles["reason"] == "no_contacts"
