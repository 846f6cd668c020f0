"""Sentence sentiment with VADER (vaderSentiment 3.3.2): a lexicon and rules for English.

Sentences are the words between sentence-ending punctuation (runs longer than 40 words are
cut into pieces of 25, for transcripts without punctuation). The overall score is the mean
of the sentences' compound scores weighted by their word counts; VADER's compound of a
whole talk at once saturates towards ±1 and says little. English only: VADER's lexicon
has no other language.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from vidlens.engines.delivery.tokens import Token
from vidlens.engines.delivery.types import SentenceSentiment, Sentiment

METHOD = "vaderSentiment 3.3.2 per sentence, word-weighted mean of compound scores"
_MAX_SENTENCE = 40
_PIECE = 25


@functools.cache
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]  # no stubs
        SentimentIntensityAnalyzer,
    )

    return SentimentIntensityAnalyzer()


def sentences(tokens: Sequence[Token]) -> list[list[Token]]:
    """The words grouped into sentences (see the module docstring)."""
    groups: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        current.append(token)
        if token.sentence_end:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    pieces: list[list[Token]] = []
    for group in groups:
        if len(group) > _MAX_SENTENCE:
            pieces.extend(group[i : i + _PIECE] for i in range(0, len(group), _PIECE))
        else:
            pieces.append(group)
    return pieces


def measure_sentiment(tokens: Sequence[Token]) -> Sentiment | None:
    """VADER scores per sentence and overall; ``None`` without words."""
    scored = []
    for group in sentences(tokens):
        text = " ".join(t.text for t in group)
        compound = float(_analyzer().polarity_scores(text)["compound"])
        scored.append(
            (SentenceSentiment(group[0].start, group[-1].end, text, round(compound, 4)), len(group))
        )
    if not scored:
        return None
    words = sum(n for _, n in scored)
    overall = sum(s.compound * n for s, n in scored) / words
    return Sentiment(
        method=METHOD,
        compound=round(overall, 4),
        label=label(overall),
        positive_sentences=sum(s.compound >= 0.05 for s, _ in scored),
        negative_sentences=sum(s.compound <= -0.05 for s, _ in scored),
        neutral_sentences=sum(-0.05 < s.compound < 0.05 for s, _ in scored),
        sentences=tuple(s for s, _ in scored),
    )


def label(compound: float) -> str:
    """VADER's usual cut-offs: >= 0.05 positive, <= -0.05 negative."""
    if compound >= 0.05:
        return "positive"
    if compound <= -0.05:
        return "negative"
    return "neutral"
