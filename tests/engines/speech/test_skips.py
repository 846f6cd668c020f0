"""Speech the decoder skipped: the stretches the engine decodes a second time."""

from __future__ import annotations

from vidlens.engines.speech._skips import uncovered


def test_speech_covered_by_segments_leaves_nothing() -> None:
    speech = [(0.0, 10.0), (12.0, 20.0)]
    covered = [(0.2, 5.0), (5.0, 9.8), (12.1, 19.9)]
    assert uncovered(speech, covered) == []


def test_a_skipped_region_is_found_with_its_bounds() -> None:
    # The long-audio case: "stars" decoded, then 34 s of speech skipped, then JFK decoded.
    speech = [(2.2, 5.1), (5.6, 39.3), (39.7, 50.5)]
    covered = [(2.4, 4.9), (38.9, 49.9)]
    # The 0.2 s after "stars" joins the skip: 0.5 s of silence and nothing decoded between.
    assert uncovered(speech, covered) == [(4.9, 38.9)]


def test_short_leftovers_are_ignored_and_near_ones_joined() -> None:
    # 1.5 s alone is under the 2 s minimum; two 1.2 s stretches 0.5 s apart with nothing
    # decoded between them are one 2.9 s stretch.
    assert uncovered([(0.0, 1.5)], []) == []
    assert uncovered([(0.0, 1.2), (1.7, 2.9)], []) == [(0.0, 2.9)]


def test_stretches_are_not_joined_across_decoded_speech() -> None:
    speech = [(0.0, 10.0)]
    covered = [(2.5, 3.0)]
    # 0-2.5 and 3-10 are both uncovered, but 2.5-3 was decoded: decoding it again would
    # write its words twice.
    assert uncovered(speech, covered) == [(0.0, 2.5), (3.0, 10.0)]
    assert uncovered(speech, covered, join_seconds=5.0) == [(0.0, 2.5), (3.0, 10.0)]
