"""Coaching fixtures: warm engines (or a skip naming what is missing), settings, generated
videos, and talks analysed once per session."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import media_file
from vidlens.coaching.analysis import CoachingEngines, CoachingRequest, analyze_talk
from vidlens.coaching.assemble import CoachingResult
from vidlens.config import Settings
from vidlens.engines.face.engine import FaceAnalyzer
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine

Analyze = Callable[..., CoachingResult]


@pytest.fixture(scope="session")
def engines_available() -> None:
    """Skip unless faster-whisper (with its weights), mediapipe and ffmpeg are installed."""
    settings = Settings()
    for engine in (FasterWhisperEngine(settings.engines.whisper), FaceAnalyzer()):
        availability = engine.availability()
        if not availability.available:
            pytest.skip(f"{engine.name} unavailable: {availability.reason} ({availability.hint})")
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")


@pytest.fixture(scope="session")
def coaching_engines(engines_available: None) -> Iterator[CoachingEngines]:
    engines = CoachingEngines()
    yield engines
    engines.close()


@pytest.fixture(scope="session")
def analyze(coaching_engines: CoachingEngines) -> Analyze:
    """``analyze(path, settings=None, context=None, transcript=None)``: each distinct call
    analysed once per session."""
    done: dict[tuple[object, ...], CoachingResult] = {}

    def run(
        video: Path,
        settings: Settings | None = None,
        context: str | None = None,
        transcript: str | None = None,
    ) -> CoachingResult:
        key = (str(video), repr(settings), context, transcript)
        if key not in done:
            request = CoachingRequest(context_phrase=context, transcript=transcript)
            done[key] = analyze_talk(video, request, settings or Settings(), coaching_engines)
        return done[key]

    return run


@pytest.fixture(scope="session")
def talking(engines_available: None) -> Callable[[str], Path]:
    def get(name: str) -> Path:
        return media_file(f"talking/{name}")

    return get
