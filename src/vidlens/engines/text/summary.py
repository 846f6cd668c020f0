"""Extractive summary: the most central sentences of the transcript, then the most central
on-screen texts, chosen by LexRank (sumy 0.13) and given in their original order.

Spoken sentences are cut by :mod:`vidlens.engines.text.spans` (NLTK's punkt data is not
installed); each on-screen text is one unit. The two are ranked separately, because
on-screen lines are short and repetitive (a slide's bullet points) and would otherwise
crowd out what is said: the summary keeps about a fifth of the spoken sentences (at least
one, at most :data:`MAX_SENTENCES`), then up to :data:`MAX_SCREEN` on-screen texts (all of
them when there is no speech). Words are stemmed with sumy's Snowball stemmer for the
language when it has one and compared without sumy's stop words; a group of up to two
units is its own summary. This is extraction, not a written description: no model that
writes text runs offline here.
"""

from __future__ import annotations

from collections.abc import Sequence

from vidlens.engines.text.spans import RegexTokenizer, TimedText, full_text, sentences

MAX_SENTENCES = 5
MAX_SCREEN = 2
SHARE = 0.2
_STEMMED = {
    "ar": "arabic", "cs": "czech", "de": "german", "en": "english", "es": "spanish",
    "fr": "french", "it": "italian", "pt": "portuguese", "ru": "russian", "sk": "slovak",
    "uk": "ukrainian", "nl": "dutch", "sv": "swedish", "da": "danish", "fi": "finnish",
    "hu": "hungarian", "no": "norwegian", "ro": "romanian",
}  # fmt: skip


def summarize(spans: Sequence[TimedText], *, language: str = "en") -> str:
    """The summary of the spans' text ("" without text)."""
    spoken = sentences(full_text([s for s in spans if s.source == "speech"]))
    screen = list(dict.fromkeys(s.text.strip() for s in spans if s.source == "screen"))
    screen = [text for text in screen if text]
    parts = _pick(spoken, language, max(1, min(MAX_SENTENCES, round(len(spoken) * SHARE))))
    parts += _pick(screen, language, MAX_SCREEN if spoken else MAX_SENTENCES)
    return " ".join(_terminated(part) for part in parts)


def _pick(units: list[str], language: str, count: int) -> list[str]:
    if len(units) <= max(2, count):
        return units
    chosen = set(_rank(units, language, count))
    return [unit for unit in units if unit in chosen]


def _terminated(text: str) -> str:
    return text if text[-1:] in ".!?…" else text + "."


def _rank(found: list[str], language: str, count: int) -> list[str]:
    # sumy ships no type hints.
    from sumy.models.dom import (  # type: ignore[import-untyped]
        ObjectDocumentModel,
        Paragraph,
        Sentence,
    )
    from sumy.nlp.stemmers import Stemmer, null_stemmer  # type: ignore[import-untyped]
    from sumy.summarizers.lex_rank import LexRankSummarizer  # type: ignore[import-untyped]
    from sumy.utils import get_stop_words  # type: ignore[import-untyped]

    tokenizer = RegexTokenizer()
    document = ObjectDocumentModel(
        [Paragraph([Sentence(sentence, tokenizer) for sentence in found])]
    )
    name = _STEMMED.get(language)
    summarizer = LexRankSummarizer(Stemmer(name) if name else null_stemmer)
    try:
        summarizer.stop_words = get_stop_words(name or "english")
    except LookupError:
        summarizer.stop_words = ()
    return [str(sentence) for sentence in summarizer(document, count)]
