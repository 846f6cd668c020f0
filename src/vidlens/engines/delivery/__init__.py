"""Speech-delivery measurements for communication coaching (pure, typed, no HTTP).

:func:`measure_delivery` takes a :class:`~vidlens.engines.speech.types.Transcript` (word
timings from faster-whisper), the mono audio samples, and optionally a user-supplied
transcript, and returns a :class:`DeliveryReport`: pace, pauses, filler words, hedging,
repetitions and self-corrections, pitch, loudness and audio quality, monologue stretches,
vocabulary variety, sentiment, a time series over windows, and five KPIs. One module per
concern; what each measurement is and its limits: docs/delivery.md.
"""

from vidlens.engines.delivery.measure import MAX_SECONDS, measure_delivery
from vidlens.engines.delivery.settings import DeliveryOptions
from vidlens.engines.delivery.types import (
    Alignment,
    DeliveryReport,
    DeliveryWindow,
    Disfluencies,
    Hit,
    Kpi,
    Loudness,
    Monologue,
    Monologues,
    Pace,
    Pause,
    Pauses,
    PhraseCounts,
    Pitch,
    Repetition,
    SelfCorrection,
    SentenceSentiment,
    Sentiment,
    TimedWord,
    Vocabulary,
)

__all__ = [
    "MAX_SECONDS",
    "Alignment",
    "DeliveryOptions",
    "DeliveryReport",
    "DeliveryWindow",
    "Disfluencies",
    "Hit",
    "Kpi",
    "Loudness",
    "Monologue",
    "Monologues",
    "Pace",
    "Pause",
    "Pauses",
    "PhraseCounts",
    "Pitch",
    "Repetition",
    "SelfCorrection",
    "SentenceSentiment",
    "Sentiment",
    "TimedWord",
    "Vocabulary",
    "measure_delivery",
]
