"""Transcript outputs: JSON-able segments, SRT, WebVTT and plain text.

Subtitle cues follow common broadcast rules: at most :data:`MAX_LINE_CHARS` characters per
line and :data:`MAX_CUE_LINES` lines per cue. A longer segment is split into several cues at
word boundaries, each cue timed by its own words' timestamps (or, without word timings, by
interpolating the segment's time over its characters).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from vidlens.engines.speech.types import Segment, Transcript, Word

MAX_LINE_CHARS = 42
MAX_CUE_LINES = 2


@dataclass(frozen=True, slots=True)
class Cue:
    """One subtitle cue, times in seconds."""

    start: float
    end: float
    lines: tuple[str, ...]


def to_json(transcript: Transcript) -> dict[str, Any]:
    """A JSON-able dict: language, duration and segments (start, end, text, speaker,
    confidence, words), times in seconds."""
    return {
        "language": transcript.language,
        "language_probability": transcript.language_probability,
        "duration": round(transcript.duration, 3),
        "model": transcript.model,
        "engine": transcript.engine,
        "text": transcript.text,
        "no_speech_reason": transcript.no_speech_reason,
        "segments": [_segment_json(segment) for segment in transcript.segments],
    }


def _segment_json(segment: Segment) -> dict[str, Any]:
    return {
        "start": segment.start,
        "end": segment.end,
        "text": segment.text,
        "speaker": segment.speaker,
        "confidence": segment.confidence,
        "words": [
            {"start": w.start, "end": w.end, "text": w.text, "probability": w.probability}
            for w in segment.words
        ],
    }


def to_text(transcript: Transcript) -> str:
    """Plain text: one segment per line (prefixed by its speaker when known)."""
    lines = [
        f"{segment.speaker}: {segment.text}" if segment.speaker else segment.text
        for segment in transcript.segments
        if segment.text
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def to_srt(transcript: Transcript) -> str:
    """SubRip: numbered cues, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``, a blank line after each."""
    blocks = [
        f"{number}\n{_timestamp(cue.start, ',')} --> {_timestamp(cue.end, ',')}\n"
        + "\n".join(cue.lines)
        for number, cue in enumerate(cues(transcript), start=1)
    ]
    return "".join(block + "\n\n" for block in blocks)


def to_vtt(transcript: Transcript) -> str:
    """WebVTT: the ``WEBVTT`` header, then ``HH:MM:SS.mmm --> HH:MM:SS.mmm`` cues."""
    blocks = [
        f"{_timestamp(cue.start, '.')} --> {_timestamp(cue.end, '.')}\n" + "\n".join(cue.lines)
        for cue in cues(transcript)
    ]
    return "WEBVTT\n\n" + "".join(block + "\n\n" for block in blocks)


def _timestamp(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def cues(transcript: Transcript) -> Iterator[Cue]:
    """The subtitle cues of a transcript, in time order, never overlapping."""
    previous_end = 0.0
    for segment in transcript.segments:
        for cue in _segment_cues(segment):
            start = max(cue.start, previous_end)
            end = max(cue.end, start + 0.001)
            previous_end = end
            yield Cue(start=start, end=end, lines=cue.lines)


def _segment_cues(segment: Segment) -> Iterator[Cue]:
    tokens = list(segment.words) or _interpolated_words(segment)
    lines = _wrap(tokens)
    for index in range(0, len(lines), MAX_CUE_LINES):
        group = lines[index : index + MAX_CUE_LINES]
        yield Cue(
            start=group[0][0].start,
            end=group[-1][-1].end,
            lines=tuple(" ".join(w.text for w in line) for line in group),
        )


def _interpolated_words(segment: Segment) -> list[Word]:
    """Words of a segment without word timings, timed in proportion to their characters."""
    texts = [piece for text in segment.text.split() for piece in _chunks(text)]
    total = sum(len(text) + 1 for text in texts) or 1
    span = segment.end - segment.start
    words: list[Word] = []
    offset = 0
    for text in texts:
        start = segment.start + span * offset / total
        offset += len(text) + 1
        words.append(Word(start=start, end=segment.start + span * offset / total, text=text,
                          probability=segment.confidence))  # fmt: skip
    return words


def _chunks(text: str) -> list[str]:
    """A token longer than a line, cut into line-sized pieces."""
    return [text[i : i + MAX_LINE_CHARS] for i in range(0, len(text), MAX_LINE_CHARS)]


def _wrap(words: list[Word]) -> list[list[Word]]:
    """Greedy line filling: each line holds at most MAX_LINE_CHARS characters."""
    lines: list[list[Word]] = []
    current: list[Word] = []
    width = 0
    for word in _split_long(words):
        added = len(word.text) + (1 if current else 0)
        if current and width + added > MAX_LINE_CHARS:
            lines.append(current)
            current, width = [], 0
            added = len(word.text)
        current.append(word)
        width += added
    if current:
        lines.append(current)
    return lines


def _split_long(words: list[Word]) -> Iterator[Word]:
    for word in words:
        if not word.text:
            continue
        pieces = _chunks(word.text)
        step = (word.end - word.start) / len(pieces)
        for i, piece in enumerate(pieces):
            yield Word(start=word.start + i * step, end=word.start + (i + 1) * step,
                       text=piece, probability=word.probability)  # fmt: skip
