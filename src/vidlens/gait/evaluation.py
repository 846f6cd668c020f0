"""Compare an analysis with hand-labelled ground truth (``*.gait_groundtruth.json``).

Used by ``bench/gait.py`` and the tests. A labelled event matches the nearest detected event
of the same type on the same leg within :data:`MATCH_WINDOW` frames. In side views the leg is
compared as ``near`` / ``far`` (the labels' ``side_view_leg``), which the footage shows
unambiguously; the labels' left/right follow the walking direction the labeller assumed.
Steps are counted on the labelled segments only: a measured step counts when both of its
contacts lie inside one segment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MATCH_WINDOW = 6
"""Largest frame distance at which a detected event can match a labelled one."""


@dataclass(frozen=True)
class Evaluation:
    """Agreement of one analysis with the labels.

    Attributes:
        cadence_truth, cadence_measured: steps per minute.
        cadence_error_percent: signed relative error.
        steps_truth, steps_measured: steps on the labelled segments.
        event_errors: signed frame error of each labelled event, in label order (None when
            no detected event matched).
        event_types: the type of each labelled event (same order).
    """

    cadence_truth: float
    cadence_measured: float | None
    cadence_error_percent: float | None
    steps_truth: int
    steps_measured: int
    event_errors: list[int | None]
    event_types: list[str]

    def share_within(self, frames: int, kind: str | None = None) -> float:
        """Share of labelled events (of ``kind``, or all) matched within ±``frames``."""
        errors = [
            e for e, t in zip(self.event_errors, self.event_types, strict=True) if kind in (None, t)
        ]
        return sum(1 for e in errors if e is not None and abs(e) <= frames) / max(1, len(errors))

    def mean_abs_error(self, kind: str | None = None) -> float | None:
        """Mean absolute frame error of the matched events (of ``kind``, or all)."""
        matched = [
            abs(e)
            for e, t in zip(self.event_errors, self.event_types, strict=True)
            if e is not None and kind in (None, t)
        ]
        return round(float(np.mean(matched)), 2) if matched else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "cadence_truth_spm": self.cadence_truth,
            "cadence_measured_spm": self.cadence_measured,
            "cadence_error_percent": self.cadence_error_percent,
            "steps_truth": self.steps_truth,
            "steps_measured": self.steps_measured,
            "events_labelled": len(self.event_errors),
            "events_matched": sum(e is not None for e in self.event_errors),
            "within_1_frame": round(self.share_within(1), 3),
            "within_2_frames": round(self.share_within(2), 3),
            "contacts_within_2_frames": round(self.share_within(2, "initial_contact"), 3),
            "toe_offs_within_2_frames": round(self.share_within(2, "toe_off"), 3),
            "mean_abs_error_frames": self.mean_abs_error(),
            "contact_mean_abs_error_frames": self.mean_abs_error("initial_contact"),
            "toe_off_mean_abs_error_frames": self.mean_abs_error("toe_off"),
            "event_errors_frames": self.event_errors,
        }


def load_truth(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def evaluate(
    truth: dict[str, Any],
    events: list[dict[str, Any]],
    steps: list[list[int]],
    cadence: float | None,
) -> Evaluation:
    """Score detected ``events`` (dicts with ``type``, ``frame``, ``side_view_leg``), the
    measured ``steps`` ([contact frame, next contact frame] pairs) and ``cadence``."""
    steps_measured = 0
    steps_truth = 0
    for segment in truth.get("segments", []):
        start, end = int(segment["start_frame"]), int(segment["end_frame"])
        steps_measured += sum(1 for a, b in steps if start <= a and b <= end)
        labelled = [
            e
            for e in truth["events"]
            if e["type"] == "initial_contact" and start <= e["frame"] <= end
        ]
        steps_truth += max(0, len(labelled) - 1)
    errors: list[int | None] = []
    for label in truth["events"]:
        leg = label.get("side_view_leg")
        candidates = [
            e["frame"] - label["frame"]
            for e in events
            if e["type"] == label["type"]
            and (leg is None or e.get("side_view_leg") == leg)
            and abs(e["frame"] - label["frame"]) <= MATCH_WINDOW
        ]
        errors.append(min(candidates, key=abs) if candidates else None)
    truth_cadence = float(truth["derived"]["cadence_spm"])
    error = None if cadence is None else 100.0 * (cadence - truth_cadence) / truth_cadence
    return Evaluation(
        cadence_truth=truth_cadence,
        cadence_measured=cadence,
        cadence_error_percent=None if error is None else round(error, 2),
        steps_truth=steps_truth,
        steps_measured=steps_measured,
        event_errors=errors,
        event_types=[str(label["type"]) for label in truth["events"]],
    )
