"""Pace, pauses, monologue stretches and the time series on hand-built word timings."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.engines.delivery.helpers import SR, spaced, transcript
from vidlens.engines.delivery import DeliveryOptions, measure_delivery


def ten_words() -> list[tuple[str, float, float]]:
    """Words of 0.8 s every second from 1.0 s; words 5-9 shifted by 1.5 s (a 1.7 s pause)."""
    words = []
    for i in range(10):
        start = 1.0 + i + (1.5 if i >= 5 else 0.0)
        words.append((f"word{i}", start, round(start + 0.8, 3)))
    return words


def test_pace_and_pauses_exact() -> None:
    report = measure_delivery(transcript(ten_words(), 14.0), None)
    pace, pauses = report.pace, report.pauses
    assert pace is not None
    assert pauses is not None
    span = 12.3 - 1.0
    assert pace.word_count == 10
    assert pace.speech_span_seconds == pytest.approx(span)
    assert pace.words_per_minute == pytest.approx(10 / span * 60, abs=0.01)
    assert pace.words_per_minute_total == pytest.approx(10 / 14 * 60, abs=0.01)
    assert pace.speaking_seconds == pytest.approx(span - 1.7)
    assert pace.articulation_words_per_minute == pytest.approx(10 / (span - 1.7) * 60, abs=0.01)
    assert pauses.count == 1  # the 0.2 s gaps are under the 0.3 s minimum
    (pause,) = pauses.items
    assert (pause.start, pause.end, pause.duration_seconds) == (5.8, 7.5, 1.7)
    assert (pause.after_word, pause.source, pause.long) == (4, "word_gap", False)
    assert pauses.pause_ratio == pytest.approx(1.7 / span, abs=1e-4)
    assert pauses.leading_silence_seconds == 1.0
    assert pauses.trailing_silence_seconds == pytest.approx(14.0 - 12.3)
    assert report.unavailable["pitch"] == "no audio samples were given"


def test_long_pause_threshold_and_minimum_are_options() -> None:
    options = DeliveryOptions(min_pause_seconds=0.2, long_pause_seconds=1.5)
    report = measure_delivery(transcript(ten_words(), 14.0), None, options=options)
    assert report.pauses is not None
    assert report.pauses.count == 9  # every 0.2 s gap now counts
    assert report.pauses.long_count == 1
    assert report.pauses.longest is not None
    assert report.pauses.longest.long


def test_monologue_stretches() -> None:
    first = spaced(" ".join(["word"] * 80), start=0.0, word=0.4, gap=0.1)  # 0 - 39.9 s
    second = spaced(" ".join(["more"] * 20), start=41.5)  # after a 1.6 s pause
    report = measure_delivery(transcript(first + second, 52.0), None)
    monologues = report.monologues
    assert monologues is not None
    assert len(monologues.items) == 1
    (long,) = monologues.items
    assert (long.start, long.end, long.word_count) == (0.0, 39.9, 80)
    assert monologues.longest == long


def test_time_series_windows() -> None:
    words = spaced(" ".join(["um"] + ["word"] * 39), start=0.0, word=0.4, gap=0.1)  # 0 - 19.9 s
    options = DeliveryOptions(window_seconds=10.0)
    report = measure_delivery(transcript(words, 25.0), None, options=options)
    assert [(w.start, w.end) for w in report.windows] == [(0.0, 10.0), (10.0, 20.0), (20.0, 25.0)]
    counts = [w.word_count for w in report.windows]
    assert counts == [20, 20, 0]
    assert report.windows[0].words_per_minute == 120.0
    assert [w.filler_count for w in report.windows] == [1, 0, 0]
    # a tail shorter than a quarter of a window joins the previous one
    report = measure_delivery(transcript(words, 22.0), None, options=options)
    assert [(w.start, w.end) for w in report.windows] == [(0.0, 10.0), (10.0, 22.0)]


def test_report_is_json_serialisable() -> None:
    t = np.arange(int(SR * 14.0)) / SR
    audio = (0.1 * np.sin(2 * np.pi * 150 * t)).astype(np.float32)
    report = measure_delivery(transcript(ten_words(), 14.0), audio)
    data = report.to_dict()
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text)["pace"]["word_count"] == 10
    assert [k["name"] for k in data["kpis"]] == [
        "speaking_pace", "filler_rate", "pause_ratio", "lexical_variety", "sentiment"
    ]  # fmt: skip
