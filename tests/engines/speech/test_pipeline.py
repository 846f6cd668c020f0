"""Speaker labelling of transcripts: per-word speakers, one-word flips, segment splits."""

from __future__ import annotations

from vidlens.engines.speech.diarization import SpeakerTurn
from vidlens.engines.speech.pipeline import _label_words, split_at_speaker_changes
from vidlens.engines.speech.types import Segment, TranscribeOptions, Transcript, Word


def _transcript(words: list[tuple[float, float, str]], language: str = "en") -> Transcript:
    timed = tuple(Word(start=a, end=b, text=t, probability=0.9) for a, b, t in words)
    segment = Segment(
        start=timed[0].start,
        end=timed[-1].end,
        text=" ".join(w.text for w in timed),
        confidence=0.8,
        no_speech_probability=0.0,
        words=timed,
    )
    return Transcript(language=language, language_probability=0.9, duration=10.0,
                      speech_duration=5.0, segments=(segment,), model="m", engine="e",
                      options=TranscribeOptions())  # fmt: skip


TURNS = [SpeakerTurn(0.0, 2.0, "SPEAKER_00"), SpeakerTurn(2.0, 5.0, "SPEAKER_01")]


def test_words_take_their_turns_speaker_and_segments_split() -> None:
    words = [(0.1, 0.5, "are"), (0.6, 1.0, "you"), (1.1, 1.8, "there?"),
             (2.2, 2.6, "yes,"), (2.7, 3.2, "I"), (3.3, 4.0, "am.")]  # fmt: skip
    labelled = split_at_speaker_changes(_label_words(_transcript(words), TURNS))
    assert [(s.speaker, s.text, s.start, s.end) for s in labelled.segments] == [
        ("SPEAKER_00", "are you there?", 0.1, 1.8),
        ("SPEAKER_01", "yes, I am.", 2.2, 4.0),
    ]
    assert all(w.speaker == s.speaker for s in labelled.segments for w in s.words)
    assert labelled.segments[0].confidence == 0.8


def test_a_lone_short_word_does_not_flip_speaker() -> None:
    turns = [*TURNS, SpeakerTurn(5.0, 9.0, "SPEAKER_00")]
    # "so" falls in SPEAKER_01's turn but is short and between two SPEAKER_00 words...
    words = [(1.5, 1.9, "well"), (2.0, 2.2, "so"), (5.1, 5.5, "then")]
    (segment,) = split_at_speaker_changes(_label_words(_transcript(words), turns)).segments
    assert segment.speaker == "SPEAKER_00"
    # ...while a long one is given to the other speaker.
    words = [(1.5, 1.9, "well"), (2.0, 4.9, "sooooo"), (5.1, 5.5, "then")]
    segments = split_at_speaker_changes(_label_words(_transcript(words), turns)).segments
    assert [s.speaker for s in segments] == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00"]


def test_languages_without_spaces_are_joined_without_them() -> None:
    words = [(0.1, 0.5, "你"), (0.6, 1.0, "好"), (2.2, 2.6, "是"), (2.7, 3.0, "的")]
    segments = split_at_speaker_changes(_label_words(_transcript(words, "zh"), TURNS)).segments
    assert [s.text for s in segments] == ["你好", "是的"]
