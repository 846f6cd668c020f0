"""Stances and steps: which contacts count as steps, and each foot's time on the ground.

A **stance** runs from a foot's initial contact to its toe-off. From footprints, only complete
ones count: the runner is seen on the frame before the contact and the frame after the
toe-off (else the stance may have begun or ended outside the footage). From events (treadmill,
panning camera), a contact is paired with the same foot's next toe-off within 1.4 x the median
contact-to-contact interval.

A **step** is the interval between two consecutive initial contacts inside a run of steady
steps (:func:`step_runs`). Cadence, step time and speed are computed over steps only.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from vidlens.engines.pose.types import PoseSequence
from vidlens.gait.events import GaitEvent
from vidlens.gait.footprints import Footprint
from vidlens.gait.kinematics import Foot

GAP_FACTOR = 1.8
"""Two contacts more than this many median intervals apart are in different runs."""
ADJUSTMENT_FACTOR = 0.5
"""A contact less than this many median intervals after the previous one is a foot
adjustment, not a step."""
MIN_STEP_LEGS = 0.2
"""Overground, a footprint less than this many leg lengths from the previous one is not a
step of steady gait (turning, shuffling)."""


@dataclass(frozen=True)
class Stance:
    """One foot's ground contact.

    Attributes:
        foot: left or right.
        contact, toe_off: first and last frame on the ground.
        heel: where the heel stood (pixels), when known from a footprint.
    """

    foot: Foot
    contact: int
    toe_off: int
    heel: tuple[float, float] | None = None

    @property
    def middle(self) -> int:
        return (self.contact + self.toe_off) // 2


def stances_from_footprints(seq: PoseSequence, prints: list[Footprint]) -> list[Stance]:
    """The complete footprints as stances."""
    last = seq.frame_count - 1
    return [
        Stance(fp.foot, fp.start, fp.end, fp.heel)
        for fp in prints
        if fp.start > 0
        and fp.end < last
        and seq.detected[fp.start - 1]
        and seq.detected[fp.end + 1]
    ]


def stances_from_events(seq: PoseSequence, events: list[GaitEvent]) -> list[Stance]:
    """Each contact with the same foot's next toe-off (see the module docstring)."""
    contacts = sorted(e.frame for e in events if e.type == "initial_contact")
    gaps = np.diff(contacts) if len(contacts) > 1 else np.array([seq.video.fps * 0.5])
    limit = 1.4 * float(np.median(gaps))
    stances = []
    for event in events:
        if event.type != "initial_contact":
            continue
        after = [
            e
            for e in events
            if e.foot == event.foot and e.type == "toe_off" and 0 < e.frame - event.frame <= limit
        ]
        if after:
            stances.append(Stance(event.foot, event.frame, after[0].frame))
    return stances


def step_runs(contacts: list[GaitEvent], leg_px: float, overground: bool) -> list[list[GaitEvent]]:
    """Contacts grouped into runs of steady steps.

    A run breaks where two contacts are more than :data:`GAP_FACTOR` x the median interval
    apart (a missed contact, the runner out of sight); a contact less than
    :data:`ADJUSTMENT_FACTOR` x the median interval after the previous one is skipped (a foot
    adjustment). Overground, where the footprints' positions are known, a run also breaks
    where the direction of travel reverses (a turn) or where a footprint lands less than
    :data:`MIN_STEP_LEGS` leg lengths from the previous one (shuffling on the spot).
    """
    ordered = sorted(contacts, key=lambda e: e.frame)
    if len(ordered) < 2:
        return [ordered] if ordered else []
    median = float(np.median(np.diff([e.frame for e in ordered])))
    runs: list[list[GaitEvent]] = [[ordered[0]]]
    heading = 0.0
    for event in ordered[1:]:
        current = runs[-1]
        previous = current[-1]
        gap = event.frame - previous.frame
        if gap < ADJUSTMENT_FACTOR * median:
            continue
        step = _advance(previous, event) if overground else None
        broken = gap > GAP_FACTOR * median
        if step is not None:
            direction = float(np.sign(step))
            broken = broken or abs(step) < MIN_STEP_LEGS * leg_px
            broken = broken or (heading != 0 and direction != heading)
            heading = 0.0 if broken else direction
        if broken:
            runs.append([event])
        else:
            current.append(event)
    return runs


def _advance(previous: GaitEvent, event: GaitEvent) -> float | None:
    if previous.heel is None or event.heel is None:
        return None
    return event.heel[0] - previous.heel[0]


def steps(runs: list[list[GaitEvent]]) -> list[tuple[int, int]]:
    """(contact frame, next contact frame) of every step inside the runs."""
    return [(a.frame, b.frame) for run in runs for a, b in itertools.pairwise(run)]
