"""Hand-built transcripts and synthetic signals for the delivery tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from vidlens.engines.speech.types import Segment, TranscribeOptions, Transcript, Word

SR = 16_000


def transcript(
    words: Sequence[tuple[str, float, float]], duration: float, language: str = "en"
) -> Transcript:
    """One segment holding ``(text, start, end)`` words."""
    timed = tuple(Word(start=s, end=e, text=t, probability=0.9) for t, s, e in words)
    segments = (
        (
            Segment(
                start=timed[0].start,
                end=timed[-1].end,
                text=" ".join(w.text for w in timed),
                confidence=0.9,
                no_speech_probability=0.01,
                words=timed,
            ),
        )
        if timed
        else ()
    )
    return Transcript(
        language=language,
        language_probability=None,
        duration=duration,
        speech_duration=duration,
        segments=segments,
        model="hand-built",
        engine="test",
        options=TranscribeOptions(),
        no_speech_reason=None if timed else "the voice-activity detector found no speech",
    )


def spaced(text: str, start: float = 0.0, word: float = 0.4, gap: float = 0.1) -> list[
    tuple[str, float, float]
]:  # fmt: skip
    """The words of ``text`` with regular timings: ``word`` seconds each, ``gap`` between."""
    out = []
    t = start
    for w in text.split():
        out.append((w, round(t, 3), round(t + word, 3)))
        t += word + gap
    return out


def harmonic_tone(f0: npt.NDArray[np.float64], amplitude: float = 0.3) -> npt.NDArray[np.float32]:
    """A voice-like tone (3 harmonics, 1/k amplitudes) following ``f0`` (Hz per sample)."""
    phase = 2 * np.pi * np.cumsum(f0) / SR
    signal = np.sin(phase) + np.sin(2 * phase) / 2 + np.sin(3 * phase) / 3
    peak = float(np.max(np.abs(signal)))
    tone: npt.NDArray[np.float32] = (amplitude * signal / peak).astype(np.float32)
    return tone
