"""Speech the decoder skipped: voice-activity regions that no decoded segment covers.

Whisper sometimes ends a 30 s window early and seeks past speech it never writes out
(measured: with the filler prompt, 34 s of read speech after a 4 s pause were dropped from a
50 s piece, while the same piece without the prompt was decoded whole). The engine finds such
stretches here and decodes each again without a prompt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

MIN_SKIPPED_SECONDS = 2.0
"""Uncovered speech shorter than this is not re-decoded: segment edges and the detector's
padding differ by a few hundred milliseconds, and a lone word is not worth a second pass."""
JOIN_SECONDS = 1.0
"""Uncovered stretches closer than this are decoded together."""


def uncovered(
    speech: Iterable[tuple[float, float]],
    covered: Iterable[tuple[float, float]],
    *,
    min_seconds: float = MIN_SKIPPED_SECONDS,
    join_seconds: float = JOIN_SECONDS,
) -> list[tuple[float, float]]:
    """The parts of ``speech`` (regions in seconds) outside every ``covered`` interval,
    joined when closer than ``join_seconds`` with nothing decoded between them, and kept
    when at least ``min_seconds`` long.

    Arguments:
        speech: voice-activity regions ``(start, end)`` in seconds, in any order.
        covered: decoded segments ``(start, end)`` in seconds, in any order.

    Returns:
        ``(start, end)`` stretches in time order.
    """
    spans = sorted(covered)
    gaps: list[tuple[float, float]] = []
    for start, end in sorted(speech):
        cursor = start
        for c_start, c_end in spans:
            if c_end <= cursor:
                continue
            if c_start >= end:
                break
            if c_start > cursor:
                gaps.append((cursor, c_start))
            cursor = max(cursor, c_end)
        if end > cursor:
            gaps.append((cursor, end))
    return [g for g in _join(gaps, spans, join_seconds) if g[1] - g[0] >= min_seconds]


def _join(
    gaps: Sequence[tuple[float, float]], spans: Sequence[tuple[float, float]], within: float
) -> list[tuple[float, float]]:
    joined: list[tuple[float, float]] = []
    for start, end in gaps:
        if joined and start - joined[-1][1] < within and not _decoded(joined[-1][1], start, spans):
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def _decoded(start: float, end: float, spans: Sequence[tuple[float, float]]) -> bool:
    return any(c_start < end and c_end > start for c_start, c_end in spans)
