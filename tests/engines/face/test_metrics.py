"""The face metric rules on hand-made sample sequences (no model, no media)."""

from __future__ import annotations

import json

import pytest

from tests.engines.face.factories import NEUTRAL, face, series
from vidlens.engines.face.blinks import find_blinks
from vidlens.engines.face.errors import InvalidFaceSamples
from vidlens.engines.face.expression import classify_expression
from vidlens.engines.face.framing import framing_issues
from vidlens.engines.face.gaze import eye_contact
from vidlens.engines.face.metrics import face_metrics
from vidlens.engines.face.pose import head_pose
from vidlens.engines.face.settings import FaceMetricSettings
from vidlens.engines.face.types import BoundingBox, FaceSample

RULES = FaceMetricSettings()


def test_presence_ratio_counts_time_with_a_face() -> None:
    metrics = face_metrics(series([face()] * 15 + [None] * 5))
    assert metrics.face_presence_ratio == pytest.approx(0.75)
    assert metrics.samples_with_face == 15
    assert metrics.duration_seconds == pytest.approx(4.0)
    assert metrics.sample_rate == pytest.approx(5.0)


def test_no_face_gives_null_metrics_with_reasons() -> None:
    metrics = face_metrics(series([None] * 10))
    assert metrics.face_presence_ratio == 0.0
    assert metrics.eye_contact_ratio is None
    assert metrics.smile_ratio is None
    assert metrics.head_pose is None
    assert metrics.framing is None
    assert "face" in metrics.unavailable
    assert [m.kind for m in metrics.moments] == ["face_missing"]


def test_empty_sequence_is_not_an_error() -> None:
    metrics = face_metrics([])
    assert metrics.sample_count == 0
    assert metrics.face_presence_ratio is None
    assert metrics.unavailable == {"all": "no samples"}


@pytest.mark.parametrize(
    "times", [[0.0, 0.2, 0.2], [0.0, 0.4, 0.2], [0.0, float("nan")], [-1.0, 0.0]]
)
def test_bad_timestamps_are_refused(times: list[float]) -> None:
    with pytest.raises(InvalidFaceSamples, match="strictly increasing"):
        face_metrics([FaceSample(t, (face(),)) for t in times])


def test_ratios_are_weighted_by_time_not_by_count() -> None:
    # 10 frontal samples 0.1 s apart (1 s), then 2 turned-away samples 0.5 s apart (1 s).
    samples = [FaceSample(i * 0.1, (face(),)) for i in range(10)]
    samples += [FaceSample(1.0 + i * 0.5, (face(yaw=45.0),)) for i in range(2)]
    metrics = face_metrics(samples)
    # the last sample stands for the median interval (0.1 s)
    assert metrics.eye_contact_ratio == pytest.approx(1.0 / 1.6)


def test_eye_contact_from_head_pose_and_eye_blendshapes() -> None:
    assert eye_contact(face(), RULES) is True
    assert eye_contact(face(yaw=-30.0), RULES) is False
    assert eye_contact(face(pitch=25.0), RULES) is False
    # eyes turned to the subject's left: out on the left eye, in on the right eye
    assert eye_contact(face(eyeLookOutLeft=0.8, eyeLookInRight=0.7), RULES) is False
    assert eye_contact(face(eyeLookDownLeft=0.7, eyeLookDownRight=0.7), RULES) is False
    # while blinking the eye scores do not count (eyes look down when they close)
    closed = face(eyeLookDownLeft=0.7, eyeLookDownRight=0.7)
    assert eye_contact(closed, RULES, eyes_closed=True) is True
    assert eye_contact(face(yaw=None, pitch=None), RULES) is None
    assert eye_contact(face(blendshapes={}), RULES) is True  # head pose only


def test_looked_away_moment_after_three_seconds() -> None:
    away = [face(yaw=35.0)] * 20  # 4 s at 5 fps
    brief = [face(yaw=35.0)] * 10  # 2 s: not a moment
    metrics = face_metrics(series([face()] * 10 + away + [face()] * 10 + brief + [face()] * 5))
    moments = [m for m in metrics.moments if m.kind == "looked_away"]
    assert len(moments) == 1
    assert moments[0].start == pytest.approx(2.0)
    assert moments[0].end == pytest.approx(6.0)
    assert "4.0 s" in moments[0].description


def test_smile_ratio_and_mean() -> None:
    smiling = face(mouthSmileLeft=0.9, mouthSmileRight=0.8)
    metrics = face_metrics(series([smiling] * 5 + [face()] * 15))
    assert metrics.smile_ratio == pytest.approx(0.25)
    assert metrics.mean_smile == pytest.approx((5 * 0.85 + 15 * 0.05) / 20)


def _blink_scores(pattern: list[float]) -> list[FaceSample]:
    return series([face(eyeBlinkLeft=v, eyeBlinkRight=v) for v in pattern], rate=20.0)


def test_blinks_with_hysteresis() -> None:
    # open, blink (3 samples), open, a flicker around 0.5 that never drops below 0.3, open
    pattern = [0.1] * 10 + [0.8, 0.9, 0.7] + [0.1] * 10 + [0.55, 0.45, 0.55, 0.45] + [0.1] * 10
    times = [s.timestamp for s in _blink_scores(pattern)]
    blinks = find_blinks(times, pattern, RULES)
    assert len(blinks) == 2  # the flicker is one closure, not two
    assert blinks[0].start == pytest.approx(0.5)
    assert blinks[0].end == pytest.approx(0.65)
    metrics = face_metrics(_blink_scores(pattern))
    assert metrics.blinks is not None
    assert metrics.blinks.count == 2
    assert metrics.blinks.lower_bound is False  # 20 samples a second
    assert metrics.blinks.rate_per_minute == pytest.approx(2 / (len(pattern) / 20.0) * 60)


def test_long_closure_is_not_a_blink_and_gaps_reset() -> None:
    closed = [0.1] * 5 + [0.9] * 30 + [0.1] * 5  # 1.5 s closed at 20 fps
    times = [i / 20 for i in range(len(closed))]
    assert find_blinks(times, closed, RULES) == []
    # a face lost while the eyes were closed: the closure is dropped
    lost = [0.1, 0.9, None, 0.1]
    assert find_blinks([0.0, 0.05, 0.1, 0.15], lost, RULES) == []


@pytest.mark.parametrize(
    ("scores", "label"),
    [
        ({}, "neutral"),
        ({"mouthSmileLeft": 0.9, "mouthSmileRight": 0.9}, "happy"),
        ({"eyeWideLeft": 0.9, "eyeWideRight": 0.9, "jawOpen": 0.8, "browOuterUpLeft": 0.9,
          "browOuterUpRight": 0.9}, "surprised"),
        ({"mouthFrownLeft": 0.8, "mouthFrownRight": 0.8, "browInnerUp": 0.9}, "sad"),
        ({"browDownLeft": 0.9, "browDownRight": 0.9, "mouthPressLeft": 0.6,
          "mouthPressRight": 0.6}, "angry"),
        ({"noseSneerLeft": 0.9, "noseSneerRight": 0.9, "mouthUpperUpLeft": 0.5,
          "mouthUpperUpRight": 0.5}, "disgusted"),
    ],
)  # fmt: skip
def test_expression_heuristic(scores: dict[str, float], label: str) -> None:
    values = dict(NEUTRAL, **scores)
    result = classify_expression(values, RULES.expression_threshold)
    assert result is not None
    assert result[0] == label
    assert 0.4 <= result[1] <= 1.0


def test_a_smile_suppresses_the_lowered_brow_of_anger() -> None:
    values = dict(NEUTRAL, browDownLeft=0.85, browDownRight=0.85, mouthSmileLeft=0.95,
                  mouthSmileRight=0.95)  # fmt: skip
    result = classify_expression(values, 0.4)
    assert result is not None
    assert result[0] == "happy"
    assert result[1] == pytest.approx(0.95)
    assert classify_expression({}, 0.4) is None


def test_expression_distribution_and_windows() -> None:
    happy = face(mouthSmileLeft=0.9, mouthSmileRight=0.9)
    metrics = face_metrics(series([happy] * 50 + [face()] * 50))  # 20 s at 5 fps
    assert metrics.expression_distribution == pytest.approx({"happy": 0.5, "neutral": 0.5})
    assert [(w.start, w.end) for w in metrics.windows] == [(0.0, 10.0), (10.0, 20.0)]
    assert [w.dominant_expression for w in metrics.windows] == ["happy", "neutral"]
    assert metrics.windows[0].smile_ratio == pytest.approx(1.0)
    assert metrics.windows[1].smile_ratio == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("box", "issues"),
    [
        ((0.4, 0.2, 0.2, 0.35), ()),
        ((0.05, 0.2, 0.2, 0.35), ("off_centre",)),
        ((0.2, 0.1, 0.6, 0.8), ("too_close",)),
        ((0.48, 0.35, 0.04, 0.06), ("too_far",)),
        ((-0.05, 0.2, 0.3, 0.4), ("off_centre", "cut_off_left")),
        ((0.35, 0.7, 0.3, 0.35), ("off_centre", "cut_off_bottom")),
    ],
)
def test_framing_rules(box: tuple[float, float, float, float], issues: tuple[str, ...]) -> None:
    assert framing_issues(BoundingBox(*box), RULES) == issues


def test_framing_overall_and_head_pose_stats() -> None:
    close = face(box=(0.2, 0.1, 0.6, 0.8), yaw=10.0)
    metrics = face_metrics(series([face(yaw=-10.0)] * 4 + [close] * 6))
    assert metrics.framing is not None
    assert metrics.framing.overall == "too_close"
    assert metrics.framing.issue_ratios["too_close"] == pytest.approx(0.6)
    assert metrics.head_pose is not None
    assert metrics.head_pose.yaw_mean == pytest.approx(2.0)
    assert metrics.head_pose.yaw_std == pytest.approx(9.798, abs=1e-3)
    # one 20-degree turn in 9 intervals of 0.2 s
    assert metrics.head_pose.movement_deg_per_second == pytest.approx(20.0 / 1.8)


def test_head_pose_from_a_transformation_matrix() -> None:
    import numpy as np

    from tests.engines.face.factories import rotation_y

    yaw, pitch, roll = head_pose(np.array(rotation_y(30.0)))
    assert (yaw, pitch, roll) == pytest.approx((30.0, 0.0, 0.0), abs=1e-6)


def test_to_dict_is_json() -> None:
    metrics = face_metrics(series([face()] * 20 + [None] * 10))
    document = json.loads(json.dumps(metrics.to_dict()))
    assert document["face_presence_ratio"] == pytest.approx(2 / 3)
    assert len(document["timeline"]) == 30
    assert document["expression_method"] == "blendshape-heuristic-v1"
