"""Brands named in on-screen text, matched against a brand list.

No logo detector ships offline, so brands come from what is written on screen: each OCR
track's text is searched for every brand name (and alias) as whole words, case-insensitively,
ignoring punctuation and spacing inside the name ("Coca-Cola" matches "COCA COLA"). Names of
five letters or more also match a word within one edit (difflib ratio >= 0.85, an OCR
misread letter); shorter names must match exactly. A brand's time ranges are those of the
tracks that name it; an instance's confidence is the track's OCR confidence times the match
quality (1.0 exact, the ratio when fuzzy). The built-in list (:data:`DEFAULT_BRANDS`) is a
sample of well-known consumer and technology brands; ``engines.brands.brand_file`` adds a
list of your own (one brand a line, aliases after ``|``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vidlens.engines.ocr.tracks import TextTrack
from vidlens.engines.vision.timeline import Instance, summary_confidence

FUZZY_MIN_LETTERS = 5
FUZZY_RATIO = 0.85
DEFAULT_BRANDS: tuple[str, ...] = (
    "Adidas", "Airbnb", "Amazon", "AMD", "Apple", "Audi", "BMW", "Boeing", "Budweiser",
    "Burger King", "Canon", "Chanel", "Chevrolet", "Cisco", "Coca-Cola|Coke", "Colgate",
    "Dell", "DHL", "Disney", "eBay", "FedEx", "Ferrari", "Ford", "Google", "Gucci", "Heineken",
    "Honda", "HP", "HSBC", "Huawei", "Hyundai", "IBM", "IKEA", "Intel", "KFC", "Kodak",
    "L'Oréal|Loreal", "Lego", "Lenovo", "Levi's|Levis", "LG", "Louis Vuitton", "Marlboro",
    "Mastercard", "McDonald's|McDonalds", "Mercedes-Benz|Mercedes", "Meta", "Microsoft",
    "Motorola", "Netflix", "Nestlé|Nestle", "Nike", "Nikon", "Nintendo", "Nissan", "Nokia",
    "Nvidia", "Oracle", "Panasonic", "PayPal", "Pepsi", "Philips", "Porsche", "Puma",
    "Red Bull", "Rolex", "Samsung", "SAP", "Shell", "Siemens", "Sony", "Spotify", "Starbucks",
    "Subway", "Tesla", "Toyota", "Twitter", "Uber", "UPS", "Visa", "Volkswagen|VW", "Volvo",
    "Walmart", "Virgin", "Xerox", "YouTube", "Zara",
)  # fmt: skip
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True, slots=True)
class Brand:
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BrandHit:
    name: str
    confidence: float
    instances: tuple[Instance, ...]


def parse_brands(lines: Iterable[str]) -> list[Brand]:
    """Brands from ``Name|alias|alias`` lines (blank lines and ``#`` comments skipped)."""
    brands = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names = [part.strip() for part in line.split("|") if part.strip()]
        brands.append(Brand(names[0], tuple(names)))
    return brands


def load_brands(brand_file: Path | None) -> list[Brand]:
    """The built-in list plus the lines of ``brand_file`` (if given)."""
    brands = parse_brands(DEFAULT_BRANDS)
    if brand_file is not None:
        brands += parse_brands(brand_file.read_text(encoding="utf-8").splitlines())
    return brands


def _fold(text: str) -> str:
    import unicodedata

    stripped = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in stripped if not unicodedata.combining(ch))


def _tokens(text: str) -> list[str]:
    return [t for t in _NON_ALNUM.split(_fold(text)) if t]


def match_quality(brand: Brand, text: str) -> float:
    """1.0 when a name of ``brand`` appears in ``text`` as whole words, the difflib ratio for
    a one-letter misread of a long name, 0.0 otherwise."""
    tokens = _tokens(text)
    best = 0.0
    for alias in brand.aliases:
        wanted = _tokens(alias)
        if not wanted:
            continue
        size = len(wanted)
        glued = "".join(wanted)
        for i in range(len(tokens)):
            for n in {size, 1}:  # "Coca Cola" as two words, "CocaCola" as one
                window = "".join(tokens[i : i + n])
                if window == glued:
                    return 1.0
                if len(glued) >= FUZZY_MIN_LETTERS and len(window) >= FUZZY_MIN_LETTERS:
                    ratio = difflib.SequenceMatcher(None, window, glued).ratio()
                    if ratio >= FUZZY_RATIO:
                        best = max(best, ratio)
    return best


def find_brands(tracks: Sequence[TextTrack], brands: Sequence[Brand]) -> list[BrandHit]:
    """Brands named in the on-screen text, best first."""
    hits = []
    for brand in brands:
        found: list[Instance] = []
        for track in tracks:
            quality = match_quality(brand, track.text)
            if quality > 0:
                found += [
                    Instance(i.start, i.end, round(i.confidence * quality, 4))
                    for i in track.instances
                ]
        if found:
            found.sort(key=lambda i: i.start)
            hits.append(BrandHit(brand.name, round(summary_confidence(found), 4), tuple(found)))
    return sorted(hits, key=lambda h: (-h.confidence, h.name))
