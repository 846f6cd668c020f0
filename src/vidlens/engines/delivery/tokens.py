"""Words as the measurements see them: normalised text, punctuation breaks, timings.

:func:`tokens_from_transcript` reads a recognised :class:`Transcript`; :func:`tokens_from_text`
reads a supplied transcript (no timings); :func:`align` gives supplied words the timings of
the recognised words they match (``difflib`` on normalised words), interpolates the others
between matched neighbours, and drops all timings when too few words match.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from vidlens.engines.delivery.types import Alignment
from vidlens.engines.speech.types import Transcript

_SENTENCE_END = re.compile(r"[.!?\u2026\u3002\uff01\uff1f]+[\"'\u201d\u00bb)\]]*$")
_BREAK_AFTER = re.compile(r"[,;:\u2014\u2013]+[\"'\u201d\u00bb)\]]*$|\.\.\.$|-{2,}$")
_BREAK_BEFORE = re.compile(r"^[\"'\u201c\u00ab(\[]*[,;:\u2014\u2013\u00bf\u00a1]")
_CUT_OFF = re.compile(r"\w-$")


@dataclass(frozen=True, slots=True)
class Token:
    """One word with what the rules need to know about its surroundings."""

    index: int
    text: str
    """As written, punctuation included."""
    norm: str
    """Lower case, letters, digits and inner apostrophes only."""
    start: float | None
    end: float | None
    timing: str
    sentence_start: bool
    sentence_end: bool
    break_before: bool
    """A punctuation break (comma, dash, sentence boundary) before the word."""
    break_after: bool
    cut_off: bool
    """Written with a trailing hyphen ("dr-"): a word broken off."""


def normalise_word(text: str) -> str:
    """``"Americans,"`` → ``"americans"``; ``"I\u2019m"`` → ``"i'm"``; ``"1,000"`` → ``"1000"``."""
    text = unicodedata.normalize("NFC", text).lower().replace("\u2019", "'").replace("`", "'")
    kept = "".join(c for c in text if c.isalnum() or c == "'")
    return kept.strip("'")


def _build(raw: Sequence[tuple[str, float | None, float | None, str]]) -> tuple[Token, ...]:
    """Tokens from ``(text, start, end, timing)``; punctuation-only entries become breaks."""
    tokens: list[Token] = []
    pending_break = False
    pending_end = True  # the first word starts a sentence
    for text, start, end, timing in raw:
        norm = normalise_word(text)
        stripped = text.strip()
        if not norm:
            if tokens and _SENTENCE_END.search(stripped):
                tokens[-1] = replace(tokens[-1], sentence_end=True, break_after=True)
                pending_end = True
            elif tokens:
                tokens[-1] = replace(tokens[-1], break_after=True)
            pending_break = True
            continue
        ends = bool(_SENTENCE_END.search(stripped)) and not stripped.endswith("...")
        tokens.append(
            Token(
                index=len(tokens),
                text=stripped,
                norm=norm,
                start=start,
                end=end,
                timing=timing,
                sentence_start=pending_end,
                sentence_end=ends,
                break_before=pending_break or pending_end or bool(_BREAK_BEFORE.match(stripped)),
                break_after=ends or bool(_BREAK_AFTER.search(stripped)),
                cut_off=bool(_CUT_OFF.search(stripped)),
            )
        )
        pending_end, pending_break = ends, False
    return tuple(tokens)


def tokens_from_transcript(transcript: Transcript) -> tuple[Token, ...]:
    """The recognised words with their timings, in time order.

    A segment without word timings contributes its text split on spaces, without timings.
    """
    raw: list[tuple[str, float | None, float | None, str]] = []
    for segment in transcript.segments:
        if segment.words:
            for word in segment.words:
                raw.append((word.text, float(word.start), float(word.end), "recognised"))
        else:
            raw.extend((text, None, None, "none") for text in segment.text.split())
    return _build(raw)


def tokens_from_text(text: str) -> tuple[Token, ...]:
    """The words of a supplied transcript, split on white space, without timings."""
    return _build([(word, None, None, "none") for word in text.split()])


def align(
    supplied: tuple[Token, ...], recognised: tuple[Token, ...], min_fraction: float
) -> tuple[tuple[Token, ...], Alignment]:
    """Give the supplied words the timings of the recognised ones.

    Matched words (same normalised text, in order) take the recognised timing; unmatched
    runs are spread evenly over the time of the recognised words they replace, or over the
    gap between their matched neighbours. When fewer than ``min_fraction`` of the supplied
    words match, no word gets a timing (the text is taken as not matching the audio).
    """
    timed = [t for t in recognised if t.start is not None and t.end is not None]
    if not supplied:
        note = "the supplied transcript has no words"
        return supplied, Alignment(0, len(timed), 0, 0.0, False, note)
    if not timed:
        note = "no recognised word timings to align to: time-based measurements unavailable"
        return supplied, Alignment(len(supplied), 0, 0, 0.0, False, note)
    matcher = difflib.SequenceMatcher(
        None, [t.norm for t in supplied], [t.norm for t in timed], autojunk=False
    )
    out = list(supplied)
    matched = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                out[i] = replace(out[i], start=timed[j].start, end=timed[j].end, timing="aligned")
            matched += i2 - i1
        elif tag in ("replace", "delete") and i2 > i1:  # supplied words without a match
            if tag == "replace":
                begin, finish = _time(timed[j1].start), _time(timed[j2 - 1].end)
            else:
                begin = _time(timed[j1 - 1].end) if j1 > 0 else _time(timed[0].start)
                finish = _time(timed[j1].start) if j1 < len(timed) else begin
            step = max(0.0, finish - begin) / (i2 - i1)
            for k, i in enumerate(range(i1, i2)):
                s = begin + k * step
                out[i] = replace(out[i], start=s, end=s + step, timing="interpolated")
    fraction = matched / len(supplied)
    if fraction < min_fraction:
        note = (
            f"only {fraction:.0%} of the supplied words were heard in the audio (minimum "
            f"{min_fraction:.0%}): the transcript is taken as not matching the audio, its "
            "words get no timings and time-based measurements are unavailable"
        )
        untimed = tuple(replace(t, start=None, end=None, timing="none") for t in supplied)
        return untimed, Alignment(len(supplied), len(timed), matched, fraction, False, note)
    note = (
        f"{matched} of {len(supplied)} supplied words matched recognised words and took "
        "their timings; the others were interpolated between matched neighbours"
    )
    return tuple(out), Alignment(len(supplied), len(timed), matched, fraction, True, note)


def _time(value: float | None) -> float:
    return 0.0 if value is None else value


def is_timed(tokens: Sequence[Token]) -> bool:
    """True when every word has a start and an end."""
    return bool(tokens) and all(t.start is not None and t.end is not None for t in tokens)
