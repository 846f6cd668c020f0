"""``engine_analysis.emotion``: facial expression per window and overall, with confidence.

Two readers, both over the primary face of each sample:

- ``blendshape-heuristic-v1`` (the face engine's rules on MediaPipe blendshapes): a label and
  a confidence per sample; a distribution is the share of samples per label and its
  confidence the mean per-sample confidence.
- the packaged 7-class FER model: probabilities per sample; a distribution is the mean of
  the probability vectors and its confidence the mean top-class probability.

Labels use the model's names (``surprised`` → ``surprise``, ``disgusted`` → ``disgust``; the
heuristic never says ``fear``). Whatever the reader, the result names what faces *showed*,
never what the speaker felt: :data:`EMOTION_LIMITS` is part of every response.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vidlens.coaching.emotion_model import FER_LABELS, FER_MODEL_ID
from vidlens.coaching.face_pass import FacePass, ModelReading
from vidlens.engines.face.expression import METHOD as HEURISTIC_METHOD

EMOTION_LIMITS = (
    "Emotion inference reads visible facial movements (smile, brows, eyes, jaw) and maps "
    "them to labels. It cannot tell what a person feels, means or whether they are sincere: "
    "speaking moves the face and triggers false 'surprise' or 'fear', and lighting, glasses, "
    "camera angle, culture, age and neurodiversity all change expressions. Neither reader "
    "here was validated on labelled recordings of people talking (none ship with vidlens), "
    "and the 7-class model was trained on posed still photos. Treat the labels as prompts "
    "for reflection, never as a diagnosis or as grounds for a decision about the person."
)
_RENAME = {"surprised": "surprise", "disgusted": "disgust"}
DISTRESS_LABELS = ("sad", "fear", "angry")


@dataclass(frozen=True, slots=True)
class Reading:
    """Per-sample labels (and probabilities for the model) of one reader."""

    method: str
    times: tuple[float, ...]
    labels: tuple[str, ...]
    confidences: tuple[float, ...]
    probabilities: tuple[tuple[float, ...], ...] | None = None

    def summary(self, start: float = 0.0, end: float = float("inf")) -> dict[str, Any] | None:
        chosen = [i for i, t in enumerate(self.times) if start <= t < end]
        if not chosen:
            return None
        if self.probabilities is not None:
            sums = [0.0] * len(FER_LABELS)
            for i in chosen:
                for k, p in enumerate(self.probabilities[i]):
                    sums[k] += p
            distribution = {FER_LABELS[k]: v / len(chosen) for k, v in enumerate(sums)}
        else:
            counts = Counter(self.labels[i] for i in chosen)
            distribution = {label: n / len(chosen) for label, n in counts.items()}
        dominant = max(distribution.items(), key=lambda item: item[1])[0]
        confidence = sum(self.confidences[i] for i in chosen) / len(chosen)
        return {
            "distribution": {k: round(v, 3) for k, v in sorted(distribution.items())},
            "dominant": dominant,
            "confidence": round(confidence, 3),
            "samples": len(chosen),
        }

    def changes_per_second(self) -> float | None:
        if len(self.times) < 2 or self.times[-1] <= self.times[0]:
            return None
        changes = sum(1 for a, b in zip(self.labels, self.labels[1:], strict=False) if a != b)
        return changes / (self.times[-1] - self.times[0])


def heuristic_reading(face: FacePass) -> Reading | None:
    """The blendshape heuristic's labels from the face metrics' timeline."""
    if face.metrics is None:
        return None
    items = [a for a in face.metrics.timeline if a.expression is not None]
    if not items:
        return None
    return Reading(
        method=HEURISTIC_METHOD,
        times=tuple(a.timestamp for a in items),
        labels=tuple(_RENAME.get(a.expression or "", a.expression or "") for a in items),
        confidences=tuple(a.expression_confidence or 0.0 for a in items),
    )


def model_reading(readings: Sequence[ModelReading] | None) -> Reading | None:
    """The FER model's readings (None when it did not run or saw no face)."""
    if not readings:
        return None
    labels, confidences = [], []
    for reading in readings:
        best = max(range(len(FER_LABELS)), key=lambda k: reading.probabilities[k])
        labels.append(FER_LABELS[best])
        confidences.append(reading.probabilities[best])
    return Reading(
        method=FER_MODEL_ID,
        times=tuple(r.timestamp for r in readings),
        labels=tuple(labels),
        confidences=tuple(confidences),
        probabilities=tuple(r.probabilities for r in readings),
    )


def agreement(a: Reading, b: Reading) -> float | None:
    """Share of the samples both readers labelled where they gave the same label."""
    by_time = dict(zip(a.times, a.labels, strict=True))
    pairs = [
        (by_time[t], label) for t, label in zip(b.times, b.labels, strict=True) if t in by_time
    ]
    return sum(1 for x, y in pairs if x == y) / len(pairs) if pairs else None


def _reader(reading: Reading, grid: Sequence[tuple[float, float]]) -> dict[str, Any]:
    windows = []
    for start, end in grid:
        summary = reading.summary(start, end)
        if summary is not None:
            windows.append({"start": round(start, 3), "end": round(end, 3), **summary})
    changes = reading.changes_per_second()
    return {
        "method": reading.method,
        "overall": reading.summary(),
        "windows": windows,
        "label_changes_per_second": None if changes is None else round(changes, 3),
    }


def emotion_section(
    face: FacePass, *, enabled: bool, method: str, grid: Sequence[tuple[float, float]]
) -> tuple[dict[str, Any], Reading | None]:
    """The ``emotion`` object and the primary reading (None when off or nothing seen)."""
    if not enabled:
        return {
            "enabled": False,
            "status": "disabled",
            "reason": "Emotion inference is switched off on this server "
            "(VIDLENS_COACHING__EMOTION_INFERENCE=false): no facial expression or emotion "
            "was inferred and no score uses one.",
            "overall": None,
            "windows": [],
        }, None
    heuristic = heuristic_reading(face) if method in ("blendshapes", "both") else None
    model = model_reading(face.model_readings) if method in ("model", "both") else None
    primary = model if method == "model" else heuristic
    if primary is None:
        reason = face.unavailable_reason or (
            "no face was visible"
            if face.metrics is None or not face.metrics.samples_with_face
            else "the samples carry no blendshapes"
            if method != "model"
            else "the 7-class model needs decoded video frames (client mediapipeSamples carry none)"
        )
        return {
            "enabled": True,
            "status": "unavailable",
            "reason": reason,
            "overall": None,
            "windows": [],
            "limits": EMOTION_LIMITS,
        }, None
    section: dict[str, Any] = {"enabled": True, "status": "measured", **_reader(primary, grid)}
    if method == "both" and model is not None and heuristic is not None:
        section["model"] = _reader(model, grid)
        together = agreement(heuristic, model)
        section["agreement"] = None if together is None else round(together, 3)
    section["limits"] = EMOTION_LIMITS
    return section, primary


def distress_share(reading: Reading | None) -> float | None:
    """Share of sad, fear and angry in the reading's overall distribution."""
    if reading is None:
        return None
    summary = reading.summary()
    if summary is None:
        return None
    distribution: dict[str, float] = summary["distribution"]
    return sum(distribution.get(label, 0.0) for label in DISTRESS_LABELS)
