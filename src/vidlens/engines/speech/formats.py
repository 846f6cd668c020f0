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
    speaker: str | None = None


def to_json(transcript: Transcript) -> dict[str, Any]:
    """A JSON-able dict: language, duration and segments (start, end, text, speaker,
    speaker_id, confidence, words), times in seconds.

    ``speaker`` is the diarizer's label (``SPEAKER_00``), ``speaker_id`` its index among the
    transcript's speakers in order of first appearance (the gateway contract's integer id);
    both are ``null`` without diarization. Words carry ``speaker`` only when labelled."""
    ids = speaker_ids(transcript)
    return {
        "language": transcript.language,
        "language_probability": transcript.language_probability,
        "duration": round(transcript.duration, 3),
        "model": transcript.model,
        "engine": transcript.engine,
        "text": transcript.text,
        "no_speech_reason": transcript.no_speech_reason,
        "speakers": list(ids),
        "segments": [_segment_json(segment, ids) for segment in transcript.segments],
    }


def speaker_ids(transcript: Transcript) -> dict[str, int]:
    """Speaker label → integer id, numbered from 0 in order of first appearance."""
    ids: dict[str, int] = {}
    for segment in transcript.segments:
        for label in (*(word.speaker for word in segment.words), segment.speaker):
            if label is not None and label not in ids:
                ids[label] = len(ids)
    return ids


def _segment_json(segment: Segment, ids: dict[str, int]) -> dict[str, Any]:
    return {
        "start": segment.start,
        "end": segment.end,
        "text": segment.text,
        "speaker": segment.speaker,
        "speaker_id": ids.get(segment.speaker) if segment.speaker is not None else None,
        "confidence": segment.confidence,
        "words": [_word_json(word) for word in segment.words],
    }


def _word_json(word: Word) -> dict[str, Any]:
    body: dict[str, Any] = {
        "start": word.start,
        "end": word.end,
        "text": word.text,
        "probability": word.probability,
    }
    if word.speaker is not None:
        body["speaker"] = word.speaker
    return body


def to_text(transcript: Transcript) -> str:
    """Plain text: one segment per line, or one line per speaker turn inside a segment when
    its words carry speakers (each prefixed by its speaker when known)."""
    lines: list[str] = []
    for segment in transcript.segments:
        if not segment.text:
            continue
        if not any(word.speaker for word in segment.words):
            lines.append(f"{segment.speaker}: {segment.text}" if segment.speaker else segment.text)
            continue
        for speaker, run in _speaker_runs(segment):
            text = " ".join(word.text for word in run if word.text)
            lines.append(f"{speaker}: {text}" if speaker else text)
    return "\n".join(lines) + ("\n" if lines else "")


def to_srt(transcript: Transcript) -> str:
    """SubRip: numbered cues, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``, a blank line after each.

    With diarization, a cue whose speaker differs from the previous cue's starts with
    ``[SPEAKER_00]``; the label counts towards the line length."""
    blocks = [
        f"{number}\n{_timestamp(cue.start, ',')} --> {_timestamp(cue.end, ',')}\n"
        + "\n".join(cue.lines)
        for number, cue in enumerate(cues(transcript, label_speakers=True), start=1)
    ]
    return "".join(block + "\n\n" for block in blocks)


def to_vtt(transcript: Transcript) -> str:
    """WebVTT: the ``WEBVTT`` header, then ``HH:MM:SS.mmm --> HH:MM:SS.mmm`` cues.

    With diarization, each cue's text is wrapped in a voice span (``<v SPEAKER_00>...``),
    the WebVTT way of naming a speaker; players do not display the tag."""
    blocks = [
        f"{_timestamp(cue.start, '.')} --> {_timestamp(cue.end, '.')}\n"
        + "\n".join(_voice(cue.speaker, line) for line in cue.lines)
        for cue in cues(transcript)
    ]
    return "WEBVTT\n\n" + "".join(block + "\n\n" for block in blocks)


def _voice(speaker: str | None, line: str) -> str:
    if speaker is None:
        return line
    name = speaker.replace(">", "").replace("&", "").replace("<", "").strip()
    return f"<v {name}>{line}</v>" if name else line


def _timestamp(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def cues(transcript: Transcript, *, label_speakers: bool = False) -> Iterator[Cue]:
    """The subtitle cues of a transcript, in time order, never overlapping.

    A segment is cut into cues at speaker changes of its words as well as at line limits.
    ``label_speakers`` writes ``[label]`` before the text of each cue that starts a new
    speaker's turn (for formats without a speaker markup, such as SRT)."""
    previous_end = 0.0
    previous_speaker: str | None = None
    for segment in transcript.segments:
        for run_speaker, run in _speaker_runs(segment):
            prefix = None
            if label_speakers and run_speaker is not None and run_speaker != previous_speaker:
                prefix = f"[{run_speaker}]"
            if run_speaker is not None:
                previous_speaker = run_speaker
            for cue in _run_cues(run, run_speaker, prefix):
                prefix = None
                start = max(cue.start, previous_end)
                end = max(cue.end, start + 0.001)
                previous_end = end
                yield Cue(start=start, end=end, lines=cue.lines, speaker=cue.speaker)


def _speaker_runs(segment: Segment) -> Iterator[tuple[str | None, list[Word]]]:
    """The segment's words in runs of one speaker (a word without a label takes the
    segment's)."""
    tokens = list(segment.words) or _interpolated_words(segment)
    run: list[Word] = []
    current: str | None = None
    for word in tokens:
        speaker = word.speaker or segment.speaker
        if run and speaker != current:
            yield current, run
            run = []
        current = speaker
        run.append(word)
    if run:
        yield current, run


def _run_cues(tokens: list[Word], speaker: str | None, prefix: str | None) -> Iterator[Cue]:
    if prefix is not None and tokens:
        label = Word(start=tokens[0].start, end=tokens[0].start, text=prefix, probability=1.0)
        tokens = [label, *tokens]
    lines = _wrap(tokens)
    for index in range(0, len(lines), MAX_CUE_LINES):
        group = lines[index : index + MAX_CUE_LINES]
        yield Cue(
            start=group[0][0].start,
            end=group[-1][-1].end,
            lines=tuple(" ".join(w.text for w in line) for line in group),
            speaker=speaker,
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
