"""Bad input through the real analysis: silence under a black picture, a 1-frame video
without audio, and a supplied transcript that does not match the audio."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.coaching.conftest import Analyze
from tests.conftest import media_file
from vidlens.coaching.evaluation import one_frame_video, silent_black_video

pytestmark = pytest.mark.media


def test_silence_under_a_black_picture(analyze: Analyze, tmp_path: Path) -> None:
    result = analyze(silent_black_video(tmp_path / "silent.mp4", seconds=4))
    analysis = result.video_analysis
    assert analysis["overall_score"] is None
    assert set(analysis["category_scores"].values()) == {None}
    assert analysis["filler_word_count"] is None  # not 0: nothing was measured
    assert analysis["speaking_pace_wpm"] is None
    assert result.transcript is None
    governance = result.engine_analysis["governance"]
    assert {"face_not_visible", "no_speech_detected", "low_audio_quality"} <= set(
        governance["action_flags"]
    )
    assert result.engine_analysis["triage"]["classification"] == "insufficient_data"
    assert result.engine_analysis["triage"]["rule_id"] == "no_scores"
    assert analysis["recommendation"] == governance["recommended_actions"][0]
    assert analysis["strengths"] == []
    assert analysis["areas_for_improvement"] == []
    assert all(k["value"] is None for k in result.engine_kpis.values())
    assert "No speech was recognised" in analysis["session_summary"]


def test_one_frame_video_with_a_supplied_transcript(analyze: Analyze, tmp_path: Path) -> None:
    video = one_frame_video(media_file("talking/videoretalking_face1.mp4"), tmp_path / "one.mp4")
    result = analyze(video, transcript="Hello everyone, um, this is my talk.")
    face = result.engine_analysis["face"]
    assert face["sample_count"] == 1
    assert face["samples_with_face"] == 1
    analysis = result.video_analysis
    assert analysis["transcript_source"] == "supplied_untimed"
    assert any("no usable audio" in note for note in analysis["notes"])
    assert analysis["filler_word_count"] == 1  # the supplied "um"
    assert analysis["speaking_pace_wpm"] is None  # no audio: no pace
    assert result.transcript == "Hello everyone, um, this is my talk."
    engine = result.engine_analysis
    assert "short_recording" in engine["governance"]["action_flags"]
    assert engine["triage"]["classification"] == "insufficient_data"
    assert engine["triage"]["rule_id"] == "low_confidence"
    assert analysis["evidence"]["overall_score"]["confidence"] < 0.01


def test_a_transcript_that_does_not_match_the_audio(analyze: Analyze) -> None:
    supplied = "The quick brown fox jumps over the lazy dog, um, twice, and then naps."
    result = analyze(media_file("talking/videoretalking_face2.mp4"), transcript=supplied)
    analysis = result.video_analysis
    assert analysis["transcript_source"] == "recognised"  # ours was measured instead
    assert result.transcript is not None
    assert "California" in result.transcript
    assert analysis["filler_word_count"] == 0  # not the supplied "um"
    flags = result.engine_analysis["governance"]["flags"]
    mismatch = next(f for f in flags if f["flag"] == "transcript_mismatch")
    assert mismatch["evidence"]["matched_fraction"] < 0.5
    assert mismatch["evidence"]["supplied_words"] == len(supplied.split())
    assert any("the supplied transcript was not used" in n for n in analysis["notes"])
