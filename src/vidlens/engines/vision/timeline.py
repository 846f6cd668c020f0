"""Per-frame observations → time ranges (the contract's ``TimedInstance``).

A thing seen on sampled frames ``t1 < t2 < ...`` (one every ``interval`` seconds) is one
instance while consecutive sightings are at most ``max_gap`` apart (default 1.5 sampling
intervals: one missed frame splits it, a detector flickering on a single frame does not
merge two appearances far apart). An instance runs from its first sighting to its last plus
one interval (the frame stands for the time until the next sample), clipped to the video's
duration; its confidence is the mean of its sightings' scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Instance:
    """A time range in seconds with a confidence in [0, 1]."""

    start: float
    end: float
    confidence: float

    def as_dict(self) -> dict[str, float]:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "confidence": round(self.confidence, 4),
        }


def instances(
    sightings: Iterable[tuple[float, float]],
    *,
    interval: float,
    duration: float | None = None,
    max_gap: float | None = None,
) -> list[Instance]:
    """Group ``(timestamp, confidence)`` sightings into instances (see the module docstring).

    Arguments:
        sightings: seconds and scores, in any order; one per frame is expected (the best
            score of a frame is kept when a timestamp repeats).
        interval: seconds between sampled frames (> 0).
        duration: the video's length in seconds, to clip the last instance; None: no clip.
        max_gap: largest gap in seconds inside one instance; None: 1.5 intervals.

    Raises:
        ValueError: ``interval`` is not positive.
    """
    if interval <= 0:
        raise ValueError("interval must be positive")
    gap = 1.5 * interval if max_gap is None else max_gap
    best: dict[float, float] = {}
    for timestamp, confidence in sightings:
        best[timestamp] = max(confidence, best.get(timestamp, 0.0))
    found: list[Instance] = []
    group: list[tuple[float, float]] = []
    for timestamp in sorted(best):
        if group and timestamp - group[-1][0] > gap + 1e-9:
            found.append(_close(group, interval, duration))
            group = []
        group.append((timestamp, best[timestamp]))
    if group:
        found.append(_close(group, interval, duration))
    return found


def _close(group: list[tuple[float, float]], interval: float, duration: float | None) -> Instance:
    start = group[0][0]
    end = group[-1][0] + interval
    if duration is not None and duration > 0:
        end = min(end, max(duration, start))
    confidence = sum(score for _, score in group) / len(group)
    return Instance(start, end, confidence)


def summary_confidence(found: Iterable[Instance]) -> float:
    """Confidence of a thing over the whole video: the duration-weighted mean of its
    instances' confidences (the plain mean when every instance is empty)."""
    items = list(found)
    if not items:
        return 0.0
    weights = [max(i.end - i.start, 0.0) for i in items]
    total = sum(weights)
    if total <= 0:
        return sum(i.confidence for i in items) / len(items)
    return sum(i.confidence * w for i, w in zip(items, weights, strict=True)) / total


@dataclass(frozen=True, slots=True)
class LabelTrack:
    """A label over the whole video: its confidence and time ranges."""

    label: str
    confidence: float
    instances: tuple[Instance, ...]


class ScoreTimeline:
    """Per-frame scores of named labels, turned into tracks at a threshold chosen later."""

    def __init__(self) -> None:
        self._scores: dict[str, list[tuple[float, float]]] = {}

    def record(self, timestamp: float, scores: dict[str, float]) -> None:
        """The best score of each label seen on the frame at ``timestamp`` seconds."""
        for name, score in scores.items():
            self._scores.setdefault(name, []).append((timestamp, score))

    def tracks(
        self, *, threshold: float, interval: float, duration: float | None
    ) -> list[LabelTrack]:
        """Labels seen at ``threshold`` or above on some frame, best first; only frames at
        or above it count towards their time ranges."""
        found = []
        for name, sightings in self._scores.items():
            kept = [(t, s) for t, s in sightings if s >= threshold]
            if not kept:
                continue
            ranges = instances(kept, interval=interval, duration=duration)
            found.append(LabelTrack(name, round(max(s for _, s in kept), 4), tuple(ranges)))
        return sorted(found, key=lambda track: (-track.confidence, track.label))
