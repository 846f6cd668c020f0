"""Every label and sentence exists in the nine languages, with the same placeholders, and
every text key the code asks for exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from tests.conftest import REPO
from vidlens.gait.i18n import LANGUAGES, keys, text, translations


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", keys())
def test_nine_languages_with_the_same_placeholders(key: str) -> None:
    texts = translations(key)
    assert set(texts) == set(LANGUAGES)
    assert all(value.strip() for value in texts.values())
    expected = _fields(texts["en"])
    for language, value in texts.items():
        assert _fields(value) == expected, language
    if not expected and key not in {"duty_factor", "cadence", "overstride", "good"}:
        # A translation identical to English in every language would be untranslated.
        assert len(set(texts.values())) > 1


def test_every_key_used_in_the_code_exists() -> None:
    used: set[str] = set()
    pattern = re.compile(r'"((?:reason|warning|note|verdict|summary|error)_[a-z_]+)"')
    for path in Path(REPO / "src" / "vidlens" / "gait").glob("*.py"):
        if path.name.startswith("texts_"):
            continue
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    used -= {"reason_text", "note_text", "reason_values", "note_values"}
    # Keys built at run time from a kind:
    used |= {f"verdict_{side}" for side in ("good", "low", "high")}
    used |= {f"summary_{gait}" for gait in ("walking", "running")}
    styles = ("walking", "bouncer", "glider", "pusher", "shuffler")
    used |= {f"summary_style_{style}" for style in styles} | set(styles)
    assert used - set(keys()) == set()


def test_formatting_and_fallbacks() -> None:
    assert text("summary_running", "fr", cadence=172.4) == "Course à 172 pas par minute."
    assert text("cadence", "xx") == "Cadence"  # unknown language: English
    assert text("no_such_key", "de") == "no_such_key"
    assert text("reason_too_few_steps", "ko", steps=1, needed=2).startswith("감지된 걸음이")
