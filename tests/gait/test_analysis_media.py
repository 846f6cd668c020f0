"""Gait analysis on the labelled walking clips, through the real pose engine, against the
hand-labelled contacts and toe-offs (../shared/media/gait/*.gait_groundtruth.json)."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests import pose_media
from tests.conftest import media_file
from vidlens.gait.analysis import GaitAnalysis, analyze
from vidlens.gait.evaluation import Evaluation, evaluate, load_truth
from vidlens.gait.options import GaitOptions

pytestmark = pytest.mark.media

CLIPS = (pose_media.DEMO, pose_media.WALK)


@functools.cache
def _analysis(clip: str, language: str = "en") -> GaitAnalysis:
    return analyze(pose_media.pose_sequence(clip), GaitOptions(language=language))


def _truth(clip: str) -> dict[str, Any]:
    return load_truth(media_file(clip.replace(".mp4", ".gait_groundtruth.json")))


def _evaluation(clip: str) -> Evaluation:
    result = _analysis(clip)
    cadence = result.calculated_data["metrics"]["step_frequency_steps_per_min"]
    return evaluate(
        _truth(clip), result.events, result.biomechanical_analysis["step_frames"], cadence
    )


@pytest.mark.parametrize("clip", CLIPS, ids=["demo", "walk"])
def test_cadence_steps_and_event_timing_match_the_labels(clip: str) -> None:
    measured = _evaluation(clip)
    assert measured.cadence_measured is not None
    assert measured.cadence_error_percent is not None
    assert abs(measured.cadence_error_percent) <= 5.0
    assert measured.steps_measured == measured.steps_truth
    # Most labelled events within ±2 frames; contacts better than toe-offs.
    assert measured.share_within(2, "initial_contact") >= 0.85
    assert measured.share_within(2) >= 0.8
    mean_error = measured.mean_abs_error()
    assert mean_error is not None
    assert mean_error <= 1.2


@pytest.mark.parametrize("clip", CLIPS, ids=["demo", "walk"])
def test_walking_is_called_walking(clip: str) -> None:
    result = _analysis(clip)
    assert result.gait == "walking"
    styles = result.calculated_data["running_styles"]
    assert styles["primary"] == "walking"
    assert styles["percentage"] > 90
    metrics = result.calculated_data["metrics"]
    assert metrics["time_of_flight_ms"] is None
    assert metrics["details"]["time_of_flight_ms"]["reason"] == "walking_no_flight"
    assert metrics["double_support_ms"] > 50
    assert metrics["duty_factor"] > 0.55
    assert result.biomechanical_analysis["summary"].startswith("Walking at")
    overstride = result.calculated_data["overstride"]
    assert overstride["applies"] is False
    assert overstride["score"] is None


@pytest.mark.parametrize("clip", CLIPS, ids=["demo", "walk"])
def test_contact_time_matches_the_labelled_stances(clip: str) -> None:
    truth = _truth(clip)["derived"]["mean_stance_ms"]
    labelled = truth if isinstance(truth, float) else (truth["pass1"] + truth["pass2"]) / 2
    metrics = _analysis(clip).calculated_data["metrics"]
    assert metrics["ground_contact_time_ms"] == pytest.approx(labelled, rel=0.1)
    details = metrics["details"]["ground_contact_time_ms"]
    assert details["note"] == "low_fps"  # 30 fps: a frame is 33 ms
    assert details["confidence"] <= 0.5


def test_walking_speed_and_step_length_are_plausible() -> None:
    metrics = _analysis(pose_media.WALK).calculated_data["metrics"]
    # An older woman walking indoors; the scale comes from the default 170 cm height.
    assert 0.8 <= metrics["speed_meter_per_second"] <= 1.5
    assert 0.45 <= metrics["step_length_meter"] <= 0.8
    assert metrics["speed_km_per_hour"] == pytest.approx(
        3.6 * metrics["speed_meter_per_second"], abs=0.01
    )
    assert metrics["pace_min_per_km"] == pytest.approx(
        1000 / metrics["speed_meter_per_second"] / 60, rel=0.01
    )


def test_heel_strikes_of_the_demo_walker_are_rearfoot() -> None:
    landing = _analysis(pose_media.DEMO).calculated_data["foot_landing"]
    assert landing["dominant"] == "rearfoot"
    assert landing["counts"]["rearfoot"] >= 6


def test_the_man_on_the_box_is_not_analysed() -> None:
    result = _analysis(pose_media.DEMO)
    warnings = {w["code"] for w in result.biomechanical_analysis["warnings"]}
    assert "several_people" in warnings
    first_contact = min(e["frame"] for e in result.events if e["type"] == "initial_contact")
    assert 36 <= first_contact <= 44  # the woman's first labelled contact is frame 41


def test_results_in_japanese_keep_numbers_and_translate_text() -> None:
    english = _analysis(pose_media.DEMO)
    japanese = _analysis(pose_media.DEMO, "ja")
    assert (
        japanese.calculated_data["metrics"]["step_frequency_steps_per_min"]
        == (english.calculated_data["metrics"]["step_frequency_steps_per_min"])
    )
    details = japanese.calculated_data["metrics"]["details"]
    assert details["step_frequency_steps_per_min"]["label"] == "ピッチ"
    assert japanese.biomechanical_analysis["summary"] == "毎分 96 歩の歩行。"
    assert japanese.calculated_data["running_styles"]["title"] == "歩行"


def test_a_panning_broadcast_camera_is_detected(tmp_path: Path) -> None:
    """4 s of the broadcast sprint (the camera follows the sprinters): no speed from the
    picture, and the speed of a given pace instead."""
    pose_media.pose_engine()
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    clip = tmp_path / "sprint.mp4"
    source = str(media_file("gait/sports2d_demo2_sprint.mp4"))
    subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", "4", "-i", source, "-t", "4", "-an",
         "-vf", "scale=640:-2", "-c:v", "libx264", "-preset", "ultrafast", str(clip)],
        check=True,
        timeout=120,
    )  # fmt: skip
    sequence = pose_media.pose_engine().estimate(clip)
    result = analyze(sequence, GaitOptions())
    assert result.biomechanical_analysis["quality"]["camera_pans"] is True
    assert "camera_pans" in {w["code"] for w in result.biomechanical_analysis["warnings"]}
    speed = result.calculated_data["metrics"]["details"]["speed_meter_per_second"]
    assert (speed["value"], speed["reason"]) == (None, "camera_pans")
    paced = analyze(sequence, GaitOptions(pace="02:30"))
    assert paced.calculated_data["metrics"]["speed_meter_per_second"] == pytest.approx(
        6.67, abs=0.01
    )
    assert paced.biomechanical_analysis["event_method"] == "relative_to_pelvis"
