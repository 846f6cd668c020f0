"""Filler words, hedges, repetitions and self-corrections on hand-built transcripts."""

from __future__ import annotations

import pytest

from tests.engines.delivery.helpers import spaced, transcript
from vidlens.engines.delivery import DeliveryOptions, measure_delivery
from vidlens.engines.delivery.disfluency import find_repetitions, find_self_corrections
from vidlens.engines.delivery.lexicons import ENGLISH, GERMAN
from vidlens.engines.delivery.tokens import align, normalise_word, tokens_from_text
from vidlens.engines.delivery.vocabulary import measure_vocabulary


def measure_text(text: str, language: str = "en") -> object:
    words = spaced(text)
    return measure_delivery(transcript(words, words[-1][2] + 1.0, language), None)


def test_english_fillers_follow_the_documented_rules() -> None:
    text = (
        "Um, so I think we should, like, go. I like pizza. You know, it was kind of late, "
        "and what kind of car is it? So much to do. Well, uh, actually the the plan works."
    )
    report = measure_delivery(transcript(spaced(text), 40.0), None)
    assert report.fillers is not None
    kinds = [(h.kind, h.rule) for h in report.fillers.items]
    assert kinds == [
        ("um", "always"),
        ("like", "break"),  # ", like," (not "I like pizza")
        ("you know", "break"),
        ("kind of", "not_after_determiner"),  # not "what kind of car"
        ("well", "sentence_start_break"),
        ("uh", "always"),
        ("actually", "always"),
    ]  # "so" after "Um," is not sentence-initial; "So much" is literal
    assert report.fillers.count == 7
    assert report.fillers.by_kind["um"] == 1
    assert report.hedges is not None
    assert [h.kind for h in report.hedges.items] == ["i think", "kind of"]
    assert report.disfluencies is not None
    assert [(r.phrase, r.repeats) for r in report.disfluencies.repetitions] == [("the", 1)]


def test_filler_positions_and_rate() -> None:
    words = spaced("So um we start now")  # 5 words of 0.4 s, 0.1 s apart: span 2.4 s
    report = measure_delivery(transcript(words, 3.0), None)
    assert report.fillers is not None
    assert [(h.kind, h.start, h.end) for h in report.fillers.items] == [
        ("so", 0.0, 0.4),
        ("um", 0.5, 0.9),
    ]
    assert report.fillers.per_minute == pytest.approx(2 / (2.4 / 60), abs=1e-3)


def test_pause_around_like_makes_it_a_filler() -> None:
    words = [("it", 0.0, 0.2), ("was", 0.25, 0.5), ("like", 0.55, 0.8), ("great", 0.85, 1.1)]
    report = measure_delivery(transcript(words, 2.0), None)
    assert report.fillers is not None
    assert [h.kind for h in report.fillers.items] == []  # "was like": quotative, blocked
    words = [("it", 0.0, 0.2), ("seemed", 0.25, 0.5), ("big", 0.55, 0.8), ("like", 1.3, 1.5),
             ("huge", 1.55, 1.8)]  # fmt: skip
    report = measure_delivery(transcript(words, 2.0), None)
    assert report.fillers is not None
    assert [(h.kind, h.rule) for h in report.fillers.items] == [("like", "break")]


@pytest.mark.parametrize(
    ("language", "text", "fillers", "hedges"),
    [
        ("fr", "Euh, en fait, je pense que c'est bien, quoi.", ["euh", "en fait", "quoi"],
         ["je pense"]),
        ("de", "Also, äh, ich glaube, das ist halt so.", ["also", "äh", "halt"],
         ["ich glaube"]),
        ("es", "Pues, eh, o sea, creo que sí.", ["pues", "eh", "o sea"], ["creo que"]),
    ],
)  # fmt: skip
def test_multilingual_lists(
    language: str, text: str, fillers: list[str], hedges: list[str]
) -> None:
    words = spaced(text)
    report = measure_delivery(transcript(words, 10.0, language), None)
    assert report.fillers is not None
    assert report.hedges is not None
    assert [h.kind for h in report.fillers.items] == fillers
    assert [h.kind for h in report.hedges.items] == hedges
    assert report.sentiment is None
    assert "English-only" in report.unavailable["sentiment"]


def test_unknown_language_falls_back_to_english_with_a_note() -> None:
    words = spaced("um this is fine")
    report = measure_delivery(transcript(words, 3.0, "nl"), None)
    assert report.fillers is not None
    assert report.fillers.count == 1
    assert any("English lists" in note for note in report.notes)


def test_self_correction_with_an_editing_term() -> None:
    tokens = tokens_from_text("We went, I mean, we drove to the shop.")
    (found,) = find_self_corrections(tokens, ENGLISH)
    assert (found.reparandum, found.editing_term, found.repair) == (
        "We went,",
        "i mean",
        "we drove",
    )
    assert found.text == "We went, I mean, we drove"


def test_restart_after_a_hesitation_is_a_self_correction_but_a_list_is_not() -> None:
    (found,) = find_self_corrections(tokens_from_text("We went uh we drove home."), ENGLISH)
    assert (found.reparandum, found.editing_term, found.repair) == ("We went", "uh", "we drove")
    assert find_self_corrections(tokens_from_text("The cat, the dog and the bird."), ENGLISH) == []
    assert find_self_corrections(tokens_from_text("I think, um, we should go."), ENGLISH) == []


def test_repetitions() -> None:
    text = "I I I think that, um, that it is, it is dr- driving"
    found = find_repetitions(tokens_from_text(text), ENGLISH)
    phrases = [(r.phrase, r.repeats) for r in found]
    assert ("i", 2) in phrases
    assert ("it is", 1) in phrases
    assert ("dr", 1) in phrases  # a broken-off word restarted
    assert all(p != "that" for p, _ in phrases)  # "that that" can be grammatical
    assert find_repetitions(tokens_from_text("ich ich meine, äh, ich"), GERMAN)[0].repeats == 1


def test_repetition_does_not_cross_a_sentence_end() -> None:
    assert find_repetitions(tokens_from_text("Let us go. Go now."), ENGLISH) == []


def test_vocabulary_ttr_and_mattr_exact() -> None:
    result = measure_vocabulary(["a", "b", "a", "b", "c"], window=3)
    assert result is not None
    assert result.type_token_ratio == pytest.approx(3 / 5, abs=1e-4)
    assert result.mattr == pytest.approx((2 / 3 + 2 / 3 + 1) / 3, abs=1e-4)
    short = measure_vocabulary(["a", "b", "a"], window=50)
    assert short is not None
    assert short.mattr == short.type_token_ratio


def test_vocabulary_leaves_fillers_out() -> None:
    report = measure_delivery(transcript(spaced("um the cat um the dog"), 5.0), None)
    assert report.vocabulary is not None
    assert (report.vocabulary.token_count, report.vocabulary.type_count) == (4, 3)


def test_sentiment_english() -> None:
    words = spaced("I love this wonderful team. The results were terrible and sad.")
    report = measure_delivery(transcript(words, 10.0), None)
    assert report.sentiment is not None
    first, second = report.sentiment.sentences
    assert first.compound > 0.5
    assert second.compound < -0.5
    assert (first.start, second.end) == (words[0][1], words[-1][2])
    assert report.sentiment.positive_sentences == 1
    assert report.sentiment.negative_sentences == 1


def test_normalise_word() -> None:
    assert normalise_word("Americans,") == "americans"
    assert normalise_word("I\u2019m") == "i'm"
    assert normalise_word("peut-être") == "peutêtre"
    assert normalise_word("1,000") == "1000"


def test_alignment_of_a_supplied_transcript() -> None:
    recognised = measure_delivery(transcript(spaced("um we went to the shop today"), 5.0), None)
    assert recognised.pace is not None
    words = spaced("um we went to the shop today")
    supplied = "Um, we walked to the shop today."
    report = measure_delivery(transcript(words, 5.0), None, supplied_text=supplied)
    assert report.transcript_source == "supplied"
    assert report.alignment is not None
    assert report.alignment.timed
    assert report.alignment.matched_word_count == 6
    assert [w.timing for w in report.words] == ["aligned", "aligned", "interpolated"] + [
        "aligned"
    ] * 4
    assert report.words[2].start == words[2][1]  # "walked" takes "went"'s time
    assert report.fillers is not None
    assert report.fillers.items[0].start == 0.0


def test_supplied_transcript_that_does_not_match_the_audio() -> None:
    words = spaced("we went to the shop today")
    report = measure_delivery(
        transcript(words, 5.0), None, supplied_text="Completely different words, um, here."
    )
    assert report.alignment is not None
    assert not report.alignment.timed
    assert "not matching the audio" in report.alignment.note
    assert all(w.start is None for w in report.words)
    assert report.fillers is not None
    assert report.fillers.count == 1
    assert report.fillers.items[0].start is None
    assert report.pauses is None
    assert "not matching" in report.unavailable["pauses"]
    assert report.pace is not None
    assert report.pace.words_per_minute is None
    assert report.pace.words_per_minute_total == pytest.approx(5 / (5.0 / 60))
    assert report.windows[0].filler_count is None  # cannot be placed in time


def test_supplied_text_without_recognised_words() -> None:
    report = measure_delivery(None, None, supplied_text="Um, hello there.")
    assert report.alignment is not None
    assert not report.alignment.timed
    assert report.fillers is not None
    assert report.fillers.count == 1


def test_align_matches_in_order() -> None:
    recognised = tokens_from_text("a b c d")
    timed = tuple(t.__class__(**{**{f: getattr(t, f) for f in t.__slots__},
                                 "start": float(i), "end": i + 0.5, "timing": "recognised"})
                  for i, t in enumerate(recognised))  # fmt: skip
    tokens, alignment = align(tokens_from_text("a x c d e"), timed, 0.5)
    assert alignment.matched_word_count == 3
    assert [t.start for t in tokens[:4]] == [0.0, 1.0, 2.0, 3.0]
    assert tokens[4].timing == "interpolated"
    assert DeliveryOptions().min_alignment_fraction == 0.5
