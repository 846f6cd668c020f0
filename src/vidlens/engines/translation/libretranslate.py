"""A LibreTranslate-compatible HTTP server named in settings (``engines.libretranslate.url``).

Uses the server's documented API: ``GET /languages`` (each source code with its
``targets``) and ``POST /translate`` with ``q`` as a list of strings, ``source``, ``target``,
``format`` (``text`` or ``html``) and the optional ``api_key``; the answer's
``translatedText`` is the list of translations. The language list is cached per server URL
for ``languages_ttl_seconds`` (an unreachable server is retried after that
too). The URL is the operator's own (not checked against the SSRF rules that guard
client-supplied URLs).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from vidlens.engines.base import Availability
from vidlens.engines.translation.languages import canonical
from vidlens.engines.translation.types import LanguagePair, Markup, TranslationFailed, Translator

HINT = "set VIDLENS_ENGINES__LIBRETRANSLATE__URL to a LibreTranslate server (http://host:5000)"


class LibreTranslateSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    url: str | None = Field(default=None, pattern=r"^https?://")
    """Base URL of a LibreTranslate-compatible server. Empty: no such provider."""

    api_key: SecretStr | None = None
    """The server's API key, when it asks for one."""

    timeout_seconds: float = Field(default=60.0, gt=0, le=3600)
    """Time allowed for one request."""

    batch_size: int = Field(default=50, ge=1, le=1000)
    """Texts sent in one ``/translate`` request."""

    languages_ttl_seconds: float = Field(default=300.0, ge=0)
    """How long the server's language list is cached."""


_CACHE: dict[str, tuple[float, frozenset[LanguagePair], dict[str, str]]] = {}
"""Language lists by server URL: (when fetched, pairs, tag → the server's own code)."""
_CACHE_LOCK = threading.Lock()


class LibreTranslateTranslator(Translator):
    """Translation through a LibreTranslate-compatible server."""

    name: ClassVar[str] = "libretranslate"

    def __init__(self, settings: LibreTranslateSettings) -> None:
        self.settings = settings
        self._codes: dict[str, str] = {}

    def _base(self) -> str:
        if self.settings.url is None:
            raise TranslationFailed("no LibreTranslate server is configured")
        return self.settings.url.rstrip("/")

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        import httpx

        try:
            response = httpx.request(
                method, self._base() + path, json=body, timeout=self.settings.timeout_seconds
            )
        except httpx.HTTPError as exc:
            raise TranslationFailed(f"LibreTranslate is unreachable: {exc}") from None
        if response.status_code != 200:
            raise TranslationFailed(
                f"LibreTranslate answered {response.status_code}: {response.text[:200]}"
            )
        try:
            return response.json()
        except ValueError:
            raise TranslationFailed("LibreTranslate answered something that is not JSON") from None

    def _load_pairs(self) -> tuple[frozenset[LanguagePair], dict[str, str]]:
        document = self._request("GET", "/languages")
        found: set[LanguagePair] = set()
        codes: dict[str, str] = {}
        if isinstance(document, list):
            for entry in document:
                if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
                    continue
                source = canonical(entry["code"])
                codes[source] = entry["code"]
                for target in entry.get("targets") or []:
                    if isinstance(target, str) and canonical(target) != source:
                        codes[canonical(target)] = target
                        found.add(LanguagePair(source, canonical(target)))
        return frozenset(found), codes

    def pairs(self) -> frozenset[LanguagePair]:
        url = self.settings.url
        if url is None:
            return frozenset()
        now = time.monotonic()
        with _CACHE_LOCK:
            cached = _CACHE.get(url)
        if cached is None or now - cached[0] >= self.settings.languages_ttl_seconds:
            try:
                pairs, codes = self._load_pairs()
            except TranslationFailed:
                pairs, codes = frozenset(), {}
            cached = (now, pairs, codes)
            with _CACHE_LOCK:
                _CACHE[url] = cached
        self._codes = cached[2]
        return cached[1]

    def availability(self) -> Availability:
        if self.settings.url is None:
            return Availability.missing("no LibreTranslate server is configured", hint=HINT)
        if not self.pairs():
            return Availability.missing(
                "the LibreTranslate server is unreachable or offers no language pair",
                hint="check that it runs at the configured URL",
            )
        return Availability.ok()

    def model_name(self) -> str:
        return "LibreTranslate-compatible server"

    def translate(
        self, texts: Sequence[str], pair: LanguagePair, *, markup: Markup = "text"
    ) -> list[str]:
        if pair not in self.pairs():
            raise ValueError(f"LibreTranslate has no pair {pair.source}->{pair.target}")
        out: list[str] = []
        size = self.settings.batch_size
        for start in range(0, len(texts), size):
            out += self._batch(list(texts[start : start + size]), pair, markup)
        return out

    def _batch(self, texts: list[str], pair: LanguagePair, markup: Markup) -> list[str]:
        body: dict[str, Any] = {
            "q": texts,
            "source": self._codes.get(pair.source, pair.source),
            "target": self._codes.get(pair.target, pair.target),
            "format": markup,
        }
        if self.settings.api_key is not None:
            body["api_key"] = self.settings.api_key.get_secret_value()
        answer = self._request("POST", "/translate", body)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if isinstance(translated, str) and len(texts) == 1:
            translated = [translated]
        if not isinstance(translated, list) or len(translated) != len(texts):
            raise TranslationFailed("LibreTranslate answered a different number of texts")
        return [str(t) for t in translated]
