"""Finding filler words and hedging phrases in the words (rules in
:mod:`vidlens.engines.delivery.lexicons`)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from vidlens.engines.delivery.lexicons import Entry
from vidlens.engines.delivery.tokens import Token
from vidlens.engines.delivery.types import Hit, PhraseCounts

EPSILON = 1e-6
"""Tolerance on time comparisons (word timings are rounded decimals)."""


def pause_flags(tokens: Sequence[Token], min_pause: float) -> list[bool]:
    """``flags[i]``: a pause of at least ``min_pause`` seconds between word ``i`` and word
    ``i + 1`` (from the word timings; ``False`` where timings are missing)."""
    flags = []
    for left, right in itertools.pairwise(tokens):
        flags.append(
            left.end is not None
            and right.start is not None
            and right.start - left.end >= min_pause - EPSILON
        )
    return [*flags, False]


def find_phrases(
    tokens: Sequence[Token], entries: Sequence[Entry], pauses: Sequence[bool]
) -> list[Hit]:
    """Every accepted occurrence, left to right; a word belongs to one hit at most (the
    longest phrase is tried first)."""
    hits: list[Hit] = []
    norms = [t.norm for t in tokens]
    i = 0
    while i < len(tokens):
        for entry in entries:
            n = len(entry.words)
            if tuple(norms[i : i + n]) != entry.words:
                continue
            rule = _accepts(tokens, i, entry, pauses)
            if rule is None:
                continue
            first, last = tokens[i], tokens[i + n - 1]
            hits.append(
                Hit(
                    kind=entry.kind,
                    text=" ".join(t.text for t in tokens[i : i + n]),
                    word_index=i,
                    word_count=n,
                    start=first.start,
                    end=last.end,
                    rule=rule,
                )
            )
            i += n
            break
        else:
            i += 1
    return hits


def _accepts(tokens: Sequence[Token], i: int, entry: Entry, pauses: Sequence[bool]) -> str | None:
    """The rule name when the phrase at ``i`` counts, else ``None``."""
    n = len(entry.words)
    first, last = tokens[i], tokens[i + n - 1]
    previous = tokens[i - 1].norm if i > 0 else None
    following = tokens[i + n].norm if i + n < len(tokens) else None
    blocked = (
        previous is not None
        and previous in entry.blockers
        and not _break_between(tokens, i - 1, pauses)
    )
    if entry.rule == "always":
        return "always"
    if entry.rule == "break":
        if blocked:
            return None
        after = (last.break_after and (entry.end_ok or not last.sentence_end)) or pauses[i + n - 1]
        before = (first.break_before and not first.sentence_start) or (i > 0 and pauses[i - 1])
        if following is None and entry.end_ok:
            after = True
        return "break" if after or before else None
    if entry.rule == "sentence_start":
        if first.sentence_start and following not in entry.followers:
            return "sentence_start"
        return None
    if entry.rule == "sentence_start_break":
        if first.sentence_start and (last.break_after or pauses[i + n - 1]):
            return "sentence_start_break"
        return None
    if entry.rule == "sentence_end":
        if (last.sentence_end or following is None) and not blocked:
            return "sentence_end"
        return None
    if entry.rule == "not_after_determiner":
        return None if blocked else "not_after_determiner"
    raise ValueError(f"unknown lexicon rule {entry.rule!r}")


def _break_between(tokens: Sequence[Token], i: int, pauses: Sequence[bool]) -> bool:
    """A comma, dash, sentence end or pause between word ``i`` and word ``i + 1``."""
    return tokens[i].break_after or tokens[i + 1].break_before or pauses[i]


def summarise(hits: Sequence[Hit], language: str, minutes: float | None) -> PhraseCounts:
    """Count, rate per minute and counts per kind of a list of hits."""
    by_kind: dict[str, int] = {}
    for hit in hits:
        by_kind[hit.kind] = by_kind.get(hit.kind, 0) + 1
    per_minute = len(hits) / minutes if minutes else None
    ordered = dict(sorted(by_kind.items(), key=lambda item: (-item[1], item[0])))
    return PhraseCounts(
        language=language,
        count=len(hits),
        per_minute=None if per_minute is None else round(per_minute, 3),
        by_kind=ordered,
        items=tuple(hits),
    )
