"""A talk with many fillers ("um ... uh ...", synthesised with espeak-ng) against the same
text without them, both under a black picture: fillers counted within ±1, lower clarity,
and a video with no face gives null face metrics with reasons and ``face_not_visible``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.coaching.conftest import Analyze
from vidlens.coaching.assemble import CoachingResult
from vidlens.coaching.evaluation import video_with_audio
from vidlens.engines.delivery.evaluation import (
    FILLER_TALK,
    FILLER_TALK_GAPS,
    espeak_available,
    expected_phrases,
    synthesise,
)

pytestmark = pytest.mark.media

_UM_UH = re.compile(r"\b(?:um|uh),?\s*", re.IGNORECASE)
CLEAN_TALK = tuple(_UM_UH.sub("", s) for s in FILLER_TALK)


def _talk(folder: Path, sentences: tuple[str, ...]) -> Path:
    talk = synthesise(sentences, FILLER_TALK_GAPS, folder / "talk.wav")
    return video_with_audio(talk.path, folder / "talk.mkv")  # PCM: see video_with_audio


@pytest.fixture(scope="module")
def talks(
    analyze: Analyze, tmp_path_factory: pytest.TempPathFactory
) -> tuple[CoachingResult, CoachingResult]:
    if not espeak_available():
        pytest.skip("needs espeak-ng (apt-get install espeak-ng) to synthesise speech")
    fillers = _talk(tmp_path_factory.mktemp("fillers"), FILLER_TALK)
    clean = _talk(tmp_path_factory.mktemp("clean"), CLEAN_TALK)
    return analyze(fillers), analyze(clean)


def test_the_scripts() -> None:
    assert len(expected_phrases(" ".join(FILLER_TALK))[0]) == 17  # 15 um/uh, "So", "Well,"
    assert expected_phrases(" ".join(CLEAN_TALK))[0] == ["so", "well"]


def test_filler_count_within_one(talks: tuple[CoachingResult, CoachingResult]) -> None:
    fillers, clean = talks
    assert abs(fillers.video_analysis["filler_word_count"] - 17) <= 1  # measured 17
    assert abs(clean.video_analysis["filler_word_count"] - 2) <= 1  # measured 2
    rate = fillers.engine_kpis["filler_rate"]
    assert rate["value"] > 15.0
    assert rate["in_range"] is False
    assert "excessive_fillers" in fillers.engine_analysis["governance"]["action_flags"]


def test_fillers_lower_clarity(talks: tuple[CoachingResult, CoachingResult]) -> None:
    fillers, clean = talks
    low = fillers.video_analysis["category_scores"]["clarity"]
    high = clean.video_analysis["category_scores"]["clarity"]
    assert low < high - 1.5, (low, high)  # measured 5.7 vs 8.9
    component = {c["name"]: c for c in fillers.video_analysis["evidence"]["clarity"]["components"]}[
        "filler_rate"
    ]
    assert component["component_score"] == 0.0  # above 8 a minute
    assert fillers.video_analysis["overall_score"] < clean.video_analysis["overall_score"]


def test_filler_moments_quote_the_words(talks: tuple[CoachingResult, CoachingResult]) -> None:
    fillers, clean = talks
    clusters = [m for m in fillers.video_analysis["labeled_moments"]
                if m["kind"] == "filler_cluster"]  # fmt: skip
    assert clusters
    assert all(re.search(r"\b(um|uh)\b", m["description"], re.IGNORECASE) for m in clusters)
    assert any(m["kind"] == "filler_cluster" for m in fillers.video_analysis["key_moments"])
    assert not [m for m in clean.video_analysis["labeled_moments"]
                if m["kind"] == "filler_cluster"]  # fmt: skip
    area = fillers.video_analysis["areas_for_improvement"][0]
    assert area.startswith("Reduce filler words:")
    assert "silent breath" in fillers.video_analysis["recommendation"]
    long_pauses = [
        m for m in fillers.video_analysis["labeled_moments"] if m["kind"] == "long_pause"
    ]
    assert len(long_pauses) == 1  # the 2.5 s gap inserted between the first two sentences
    found = re.match(
        r"(\d+\.\d) s of silence at 0:1\d after “.*milk\.”", long_pauses[0]["description"]
    )
    assert found, long_pauses[0]["description"]
    assert float(found.group(1)) == pytest.approx(2.5, abs=0.3)  # measured 2.7


def test_no_face_gives_null_face_metrics_with_reasons(
    talks: tuple[CoachingResult, CoachingResult],
) -> None:
    result, _ = talks
    measurements = result.video_analysis["measurements"]
    for name in ("eye_contact", "smile", "head_stability", "facial_expressiveness"):
        assert measurements[name]["value"] is None
        assert measurements[name]["unavailable"] == "no face was visible in any sample"
    governance = result.engine_analysis["governance"]
    assert "face_not_visible" in governance["action_flags"]
    flag = next(f for f in governance["flags"] if f["flag"] == "face_not_visible")
    assert flag["evidence"]["face_presence_ratio"] == 0.0
    assert result.engine_analysis["emotion"]["status"] == "unavailable"
    assert result.engine_analysis["emotion"]["overall"] is None
    # scores still come from the speech, with lower confidence where the face is missing
    confidence = result.video_analysis["evidence"]["likeability"]["confidence"]
    assert result.video_analysis["category_scores"]["likeability"] is not None
    assert confidence < result.video_analysis["evidence"]["clarity"]["confidence"]
    assert result.engine_analysis["triage"]["classification"] != "ready"
