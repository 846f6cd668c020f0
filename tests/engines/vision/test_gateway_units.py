"""Exact-value unit tests of the gateway's small algorithms: YOLO decoding and NMS, time
ranges, brand matching, Apertium mode names, BCP 47 matching."""

from __future__ import annotations

import numpy as np
import pytest

from vidlens.engines.text.brands import Brand, match_quality
from vidlens.engines.translation.apertium import pair_of_mode
from vidlens.engines.translation.languages import best_match
from vidlens.engines.translation.types import LanguagePair
from vidlens.engines.vision.timeline import ScoreTimeline, instances
from vidlens.engines.vision.yolo import Letterbox, decode, nms


def test_decode_maps_letterboxed_boxes_back_and_suppresses_duplicates() -> None:
    # Two classes, three candidates in (1, 4 + C, N) layout (YOLOv8): a box at input
    # centre (160, 160) 40x20, a near-duplicate of it with a lower score, and a weak one.
    output = np.array(
        [[[160, 161, 50], [160, 160, 50], [40, 40, 10], [20, 20, 10], [0.9, 0.6, 0.1],
          [0.05, 0.1, 0.2]]],
        dtype=np.float32,
    )  # fmt: skip
    # a 640x320 frame letterboxed into 320: scale 0.5, 80 px of padding above and below
    found = decode(
        output, ["a", "b"], Letterbox(0.5, 0.0, 80.0), (640, 320),
        score_threshold=0.25, iou_threshold=0.45,
    )  # fmt: skip
    assert len(found) == 1
    (box,) = found
    assert box.label == "a"
    assert box.score == pytest.approx(0.9)
    assert box.box == pytest.approx((280.0, 140.0, 360.0, 180.0))


def test_nms_keeps_separate_boxes() -> None:
    boxes = np.array([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30]], dtype=np.float32)
    scores = np.array([0.5, 0.9, 0.4], dtype=np.float32)
    assert nms(boxes, scores, 0.5) == [1, 2]


def test_instances_split_at_gaps_and_clip_to_duration() -> None:
    found = instances([(0.0, 0.8), (1.0, 0.6), (2.0, 1.0), (5.0, 0.5)], interval=1.0, duration=5.5)
    assert [(i.start, i.end) for i in found] == [(0.0, 3.0), (5.0, 5.5)]
    assert [i.confidence for i in found] == pytest.approx([0.8, 0.5])
    timeline = ScoreTimeline()
    for t, score in [(0.0, 0.3), (1.0, 0.7), (2.0, 0.9)]:
        timeline.record(t, {"x": score})
    (track,) = timeline.tracks(threshold=0.5, interval=1.0, duration=None)
    assert track.confidence == 0.9
    (only,) = track.instances
    assert (only.start, only.end) == (1.0, 3.0)
    assert only.confidence == pytest.approx(0.8)


def test_brand_matching() -> None:
    coke = Brand("Coca-Cola", ("Coca-Cola", "Coke"))
    assert match_quality(coke, "ENJOY COCA COLA") == 1.0
    assert match_quality(coke, "cocacola") == 1.0
    assert match_quality(coke, "Coca-Co1a") == pytest.approx(0.875)
    assert match_quality(Brand("HP", ("HP",)), "shp store") == 0.0


def test_apertium_modes_and_tags() -> None:
    assert pair_of_mode("eng-spa") == LanguagePair("en", "es")
    assert pair_of_mode("spa-eng_US") == LanguagePair("es", "en-US")
    assert pair_of_mode("eng-cat_valencia") == LanguagePair("en", "ca-valencia")
    assert pair_of_mode("eng-hbs_HR") == LanguagePair("en", "hr")
    assert pair_of_mode("eng-cat_iec2017") is None
    assert pair_of_mode("en-eo-bytecode") is None
    assert best_match("es-MX", {"es", "ca"}) == "es"
    assert best_match("EN-us", {"en-US"}) == "en-US"
    assert best_match("ca", {"ca-valencia"}) == "ca-valencia"
    assert best_match("ca", {"ca-valencia", "ca-x"}) is None
