"""The measurements the scores are computed from, for the whole talk and per window.

Each :class:`Measurement` is a number with its unit and source, or ``None`` with the reason
it could not be measured. They come from the delivery report (speech) and the face metrics;
:func:`talk_measurements` gives the whole-talk values, :func:`window_measurements` the same
names over one window of the time series.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vidlens.coaching.face_pass import FacePass
from vidlens.coaching.speech_pass import SpeechPass
from vidlens.engines.delivery.types import DeliveryReport, DeliveryWindow
from vidlens.engines.face.types import FaceSample, FaceWindow

EXPRESSIVE_BLENDSHAPES: tuple[str, ...] = (
    "browInnerUp",
    "browOuterUpLeft",
    "browOuterUpRight",
    "browDownLeft",
    "browDownRight",
    "eyeSquintLeft",
    "eyeSquintRight",
    "cheekSquintLeft",
    "cheekSquintRight",
    "mouthSmileLeft",
    "mouthSmileRight",
)
"""Blendshapes of the brows, eyes and smile (not of the jaw, which speaking moves), whose
variation over time is the facial-expressiveness measurement."""

UNITS: dict[str, str] = {
    "pace": "words per minute",
    "filler_rate": "filler words per minute",
    "disfluency_rate": "repetitions and self-corrections per minute",
    "pause_ratio": "fraction of the speech span",
    "long_pauses": "pauses of 2 s or more per minute",
    "long_monologue": "seconds of the longest stretch without a 1 s pause",
    "hedge_rate": "hedging phrases per minute",
    "intelligibility": "mean recognition probability of the words (0-1)",
    "lexical_variety": "moving-average type-token ratio (0-1)",
    "pitch_variation": "standard deviation of F0 in semitones",
    "loudness_variation": "standard deviation of the speech level in dB",
    "sentiment": "VADER compound (-1..1)",
    "eye_contact": "fraction of face time looking at the camera",
    "head_stability": "head movement in degrees per second",
    "smile": "fraction of face time smiling",
    "facial_expressiveness": "mean standard deviation of brow, eye and smile blendshapes",
}
SPEECH = frozenset(
    {
        "pace",
        "filler_rate",
        "disfluency_rate",
        "pause_ratio",
        "long_pauses",
        "long_monologue",
        "hedge_rate",
        "intelligibility",
        "lexical_variety",
        "pitch_variation",
        "loudness_variation",
        "sentiment",
    }
)


@dataclass(frozen=True, slots=True)
class Measurement:
    name: str
    value: float | None
    reason: str | None = None

    @property
    def unit(self) -> str:
        return UNITS[self.name]

    @property
    def source(self) -> str:
        return "speech" if self.name in SPEECH else "face"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": _round(self.value), "unit": self.unit}
        if self.reason:
            data["unavailable"] = self.reason
        return data


Measurements = dict[str, Measurement]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def talk_measurements(speech: SpeechPass, face: FacePass) -> Measurements:
    """Every measurement over the whole talk."""
    found: list[Measurement] = []
    found += _speech(speech)
    found += _face(face)
    return {m.name: m for m in found}


def _speech(speech: SpeechPass) -> list[Measurement]:
    report = speech.delivery
    if report is None:
        reason = speech.unavailable_reason or "no speech"
        return [Measurement(name, None, reason) for name in sorted(SPEECH)]
    why = report.unavailable

    def get(name: str, value: float | None, section: str) -> Measurement:
        default = "no speech was recognised" if not report.words else "not measurable"
        return Measurement(name, value, None if value is not None else why.get(section, default))

    pace = report.pace.words_per_minute if report.pace else None
    pauses = report.pauses
    minutes = _span_minutes(report)
    monologue = report.monologues.longest if report.monologues else None
    return [
        get("pace", pace, "pace"),
        get("filler_rate", report.fillers.per_minute if report.fillers else None, "fillers"),
        get(
            "disfluency_rate",
            report.disfluencies.per_minute if report.disfluencies else None,
            "disfluencies",
        ),
        get("pause_ratio", pauses.pause_ratio if pauses else None, "pauses"),
        get(
            "long_pauses",
            pauses.long_count / minutes if pauses is not None and minutes else None,
            "pauses",
        ),
        get(
            "long_monologue",
            monologue.duration_seconds if monologue else (0.0 if report.monologues else None),
            "monologues",
        ),
        get("hedge_rate", report.hedges.per_minute if report.hedges else None, "hedges"),
        Measurement(
            "intelligibility",
            speech.word_probability if speech.source != "supplied_untimed" else None,
            None if speech.word_probability is not None else "no recognised words",
        ),
        get(
            "lexical_variety", report.vocabulary.mattr if report.vocabulary else None, "vocabulary"
        ),
        get("pitch_variation", report.pitch.std_semitones if report.pitch else None, "pitch"),
        get(
            "loudness_variation",
            report.loudness.std_db if report.loudness else None,
            "loudness",
        ),
        get("sentiment", report.sentiment.compound if report.sentiment else None, "sentiment"),
    ]


def _span_minutes(report: DeliveryReport) -> float | None:
    pace = report.pace
    if pace is None or not pace.speech_span_seconds:
        return None
    return pace.speech_span_seconds / 60.0


def _face(face: FacePass) -> list[Measurement]:
    names = ("eye_contact", "head_stability", "smile", "facial_expressiveness")
    metrics = face.metrics
    if metrics is None or not metrics.samples_with_face:
        reason = face.unavailable_reason or "no face was visible in any sample"
        return [Measurement(name, None, reason) for name in names]
    why = metrics.unavailable
    movement = metrics.head_pose.movement_deg_per_second if metrics.head_pose else None
    return [
        Measurement(
            "eye_contact",
            metrics.eye_contact_ratio,
            None if metrics.eye_contact_ratio is not None else why.get("eye_contact_ratio"),
        ),
        Measurement(
            "head_stability",
            movement,
            None if movement is not None else why.get("head_pose", "too few samples"),
        ),
        Measurement(
            "smile",
            metrics.smile_ratio,
            None if metrics.smile_ratio is not None else why.get("smile_ratio"),
        ),
        _expressiveness(face.samples),
    ]


def _expressiveness(samples: Sequence[FaceSample]) -> Measurement:
    series: list[list[float]] = [[] for _ in EXPRESSIVE_BLENDSHAPES]
    for sample in samples:
        face = sample.primary
        if face is None or not face.blendshapes:
            continue
        for column, name in zip(series, EXPRESSIVE_BLENDSHAPES, strict=True):
            column.append(float(face.blendshapes.get(name, 0.0)))
    if len(series[0]) < 3:
        return Measurement("facial_expressiveness", None, "fewer than 3 samples with blendshapes")
    value = statistics.fmean(statistics.pstdev(column) for column in series)
    return Measurement("facial_expressiveness", value)


def window_measurements(
    window: DeliveryWindow | None,
    faces: Sequence[FaceWindow],
    samples: Sequence[FaceSample],
    word_probabilities: Sequence[float],
    speech_reason: str | None,
) -> Measurements:
    """The measurements of one window (``faces``: the face windows inside it)."""
    found = _window_speech(window, word_probabilities, speech_reason)
    found += _window_face(faces, samples)
    return {m.name: m for m in found}


def _window_speech(
    window: DeliveryWindow | None, probabilities: Sequence[float], reason: str | None
) -> list[Measurement]:
    names = (
        "pace",
        "filler_rate",
        "disfluency_rate",
        "pause_ratio",
        "long_pauses",
        "hedge_rate",
        "intelligibility",
        "pitch_variation",
        "loudness_variation",
        "sentiment",
    )
    if window is None or not window.word_count:
        why = reason or ("no words in this window" if window is not None else "no speech")
        return [Measurement(name, None, why) for name in names]
    minutes = (window.end - window.start) / 60.0

    def rate(count: int | None) -> float | None:
        return None if count is None or minutes <= 0 else count / minutes

    disfluent = (
        None
        if window.repetition_count is None or window.self_correction_count is None
        else window.repetition_count + window.self_correction_count
    )
    pause_ratio = (
        window.pause_seconds / (window.end - window.start)
        if window.pause_seconds is not None and window.end > window.start
        else None
    )
    values = {
        "pace": window.words_per_minute,
        "filler_rate": rate(window.filler_count),
        "disfluency_rate": rate(disfluent),
        "pause_ratio": pause_ratio,
        "long_pauses": None,
        "hedge_rate": rate(window.hedge_count),
        "intelligibility": statistics.fmean(probabilities) if probabilities else None,
        "pitch_variation": window.pitch_std_semitones,
        "loudness_variation": window.loudness_std_db,
        "sentiment": window.sentiment_compound,
    }
    return [
        Measurement(name, values[name], None if values[name] is not None else "not measurable")
        for name in names
        if name != "long_pauses"
    ]


def _window_face(faces: Sequence[FaceWindow], samples: Sequence[FaceSample]) -> list[Measurement]:
    names = ("eye_contact", "head_stability", "smile", "facial_expressiveness")
    with_face = [f for f in faces if f.face_presence_ratio > 0]
    if not with_face:
        return [Measurement(name, None, "no face visible in this window") for name in names]

    def mean(values: list[tuple[float, float | None]]) -> float | None:
        kept = [(w, v) for w, v in values if v is not None]
        total = sum(w for w, _ in kept)
        return sum(w * v for w, v in kept) / total if total > 0 else None

    weights = [f.sample_count * f.face_presence_ratio for f in with_face]
    values = {
        "eye_contact": mean(
            [(w, f.eye_contact_ratio) for w, f in zip(weights, with_face, strict=True)]
        ),
        "head_stability": mean(
            [(w, f.head_movement_deg_per_second) for w, f in zip(weights, with_face, strict=True)]
        ),
        "smile": mean([(w, f.smile_ratio) for w, f in zip(weights, with_face, strict=True)]),
    }
    found = [
        Measurement(name, values[name], None if values[name] is not None else "not measurable")
        for name in names[:3]
    ]
    return [*found, _expressiveness(samples)]
