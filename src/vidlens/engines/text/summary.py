"""Extractive summary: the most central sentences of the transcript and on-screen text,
chosen by LexRank (sumy 0.13) and given in their original order.

Sentences are cut by :mod:`vidlens.engines.text.spans` (NLTK's punkt data is not installed);
words are stemmed with sumy's Snowball stemmer for the language when it has one and
compared without sumy's stop words. The summary keeps about a fifth of the sentences, at
least one and at most :data:`MAX_SENTENCES`; a text of up to two sentences is its own
summary. This is extraction, not a written description: no model that writes text runs
offline here.
"""

from __future__ import annotations

from collections.abc import Sequence

from vidlens.engines.text.spans import RegexTokenizer, TimedText, full_text, sentences

MAX_SENTENCES = 5
SHARE = 0.2
_STEMMED = {
    "ar": "arabic", "cs": "czech", "de": "german", "en": "english", "es": "spanish",
    "fr": "french", "it": "italian", "pt": "portuguese", "ru": "russian", "sk": "slovak",
    "uk": "ukrainian", "nl": "dutch", "sv": "swedish", "da": "danish", "fi": "finnish",
    "hu": "hungarian", "no": "norwegian", "ro": "romanian",
}  # fmt: skip


def summarize(spans: Sequence[TimedText], *, language: str = "en") -> str:
    """The summary of the spans' text ("" without text)."""
    text = full_text(spans)
    found = [s for line in text.splitlines() for s in sentences(line)]
    if len(found) <= 2:
        return " ".join(found)
    count = max(1, min(MAX_SENTENCES, round(len(found) * SHARE)))
    chosen = set(_rank(found, language, count))
    return " ".join(s for s in found if s in chosen)


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
