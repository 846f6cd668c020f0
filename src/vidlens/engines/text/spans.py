"""Timed text: the input of every text feature, and the tokenizer they share.

NLTK's data (punkt) is not installed, so sentences and words are cut with regular
expressions: a sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by a space (or at a
line break); a word is a run of letters, digits, apostrophes and inner hyphens.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Source = Literal["speech", "screen"]

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class TimedText:
    """A piece of text and when it is spoken or shown, in seconds."""

    start: float
    end: float
    text: str
    source: Source = "speech"


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences (see the module docstring)."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def words(text: str) -> list[str]:
    """The words of ``text``, in order."""
    return _WORD.findall(text)


def full_text(spans: Sequence[TimedText]) -> str:
    """Every span's text, spoken text first, one span per line."""
    ordered = [s for s in spans if s.source == "speech"] + [
        s for s in spans if s.source == "screen"
    ]
    return "\n".join(s.text.strip() for s in ordered if s.text.strip())


class RegexTokenizer:
    """A sumy tokenizer (``to_sentences``, ``to_words``) without NLTK data."""

    language = "regex"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(words(sentence))
