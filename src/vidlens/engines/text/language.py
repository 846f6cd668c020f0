"""Language identification with py3langid (97 languages, n-gram naive Bayes, no weights
download: the model ships inside the wheel)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

MIN_CHARACTERS = 12
"""Texts shorter than this are not classified: a few letters say nothing reliable."""


@dataclass(frozen=True, slots=True)
class DetectedLanguage:
    code: str
    """ISO 639-1 code (``en``)."""
    probability: float


@functools.cache
def _identifier(languages: tuple[str, ...] | None) -> Any:
    from py3langid.langid import (  # type: ignore[import-untyped]  # no stubs
        MODEL_FILE,
        LanguageIdentifier,
    )

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        identifier.set_languages(list(languages))
    return identifier


def detect(text: str, *, languages: tuple[str, ...] | None = None) -> DetectedLanguage | None:
    """The most probable language of ``text`` (among ``languages`` when given), or None for
    a text under :data:`MIN_CHARACTERS` letters."""
    if sum(ch.isalpha() for ch in text) < MIN_CHARACTERS:
        return None
    code, probability = _identifier(languages).classify(text)
    return DetectedLanguage(str(code), float(probability))
