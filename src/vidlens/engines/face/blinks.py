"""Blinks: eye closures found with hysteresis on the mean ``eyeBlink`` score.

Per sample with a face, ``b = (eyeBlinkLeft + eyeBlinkRight) / 2``. The eyes close when
``b >= close`` and open again when ``b < open`` (the gap between the two keeps noise near
one threshold from counting twice), with ``open = max(blink_open_threshold, median(b) +
0.05)`` and ``close = max(blink_close_threshold, open + 0.1)``: a face whose eyes rest
half-closed (narrow eyes, reading notes below the camera) gets thresholds above its own
resting score instead of never "reopening". A closure counts as a
blink when it lasts at most ``blink_max_seconds`` (longer ones are eyes kept shut or a look
down). Tracking restarts after a gap of more than ``max_gap_seconds`` between samples or a
sample without a face. A blink lasts 0.1-0.4 s, so a sparse sampling rate misses some: the
count is a lower bound below 10 samples a second.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vidlens.engines.face.settings import FaceMetricSettings

DENSE_RATE = 10.0
"""Samples per second from which the blink count is taken as complete."""


@dataclass(frozen=True, slots=True)
class Blink:
    start: float
    end: float


def blink_score(blendshapes: Mapping[str, float]) -> float | None:
    """Mean of eyeBlinkLeft and eyeBlinkRight, or None without blendshapes."""
    left, right = blendshapes.get("eyeBlinkLeft"), blendshapes.get("eyeBlinkRight")
    if left is None or right is None:
        return None
    return (left + right) / 2


def thresholds(scores: Sequence[float | None], settings: FaceMetricSettings) -> tuple[float, float]:
    """``(close, open)`` for this face: the settings, lifted above its resting score."""
    present = [s for s in scores if s is not None]
    resting = statistics.median(present) if present else 0.0
    opened = max(settings.blink_open_threshold, resting + 0.05)
    return max(settings.blink_close_threshold, opened + 0.1), opened


def find_blinks(
    times: Sequence[float], scores: Sequence[float | None], settings: FaceMetricSettings
) -> list[Blink]:
    """Blinks in a time-ordered score series (``None``: no face in that sample)."""
    close, opened = thresholds(scores, settings)
    blinks: list[Blink] = []
    closed_at: float | None = None
    previous: float | None = None
    for time, score in zip(times, scores, strict=True):
        if score is None or (previous is not None and time - previous > settings.max_gap_seconds):
            closed_at = None
        previous = time if score is not None else None
        if score is None:
            continue
        if closed_at is None and score >= close:
            closed_at = time
        elif closed_at is not None and score < opened:
            if time - closed_at <= settings.blink_max_seconds:
                blinks.append(Blink(closed_at, time))
            closed_at = None
    return blinks


def eyes_closed_flags(
    scores: Sequence[float | None], settings: FaceMetricSettings
) -> list[bool | None]:
    """Per sample: eyes closed (with the same hysteresis), or None without a score."""
    close, opened = thresholds(scores, settings)
    flags: list[bool | None] = []
    closed = False
    for score in scores:
        if score is None:
            flags.append(None)
            closed = False
            continue
        if not closed and score >= close:
            closed = True
        elif closed and score < opened:
            closed = False
        flags.append(closed)
    return flags
