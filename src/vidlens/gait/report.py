"""Result objects of an analysis: the metrics block, each view's results, quality, warnings.

Numeric fields are language-independent and named as clients of the gait API read them
(``metrics.step_frequency_steps_per_min``, ``overstride.mean_angle``, ``total_score``);
``metrics.details`` carries, per metric, its label, unit, confidence and the reason a value
is missing, in the requested language.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vidlens.engines.pose.types import FloatArray, PoseSequence
from vidlens.gait.angles import Series, joint_angles, phase_value
from vidlens.gait.back_view import gait_cycle, leg_means
from vidlens.gait.geometry import nanmean
from vidlens.gait.i18n import text
from vidlens.gait.landing import foot_landing, overstride
from vidlens.gait.measure import Measure, missing
from vidlens.gait.options import GaitOptions
from vidlens.gait.scoring import component, running_styles, total_score
from vidlens.gait.spatiotemporal import MIN_VISIBLE_SECONDS, Spatiotemporal
from vidlens.gait.steps import Stance


def metrics_block(measures: Spatiotemporal, trunk: Measure | None, language: str) -> dict[str, Any]:
    """``metrics``: flat numbers, ``steps`` and per-metric ``details``."""
    fields: dict[str, Measure] = {
        "speed_meter_per_second": measures.speed,
        "step_length_meter": measures.step_length,
        "pace_min_per_km": measures.pace,
        "step_frequency_steps_per_min": measures.cadence,
        "ground_contact_time_ms": measures.ground_contact_time,
        "time_of_flight_ms": measures.flight_time,
        "double_support_ms": measures.double_support,
        "duty_factor": measures.duty_factor,
        "vertical_oscillation_cm": measures.vertical_oscillation,
    }
    if trunk is not None:
        fields["trunk_lean_deg"] = trunk
    out: dict[str, Any] = {key: m.number for key, m in fields.items()}
    speed = measures.speed.number
    out["speed_km_per_hour"] = None if speed is None else round(speed * 3.6, 2)
    out["steps"] = measures.steps
    out["details"] = {key: m.details(language) for key, m in fields.items()}
    return out


def trunk_lean(seq: PoseSequence, facing: FloatArray) -> Measure:
    """Mean angle of the hip-to-shoulder line from the vertical, positive leaning forward."""
    shoulders = (seq.pixels("left_shoulder") + seq.pixels("right_shoulder")) / 2
    hips = (seq.pixels("left_hip") + seq.pixels("right_hip")) / 2
    with np.errstate(invalid="ignore"):
        lean = np.degrees(
            np.arctan2((shoulders[:, 0] - hips[:, 0]) * facing, hips[:, 1] - shoulders[:, 1])
        )
    value = nanmean(lean[seq.detected])
    if value is None:
        return missing("trunk_lean", "deg", "reason_landmarks_hidden")
    return Measure("trunk_lean", value, "deg", confidence=0.7, digits=1)


def side_view_results(
    seq: PoseSequence,
    measures: Spatiotemporal,
    stances: list[Stance],
    series: Series,
    facing: FloatArray,
    ppm: float | None,
    language: str,
) -> dict[str, Any]:
    """``metrics``, ``overstride``, ``foot_landing``, ``joint_angles``, ``running_styles``,
    ``total_score`` and ``score_components`` of a side view."""
    gait = measures.gait
    trunk = trunk_lean(seq, facing)
    stride = overstride(seq, stances, facing, ppm, gait, language)
    knee = phase_value(seq, series, stances, "knee", "initial_contact")
    components = {
        "cadence": component("cadence", measures.cadence.number, gait, language),
        "overstride": component("overstride", stride["mean_angle"], gait, language),
        "vertical_oscillation": component(
            "vertical_oscillation", measures.vertical_oscillation.number, gait, language
        ),
        "knee_flexion_at_contact": component("knee_flexion_at_contact", knee, gait, language),
        "trunk_lean": component("trunk_lean", trunk.number, gait, language),
    }
    score = total_score(components, language)
    return {
        "gait_type": gait,
        "metrics": metrics_block(measures, trunk, language),
        "overstride": stride,
        "foot_landing": foot_landing(seq, stances, facing, language),
        "joint_angles": joint_angles(seq, series, stances, language),
        "running_styles": running_styles(
            measures.duty_factor.number, measures.oscillation_relative, gait, language
        ),
        "total_score": score["value"],
        "score_components": score,
    }


def back_view_results(
    seq: PoseSequence,
    measures: Spatiotemporal,
    stances: list[Stance],
    full_body: bool,
    language: str,
) -> dict[str, Any]:
    """``gait_cycle``, ``metrics``, ``total_score`` and ``score_components`` of a back view."""
    cycle = gait_cycle(seq, stances, full_body, language)
    names = ("pronation", "knee_adduction", "pelvic_drop") if full_body else ("pronation",)
    components = {
        name: component(name, leg_means(cycle, name), measures.gait, language) for name in names
    }
    score = total_score(components, language)
    return {
        "gait_type": measures.gait,
        "gait_cycle": cycle,
        "metrics": metrics_block(measures, None, language),
        "total_score": score["value"],
        "score_components": score,
    }


def quality(seq: PoseSequence, pans: bool, visible: float, ppm: float | None) -> dict[str, Any]:
    """What the footage offered: frames, frame rate, visibility, people, camera motion."""
    return {
        "frames": seq.frame_count,
        "frames_with_runner": int(seq.detected.sum()),
        "visible_seconds": round(visible, 2),
        "fps": round(seq.video.fps, 3),
        "variable_frame_rate": seq.video.variable_frame_rate,
        "camera_pans": pans,
        "people_max": seq.people_max,
        "swaps_repaired": seq.swaps_repaired,
        "smoothing": seq.smoothing,
        "pixels_per_metre": None if ppm is None else round(ppm, 2),
    }


def warnings(
    seq: PoseSequence, options: GaitOptions, view: str, pans: bool, visible: float
) -> list[dict[str, Any]]:
    """Warnings about the footage, each with a code and a sentence in the language."""
    lang = options.language
    out: list[dict[str, Any]] = []

    def add(code: str, key: str, **values: object) -> None:
        out.append({"code": code, "text": text(key, lang, **values)})

    if seq.people_max > 1:
        add("several_people", "warning_several_people", people=seq.people_max)
    if view != options.analysis_type:
        seen = text(view, lang).lower()
        add(
            "view_mismatch",
            "warning_view_mismatch",
            seen=seen,
            requested=text(options.analysis_type, lang).lower(),
        )
    if visible < MIN_VISIBLE_SECONDS:
        add("short_visibility", "reason_short_visibility", seconds=visible)
    elif seq.video.duration_seconds - visible > 0.5:
        add(
            "runner_leaves_frame",
            "warning_runner_leaves_frame",
            seconds=seq.video.duration_seconds - visible,
        )
    if pans and not options.treadmill:
        add("camera_pans", "reason_camera_pans")
    if seq.video.fps < 60:
        add("low_fps", "warning_low_fps", fps=seq.video.fps, frame_ms=1000.0 / seq.video.fps)
    if seq.video.variable_frame_rate:
        add("variable_frame_rate", "warning_variable_frame_rate")
    return out
