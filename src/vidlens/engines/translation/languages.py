"""Language tags: BCP 47 matching of requested codes against a backend's codes."""

from __future__ import annotations

import re

_BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

ISO639_3_TO_1: dict[str, str] = {
    "eng": "en", "spa": "es", "cat": "ca", "glg": "gl", "epo": "eo", "eus": "eu",
    "isl": "is", "mkd": "mk", "fra": "fr", "por": "pt", "ita": "it", "deu": "de",
    "nld": "nl", "ron": "ro", "oci": "oc", "arg": "an", "ast": "ast", "hbs": "hbs",
    "nob": "nb", "nno": "nn", "swe": "sv", "dan": "da", "afr": "af", "bel": "be",
    "rus": "ru", "ukr": "uk", "pol": "pl", "ces": "cs", "slk": "sk", "slv": "sl",
    "bul": "bg", "cym": "cy", "bre": "br", "gle": "ga", "tur": "tr", "kaz": "kk",
    "tat": "tt", "urd": "ur", "hin": "hi", "mlt": "mt", "srd": "sc", "cos": "co",
}  # fmt: skip
"""ISO 639-3 codes (Apertium's newer mode names) → the shortest BCP 47 language subtag."""


def is_tag(value: str) -> bool:
    """Whether ``value`` looks like a BCP 47 tag (``en``, ``en-US``, ``ca-valencia``)."""
    return bool(_BCP47.match(value))


def canonical(tag: str) -> str:
    """Case-normalised tag: language lower case, 2-letter regions upper case
    (``EN-us`` → ``en-US``), other subtags lower case."""
    parts = tag.split("-")
    out = [ISO639_3_TO_1.get(parts[0].lower(), parts[0].lower())]
    for part in parts[1:]:
        out.append(part.upper() if len(part) == 2 and part.isalpha() else part.lower())
    return "-".join(out)


def best_match(requested: str, offered: set[str] | frozenset[str]) -> str | None:
    """The offered tag for a requested one: exact, else the requested tag's primary
    language (``es-MX`` → ``es``), else a requested bare language's only offered variant
    is *not* chosen silently (``ca`` does not become ``ca-valencia``) unless it is the only
    one offered."""
    tag = canonical(requested)
    if tag in offered:
        return tag
    primary = tag.split("-", 1)[0]
    if primary in offered:
        return primary
    variants = sorted(o for o in offered if o.split("-", 1)[0] == primary)
    if "-" not in tag and len(variants) == 1:
        return variants[0]
    return None
