"""``time_series_scores``: the four scores again over consecutive windows of the talk.

The grid is the delivery report's (``window_seconds`` from 0; a last piece shorter than a
quarter window joins the previous one); without audio it is the face metrics' windows. Each
window's scores use the same formulas as the whole talk (:mod:`.scoring`) on the
measurements of that window (:func:`~vidlens.coaching.measurements.window_measurements`);
a window without words has no speech measurements (silence is not scored as bad speech).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vidlens.coaching.face_pass import FacePass
from vidlens.coaching.measurements import Measurements, window_measurements
from vidlens.coaching.profiles import ContextProfile
from vidlens.coaching.scoring import Scores, score_all
from vidlens.coaching.speech_pass import SpeechPass
from vidlens.engines.delivery.types import DeliveryWindow
from vidlens.engines.face.types import FaceWindow


@dataclass(frozen=True, slots=True)
class WindowScores:
    start: float
    end: float
    scores: Scores
    measurements: Measurements

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"start": round(self.start, 3), "end": round(self.end, 3)}
        data.update(self.scores.category_values())
        data["overall"] = self.scores.overall
        data["measurements"] = {name: m.to_dict()["value"] for name, m in self.measurements.items()}
        data["unavailable"] = {
            name: m.reason for name, m in self.measurements.items() if m.reason is not None
        }
        return data


def _grid(speech: SpeechPass, face: FacePass, size: float) -> list[tuple[float, float]]:
    report = speech.delivery
    if report is not None and report.windows:
        return [(w.start, w.end) for w in report.windows]
    metrics = face.metrics
    if metrics is not None and metrics.windows:
        return [(w.start, w.end) for w in metrics.windows]
    duration = metrics.duration_seconds if metrics is not None else 0.0
    count = math.ceil(duration / size) if duration > 0 else 0
    return [(k * size, min(duration, (k + 1) * size)) for k in range(count)]


def time_series(
    speech: SpeechPass, face: FacePass, profile: ContextProfile, window_seconds: float
) -> list[WindowScores]:
    """One :class:`WindowScores` per window of the talk."""
    grid = _grid(speech, face, window_seconds)
    delivery: Sequence[DeliveryWindow] = speech.delivery.windows if speech.delivery else ()
    by_start = {round(w.start, 3): w for w in delivery}
    faces: Sequence[FaceWindow] = face.metrics.windows if face.metrics else ()
    words = _recognised_words(speech)
    speech_reason = speech.unavailable_reason
    if speech.delivery is not None and speech.source == "supplied_untimed":
        speech_reason = "the supplied transcript has no timings"
    out = []
    for start, end in grid:
        inside_faces = [f for f in faces if start <= f.start < end - 1e-9]
        samples = [s for s in face.samples if start <= s.timestamp < end]
        probabilities = [p for t, p in words if start <= t < end]
        measurements = window_measurements(
            by_start.get(round(start, 3)), inside_faces, samples, probabilities, speech_reason
        )
        out.append(
            WindowScores(start, end, score_all(measurements, profile, end - start), measurements)
        )
    return out


def _recognised_words(speech: SpeechPass) -> list[tuple[float, float]]:
    """``(middle time, probability)`` of every recognised word."""
    if speech.transcript is None:
        return []
    return [
        ((w.start + w.end) / 2, w.probability)
        for segment in speech.transcript.segments
        for w in segment.words
    ]
