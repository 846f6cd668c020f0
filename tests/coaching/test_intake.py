"""Form fields, limits and credits of the coaching routes (no engines needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.engines.face.factories import client_sample
from vidlens.coaching import intake
from vidlens.coaching.settings import CoachingSettings
from vidlens.config import MediaSettings
from vidlens.engines.face.errors import InvalidFaceSamples
from vidlens.engines.face.settings import FaceSettings
from vidlens.errors import InvalidInput


def test_form_fields() -> None:
    form = intake.parse_form(
        {"sessionId": "practice-42", "context_phrase": " job interview ", "transcript": " hi "}
    )
    assert form == intake.CoachingForm("practice-42", "hi", "job interview")
    assert intake.parse_form({"contextPhrase": "sales pitch"}).context_phrase == "sales pitch"
    same = intake.parse_form({"contextPhrase": "sales pitch", "context_phrase": "sales pitch"})
    assert same.context_phrase == "sales pitch"
    assert intake.parse_form({}) == intake.CoachingForm(None, None, None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"colour": "red"}, "Unknown form fields: colour."),
        ({"sessionId": "../etc"}, "sessionId must be"),
        ({"sessionId": "x" * 129}, "sessionId must be"),
        ({"contextPhrase": "a", "context_phrase": "b"}, "different values"),
        ({"contextPhrase": "x" * 501}, "longer than 500"),
        ({"transcript": "x" * 200_001}, "transcript is longer"),
    ],
)
def test_bad_form_fields(fields: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace(".", r"\.")):
        intake.parse_form(fields)


def test_limits_follow_the_contract_formats_and_durations() -> None:
    coaching = CoachingSettings()
    full = intake.media_limits(MediaSettings(), coaching, stateless=False)
    stateless = intake.media_limits(MediaSettings(), coaching, stateless=True)
    assert full.allowed_containers == frozenset({"mp4", "webm", "mov", "avi", "mkv"})
    assert full.require_video
    assert not full.require_audio
    assert full.max_duration_seconds == 1800.0
    assert stateless.max_duration_seconds == 600.0
    # the server-wide limit can only lower them
    tight = intake.media_limits(MediaSettings(max_duration_seconds=60), coaching, stateless=False)
    assert tight.max_duration_seconds == 60


def test_credits_are_whole_seconds_rounded_down() -> None:
    assert intake.credits_for(6.131) == 6
    assert intake.credits_for(0.04) == 0
    assert intake.credits_for(1800.0) == 1800


def test_face_samples_must_fit_the_video(tmp_path: Path) -> None:
    path = tmp_path / "samples.json"
    path.write_text(json.dumps([client_sample(0), client_sample(100), client_sample(200)]))
    samples = intake.read_face_samples(path, FaceSettings(), duration=5.0)
    assert [s.timestamp for s in samples] == [0.0, 0.1, 0.2]
    path.write_text(json.dumps([client_sample(0), client_sample(60_000)]))
    with pytest.raises(InvalidFaceSamples, match=r"runs to 60\.00 s but the video lasts 5\.00 s"):
        intake.read_face_samples(path, FaceSettings(), duration=5.0)
    path.write_text("[]")
    with pytest.raises(InvalidFaceSamples):
        intake.read_face_samples(path, FaceSettings(), duration=5.0)
    path.write_text(json.dumps([client_sample(0)]))
    with pytest.raises(InvalidFaceSamples, match="at most 1024 accepted"):
        intake.read_face_samples(path, FaceSettings(max_samples_json_bytes=1024), duration=5.0)
