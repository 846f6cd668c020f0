"""Whom the camera follows in each scene: the active speaker, with hysteresis.

At each sampled frame of a scene, the *leader* is the visible face with the highest
speaking score, if that score reaches ``threshold``. The camera starts on the scene's
leader (else the face with the highest mean score in the scene, else the largest face)
and cuts to another face only once that face has led for ``switch_seconds``; the cut is
placed at the sample where its lead began (the plan is made after the fact, so the edit
can anticipate). When the followed face has not been seen for ``lost_seconds``, the camera
takes the leader, or the largest face on screen. A ``preferred`` directive (from
``reframe_llm``) names the face to follow over a time range and wins whenever that face
is visible.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from vidlens.engines.face.types import BoundingBox


@dataclass(frozen=True, slots=True)
class Sample:
    """One sampled frame of a scene: faces visible (id → box) and their speaking scores."""

    frame: int
    time: float
    boxes: dict[int, BoundingBox]
    scores: dict[int, float]


@dataclass(frozen=True, slots=True)
class Directive:
    """Follow ``face_id`` between ``start`` and ``end`` seconds."""

    start: float
    end: float
    face_id: int


@dataclass(frozen=True, slots=True)
class Run:
    """Follow ``face_id`` from sample ``first`` to sample ``last`` (indexes into samples)."""

    first: int
    last: int
    face_id: int


def _leader(sample: Sample, threshold: float) -> int | None:
    speaking = {f: s for f, s in sample.scores.items() if f in sample.boxes and s >= threshold}
    return max(speaking, key=lambda f: speaking[f]) if speaking else None


def _preferred(sample: Sample, directives: Sequence[Directive]) -> int | None:
    for directive in directives:
        if directive.start <= sample.time <= directive.end and directive.face_id in sample.boxes:
            return directive.face_id
    return None


def _opening(samples: Sequence[Sample]) -> int:
    """The face to start a scene on: highest mean score, then largest mean box."""
    scores: dict[int, list[float]] = defaultdict(list)
    areas: dict[int, list[float]] = defaultdict(list)
    for sample in samples:
        for face, box in sample.boxes.items():
            scores[face].append(sample.scores.get(face, 0.0))
            areas[face].append(box.area)
    return max(
        scores,
        key=lambda f: (sum(scores[f]) / len(scores[f]), sum(areas[f]) / len(areas[f])),
    )


def follow_runs(
    samples: Sequence[Sample],
    *,
    threshold: float,
    switch_seconds: float,
    lost_seconds: float,
    directives: Sequence[Directive] = (),
) -> list[Run]:
    """Consecutive runs of the followed face over a scene's samples (which have faces)."""
    if not samples:
        return []
    current = _preferred(samples[0], directives) or _leader(samples[0], threshold)
    current = current or _opening(samples)
    starts: list[tuple[int, int]] = [(0, current)]
    challenger: tuple[int, int] | None = None  # (face, first sample of its lead)
    last_seen = samples[0].time
    for i, sample in enumerate(samples):
        wanted = _preferred(sample, directives)
        if current in sample.boxes:
            last_seen = sample.time
        if wanted is not None and wanted != current:
            current, challenger = wanted, None
            starts.append((i, current))
            continue
        leader = _leader(sample, threshold)
        if sample.time - last_seen >= lost_seconds:
            replacement = leader or max(sample.boxes, key=lambda f: sample.boxes[f].area)
            current, challenger, last_seen = replacement, None, sample.time
            starts.append((i, current))
            continue
        if leader is None or leader == current or wanted is not None:
            challenger = None if leader == current else challenger
            continue
        if challenger is None or challenger[0] != leader:
            challenger = (leader, i)
        if sample.time - samples[challenger[1]].time >= switch_seconds:
            current = leader
            starts.append((challenger[1], current))
            challenger = None
    return _runs(starts, len(samples))


def _runs(starts: list[tuple[int, int]], count: int) -> list[Run]:
    """Runs from (first sample, face) switch points; later switches at the same sample win,
    and neighbouring runs of the same face merge."""
    ordered: list[tuple[int, int]] = []
    for first, face in starts:
        while ordered and ordered[-1][0] >= first:
            ordered.pop()
        if not ordered or ordered[-1][1] != face:
            ordered.append((first, face))
    runs = []
    for k, (first, face) in enumerate(ordered):
        last = ordered[k + 1][0] - 1 if k + 1 < len(ordered) else count - 1
        runs.append(Run(first, last, face))
    return runs
