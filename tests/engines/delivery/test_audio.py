"""Pitch, loudness and audio quality on synthetic signals with known values; bad input."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from tests.engines.delivery.helpers import SR, harmonic_tone, spaced, transcript
from vidlens.engines.delivery import measure_delivery
from vidlens.errors import InvalidInput


def glide(seconds: float = 4.0, low: float = 100.0, high: float = 200.0) -> npt.NDArray[np.float64]:
    t = np.arange(int(SR * seconds)) / SR
    f0: npt.NDArray[np.float64] = low * (high / low) ** (t / seconds)
    return f0


def test_pitch_of_a_glide_one_octave() -> None:
    report = measure_delivery(None, harmonic_tone(glide()))
    pitch = report.pitch
    assert pitch is not None
    # F0 rises evenly in semitones from 100 to 200 Hz: median sqrt(2) * 100, the 5th to 95th
    # percentile spans 90 % of 12 semitones, and the standard deviation is 12 / sqrt(12).
    assert pitch.median_hz == pytest.approx(141.42, rel=0.01)
    assert pitch.range_semitones == pytest.approx(10.8, abs=0.3)
    assert pitch.std_semitones == pytest.approx(12 / np.sqrt(12), abs=0.1)
    assert pitch.voiced_fraction > 0.95
    assert not pitch.monotone
    assert report.pace is None
    assert "no words" in report.unavailable["pace"]


def test_steady_tone_is_monotone() -> None:
    pitch = measure_delivery(None, harmonic_tone(np.full(SR * 3, 150.0))).pitch
    assert pitch is not None
    assert pitch.median_hz == pytest.approx(150.0, abs=0.5)
    assert pitch.std_semitones < 0.05
    assert pitch.monotone


def test_pitch_only_inside_words_when_timed() -> None:
    # 120 Hz during the words (0-2 s), 300 Hz after them: only the words' pitch counts
    audio = np.concatenate([harmonic_tone(np.full(SR * 2, 120.0)),
                            harmonic_tone(np.full(SR * 2, 300.0))])  # fmt: skip
    words = spaced("one two three four", word=0.45, gap=0.05)
    report = measure_delivery(transcript(words, 4.0), audio)
    assert report.pitch is not None
    assert report.pitch.median_hz == pytest.approx(120.0, abs=1.0)


def test_too_little_voice_gives_a_reason() -> None:
    report = measure_delivery(None, harmonic_tone(np.full(SR // 2, 150.0)))
    assert report.pitch is None
    assert "voiced speech" in report.unavailable["pitch"]


def test_loudness_and_snr_of_tone_over_noise() -> None:
    rng = np.random.default_rng(0)
    seconds = 10
    noise = rng.normal(0.0, 0.001, SR * seconds)  # -60 dBFS
    t = np.arange(SR * seconds) / SR
    on = (t % 2.0) < 1.0  # 1 s of tone, 1 s of noise only
    tone = 0.1 * np.sqrt(2) * np.sin(2 * np.pi * 200 * t) * on  # RMS 0.1: -20 dBFS
    report = measure_delivery(None, (tone + noise).astype(np.float32))
    loudness = report.loudness
    assert loudness is not None
    assert loudness.speech_basis == "energy"
    assert loudness.mean_dbfs == pytest.approx(-20.0, abs=0.3)
    assert loudness.noise_floor_dbfs == pytest.approx(-60.0, abs=0.5)
    assert loudness.snr_db == pytest.approx(40.0, abs=1.0)
    assert loudness.std_db is not None
    assert loudness.std_db < 1.0
    assert loudness.flags == ()
    # the silent halves are pauses inside the audible span
    assert report.pauses is None  # no words: pauses need words (or a supplied text)


def test_loudness_variation_between_loud_and_soft_speech() -> None:
    rng = np.random.default_rng(2)
    t = np.arange(SR * 6) / SR
    # loud 0-2 s, pause, soft 3-5 s (20 dB apart), pause; noise at -60 dBFS throughout
    amplitude = np.select([t < 2.0, (t >= 3.0) & (t < 5.0)], [0.2, 0.02], 0.0)
    audio = amplitude * np.sin(2 * np.pi * 180 * t) + rng.normal(0, 0.001, t.size)
    report = measure_delivery(None, audio.astype(np.float32))
    assert report.loudness is not None
    # two equal halves 20 dB apart: standard deviation 10 dB
    assert report.loudness.std_db == pytest.approx(10.0, abs=0.5)


def test_quality_flags() -> None:
    t = np.arange(SR * 3) / SR
    clipped = np.clip(1.5 * np.sin(2 * np.pi * 150 * t), -1.0, 1.0).astype(np.float32)
    loudness = measure_delivery(None, clipped).loudness
    assert loudness is not None
    assert "clipping" in loudness.flags
    assert loudness.low_quality
    quiet = (0.003 * np.sin(2 * np.pi * 150 * t)).astype(np.float32)  # about -53 dBFS
    loudness = measure_delivery(None, quiet).loudness
    assert loudness is not None
    assert "very_low_level" in loudness.flags
    rng = np.random.default_rng(1)
    noisy = (0.05 * np.sin(2 * np.pi * 150 * t) * ((t % 1.0) < 0.5)
             + rng.normal(0.0, 0.02, t.size)).astype(np.float32)  # fmt: skip
    loudness = measure_delivery(None, noisy).loudness
    assert loudness is not None
    assert "low_snr" in loudness.flags
    silence = np.zeros(SR * 2, dtype=np.float32)
    report = measure_delivery(None, silence)
    assert report.loudness is not None
    assert "silent" in report.loudness.flags
    assert "voiced speech" in report.unavailable["pitch"]


def test_no_speech_transcript_and_silence() -> None:
    report = measure_delivery(transcript([], 2.0), np.zeros(SR * 2, dtype=np.float32))
    assert report.pace is None
    assert "voice-activity detector" in report.unavailable["fillers"]
    assert report.kpis[0].value is None
    assert report.kpis[0].in_range is None
    assert report.to_dict()["unavailable"]["pace"].startswith("no words")


def test_other_sample_rates() -> None:
    t = np.arange(22_050 * 2) / 22_050
    audio = (0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    pitch = measure_delivery(None, audio, 22_050).pitch
    assert pitch is not None
    assert pitch.median_hz == pytest.approx(220.0, abs=1.0)


@pytest.mark.parametrize(
    ("samples", "rate", "message"),
    [
        (np.zeros((2, 1000), dtype=np.float32), SR, "mono"),
        (np.array([0.0, np.nan], dtype=np.float32), SR, "NaN"),
        (np.zeros(100, dtype=np.float32), 0, "sample_rate"),
        ("not audio", SR, "numbers"),
    ],
)
def test_bad_audio_is_invalid_input(samples: object, rate: int, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        measure_delivery(None, samples, rate)  # type: ignore[arg-type]  # deliberately bad


def test_nothing_to_measure() -> None:
    with pytest.raises(InvalidInput, match="nothing to measure"):
        measure_delivery(None, None)


def test_stereo_shaped_mono_is_accepted_and_empty_audio_is_no_audio() -> None:
    column = harmonic_tone(np.full(SR * 2, 150.0)).reshape(-1, 1)
    assert measure_delivery(None, column).pitch is not None
    report = measure_delivery(transcript(spaced("hello there"), 1.0), np.zeros(0, np.float32))
    assert report.loudness is None
    assert report.unavailable["loudness"] == "no audio samples were given"
