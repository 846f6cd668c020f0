"""The audio side: loudness envelope and voice activity of the video's audio track."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vidlens.engines.speech._audio import SAMPLE_RATE, extract_audio
from vidlens.engines.speech.diarization import speech_regions

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

ENVELOPE_RATE = 100
"""Loudness values per second (10 ms RMS frames)."""


@dataclass(frozen=True)
class AudioSignals:
    """``envelope``: RMS amplitude per 10 ms; ``regions``: speech ``(start, end)`` in s."""

    envelope: npt.NDArray[np.float64]
    regions: tuple[tuple[float, float], ...]
    duration: float

    @property
    def speech_seconds(self) -> float:
        return sum(end - start for start, end in self.regions)

    def loudness(self, centre: float, half: float) -> float:
        """Mean RMS amplitude over ``[centre - half, centre + half]`` s."""
        lo = max(0, int((centre - half) * ENVELOPE_RATE))
        hi = min(self.envelope.size, int((centre + half) * ENVELOPE_RATE) + 1)
        return float(self.envelope[lo:hi].mean()) if hi > lo else 0.0

    def speech_fraction(self, centre: float, half: float) -> float:
        """Fraction of ``[centre - half, centre + half]`` covered by speech regions."""
        lo, hi = centre - half, centre + half
        covered = sum(max(0.0, min(hi, e) - max(lo, s)) for s, e in self.regions)
        return min(1.0, covered / (hi - lo)) if hi > lo else 0.0


def read_audio(
    media: Path, *, vad_threshold: float, ffmpeg: str, timeout_seconds: float
) -> AudioSignals:
    """The loudness envelope and speech regions of audio track 0.

    Raises:
        vidlens.engines.errors.AudioUnreadable: no audio track, or it does not decode.
        vidlens.errors.EngineUnavailable: ffmpeg or faster-whisper (Silero VAD) missing.
    """
    import numpy as np

    samples = extract_audio(media, track=0, ffmpeg=ffmpeg, timeout_seconds=timeout_seconds)
    hop = SAMPLE_RATE // ENVELOPE_RATE
    frames = samples.size // hop
    squared = samples[: frames * hop].astype(np.float64).reshape(frames, hop) ** 2
    envelope = np.sqrt(squared.mean(axis=1)) if frames else np.zeros(0)
    regions = speech_regions(samples, threshold=vad_threshold)
    return AudioSignals(envelope, tuple(regions), samples.size / SAMPLE_RATE)
