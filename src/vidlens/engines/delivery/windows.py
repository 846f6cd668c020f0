"""The time series: every measurement again over consecutive windows of the talk."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vidlens.engines.delivery.loudness import power_mean_db
from vidlens.engines.delivery.pitch import semitone_spread
from vidlens.engines.delivery.tokens import Token
from vidlens.engines.delivery.types import (
    DeliveryWindow,
    Hit,
    Pause,
    Repetition,
    SelfCorrection,
    Sentiment,
)

MERGE_FRACTION = 0.25
"""A last window shorter than this fraction of the window length joins the previous one."""
MIN_FRAMES = 50
"""Voiced or speech frames (0.5 s) a window needs for its pitch or loudness figures."""


@dataclass(frozen=True, slots=True)
class FrameSeries:
    """Per-frame values with their centre times (voiced F0, or speech levels in dB)."""

    times: npt.NDArray[np.float64]
    values: npt.NDArray[np.float64]

    def between(self, start: float, end: float) -> npt.NDArray[np.float64]:
        chosen: npt.NDArray[np.float64] = self.values[(self.times >= start) & (self.times < end)]
        return chosen


@dataclass(frozen=True, slots=True)
class Events:
    """Everything located in time, for counting per window."""

    tokens: Sequence[Token]
    timed: bool
    span: tuple[float, float] | None
    pauses: Sequence[Pause] | None
    fillers: Sequence[Hit]
    hedges: Sequence[Hit]
    repetitions: Sequence[Repetition]
    corrections: Sequence[SelfCorrection]
    sentiment: Sentiment | None
    pitch: FrameSeries | None
    loudness: FrameSeries | None


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def _count(starts: Sequence[float | None], start: float, end: float) -> int:
    return sum(1 for s in starts if s is not None and start <= s < end)


def build_windows(duration: float, window: float, events: Events) -> tuple[DeliveryWindow, ...]:
    """Consecutive windows of ``window`` seconds over ``[0, duration]`` (the last one
    shorter, or up to a quarter longer when the tail is short); events are placed by their
    start (words and sentences by their middle)."""
    if duration <= 0:
        return ()
    count = max(1, math.ceil(duration / window - 1e-9))
    if count > 1 and duration - (count - 1) * window < MERGE_FRACTION * window:
        count -= 1  # a short tail joins the previous window
    middles = [
        (t.start + t.end) / 2 if t.start is not None and t.end is not None else None
        for t in events.tokens
    ]
    out = []
    for k in range(count):
        last = k == count - 1
        start, end = k * window, duration if last else (k + 1) * window
        stop = end + (1e-6 if last else 0.0)  # the last window includes the very end
        words = _count(middles, start, stop) if events.timed else None
        minutes = (end - start) / 60
        wpm = round(words / minutes, 2) if words is not None and minutes else None
        pause_stats = _pauses(events.pauses, start, end, stop)
        speaking = None
        if events.span is not None and pause_stats[1] is not None:
            speaking = round(_overlap(events.span, (start, end)) - pause_stats[1], 3)
        out.append(
            DeliveryWindow(
                start=round(start, 3),
                end=round(end, 3),
                word_count=words,
                words_per_minute=wpm,
                speaking_seconds=speaking,
                filler_count=_count([h.start for h in events.fillers], start, stop)
                if events.timed else None,
                hedge_count=_count([h.start for h in events.hedges], start, stop)
                if events.timed else None,
                repetition_count=_count([r.start for r in events.repetitions], start, stop)
                if events.timed else None,
                self_correction_count=_count([c.start for c in events.corrections], start, stop)
                if events.timed else None,
                pause_count=pause_stats[0],
                pause_seconds=pause_stats[1],
                longest_pause_seconds=pause_stats[2],
                sentiment_compound=_sentiment(events.sentiment, start, stop)
                if events.timed else None,
                pitch_median_hz=_pitch(events.pitch, start, stop)[0],
                pitch_std_semitones=_pitch(events.pitch, start, stop)[1],
                loudness_mean_dbfs=_loudness(events.loudness, start, stop)[0],
                loudness_std_db=_loudness(events.loudness, start, stop)[1],
            )
        )  # fmt: skip
    return tuple(out)


def _pauses(
    pauses: Sequence[Pause] | None, start: float, end: float, stop: float
) -> tuple[int | None, float | None, float | None]:
    """Count (by start), seconds of pause inside the window, longest overlapping pause."""
    if pauses is None:
        return None, None, None
    inside = [p for p in pauses if start <= p.start < stop]
    seconds = sum(_overlap((p.start, p.end), (start, end)) for p in pauses)
    overlapping = [p.duration_seconds for p in pauses if _overlap((p.start, p.end), (start, end))]
    return len(inside), round(seconds, 3), max(overlapping) if overlapping else 0.0


def _sentiment(sentiment: Sentiment | None, start: float, stop: float) -> float | None:
    if sentiment is None:
        return None
    total = weight = 0.0
    for s in sentiment.sentences:
        if s.start is None or s.end is None or not start <= (s.start + s.end) / 2 < stop:
            continue
        n = len(s.text.split())
        total, weight = total + s.compound * n, weight + n
    return round(total / weight, 4) if weight else None


def _pitch(series: FrameSeries | None, start: float, stop: float) -> tuple[float | None, ...]:
    if series is None:
        return None, None
    values = series.between(start, stop)
    if values.size < MIN_FRAMES:
        return None, None
    return round(float(np.median(values)), 2), round(semitone_spread(values), 3)


def _loudness(series: FrameSeries | None, start: float, stop: float) -> tuple[float | None, ...]:
    if series is None:
        return None, None
    values = series.between(start, stop)
    if values.size < MIN_FRAMES:
        return None, None
    return round(power_mean_db(values), 2), round(float(np.std(values)), 2)
