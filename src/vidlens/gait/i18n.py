"""Labels and sentences of gait results in the nine result languages.

Numbers stay language-independent; every ``label``, ``reason_text``, ``note_text``, verdict
and summary of a result comes from :func:`text`. Languages: en, fr, de, zh, ko, pt, es, it,
ja (the contract's list). The tables live in ``texts_*.py`` (one dict per group of keys).
"""

from __future__ import annotations

from functools import cache
from typing import Final

LANGUAGES: Final = ("en", "fr", "de", "zh", "ko", "pt", "es", "it", "ja")


@cache
def _table() -> dict[str, dict[str, str]]:
    from vidlens.gait import texts_classes, texts_metrics, texts_reasons, texts_sentences

    table: dict[str, dict[str, str]] = {}
    for module in (texts_metrics, texts_classes, texts_reasons, texts_sentences):
        table.update(module.TEXTS)
    return table


def text(key: str, language: str = "en", **values: object) -> str:
    """The text of ``key`` in ``language`` (English when the language is unknown), formatted
    with ``values``; an unknown key is returned as it is.

    A template whose placeholders do not fit ``values`` falls back to the English template.
    """
    row = _table().get(key)
    if row is None:
        return key
    template = row.get(language, row["en"])
    try:
        return template.format(**values) if values else template
    except (KeyError, ValueError, IndexError):
        return row["en"].format(**values) if values else row["en"]


def keys() -> list[str]:
    """Every text key (tests check each has all nine languages)."""
    return sorted(_table())


def translations(key: str) -> dict[str, str]:
    """The nine texts of ``key``, by language."""
    return dict(_table()[key])
