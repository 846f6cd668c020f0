"""Speech fixtures: one real model per session, each clip transcribed once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import media_file
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
from vidlens.engines.speech.settings import WhisperSettings
from vidlens.engines.speech.types import TranscribeOptions, Transcript

TranscribeClip = Callable[..., Transcript]


@pytest.fixture(scope="session")
def whisper_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FasterWhisperEngine]:
    """The default engine (bundled Whisper base, int8, 2 threads), or a skip naming what is
    missing."""
    settings = WhisperSettings(cache_dir=tmp_path_factory.mktemp("whisper-cache"))
    engine = FasterWhisperEngine(settings)
    availability = engine.availability()
    if not availability.available:
        pytest.skip(f"speech engine unavailable: {availability.reason} ({availability.hint})")
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def transcribe_clip(whisper_engine: FasterWhisperEngine) -> TranscribeClip:
    """``transcribe_clip("speech/x.wav", **options)``: memoised per (file, options)."""
    done: dict[tuple[str, TranscribeOptions], Transcript] = {}

    def transcribe(relative: str, **options: object) -> Transcript:
        path: Path = media_file(relative)
        key = (relative, TranscribeOptions(**options))  # type: ignore[arg-type]  # test helper
        if key not in done:
            done[key] = whisper_engine.transcribe(path, key[1])
        return done[key]

    return transcribe
