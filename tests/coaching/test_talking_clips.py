"""Coaching on the real talking-head clips of ../shared/media/talking (one frontal speaker
talking throughout, audio in sync: the only ground truth they carry)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.coaching.conftest import Analyze
from tests.conftest import media_file
from vidlens.coaching.assemble import CoachingResult
from vidlens.coaching.emotion import EMOTION_LIMITS
from vidlens.coaching.engine_analysis import TRIAGE_RULES
from vidlens.coaching.profiles import CATEGORIES
from vidlens.config import Settings

pytestmark = pytest.mark.media

SADTALKER = "talking/sadtalker_WDA_AlexandriaOcasioCortez_000.mp4"  # 8.06 s
FACE1 = "talking/videoretalking_face1.mp4"  # 6.13 s, fast speaker


@pytest.fixture(scope="module")
def sadtalker(analyze: Analyze) -> CoachingResult:
    settings = Settings(coaching={"emotion_method": "both"})
    return analyze(media_file(SADTALKER), settings, context="presentation rehearsal")


@pytest.fixture(scope="module")
def interview(analyze: Analyze) -> CoachingResult:
    return analyze(media_file(FACE1), context="job interview practice")


def _recomputed(category: dict[str, Any]) -> float:
    measured = [c for c in category["components"] if c["component_score"] is not None]
    total = sum(c["weight"] for c in measured)
    return float(10 * sum(c["weight"] * c["component_score"] for c in measured) / total)


def test_real_face_found_with_contact_and_smile_in_range(sadtalker: CoachingResult) -> None:
    face = sadtalker.engine_analysis["face"]
    assert face["source"] == "video"
    assert face["face_presence_ratio"] >= 0.95  # truth: the speaker is on screen throughout
    assert face["sample_count"] >= 75  # 10 a second over 8 s
    measurements = sadtalker.video_analysis["measurements"]
    assert 0.8 <= measurements["eye_contact"]["value"] <= 1.0  # speaking to the camera
    assert 0.0 <= measurements["smile"]["value"] <= 0.2  # measured 0.01: a serious address
    assert "face_not_visible" not in sadtalker.engine_analysis["governance"]["action_flags"]


def test_pace_agrees_with_words_over_duration(sadtalker: CoachingResult) -> None:
    words = len((sadtalker.transcript or "").split())
    assert words >= 12  # measured 18
    by_clock = words / 8.064 * 60  # words over the whole clip, silence included: a floor
    wpm = sadtalker.video_analysis["speaking_pace_wpm"]
    assert by_clock * 0.95 <= wpm <= by_clock * 1.4  # measured 135 vs 134
    kpis = sadtalker.engine_kpis
    assert set(kpis) == {"speaking_pace", "filler_rate", "pause_ratio", "lexical_variety",
                         "sentiment"}  # fmt: skip
    assert kpis["speaking_pace"]["value"] == pytest.approx(wpm, abs=0.5)
    assert kpis["speaking_pace"]["normal_range"] == {"low": 120.0, "high": 160.0}
    assert all(k["unit"] for k in kpis.values())


def test_every_score_is_traceable_to_its_evidence(sadtalker: CoachingResult) -> None:
    analysis = sadtalker.video_analysis
    evidence = analysis["evidence"]
    for name in CATEGORIES:
        score = analysis["category_scores"][name]
        assert score is not None
        assert 0.0 <= score <= 10.0
        assert score == pytest.approx(_recomputed(evidence[name]), abs=0.06)
        assert 0.0 < evidence[name]["confidence"] <= 0.3  # 8 s of 30 for full confidence
    weights = evidence["overall_score"]["category_weights"]
    assert weights == {
        "likeability": 0.15,
        "authenticity": 0.2,
        "clarity": 0.35,
        "confidence": 0.3,
    }  # fmt: skip  (the presentation profile)
    expected = 10 * sum(weights[n] * analysis["category_scores"][n] for n in CATEGORIES)
    assert analysis["overall_score"] == pytest.approx(expected, abs=1.0)
    assert analysis["context"]["profile"]["key"] == "presentation"


def test_texts_quote_this_video(sadtalker: CoachingResult) -> None:
    analysis = sadtalker.video_analysis
    transcript = sadtalker.transcript or ""
    first_words = " ".join(transcript.split()[:3])
    assert first_words in analysis["session_summary"]
    assert f"{analysis['speaking_pace_wpm']} words per minute" in analysis["session_summary"]
    for sentence in analysis["strengths"] + analysis["areas_for_improvement"]:
        assert any(ch.isdigit() for ch in sentence) or sentence.startswith("No "), sentence
    assert analysis["recommendation"]
    assert analysis["detailed_feedback"].startswith("Clarity")  # heaviest in a presentation
    series = analysis["time_series_scores"]
    assert len(series) == 1
    assert series[0]["start"] == 0.0
    assert series[0]["end"] == pytest.approx(8.0, abs=0.1)
    assert series[0]["measurements"]["eye_contact"] >= 0.8


def test_engine_analysis(sadtalker: CoachingResult) -> None:
    engine = sadtalker.engine_analysis
    triage = engine["triage"]
    assert (triage["classification"], triage["rule_id"]) in {(c, r) for c, r, _ in TRIAGE_RULES}
    assert "short_recording" in engine["governance"]["action_flags"]  # 8 s
    assert triage["classification"] != "ready"  # never ready with an action flag
    emotion = engine["emotion"]
    assert emotion["enabled"]
    assert emotion["status"] == "measured"
    assert emotion["method"] == "blendshape-heuristic-v1"
    assert emotion["overall"]["dominant"] == "neutral"  # measured 95 %
    assert 0.5 <= emotion["overall"]["confidence"] <= 1.0
    assert sum(emotion["overall"]["distribution"].values()) == pytest.approx(1.0, abs=0.01)
    model = emotion["model"]  # emotion_method "both": the 7-class model alongside
    assert model["method"].startswith("fer-emotion-tflite:")
    assert set(model["overall"]["distribution"]) == {
        "angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"
    }  # fmt: skip
    assert sum(model["overall"]["distribution"].values()) == pytest.approx(1.0, abs=0.02)
    assert 0.0 <= emotion["agreement"] <= 1.0
    # the model flips labels far more often on a talking face (measured 4.75/s vs 0.25/s)
    assert model["label_changes_per_second"] > emotion["label_changes_per_second"]
    assert emotion["limits"] == EMOTION_LIMITS
    assert EMOTION_LIMITS in engine["interpretation"]


def test_fast_interview_answer(interview: CoachingResult) -> None:
    analysis = interview.video_analysis
    assert analysis["context"]["profile"]["key"] == "job_interview"
    wpm = analysis["speaking_pace_wpm"]
    flags = interview.engine_analysis["governance"]["action_flags"]
    assert ("very_fast_pace" in flags) == (wpm > 200)  # measured 241: 18 words in 4.5 s
    if wpm > 200:
        assert any(f"{wpm} words per minute" in a for a in analysis["areas_for_improvement"])
        assert "Rehearse at about 140 words per minute" in analysis["recommendation"]
    assert analysis["filler_word_count"] == 0
    assert interview.engine_kpis["filler_rate"]["value"] == 0.0
