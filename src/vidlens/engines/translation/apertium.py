"""Apertium (rule-based MT from Debian packages: ``apertium`` and ``apertium-<pair>``).

The installed directions are read from ``apertium -l``; mode names are mapped to BCP 47
tags (``eng-spa`` → en→es, ``spa-eng_US`` → es→en-US, ``eng-cat_valencia`` →
en→ca-valencia, ``eng-hbs_HR`` → en→hr); bytecode, compound and orthography-reform modes
are left out. Each batch is one ``apertium -u -f html <mode>`` run: texts are HTML-escaped
(for ``text``) and joined with ``<hr id="vlN">`` separators, which Apertium's HTML
deformatter passes through untouched, so one process start (about 0.2 s) serves a whole
subtitle file. ``-u`` drops the ``*`` marks on unknown words (they are copied as they are).
"""

from __future__ import annotations

import functools
import html
import re
import shutil
import subprocess
from collections.abc import Sequence
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from vidlens.engines.base import Availability
from vidlens.engines.translation.languages import ISO639_3_TO_1
from vidlens.engines.translation.types import LanguagePair, Markup, TranslationFailed, Translator

HINT = "apt-get install apertium apertium-eng-spa (and the other apertium-<pair> packages)"
_MODE = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})(?:_([A-Za-z]+))?$")
_HBS = {"HR": "hr", "BS": "bs", "SR": "sr"}
_SEPARATOR = re.compile(r'<hr id="vl(\d+)">')


class ApertiumSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    executable: str = "apertium"
    """The ``apertium`` command (a name on PATH or a path)."""

    timeout_seconds: float = Field(default=300.0, gt=0, le=3600)
    """Longest one translation batch may run."""

    batch_characters: int = Field(default=20000, ge=100, le=1_000_000)
    """Texts are sent to Apertium in batches of about this many characters."""


def _tag(code: str) -> str:
    return ISO639_3_TO_1.get(code, code)


def pair_of_mode(mode: str) -> LanguagePair | None:
    """The language pair of an Apertium mode name, or None for modes that are not a plain
    language direction (see the module docstring)."""
    match = _MODE.match(mode)
    if match is None:
        return None
    source, target, variant = _tag(match[1]), _tag(match[2]), match[3]
    if variant is None:
        return LanguagePair(source, target)
    if target == "hbs" and variant in _HBS:
        return LanguagePair(source, _HBS[variant])
    if len(variant) == 2 and variant.isupper():
        return LanguagePair(source, f"{target}-{variant}")
    if variant == "valencia":
        return LanguagePair(source, f"{target}-valencia")
    return None


@functools.cache
def _modes(executable: str) -> tuple[str, ...]:
    try:
        done = subprocess.run(
            [executable, "-l"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(line.strip() for line in done.stdout.splitlines() if line.strip())


class ApertiumTranslator(Translator):
    """Translation through the ``apertium`` command."""

    name: ClassVar[str] = "apertium"

    def __init__(self, settings: ApertiumSettings | None = None) -> None:
        self.settings = settings or ApertiumSettings()

    def _mode_table(self) -> dict[LanguagePair, str]:
        table: dict[LanguagePair, str] = {}
        for mode in _modes(self.settings.executable):
            pair = pair_of_mode(mode)
            if pair is not None and pair.source != pair.target:
                table.setdefault(pair, mode)
        return table

    def availability(self) -> Availability:
        if shutil.which(self.settings.executable) is None:
            return Availability.missing("apertium is not installed", hint=HINT)
        if not self._mode_table():
            return Availability.missing("no Apertium language pair is installed", hint=HINT)
        return Availability.ok()

    def pairs(self) -> frozenset[LanguagePair]:
        if shutil.which(self.settings.executable) is None:
            return frozenset()
        return frozenset(self._mode_table())

    def model_name(self) -> str:
        return "apertium (rule-based, Debian packages)"

    def translate(
        self, texts: Sequence[str], pair: LanguagePair, *, markup: Markup = "text"
    ) -> list[str]:
        mode = self._mode_table().get(pair)
        if mode is None:
            raise ValueError(f"Apertium has no mode for {pair.source}->{pair.target}")
        out = list(texts)
        wanted = [i for i, text in enumerate(texts) if text.strip()]
        done: list[str] = []
        for batch in _batches([texts[i] for i in wanted], self.settings.batch_characters):
            done += self._run(batch, mode, markup)
        for i, text in zip(wanted, done, strict=True):
            out[i] = text
        return out

    def _run(self, texts: Sequence[str], mode: str, markup: Markup) -> list[str]:
        bodies = [html.escape(t, quote=False) if markup == "text" else t for t in texts]
        document = "".join(
            (f'<hr id="vl{i}">' if i else "") + body for i, body in enumerate(bodies)
        )
        command = [self.settings.executable, "-u", "-f", "html", mode]
        try:
            done = subprocess.run(
                command,
                input=document.encode("utf-8"),
                capture_output=True,
                timeout=self.settings.timeout_seconds,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise TranslationFailed(
                f"Apertium took longer than {self.settings.timeout_seconds:g} s"
            ) from None
        except OSError as exc:
            raise TranslationFailed(f"Apertium does not run: {exc}") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise TranslationFailed(f"Apertium failed: {message[-1] if message else '?'}")
        pieces = _SEPARATOR.split(done.stdout.decode("utf-8", "replace"))
        # split() alternates text and captured ids: text, "1", text, "2", text, ...
        translated = pieces[0::2]
        if len(translated) != len(texts):
            raise TranslationFailed("Apertium lost a segment separator")
        return [html.unescape(t) if markup == "text" else t for t in translated]


def _batches(texts: Sequence[str], limit: int) -> list[list[str]]:
    batches: list[list[str]] = [[]]
    size = 0
    for text in texts:
        if batches[-1] and size + len(text) > limit:
            batches.append([])
            size = 0
        batches[-1].append(text)
        size += len(text)
    return [batch for batch in batches if batch]
