"""Which translator serves a provider, and the language pair of a request: requested tags
matched against the backend's pairs, ``auto`` detected with py3langid."""

from __future__ import annotations

from vidlens.config import Settings
from vidlens.engines.text.language import detect
from vidlens.engines.translation.languages import best_match
from vidlens.engines.translation.types import LanguagePair, Translator
from vidlens.errors import InvalidInput
from vidlens.gateway.provider_features import libretranslate_translator, local_translator
from vidlens.gateway.schemas import PROVIDER_ID, invalid


class UnsupportedLanguagePair(InvalidInput):
    """The backend does not translate this direction (the message names what it does)."""

    code = "UNSUPPORTED_LANGUAGE_PAIR"


def translator_for(settings: Settings, provider: str) -> Translator:
    """The translator behind a provider id.

    Raises:
        InvalidInput: ``UNSUPPORTED_PROVIDER`` (no such translation provider).
    """
    if provider == PROVIDER_ID:
        return local_translator(settings)
    remote = libretranslate_translator(settings)
    if remote is not None and provider == "libretranslate":
        return remote
    raise invalid(
        "/data/attributes/provider",
        f"Provider {provider!r} does not translate here.",
        code="UNSUPPORTED_PROVIDER",
    )


def detect_source(text: str) -> str | None:
    """The language of ``text`` among all of py3langid's 97 (not only the backend's sources:
    an English text must come out English even where no English pair exists, so that the
    error names the real direction), or None when the text is too short to tell."""
    found = detect(text)
    return found.code if found is not None else None


def resolve_pair(translator: Translator, source: str, target: str) -> LanguagePair:
    """The backend's pair for a requested ``source`` → ``target`` (BCP 47 tags, matched as
    :func:`~vidlens.engines.translation.languages.best_match` says).

    Raises:
        UnsupportedLanguagePair: naming the targets the backend offers from ``source`` (or
            its sources when it has none from there).
    """
    pairs = translator.pairs()
    sources = {p.source for p in pairs}
    matched_source = best_match(source, sources)
    if matched_source is None:
        raise UnsupportedLanguagePair(
            f"{translator.name} does not translate from {source!r}; it translates from: "
            + (", ".join(sorted(sources)) or "nothing (no language pair installed)")
            + "."
        )
    targets = {p.target for p in pairs if p.source == matched_source}
    matched_target = best_match(target, targets)
    if matched_target is None:
        raise UnsupportedLanguagePair(
            f"{translator.name} does not translate {matched_source} to {target!r}; from "
            f"{matched_source} it translates to: {', '.join(sorted(targets))}."
        )
    return LanguagePair(matched_source, matched_target)
