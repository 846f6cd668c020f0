"""``GET /v1/providers``: capabilities computed from the engines installed right now."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ClientFactory, make_key
from vidlens.config import Settings
from vidlens.engines.base import Availability
from vidlens.engines.speech.diarization import SpeakerDiarizer
from vidlens.engines.speech.settings import WhisperSettings

SettingsMaker = Callable[..., Settings]


@pytest.mark.usefixtures("speech_available")
def test_lists_the_local_provider_with_its_features(
    client_factory: ClientFactory, gateway_settings: SettingsMaker
) -> None:
    client = client_factory(gateway_settings(workers=0))
    assert client.get("/v1/providers").status_code == 401
    _, key = make_key(client)
    response = client.get("/v1/providers", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    (provider,) = response.json()["data"]
    assert provider["id"] == "vidlens-local"
    assert provider["type"] == "provider"
    features = provider["attributes"]["resources"]["transcriptions"]["features"]
    assert sorted(features) == ["diarization", "language_detection", "timestamps"]
    assert "transcriptions" not in provider["meta"]["unavailable"]
    # reframe_llm needs a chat endpoint in settings (issue 6): listed as unavailable
    assert [u["feature"] for u in provider["meta"]["unavailable"]["reframe"]] == ["reframe_llm"]
    assert provider["meta"]["models"]["speech_to_text"] == "bundled:whisper-base"


def test_a_missing_model_removes_its_features_and_refuses_jobs(
    client_factory: ClientFactory, gateway_settings: SettingsMaker, tmp_path: Path
) -> None:
    engines = {"whisper": WhisperSettings(model_dir=tmp_path / "no-such-model")}
    client = client_factory(gateway_settings(workers=0, engines=engines))
    _, key = make_key(client)
    headers = {"X-API-Key": key}
    (provider,) = client.get("/v1/providers", headers=headers).json()["data"]
    assert "transcriptions" not in provider["attributes"]["resources"]
    missing = provider["meta"]["unavailable"]["transcriptions"]
    assert {m["feature"] for m in missing} == {"diarization", "language_detection", "timestamps"}
    assert all(m["reason"] for m in missing)
    assert provider["meta"]["models"]["speech_to_text"] == "no-such-model"  # never the path
    created = client.post(
        "/v1/transcriptions",
        json={
            "data": {
                "type": "transcription-job",
                "attributes": {"input": {"type": "audio", "url": "http://127.0.0.1/a.wav"}},
            }
        },
        headers=headers,
    )
    assert created.status_code == 503, created.text
    assert created.json()["errors"][0]["code"] == "ENGINE_UNAVAILABLE"


@pytest.mark.usefixtures("speech_available")
def test_diarization_refused_when_the_speaker_encoder_is_missing(
    client_factory: ClientFactory,
    gateway_settings: SettingsMaker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        SpeakerDiarizer,
        "availability",
        lambda self: Availability.missing("resemblyzer is not installed", hint="pip install x"),
    )
    client = client_factory(gateway_settings(workers=0))
    _, key = make_key(client)
    headers = {"X-API-Key": key}
    (provider,) = client.get("/v1/providers", headers=headers).json()["data"]
    features = provider["attributes"]["resources"]["transcriptions"]["features"]
    assert "diarization" not in features
    assert provider["meta"]["unavailable"]["transcriptions"][0]["feature"] == "diarization"
    body = {
        "data": {
            "type": "transcription-job",
            "attributes": {
                "input": {"type": "audio", "url": "http://127.0.0.1/a.wav"},
                "options": {"diarization": True},
            },
        }
    }
    created = client.post("/v1/transcriptions", json=body, headers=headers)
    assert created.status_code == 422, created.text
    error = created.json()["errors"][0]
    assert error["code"] == "UNSUPPORTED_FEATURE"
    assert error["source"]["pointer"] == "/data/attributes/options/diarization"
    assert "resemblyzer" in error["detail"]
