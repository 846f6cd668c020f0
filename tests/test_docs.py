"""Generated references are current, and every documented piece exists."""

from __future__ import annotations

import os

import pytest

from tests.conftest import REPO
from vidlens.cli_docs import render_cli_reference
from vidlens.config_docs import render_config_reference


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    os.environ.pop("VIDLENS_DATA_DIR", None)


def test_configuration_reference_is_current() -> None:
    expected = render_config_reference()
    actual = (REPO / "docs" / "configuration.md").read_text()
    assert actual == expected, "run: python -m vidlens.config_docs > docs/configuration.md"


def test_cli_reference_is_current() -> None:
    expected = render_cli_reference()
    actual = (REPO / "docs" / "cli.md").read_text()
    assert actual == expected, "run: python -m vidlens.cli_docs > docs/cli.md"


def test_readme_starts_with_the_two_commands() -> None:
    lines = (REPO / "README.md").read_text().splitlines()
    head = "\n".join(lines[:12])
    assert "scripts/serve" in head
    assert "scripts/test" in head
    assert "scripts/test" in (REPO / ".ci" / "run").read_text()


def test_relative_links_in_the_docs_resolve() -> None:
    import re

    pages = [REPO / "README.md", REPO / "BENCHMARKS.md", *sorted((REPO / "docs").glob("*.md"))]
    broken = [
        f"{page.relative_to(REPO)} -> {target}"
        for page in pages
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text())
        if "://" not in target and not (page.parent / target).exists()
    ]
    assert broken == []
