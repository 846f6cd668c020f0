"""Word error rate with the normalisation used by the tests and ``bench/speech_wer.py``.

Both sides are normalised the same way: lower case, punctuation removed (apostrophes and
hyphens too), numbers written out in English words ("1" and "one" compare equal, "1,000" is
"one thousand"), whitespace collapsed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"))
_THOUSANDS_SEPARATOR = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")
_DIGITS = re.compile(r"\d+")


def number_words(value: int) -> str:
    """English words for a non-negative integer (``21`` → ``"twenty one"``)."""
    for scale, name in _SCALES:
        if value >= scale:
            high, rest = divmod(value, scale)
            return f"{number_words(high)} {name}" + (f" {number_words(rest)}" if rest else "")
    if value >= 100:
        high, rest = divmod(value, 100)
        return f"{_ONES[high]} hundred" + (f" {number_words(rest)}" if rest else "")
    if value >= 20:
        high, rest = divmod(value, 10)
        return _TENS[high] + (f" {_ONES[rest]}" if rest else "")
    return _ONES[value]


def normalise(text: str) -> list[str]:
    """The words of ``text`` after normalisation (see the module docstring)."""
    text = _THOUSANDS_SEPARATOR.sub("", text.lower())
    text = _DIGITS.sub(lambda match: f" {number_words(int(match.group()))} ", text)
    text = text.replace("'", "").replace("\u2019", "")
    cleaned = "".join(c if c.isalnum() else " " for c in text)
    return cleaned.split()


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Word-level Levenshtein distance (substitutions + deletions + insertions)."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, start=1):
        current = [i]
        for j, hyp_word in enumerate(hypothesis, start=1):
            cost = 0 if ref_word == hyp_word else 1
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost))
        previous = current
    return previous[-1]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Edit distance over the number of reference words, after normalising both texts.

    Raises:
        ValueError: the reference has no words.
    """
    ref = normalise(reference)
    if not ref:
        raise ValueError("empty reference")
    return edit_distance(ref, normalise(hypothesis)) / len(ref)


FILLER_FORMS: dict[str, str] = {
    "um": "um",
    "umm": "um",
    "ummm": "um",
    "uhm": "um",
    "erm": "um",
    "uh": "uh",
    "uhh": "uh",
    "uhhh": "uh",
}
"""Spellings counted as each filler word ("hmm", "ah", "er" are not counted)."""

FILLER_SENTENCES: tuple[str, ...] = (
    "Um, I think we should, uh, go to the store later. Uh, and then, um, we can buy some "
    "bread and, uh, maybe some milk.",
    "So, um, the main thing is, uh, that the project is late. Um, we need, uh, more people. "
    "And, um, I guess, uh, more time too.",
    "Well, uh, I am not sure. Um, let me check. Uh, yes, um, the meeting is on Tuesday.",
)
"""Disfluent sentences whose fillers are known exactly (synthesised with espeak-ng by the
tests and the bench: no shared media has filler ground truth)."""


def count_fillers(text: str) -> dict[str, int]:
    """How many of each filler ("um", "uh") the text holds, spelling variants folded."""
    counts: dict[str, int] = {}
    for word in normalise(text):
        kind = FILLER_FORMS.get(word)
        if kind is not None:
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def filler_hits(reference: str, hypothesis: str) -> tuple[int, int]:
    """``(found, expected)``: fillers of ``reference`` also present in ``hypothesis``,
    counted per kind (a bag match, not aligned by position)."""
    expected = count_fillers(reference)
    found = count_fillers(hypothesis)
    hits = sum(min(count, found.get(kind, 0)) for kind, count in expected.items())
    return hits, sum(expected.values())
