"""Sentiment of spoken text over time with VADER (vaderSentiment 3.3.2, English lexicon).

Each transcript segment gets VADER's compound score in [-1, 1] and a label (>= 0.05
positive, <= -0.05 negative, else neutral: VADER's usual cut-offs). Consecutive segments
with the same label form one instance over time, scored by the word-weighted mean of their
segments. The overall score is the word-weighted mean over all segments (VADER's compound
of a whole talk saturates towards ±1 and says little), labelled with the same cut-offs.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vidlens.engines.text.spans import TimedText, words

METHOD = "vaderSentiment 3.3.2 per transcript segment, word-weighted means"


@dataclass(frozen=True, slots=True)
class SentimentSpan:
    start: float
    end: float
    label: str
    score: float


@dataclass(frozen=True, slots=True)
class SentimentResult:
    overall: str
    score: float
    instances: tuple[SentimentSpan, ...]


@functools.cache
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]  # no stubs
        SentimentIntensityAnalyzer,
    )

    return SentimentIntensityAnalyzer()


def label(score: float) -> str:
    """VADER's usual cut-offs: >= 0.05 positive, <= -0.05 negative, else neutral (the same
    as the delivery engine's; not imported from it, whose package loads numpy)."""
    if score >= 0.05:
        return "positive"
    if score <= -0.05:
        return "negative"
    return "neutral"


def compound(text: str) -> float:
    """VADER's compound score of ``text`` in [-1, 1]."""
    return float(_analyzer().polarity_scores(text)["compound"])


def measure(spans: Sequence[TimedText]) -> SentimentResult | None:
    """Sentiment overall and over time; None when no span has a word."""
    scored = [(span, compound(span.text), len(words(span.text))) for span in spans]
    scored = [item for item in scored if item[2] > 0]
    if not scored:
        return None
    runs: list[list[tuple[TimedText, float, int]]] = []
    for item in scored:
        if runs and label(runs[-1][-1][1]) == label(item[1]):
            runs[-1].append(item)
        else:
            runs.append([item])
    spans_out = []
    for run in runs:
        mean = _weighted(run)
        spans_out.append(SentimentSpan(run[0][0].start, run[-1][0].end, label(mean), mean))
    overall = _weighted(scored)
    return SentimentResult(label(overall), overall, tuple(spans_out))


def _weighted(items: Sequence[tuple[TimedText, float, int]]) -> float:
    total = sum(n for _, _, n in items)
    return round(sum(score * n for _, score, n in items) / total, 4)
