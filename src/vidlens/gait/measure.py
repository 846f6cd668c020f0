"""One measured quantity with its unit, confidence and, when missing, the reason.

Every metric of a result is a :class:`Measure`: its number goes into the flat, language-free
fields clients read (``metrics.step_frequency_steps_per_min``), and :meth:`Measure.details`
gives its label, unit, confidence and — when the footage cannot support it — ``reason`` (a
stable code) and ``reason_text`` (a sentence in the requested language).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from vidlens.gait.i18n import text


@dataclass(frozen=True)
class Measure:
    """A value or the reason it is missing.

    Attributes:
        key: text key of its label (``cadence``).
        value: the number, or None.
        unit: ``steps/min``, ``m/s``, ``ms``, ``deg``, ``cm``, ``m`` or None (a ratio).
        confidence: 0-1, None when the value is None.
        reason: text key (``reason_too_few_steps``) of why the value is None.
        reason_values: values for the reason's sentence.
        note: text key of a caveat that holds even with a value (``warning_low_fps``).
        note_values: values for the note's sentence.
        digits: decimals kept.
    """

    key: str
    value: float | None
    unit: str | None
    confidence: float | None = None
    reason: str | None = None
    reason_values: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    note_values: dict[str, Any] = field(default_factory=dict)
    digits: int = 2

    @property
    def number(self) -> float | None:
        """The value rounded to :attr:`digits`, or None (also for NaN and infinity)."""
        if self.value is None or not math.isfinite(self.value):
            return None
        return round(float(self.value), self.digits)

    def details(self, language: str) -> dict[str, Any]:
        """Label, unit, value, confidence, reason and note, in ``language``."""
        number = self.number
        reason = None
        if number is None:
            reason = self.reason or "reason_landmarks_hidden"
        body: dict[str, Any] = {
            "label": text(self.key, language),
            "value": number,
            "unit": self.unit,
            "confidence": None
            if number is None or self.confidence is None
            else round(self.confidence, 2),
            "reason": None if reason is None else reason.removeprefix("reason_"),
            "reason_text": None if reason is None else text(reason, language, **self.reason_values),
        }
        if self.note is not None:
            body["note"] = self.note.removeprefix("warning_").removeprefix("note_")
            body["note_text"] = text(self.note, language, **self.note_values)
        return body


def missing(key: str, unit: str | None, reason: str, **values: Any) -> Measure:
    """A measure without a value, for ``reason`` (a ``reason_*`` text key)."""
    return Measure(key, None, unit, reason=reason, reason_values=values)
