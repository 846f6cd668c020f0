"""Face fixtures: the engine (or a skip naming what is missing), clips analysed once, and
small videos generated with ffmpeg."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import media_file
from vidlens.engines.face.engine import FaceAnalyzer
from vidlens.engines.face.settings import FaceSettings
from vidlens.engines.face.types import FaceReport

AnalyzeClip = Callable[[str], FaceReport]


@pytest.fixture(scope="session")
def face_analyzer() -> FaceAnalyzer:
    """The default engine (5 samples a second, one face), or a skip with the reason."""
    analyzer = FaceAnalyzer(FaceSettings())
    availability = analyzer.availability()
    if not availability.available:
        pytest.skip(f"face engine unavailable: {availability.reason} ({availability.hint})")
    return analyzer


@pytest.fixture(scope="session")
def analyze_clip(face_analyzer: FaceAnalyzer) -> AnalyzeClip:
    """``analyze_clip("talking/x.mp4")``: each clip analysed once per session."""
    done: dict[str, FaceReport] = {}

    def analyze(relative: str) -> FaceReport:
        if relative not in done:
            done[relative] = face_analyzer.analyze(media_file(relative))
        return done[relative]

    return analyze


def ffmpeg_make(target: Path, *args: str) -> Path:
    """Run ffmpeg to build ``target`` (skip when ffmpeg is absent)."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args, str(target)],
        check=True,
        timeout=60,
    )
    return target


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for videos made by the tests."""
    return tmp_path_factory.mktemp("face-media")
