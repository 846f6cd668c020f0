"""Cadence, speed, step length, contact and flight times, duty factor, vertical oscillation.

All times come from the frames' timestamps (variable frame rates are handled). With ``T`` the
frame duration (1 / fps):

- **step time** = mean over steps of t(next contact) - t(contact); **cadence** = 60 / step
  time, in steps per minute (two feet: steps, not strides). Needs :data:`MIN_STEPS` steps.
- **speed**: treadmill (or a panning camera with a pace given) = 1000 / pace seconds per km;
  overground = the pelvis's horizontal travel over the steps (pixels) / pixels per metre /
  their duration. The scale comes from the runner's height (see
  :func:`vidlens.gait.geometry.pixels_per_metre`). **pace** = 1000 / speed / 60 min per km.
- **step length** = speed x step time.
- **ground contact time** = mean over complete stances of t(toe-off) - t(contact) + T.
- **flight time** = mean over stances of t(other foot's next contact) - t(toe-off) - T;
  negative means double support (walking), reported as ``double_support_ms``.
- **duty factor** = contact time / stride time (2 x step time).
- **vertical oscillation** = median over strides of the pelvis's vertical range (pixels) /
  pixels per metre, in cm; also relative to the leg length (for the running styles).

**Gait**: walking when both feet are on the ground together (negative flight time) or the
duty factor exceeds 0.5; a cadence of 160 steps/min or more is running, 125 or less walking,
whatever the contact times say (they carry a frame of uncertainty at 30 fps); between those,
with no contact time, below 145 is walking.

Below 60 fps, contact time, flight time and duty factor carry a note and a lower confidence
(one frame at 30 fps is 33 ms, about 13 % of a running contact).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from vidlens.engines.pose.types import FloatArray, PoseSequence
from vidlens.gait.measure import Measure, missing
from vidlens.gait.options import GaitOptions
from vidlens.gait.steps import Stance

MIN_STEPS = 2
"""Fewest steps (contact-to-contact intervals) for cadence and what is built on it."""
MIN_VISIBLE_SECONDS = 1.5
"""A runner visible for less than this is reported as too briefly visible."""
GOOD_FPS = 60.0
"""Frame rate from which contact and flight times are trusted."""

Gait = Literal["walking", "running"]


@dataclass(frozen=True)
class Spatiotemporal:
    """The clip's spatio-temporal measures and the gait they show."""

    cadence: Measure
    speed: Measure
    pace: Measure
    step_length: Measure
    ground_contact_time: Measure
    flight_time: Measure
    double_support: Measure
    duty_factor: Measure
    vertical_oscillation: Measure
    oscillation_relative: float | None
    gait: Gait | None
    steps: int


@dataclass(frozen=True)
class Scene:
    """What the spatio-temporal measures are computed from."""

    seq: PoseSequence
    options: GaitOptions
    steps: list[tuple[int, int]]
    stances: list[Stance]
    pelvis: FloatArray
    pixels_per_metre: float | None
    leg_px: float
    pans: bool
    visible_seconds: float


def measure(scene: Scene) -> Spatiotemporal:
    """Every measure of the module docstring."""
    times = scene.seq.times
    step_times = [float(times[b] - times[a]) for a, b in scene.steps]
    step_time = float(np.mean(step_times)) if len(step_times) >= MIN_STEPS else None
    short = _short_reason(scene)
    cadence = _cadence(step_times, step_time, short)
    speed = _speed(scene, step_times, short)
    contact, flight, double, duty = _contact_flight(scene, step_time, short)
    oscillation, relative = _oscillation(scene, short)
    step_length, pace = _from_speed(speed, step_time, short)
    return Spatiotemporal(
        cadence=cadence,
        speed=speed,
        pace=pace,
        step_length=step_length,
        ground_contact_time=contact,
        flight_time=flight,
        double_support=double,
        duty_factor=duty,
        vertical_oscillation=oscillation,
        oscillation_relative=relative,
        gait=_gait(cadence.number, double.value, duty.value),
        steps=len(step_times),
    )


def _cadence(
    step_times: list[float], step_time: float | None, short: tuple[str, dict[str, object]]
) -> Measure:
    if not step_time:
        return missing("cadence", "steps/min", short[0], **short[1])
    confidence = min(1.0, 0.5 + 0.1 * len(step_times))
    return Measure("cadence", 60.0 / step_time, "steps/min", confidence=confidence, digits=1)


def _from_speed(
    speed: Measure, step_time: float | None, short: tuple[str, dict[str, object]]
) -> tuple[Measure, Measure]:
    """Step length (speed x step time) and pace (1000 / speed / 60 min per km)."""
    reason, values = speed.reason or short[0], speed.reason_values or short[1]
    if speed.value is None or step_time is None:
        step_length = missing("step_length", "m", reason, **values)
    else:
        confidence = _scaled(speed, 0.9)
        step_length = Measure("step_length", speed.value * step_time, "m", confidence=confidence)
    if not speed.value:
        return step_length, missing("pace", "min/km", reason, **values)
    pace = 1000.0 / speed.value / 60.0
    return step_length, Measure("pace", pace, "min/km", confidence=speed.confidence, digits=3)


def _scaled(source: Measure, factor: float) -> float | None:
    return None if source.confidence is None else source.confidence * factor


def _short_reason(scene: Scene) -> tuple[str, dict[str, object]]:
    values: dict[str, object] = {
        "steps": len(scene.steps),
        "needed": MIN_STEPS,
        "seconds": scene.visible_seconds,
    }
    if scene.visible_seconds < MIN_VISIBLE_SECONDS:
        return "reason_short_visibility", values
    return "reason_too_few_steps", values


def _speed(scene: Scene, step_times: list[float], short: tuple[str, dict[str, object]]) -> Measure:
    options = scene.options
    pace = options.pace_seconds_per_km
    if pace is not None and (options.treadmill or scene.pans):
        return Measure(
            "speed",
            1000.0 / pace,
            "m/s",
            confidence=1.0,
            note="note_speed_from_pace",
            note_values={"pace": options.pace},
        )
    if scene.pans:
        return missing("speed", "m/s", "reason_camera_pans")
    if scene.pixels_per_metre is None:
        return missing("speed", "m/s", "reason_landmarks_hidden")
    if len(step_times) < MIN_STEPS:
        return missing("speed", "m/s", short[0], **short[1])
    pelvis = scene.pelvis
    distance = float(np.nansum([abs(pelvis[b, 0] - pelvis[a, 0]) for a, b in scene.steps]))
    duration = float(np.sum(step_times))
    if duration <= 0 or not np.isfinite(distance):
        return missing("speed", "m/s", "reason_landmarks_hidden")
    return Measure(
        "speed",
        distance / scene.pixels_per_metre / duration,
        "m/s",
        confidence=0.7,
        note="note_speed_from_video",
        note_values={"height": options.height_cm},
    )


def _timed(
    key: str,
    value: float | None,
    reason: str,
    confidence: float,
    note: tuple[str, dict[str, float]] | None,
) -> Measure:
    """A time in ms, with the low-frame-rate note when there is one."""
    if value is None:
        return missing(key, "ms", reason)
    if note is None:
        return Measure(key, value, "ms", confidence, digits=0)
    return Measure(key, value, "ms", confidence, note=note[0], note_values=note[1], digits=0)


def _contact_flight(
    scene: Scene, step_time: float | None, short: tuple[str, dict[str, object]]
) -> tuple[Measure, Measure, Measure, Measure]:
    seq = scene.seq
    times = seq.times
    frame = 1.0 / seq.video.fps
    contacts = [float(times[s.toe_off] - times[s.contact]) + frame for s in scene.stances]
    flights = _flights(scene.stances, times, frame)
    low = seq.video.fps < GOOD_FPS
    confidence = (0.4 if low else 0.8) * (1.0 if len(contacts) >= 3 else 0.6)
    note = ("warning_low_fps", {"fps": seq.video.fps, "frame_ms": 1000.0 * frame}) if low else None
    contact = float(np.mean(contacts)) if contacts else None
    flight = float(np.mean(flights)) if flights else None
    walking = flight is not None and flight < 0
    double_ms = -1000.0 * flight if walking and flight is not None else None
    double = _timed("double_support", double_ms, "reason_no_contacts", confidence, note)
    if double_ms is not None:
        flight_measure = missing(
            "flight_time", "ms", "reason_walking_no_flight", double_ms=double_ms
        )
    else:
        flight_ms = None if flight is None else 1000.0 * flight
        flight_measure = _timed("flight_time", flight_ms, "reason_no_contacts", confidence, note)
    contact_ms = None if contact is None else 1000.0 * contact
    contact_measure = _timed(
        "ground_contact_time", contact_ms, "reason_no_contacts", confidence, note
    )
    return (
        contact_measure,
        flight_measure,
        double,
        _duty(contact, step_time, confidence, note, short),
    )


def _duty(
    contact: float | None,
    step_time: float | None,
    confidence: float,
    note: tuple[str, dict[str, float]] | None,
    short: tuple[str, dict[str, object]],
) -> Measure:
    if contact is None:
        return missing("duty_factor", None, "reason_no_contacts")
    if step_time is None:
        return missing("duty_factor", None, short[0], **short[1])
    value = contact / (2.0 * step_time)
    if note is None:
        return Measure("duty_factor", value, None, confidence * 0.9, digits=3)
    return Measure(
        "duty_factor", value, None, confidence * 0.9, note=note[0], note_values=note[1], digits=3
    )


def _flights(stances: list[Stance], times: FloatArray, frame: float) -> list[float]:
    flights = []
    ordered = sorted(stances, key=lambda s: s.contact)
    for stance in ordered:
        following = [o for o in ordered if o.foot != stance.foot and o.contact > stance.contact]
        if following and times[following[0].contact] - times[stance.contact] < 2.0:
            flights.append(float(times[following[0].contact] - times[stance.toe_off]) - frame)
    return flights


def _gait(cadence: float | None, double: float | None, duty: float | None) -> Gait | None:
    walking: bool | None = None
    if double is not None:
        walking = True
    elif duty is not None:
        walking = duty > 0.5
    if cadence is not None:
        if cadence >= 160:
            walking = False
        elif cadence <= 125:
            walking = True
        elif walking is None:
            walking = cadence < 145
    if walking is None:
        return None
    return "walking" if walking else "running"


def _oscillation(
    scene: Scene, short: tuple[str, dict[str, object]]
) -> tuple[Measure, float | None]:
    if scene.pixels_per_metre is None:
        return missing("vertical_oscillation", "cm", "reason_landmarks_hidden"), None
    amplitudes = []
    for first, second in zip(scene.steps, scene.steps[1:], strict=False):
        if first[1] != second[0]:
            continue  # not one stride: the two steps are not consecutive
        ys = scene.pelvis[first[0] : second[1] + 1, 1]
        ys = ys[np.isfinite(ys)]
        if ys.size:
            amplitudes.append(float(ys.max() - ys.min()))
    if not amplitudes:
        return missing("vertical_oscillation", "cm", short[0], **short[1]), None
    pixels = float(np.median(amplitudes))
    value = pixels / scene.pixels_per_metre * 100.0
    return (
        Measure("vertical_oscillation", value, "cm", confidence=0.6, digits=1),
        pixels / scene.leg_px,
    )
