"""The translator contract: language pairs it knows and batched translation."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from vidlens.engines.base import Engine

Markup = Literal["text", "html"]
"""``text``: plain strings; ``html``: markup kept in place, only text nodes translated."""


@dataclass(frozen=True, slots=True, order=True)
class LanguagePair:
    """A translation direction between BCP 47 tags (``en`` → ``es``, ``en`` → ``ca-valencia``)."""

    source: str
    target: str


class TranslationFailed(Exception):
    """The backend could not translate (it crashed, timed out or answered an error)."""


class Translator(Engine):
    """A translation backend."""

    kind = "translation"

    @abstractmethod
    def pairs(self) -> frozenset[LanguagePair]:
        """The directions this backend translates now (empty when unavailable)."""

    @abstractmethod
    def translate(
        self, texts: Sequence[str], pair: LanguagePair, *, markup: Markup = "text"
    ) -> list[str]:
        """Translate each text, in order (one output per input).

        Raises:
            TranslationFailed: the backend failed.
            ValueError: ``pair`` is not one of :meth:`pairs`.
        """

    def model_name(self) -> str:
        """What translates (for ``GET /v1/providers``)."""
        return self.name
