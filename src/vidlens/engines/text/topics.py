"""Key phrases with time ranges: YAKE (yake 0.7.3) over the transcript and on-screen text.

YAKE scores candidate phrases of up to three words by statistics of the text itself
(position, frequency, case, spread over sentences; lower is better). Phrases contained in a
better one (all their words appear in it) are dropped, so "Americans" does not repeat
"fellow Americans". Confidence is relative to the best phrase, on a log scale (YAKE scores
span orders of magnitude): ``1 / (1 + log10(s / best))``, so the best phrase has 1.0, a
phrase scoring ten times worse 0.5 and a hundred times worse 0.33. A phrase's time ranges
are the spans (transcript segments, on-screen text) that contain it as whole words,
case-insensitively; adjacent spans less than a second apart are joined.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from vidlens.engines.text.spans import TimedText, full_text, words
from vidlens.engines.vision.timeline import Instance

MAX_WORDS = 3
"""Longest key phrase, in words."""
JOIN_GAP_SECONDS = 1.0
_YAKE_LANGUAGES = "ar bg br cz da de el en es et fa fi fr hi hr hu hy id it ja lt lv nl no pl pt ro"
YAKE_LANGUAGES = frozenset((_YAKE_LANGUAGES + " ru sk sl sv tr uk zh").split(" "))
"""Languages with a YAKE stop-word list; others use the English list."""


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    confidence: float
    instances: tuple[Instance, ...]


def extract(spans: Sequence[TimedText], *, language: str = "en", top: int = 10) -> list[Topic]:
    """The ``top`` key phrases of the spans' text, best first (empty without text)."""
    import yake  # type: ignore[import-untyped]  # no stubs

    text = full_text(spans)
    if not words(text):
        return []
    lan = language if language in YAKE_LANGUAGES else "en"
    extractor = yake.KeywordExtractor(lan=lan, n=MAX_WORDS, top=top * 4, dedupLim=0.9)
    candidates = [(str(p), float(s)) for p, s in extractor.extract_keywords(text)]
    chosen: list[tuple[str, float]] = []
    for phrase, score in sorted(candidates, key=lambda item: item[1]):
        if any(_contained(phrase, kept) for kept, _ in chosen):
            continue
        chosen.append((phrase, score))
        if len(chosen) == top:
            break
    if not chosen:
        return []
    best = max(chosen[0][1], 1e-9)
    topics = []
    for phrase, score in chosen:
        ratio = max(score, best) / best
        confidence = round(1.0 / (1.0 + math.log10(ratio)), 4)
        topics.append(Topic(phrase, confidence, tuple(_where(phrase, spans, confidence))))
    return topics


def _contained(phrase: str, kept: str) -> bool:
    inner = {w.casefold() for w in words(phrase)}
    outer = {w.casefold() for w in words(kept)}
    return inner <= outer or outer <= inner


def _where(phrase: str, spans: Sequence[TimedText], confidence: float) -> list[Instance]:
    pattern = re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, words(phrase))) + r"(?!\w)", re.I)
    hits = sorted((s.start, s.end) for s in spans if pattern.search(s.text))
    joined: list[list[float]] = []
    for start, end in hits:
        if joined and start - joined[-1][1] < JOIN_GAP_SECONDS:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    return [Instance(start, end, confidence) for start, end in joined]
