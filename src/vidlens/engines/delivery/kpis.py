"""The five headline figures of a talk, each with a unit and a heuristic normal range.

The ranges are common coaching guidance, not clinical norms: pace 120-160 words per minute
(conversational to presentation speed), at most 3 filler words per minute, a pause ratio of
0.05-0.35 of the speech span, a MATTR (50-word window) of at least 0.6, and a sentiment
compound of at least -0.05 (not negative).
"""

from __future__ import annotations

from vidlens.engines.delivery.types import Kpi, Pace, Pauses, PhraseCounts, Sentiment, Vocabulary

RANGES: dict[str, tuple[str, float, float]] = {
    "speaking_pace": ("words per minute", 120.0, 160.0),
    "filler_rate": ("filler words per minute", 0.0, 3.0),
    "pause_ratio": ("fraction of the speech span", 0.05, 0.35),
    "lexical_variety": ("MATTR (0-1)", 0.6, 1.0),
    "sentiment": ("VADER compound (-1..1)", -0.05, 1.0),
}


def _kpi(name: str, value: float | None, note: str) -> Kpi:
    unit, low, high = RANGES[name]
    in_range = None if value is None else bool(low <= value <= high)
    return Kpi(name, value, unit, low, high, in_range, note)


def build_kpis(
    pace: Pace | None,
    fillers: PhraseCounts | None,
    pauses: Pauses | None,
    vocabulary: Vocabulary | None,
    sentiment: Sentiment | None,
    unavailable: dict[str, str],
) -> tuple[Kpi, ...]:
    """The five KPIs; a missing value carries the reason its section is unavailable."""

    def why(section: str, default: str) -> str:
        return unavailable.get(section, default)

    return (
        _kpi(
            "speaking_pace",
            pace.words_per_minute if pace else None,
            "words over the speech span" if pace and pace.words_per_minute else why("pace", ""),
        ),
        _kpi(
            "filler_rate",
            fillers.per_minute if fillers else None,
            "filler words per minute of the speech span" if fillers else why("fillers", ""),
        ),
        _kpi(
            "pause_ratio",
            pauses.pause_ratio if pauses else None,
            "pause time over the speech span" if pauses else why("pauses", ""),
        ),
        _kpi(
            "lexical_variety",
            vocabulary.mattr if vocabulary else None,
            f"MATTR, window {vocabulary.mattr_window} words"
            if vocabulary
            else why("vocabulary", ""),
        ),
        _kpi(
            "sentiment",
            sentiment.compound if sentiment else None,
            "word-weighted VADER compound (English only)" if sentiment else why("sentiment", ""),
        ),
    )
