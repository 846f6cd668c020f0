"""Pauses, speaking pace and long monologue stretches from word timings and audio levels.

Pauses are the union of two sources inside the speech span (first word's start to last
word's end): gaps between consecutive word timings of at least ``min_pause_seconds``, and
silent runs of the audio of at least that length (Whisper often stretches a word over the
silence before it, e.g. JFK's "ask not ... what"). Without word timings but with audio, the
span is the audible span and pauses come from the audio alone.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

from vidlens.engines.delivery.phrases import EPSILON
from vidlens.engines.delivery.tokens import Token
from vidlens.engines.delivery.types import Monologue, Monologues, Pace, Pause, Pauses


def word_gaps(tokens: Sequence[Token], min_pause: float) -> list[tuple[float, float]]:
    """``(start, end)`` of the gaps of at least ``min_pause`` between timed words."""
    gaps = []
    for left, right in itertools.pairwise(tokens):
        if (
            left.end is not None
            and right.start is not None
            and right.start - left.end >= min_pause - EPSILON
        ):
            gaps.append((left.end, right.start))
    return gaps


def merge_pauses(
    tokens: Sequence[Token],
    gaps: Sequence[tuple[float, float]],
    silences: Sequence[tuple[float, float]],
    span: tuple[float, float],
    min_pause: float,
    long_pause: float,
) -> list[Pause]:
    """Union of word gaps and silent runs inside ``span``, each at least ``min_pause``."""
    marked = [(s, e, "word_gap") for s, e in gaps] + [
        (max(s, span[0]), min(e, span[1]), "audio") for s, e in silences
    ]
    marked = sorted((s, e, src) for s, e, src in marked if e - s > 0)
    merged: list[tuple[float, float, str]] = []
    for s, e, src in marked:
        if merged and s <= merged[-1][1]:
            ls, le, lsrc = merged[-1]
            merged[-1] = (ls, max(le, e), lsrc if lsrc == src else "both")
        else:
            merged.append((s, e, src))
    timed = [
        ((t.start + t.end) / 2, t.index)
        for t in tokens
        if t.start is not None and t.end is not None
    ]
    middles = [m for m, _ in timed]
    pauses = []
    for start, end, src in merged:
        duration = end - start
        if duration < min_pause - 1e-9:
            continue
        centre = (start + end) / 2
        before = bisect.bisect_left(middles, centre)
        pauses.append(
            Pause(
                start=round(float(start), 3),
                end=round(float(end), 3),
                duration_seconds=round(float(duration), 3),
                long=bool(duration >= long_pause),
                after_word=timed[before - 1][1] if before else -1,
                source=src,
            )
        )
    return pauses


def summarise_pauses(
    pauses: Sequence[Pause],
    span: tuple[float, float],
    total: float,
    min_pause: float,
    long_pause: float,
) -> Pauses:
    span_seconds = span[1] - span[0]
    paused = sum(p.duration_seconds for p in pauses)
    longest = max(pauses, key=lambda p: p.duration_seconds) if pauses else None
    return Pauses(
        min_pause_seconds=min_pause,
        long_pause_seconds=long_pause,
        count=len(pauses),
        long_count=sum(p.long for p in pauses),
        total_seconds=round(paused, 3),
        mean_seconds=round(paused / len(pauses), 3) if pauses else None,
        longest=longest,
        pause_ratio=round(paused / span_seconds, 4) if span_seconds > 0 else None,
        per_minute=round(len(pauses) / (span_seconds / 60), 3) if span_seconds > 0 else None,
        leading_silence_seconds=round(span[0], 3),
        trailing_silence_seconds=round(max(0.0, total - span[1]), 3),
        items=tuple(pauses),
    )


def pace(
    word_count: int, total: float, span: tuple[float, float] | None, paused: float | None,
    basis: str,
) -> Pace:  # fmt: skip
    """Words per minute over the span, the whole duration and the speaking time."""
    span_seconds = span[1] - span[0] if span is not None else None
    speaking = span_seconds - paused if span_seconds is not None and paused is not None else None

    def wpm(seconds: float | None) -> float | None:
        return round(word_count / (seconds / 60), 2) if seconds and seconds > 0 else None

    return Pace(
        word_count=word_count,
        total_seconds=round(total, 3),
        speech_span_seconds=None if span_seconds is None else round(span_seconds, 3),
        speaking_seconds=None if speaking is None else round(speaking, 3),
        words_per_minute=wpm(span_seconds),
        words_per_minute_total=wpm(total),
        articulation_words_per_minute=wpm(speaking),
        basis=basis,
    )


def monologues(
    tokens: Sequence[Token],
    pauses: Sequence[Pause],
    span: tuple[float, float],
    break_seconds: float,
    min_seconds: float,
) -> Monologues:
    """Stretches between pauses of at least ``break_seconds``."""
    breaks = [p for p in pauses if p.duration_seconds >= break_seconds]
    edges = [span[0]]
    for p in breaks:
        edges.extend((p.start, p.end))
    edges.append(span[1])
    stretches = []
    for s, e in zip(edges[::2], edges[1::2], strict=True):
        if e - s <= 0:
            continue
        count = sum(
            1
            for t in tokens
            if t.start is not None and t.end is not None and s <= (t.start + t.end) / 2 <= e
        )
        stretches.append(Monologue(round(s, 3), round(e, 3), round(e - s, 3), count))
    longest = max(stretches, key=lambda m: m.duration_seconds) if stretches else None
    return Monologues(
        break_seconds=break_seconds,
        min_seconds=min_seconds,
        longest=longest,
        items=tuple(m for m in stretches if m.duration_seconds >= min_seconds),
    )
