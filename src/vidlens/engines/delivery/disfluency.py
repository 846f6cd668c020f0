"""Repetitions ("I I think", "the the") and self-corrections ("we went, I mean, we drove").

Both are found on the words with hesitation sounds ("um", "uh") set aside, so that
"I, um, I think" is a repetition too.

- Repetition: a phrase of 1 to 3 words said again at once, inside one sentence, the copies
  no more than ``max_gap`` seconds apart. Grammatical doubles ("had had", "that that") are
  not counted. A word broken off ("dr- drove": a trailing hyphen) followed by a word that
  starts with it counts as a part-word repetition.
- Self-correction: (a) an editing term ("I mean", "sorry", "or rather", "no") between a
  reparandum and a repair that restarts on one of the reparandum's words and then differs
  ("we went, I mean, we drove": restart on "we", "went" replaced by "drove"); or (b) a
  restart after a hesitation sound or a broken-off word without an editing term
  ("we went uh we drove"). A plain list ("the cat, the dog") has neither and is not
  counted.
"""

from __future__ import annotations

from collections.abc import Sequence

from vidlens.engines.delivery.lexicons import Lexicon
from vidlens.engines.delivery.tokens import Token
from vidlens.engines.delivery.types import Repetition, SelfCorrection

GRAMMATICAL_DOUBLES = frozenset({"had", "that", "is"})
"""Words whose doubling is often grammatical ("I had had", "I know that that is true",
"what it is is")."""
_WINDOW = 4  # words looked at on each side of an editing term


def find_repetitions(
    tokens: Sequence[Token], lexicon: Lexicon, max_gap: float = 2.0
) -> list[Repetition]:
    """Immediate repetitions of 1-3 word phrases (see the module docstring)."""
    content = [t for t in tokens if t.norm not in lexicon.hesitations]
    found: list[Repetition] = []
    k = 0
    while k < len(content):
        token = content[k]
        if token.cut_off and k + 1 < len(content):
            stem = token.norm
            if stem and content[k + 1].norm.startswith(stem) and content[k + 1].norm != stem:
                found.append(_repetition(tokens, content, k, k + 1, stem, 1))
                k += 2
                continue
        matched = False
        for n in (3, 2, 1):
            phrase = [t.norm for t in content[k : k + n]]
            if len(phrase) < n or (n == 1 and phrase[0] in GRAMMATICAL_DOUBLES):
                continue
            repeats, end = 0, k + n
            while (
                [t.norm for t in content[end : end + n]] == phrase
                and not content[end - 1].sentence_end
                and _gap(content[end - 1], content[end]) <= max_gap
            ):
                repeats, end = repeats + 1, end + n
            if repeats:
                found.append(_repetition(tokens, content, k, end - 1, " ".join(phrase), repeats))
                k, matched = end, True
                break
        if not matched:
            k += 1
    return found


def _gap(left: Token, right: Token) -> float:
    if left.end is None or right.start is None:
        return 0.0
    return right.start - left.end


def _repetition(
    tokens: Sequence[Token], content: Sequence[Token], first: int, last: int, phrase: str,
    repeats: int,
) -> Repetition:  # fmt: skip
    start, end = content[first], content[last]
    return Repetition(
        phrase=phrase,
        repeats=repeats,
        word_index=start.index,
        start=start.start,
        end=end.end,
        text=" ".join(t.text for t in tokens[start.index : end.index + 1]),
    )


def find_self_corrections(tokens: Sequence[Token], lexicon: Lexicon) -> list[SelfCorrection]:
    """Self-corrections with and without an editing term (see the module docstring)."""
    norms = [t.norm for t in tokens]
    terms = sorted(lexicon.editing_terms, key=len, reverse=True)
    found: list[SelfCorrection] = []
    used_until = -1
    i = 1
    while i < len(tokens):
        term = next((t for t in terms if tuple(norms[i : i + len(t)]) == t), None)
        marker: tuple[int, int] | None = None
        if term is not None and tokens[i - 1].norm not in lexicon.hesitations:
            marker = (i, i + len(term))
        elif norms[i] in lexicon.hesitations or tokens[i - 1].cut_off:
            # a hesitation run (or the word after a broken-off word) as the interruption
            j = i
            while j < len(tokens) and norms[j] in lexicon.hesitations:
                j += 1
            marker = (i, j)
        if marker is not None and marker[0] > used_until:
            correction = _correction(tokens, lexicon, marker, term is not None)
            if correction is not None:
                found.append(correction[0])
                used_until = correction[1]
                i = correction[1] + 1
                continue
        i += 1
    return found


def _correction(
    tokens: Sequence[Token], lexicon: Lexicon, marker: tuple[int, int], has_term: bool
) -> tuple[SelfCorrection, int] | None:
    """The correction around the interruption ``marker`` (``[start, end)`` word indices),
    with the index of its last word, or ``None``."""
    begin, finish = marker
    before: list[Token] = []
    for token in reversed(tokens[max(0, begin - _WINDOW) : begin]):
        if token.sentence_end:
            break
        if token.norm not in lexicon.hesitations:
            before.insert(0, token)
    after = [t for t in tokens[finish : finish + _WINDOW + 2] if t.norm not in lexicon.hesitations]
    after = after[:_WINDOW]
    if not before or len(after) < 2 or tokens[begin - 1].sentence_end:
        return None
    restart = after[0].norm
    positions = [k for k, t in enumerate(before) if t.norm == restart]
    cut = before[-1].cut_off
    if not positions and not (cut and has_term):
        return None
    k = positions[-1] if positions else len(before) - 1
    old = [t.norm for t in before[k + 1 :]]
    new = [t.norm for t in after[1 : 1 + max(1, len(old))]]
    if positions and (not old or old == new):
        return None  # nothing replaced: a repetition, not a correction
    if not has_term and not cut and not positions:
        return None
    reparandum = before[k:] if positions else before[-1:]
    repair = after[: 1 + len(new)] if positions else after[:1]
    first, last = reparandum[0], repair[-1]
    term = " ".join(t.norm for t in tokens[begin:finish]) or None
    correction = SelfCorrection(
        reparandum=" ".join(t.text for t in reparandum),
        editing_term=term,
        repair=" ".join(t.text for t in repair),
        word_index=first.index,
        start=first.start,
        end=last.end,
        text=" ".join(t.text for t in tokens[first.index : last.index + 1]),
    )
    return correction, last.index
