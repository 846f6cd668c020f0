"""Speaker diarization on ../shared/media/diarization, and DER on hand-made turns."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
import pytest

from tests.conftest import media_file
from vidlens.engines.speech.diarization import (
    Diarization,
    SpeakerDiarizer,
    SpeakerTurn,
    assign_speakers,
    diarization_error_rate,
    read_rttm,
    word_speakers,
)
from vidlens.engines.speech.diarization_settings import DiarizationSettings
from vidlens.engines.speech.types import Segment, TranscribeOptions, Transcript, Word

pytest.importorskip("scipy", reason="DER needs scipy (pip install scipy==1.17.1)")

REF = [SpeakerTurn(0.0, 2.0, "a"), SpeakerTurn(2.0, 5.0, "b"), SpeakerTurn(4.0, 6.0, "a")]


def test_der_perfect_is_zero() -> None:
    assert diarization_error_rate(REF, REF).der == pytest.approx(0.0, abs=1e-9)


def test_der_all_missed_is_one() -> None:
    result = diarization_error_rate(REF, [])
    assert result.der == pytest.approx(1.0)
    assert result.missed == pytest.approx(7.0, abs=0.01)


def test_der_swapped_labels_map_to_zero() -> None:
    swapped = [SpeakerTurn(t.start, t.end, {"a": "x", "b": "y"}[t.speaker]) for t in REF]
    result = diarization_error_rate(REF, swapped)
    assert result.der == pytest.approx(0.0, abs=1e-9)
    assert result.mapping == {"x": "a", "y": "b"}


def test_der_confusion_false_alarm_and_collar() -> None:
    hyp = [SpeakerTurn(0.0, 2.0, "x"), SpeakerTurn(2.0, 6.0, "x"), SpeakerTurn(6.0, 7.0, "y")]
    result = diarization_error_rate(REF, hyp, uem=(0.0, 7.0))
    assert result.total == pytest.approx(7.0, abs=0.01)
    assert result.confusion == pytest.approx(2.0, abs=0.01)  # b alone 2-4 s under x (= a)
    assert result.missed == pytest.approx(1.0, abs=0.01)  # overlap 4-5: one voice found
    assert result.false_alarm == pytest.approx(1.0, abs=0.01)
    assert diarization_error_rate(REF, hyp, uem=(0.0, 7.0), collar=0.25).total < 7.0


def test_words_and_segments_get_the_speaker_of_maximal_overlap() -> None:
    turns = [SpeakerTurn(0.0, 1.0, "S0"), SpeakerTurn(1.0, 3.0, "S1")]
    words = (Word(0.1, 0.5, "hi", 0.9), Word(0.8, 1.6, "there", 0.9), Word(3.5, 3.8, "x", 0.9))
    assert word_speakers(words, turns) == ["S0", "S1", "S1"]
    transcript = Transcript(
        language="en",
        language_probability=None,
        duration=4.0,
        speech_duration=4.0,
        segments=(
            Segment(0.1, 3.8, "hi there x", 0.8, 0.0, words),
            Segment(0.0, 0.9, "", 0.8, 0.0),
        ),
        model="m",
        engine="e",
        options=TranscribeOptions(),
    )
    labelled = assign_speakers(transcript, turns)
    assert [s.speaker for s in labelled.segments] == ["S1", "S0"]


# --- real media ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def diarizer() -> Iterator[SpeakerDiarizer]:
    engine = SpeakerDiarizer()
    availability = engine.availability()
    if not availability.available:
        pytest.skip(f"diarization unavailable: {availability.reason} ({availability.hint})")
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def diarized(diarizer: SpeakerDiarizer) -> dict[str, Diarization]:
    cache: dict[str, Diarization] = {}
    return cache


def run(diarizer: SpeakerDiarizer, cache: dict[str, Diarization], name: str) -> Diarization:
    if name not in cache:
        cache[name] = diarizer.diarize(media_file(f"diarization/{name}.wav"))
    return cache[name]


# Measured DER (no collar / 0.25 s collar) with the default settings (bench/diarization_der.py):
# sample 0.096 / 0.011, dev00 0.181 / 0.097, tst00 0.535 / 0.493 (4 reference speakers, heavy
# overlap: 31 s of its 61 s of reference speech is a second to fourth simultaneous voice).
# Without the segmentation model: 0.199 / 0.220 / 0.707. Bounds are the measured value + 0.05.
@pytest.mark.parametrize(
    ("name", "bound"),
    [("pyannote_sample", 0.15), ("pyannote_tests_dev00", 0.23), ("pyannote_tests_tst00", 0.59)],
)
def test_der_against_rttm(
    diarizer: SpeakerDiarizer, diarized: dict[str, Diarization], name: str, bound: float
) -> None:
    result = run(diarizer, diarized, name)
    reference = read_rttm(media_file(f"diarization/{name}.rttm"))
    assert diarization_error_rate(reference, result.turns, uem=(0.0, 30.0)).der < bound


def test_far_field_speech_is_found(
    diarizer: SpeakerDiarizer, diarized: dict[str, Diarization]
) -> None:
    """dev00 is far-field (about -41 dBFS) and almost all speech: the VAD must keep it.

    Of its 28.5 s of reference speech 1.4 s is overlap (a second voice, not found here);
    with Silero's default threshold 0.5 the engine missed 10.8 s, now 2.24 s. The
    segmentation model's silence cut the false alarm from 1.48 s to 0.34 s.
    """
    result = run(diarizer, diarized, "pyannote_tests_dev00")
    reference = read_rttm(media_file("diarization/pyannote_tests_dev00.rttm"))
    der = diarization_error_rate(reference, result.turns, uem=(0.0, 30.0))
    assert der.missed < 2.6
    assert der.false_alarm < 0.8


def overlapped(turns: Sequence[SpeakerTurn]) -> npt.NDArray[np.bool_]:
    """Milliseconds of 0-30 s where two or more turns overlap."""
    heard = np.zeros(30_000, dtype=int)
    for turn in turns:
        heard[int(turn.start * 1000) : int(min(turn.end, 30.0) * 1000)] += 1
    return heard >= 2


@pytest.mark.parametrize(
    # Measured: sample 1.27 s of its 1.89 s of reference overlap found, 1.66 s claimed;
    # tst00 10.5 of 17.8 s found, 11.2 s claimed. Bounds: found - 0.3 s / - 2 s, precision
    # measured - 0.1.
    ("name", "found", "precision"),
    [("pyannote_sample", 1.0, 0.65), ("pyannote_tests_tst00", 8.5, 0.84)],
)
def test_overlapped_speech_gets_two_speakers(
    diarizer: SpeakerDiarizer,
    diarized: dict[str, Diarization],
    name: str,
    found: float,
    precision: float,
) -> None:
    result = run(diarizer, diarized, name)
    truth = overlapped(read_rttm(media_file(f"diarization/{name}.rttm")))
    claimed = overlapped(result.turns)
    assert (truth & claimed).sum() / 1000 > found
    assert (truth & claimed).sum() / claimed.sum() > precision


def test_without_the_segmentation_model_one_speaker_per_instant(
    diarizer: SpeakerDiarizer,
) -> None:
    plain = SpeakerDiarizer(DiarizationSettings(segmentation=False), diarizer.models)
    result = plain.diarize(media_file("diarization/pyannote_sample.wav"))
    reference = read_rttm(media_file("diarization/pyannote_sample.rttm"))
    assert result.mode == "embedding"
    assert not overlapped(result.turns).any()
    # measured 0.199 (0.096 with the model)
    assert diarization_error_rate(reference, result.turns, uem=(0.0, 30.0)).der < 0.25


def test_pyannote_sample_has_two_speakers(
    diarizer: SpeakerDiarizer, diarized: dict[str, Diarization]
) -> None:
    result = run(diarizer, diarized, "pyannote_sample")
    assert result.mode == "embedding"
    assert len(result.speakers) == 2


def test_stereo_clip_is_split_by_channel(diarizer: SpeakerDiarizer) -> None:
    path = media_file("diarization/fasterwhisper_stereo_diarization.wav")
    truth = json.loads(
        media_file("diarization/fasterwhisper_stereo_diarization.groundtruth.json").read_text()
    )["activity_hint_s_derived_by_energy_not_authoritative"]
    result = diarizer.diarize(path)
    assert result.mode == "channel"
    assert result.speakers == ("SPEAKER_00", "SPEAKER_01")
    for speaker, channel in (("SPEAKER_00", "left"), ("SPEAKER_01", "right")):
        turns = [t for t in result.turns if t.speaker == speaker]
        assert min(t.start for t in turns) == pytest.approx(truth[channel][0], abs=0.4)
        assert max(t.end for t in turns) == pytest.approx(truth[channel][1], abs=0.4)


def test_progress_and_invalid_count(diarizer: SpeakerDiarizer) -> None:
    from vidlens.errors import InvalidInput

    with pytest.raises(InvalidInput):
        diarizer.diarize(media_file("diarization/pyannote_sample.wav"), num_speakers=0)
    seen: list[float] = []
    diarizer.diarize(
        media_file("diarization/fasterwhisper_stereo_diarization.wav"),
        progress=lambda f, _m: seen.append(f),
    )
    assert seen[0] == 0.0
    assert seen[-1] == 1.0


def test_weights_verified_and_load_with_weights_only(diarizer: SpeakerDiarizer) -> None:
    import torch

    from vidlens.engines.speech.diarization import _resemblyzer_weights

    checkpoint = torch.load(_resemblyzer_weights(), map_location="cpu", weights_only=True)
    assert "model_state" in checkpoint
