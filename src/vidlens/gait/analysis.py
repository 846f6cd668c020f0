"""Gait analysis of one runner's pose sequence: events, metrics, angles, style, score.

The requested ``analysis_type`` decides how the footage is read (the user knows where the
camera stood); the view the footage seems to show is reported as ``view_detected`` and, when
it differs, as a ``view_mismatch`` warning.

:func:`analyze` chooses how to find the events (footprints for a static camera overground;
the foot relative to the pelvis on a treadmill or when the camera pans), counts the steps,
measures (:mod:`~vidlens.gait.spatiotemporal`) and adds the view's own results: side view
:mod:`~vidlens.gait.angles`, :mod:`~vidlens.gait.landing` and :mod:`~vidlens.gait.scoring`;
back view :mod:`~vidlens.gait.back_view`. Formulas and thresholds: docs/gait.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from vidlens.engines.pose.types import FloatArray, PoseSequence
from vidlens.errors import MediaRejected
from vidlens.gait import events as gait_events
from vidlens.gait import view as gait_view
from vidlens.gait.angles import Series, joint_series
from vidlens.gait.events import GaitEvent
from vidlens.gait.footprints import find_footprints
from vidlens.gait.geometry import pixels_per_metre
from vidlens.gait.i18n import text
from vidlens.gait.identity import anchored
from vidlens.gait.kinematics import Kinematics, kinematics
from vidlens.gait.options import GaitOptions
from vidlens.gait.report import back_view_results, quality, side_view_results, warnings
from vidlens.gait.spatiotemporal import Scene, Spatiotemporal, measure
from vidlens.gait.steps import Stance, stances_from_events, stances_from_footprints, step_runs
from vidlens.gait.steps import steps as step_pairs


class NoStepsSeen(MediaRejected):
    """The runner was seen but not one contact or toe-off could be found."""

    code = "no_steps"


@dataclass(frozen=True)
class Detection:
    """The events of a clip and how they were found."""

    kin: Kinematics
    events: list[GaitEvent]
    stances: list[Stance]
    method: str


@dataclass
class GaitAnalysis:
    """What the product returns.

    Attributes:
        biomechanical_analysis: the full result object of the contract.
        calculated_data: side view: metrics, overstride, foot_landing, joint_angles,
            running_styles, total_score; back view: gait_cycle (and metrics, total_score).
        events: detected events as dicts (foot, type, frame, time, confidence,
            side_view_leg, counted_as_step).
        stances: the complete stances.
        series: joint angles of both labels on every frame (for pictures).
        facing: the runner's facing per frame (+1 image-right).
        gait: walking, running or None.
        sequence: the pose with left/right feet relabelled after the footprints (see
            :mod:`~vidlens.gait.identity`): the one every angle and picture is drawn from.
    """

    biomechanical_analysis: dict[str, Any]
    calculated_data: dict[str, Any]
    events: list[dict[str, Any]]
    stances: list[Stance]
    series: Series
    facing: FloatArray
    gait: str | None
    sequence: PoseSequence


def detect(seq: PoseSequence, options: GaitOptions, view: str, pans: bool) -> Detection:
    """Events and stances by the method the footage allows (see the module docstring)."""
    kin = kinematics(seq, "x" if view == "side_view" else "xy")
    if not options.treadmill and not pans:
        prints = find_footprints(kin, seq.video.fps)
        events = gait_events.events_from_footprints(seq, kin, prints)
        return Detection(kin, events, stances_from_footprints(seq, prints), "footprints")
    if view == "side_view":
        found = gait_events.events_relative_to_pelvis(seq, kin, gait_view.facing(seq))
        method = "relative_to_pelvis"
    else:
        found = gait_events.events_from_leg_extension(seq, kin)
        method = "leg_extension"
    return Detection(kin, found, stances_from_events(seq, found), method)


def analyze(seq: PoseSequence, options: GaitOptions) -> GaitAnalysis:
    """Analyse one runner's pose sequence.

    Raises:
        NoStepsSeen: not one initial contact or toe-off was found (code ``no_steps``).
    """
    lang = options.language
    pans = gait_view.camera_pans(seq)
    facing = gait_view.facing(seq)
    view = gait_view.detected_view(seq)  # reported (and warned about); the request decides
    found = detect(seq, options, options.analysis_type, pans)
    if not found.events:
        raise NoStepsSeen(text("error_no_steps", lang))
    seq, relabelled = anchored(seq, found.stances)
    pairs, counted = _steps(found, overground=not options.treadmill and not pans)
    event_dicts = [
        _event_dict(e, options.analysis_type, facing, e.frame in counted) for e in found.events
    ]
    visible = float(np.sum(np.diff(seq.times, append=seq.times[-1])[seq.detected]))
    ppm = pixels_per_metre(seq, options.height_cm / 100.0)
    scene = Scene(
        seq, options, pairs, found.stances, found.kin.pelvis, ppm, found.kin.leg_px, pans, visible
    )
    measures = measure(scene)
    series = joint_series(seq, facing)
    calculated = _view_results(seq, options, measures, found.stances, series, facing, ppm)
    base = _base(seq, options, measures, view, found, pans, visible, ppm)
    base["quality"]["labels_repaired"] = relabelled
    base["events"] = event_dicts
    base["step_frames"] = [[a, b] for a, b in pairs]
    return GaitAnalysis(
        biomechanical_analysis={**base, **calculated},
        calculated_data=calculated,
        events=event_dicts,
        stances=found.stances,
        series=series,
        facing=facing,
        gait=measures.gait,
        sequence=seq,
    )


def _steps(found: Detection, *, overground: bool) -> tuple[list[tuple[int, int]], set[int]]:
    """The steps (contact frame pairs) and the contact frames counted as steps."""
    contacts = [e for e in found.events if e.type == "initial_contact"]
    runs = step_runs(contacts, found.kin.leg_px, overground)
    return step_pairs(runs), {e.frame for run in runs for e in run}


def _view_results(
    seq: PoseSequence,
    options: GaitOptions,
    measures: Spatiotemporal,
    stances: list[Stance],
    series: Series,
    facing: FloatArray,
    ppm: float | None,
) -> dict[str, Any]:
    lang = options.language
    if options.analysis_type == "side_view":
        return side_view_results(seq, measures, stances, series, facing, ppm, lang)
    return back_view_results(seq, measures, stances, options.full_body, lang)


def _event_dict(event: GaitEvent, view: str, facing: FloatArray, counted: bool) -> dict[str, Any]:
    leg = gait_view.side_view_leg(event.foot, event.frame, facing) if view == "side_view" else None
    return {
        "foot": event.foot,
        "type": event.type,
        "frame": event.frame,
        "time": round(event.time, 4),
        "confidence": event.confidence,
        "side_view_leg": leg,
        "counted_as_step": counted if event.type == "initial_contact" else None,
    }


def _base(
    seq: PoseSequence,
    options: GaitOptions,
    measures: Spatiotemporal,
    view: str,
    found: Detection,
    pans: bool,
    visible: float,
    ppm: float | None,
) -> dict[str, Any]:
    lang = options.language
    gait = measures.gait
    cadence = measures.cadence.number
    return {
        "analysis_type": options.analysis_type,
        "view_detected": view,
        "gait_type": gait,
        "gait_type_label": None if gait is None else text(gait, lang),
        "summary": None
        if gait is None or cadence is None
        else text(f"summary_{gait}", lang, cadence=cadence),
        "language": lang,
        "input": {
            "height_cm": options.height_cm,
            "weight_kg": options.weight_kg,
            "pace": options.pace,
            "treadmill": options.treadmill,
            "full_body": options.full_body,
        },
        "event_method": found.method,
        "steps_counted": measures.steps,
        "quality": quality(seq, pans, visible, ppm),
        "warnings": warnings(seq, options, view, pans, visible),
    }
