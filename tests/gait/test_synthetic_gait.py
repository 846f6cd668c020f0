"""The analysis on synthetic stick figures whose contacts, stances and cadence are known
exactly (see tests/gait/synthetic.py): every formula checked against its expected value."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from tests.gait.synthetic import Walker, sequence
from vidlens.gait.analysis import NoStepsSeen, analyze
from vidlens.gait.options import GaitOptions

WALK = Walker()  # 100 steps/min, 22-frame stances at 30 fps
RUN = Walker(period=10, stance=8, step_px=150, facing=-1, start_x=1100, frames=75)


def _frames(result_events: list[dict[str, object]], kind: str) -> list[int]:
    return sorted(int(str(e["frame"])) for e in result_events if e["type"] == kind)


def test_walker_contacts_toe_offs_and_timing_are_exact() -> None:
    result = analyze(sequence(WALK), GaitOptions())
    expected = sorted(WALK.contacts(0) + WALK.contacts(1))[:-1]  # the last lands on the last frame
    assert _frames(result.events, "initial_contact") == expected
    assert set(WALK.toe_offs(0) + WALK.toe_offs(1)) <= set(_frames(result.events, "toe_off"))
    metrics = result.calculated_data["metrics"]
    assert metrics["step_frequency_steps_per_min"] == pytest.approx(100.0)
    assert metrics["ground_contact_time_ms"] == pytest.approx(1000 * 22 / 30, abs=1)
    assert metrics["duty_factor"] == pytest.approx(22 / 36, abs=0.001)
    # The other foot lands 18 frames after a contact, 4 frames before this foot leaves.
    assert metrics["double_support_ms"] == pytest.approx(1000 * 4 / 30, abs=1)
    assert metrics["step_length_meter"] == pytest.approx(
        metrics["speed_meter_per_second"] * 18 / 30, abs=0.01
    )
    assert result.gait == "walking"
    assert result.biomechanical_analysis["step_frames"][0] == [5, 23]


def test_runner_has_flight_and_a_running_style() -> None:
    result = analyze(sequence(RUN), GaitOptions())
    metrics = result.calculated_data["metrics"]
    assert metrics["step_frequency_steps_per_min"] == pytest.approx(180.0)
    assert metrics["ground_contact_time_ms"] == pytest.approx(1000 * 8 / 30, abs=1)
    assert metrics["time_of_flight_ms"] == pytest.approx(1000 * 2 / 30, abs=1)
    assert metrics["double_support_ms"] is None
    assert metrics["duty_factor"] == pytest.approx(0.4, abs=0.001)
    assert result.gait == "running"
    styles = result.calculated_data["running_styles"]
    assert styles["primary"] in {"pusher", "shuffler"}  # duty factor 0.4 is "grounded"
    assert sum(s["percentage"] for s in styles["styles"]) == pytest.approx(100.0, abs=0.5)
    components = result.calculated_data["score_components"]["components"]
    assert components["cadence"]["score"] == 1.0  # 180 is inside 170-190
    assert components["cadence"]["verdict"].startswith("Cadence: 180.0 steps/min, within")
    assert result.calculated_data["overstride"]["applies"] is True


def test_facing_left_makes_the_left_leg_the_near_one() -> None:
    result = analyze(sequence(RUN), GaitOptions())
    legs = {(e["foot"], e["side_view_leg"]) for e in result.events}
    assert legs == {("left", "near"), ("right", "far")}


def test_half_the_frame_rate_doubles_the_frame_duration_not_the_cadence() -> None:
    slow = dataclasses.replace(WALK, fps=15.0, period=9, stance=11, frames=75)
    metrics = analyze(sequence(slow), GaitOptions()).calculated_data["metrics"]
    assert metrics["step_frequency_steps_per_min"] == pytest.approx(100.0)
    assert metrics["ground_contact_time_ms"] == pytest.approx(1000 * 11 / 15, abs=1)


def test_variable_frame_rate_uses_timestamps() -> None:
    seq = sequence(WALK)
    # Frame intervals alternate 1/30 s and 1/20 s: 18 frames (one step) last 0.75 s.
    intervals = np.tile([1 / 30, 1 / 20], seq.frame_count // 2 + 1)[: seq.frame_count - 1]
    seq.times = np.concatenate([[0.0], np.cumsum(intervals)])
    metrics = analyze(seq, GaitOptions()).calculated_data["metrics"]
    assert metrics["step_frequency_steps_per_min"] == pytest.approx(60 / 0.75, abs=0.05)


def test_treadmill_needs_no_footprints_and_takes_the_speed_from_the_pace() -> None:
    options = GaitOptions(treadmill=True, pace="05:00")
    result = analyze(sequence(RUN), options)
    assert result.biomechanical_analysis["event_method"] == "relative_to_pelvis"
    metrics = result.calculated_data["metrics"]
    assert metrics["speed_meter_per_second"] == pytest.approx(1000 / 300, abs=0.01)
    assert metrics["details"]["speed_meter_per_second"]["note"] == "speed_from_pace"


def test_a_panning_camera_gives_no_speed_without_a_pace() -> None:
    seq = sequence(RUN)
    seq.camera_shift = np.cumsum(np.full((seq.frame_count, 2), [6.0, 0.0]), axis=0)
    result = analyze(seq, GaitOptions())
    metrics = result.calculated_data["metrics"]
    assert metrics["speed_meter_per_second"] is None
    assert metrics["details"]["speed_meter_per_second"]["reason"] == "camera_pans"
    assert "camera_pans" in {w["code"] for w in result.biomechanical_analysis["warnings"]}


def test_a_standing_person_has_no_steps() -> None:
    seq = sequence(WALK)
    seq.image[:] = seq.image[:1]  # frozen on the first frame: nobody lands or leaves
    with pytest.raises(NoStepsSeen) as caught:
        analyze(seq, GaitOptions(language="fr"))
    assert caught.value.code == "no_steps"
    assert caught.value.message.startswith("Aucun pas")


def test_too_few_steps_give_null_metrics_with_reasons() -> None:
    short = dataclasses.replace(WALK, frames=30)
    result = analyze(sequence(short), GaitOptions(language="de"))
    metrics = result.calculated_data["metrics"]
    assert metrics["step_frequency_steps_per_min"] is None
    details = metrics["details"]["step_frequency_steps_per_min"]
    assert details["reason"] == "short_visibility"
    assert details["reason_text"].startswith("Die Person ist nur 1.0 s sichtbar")
    assert (
        result.calculated_data["total_score"] is None
        or 0 <= result.calculated_data["total_score"] <= 1
    )
