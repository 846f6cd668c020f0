"""``/v1/video-analyses``: JSON:API errors for malformed envelopes, provider choice, missing
engines, tenancy, and failed jobs for unreadable inputs."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ClientFactory, make_key
from tests.gateway.conftest import MediaServer
from tests.webhooks.webhook_testing import poll_until
from vidlens.config import EngineSettings, Settings
from vidlens.engines.base import Availability
from vidlens.engines.moderation.nudity import NUDENET
from vidlens.engines.packaged import locate
from vidlens.engines.scenes.engine import SceneDetector
from vidlens.engines.vision.labels import LabelSettings

SettingsMaker = Callable[..., Settings]
URL = "http://127.0.0.1:9/v.mp4"


def _body(features: Any, url: str = URL, **extra: Any) -> dict[str, Any]:
    attributes: dict[str, Any] = {"input": {"url": url, "features": features}, **extra}
    return {"data": {"type": "video-analysis-job", "attributes": attributes}}


@pytest.fixture
def idle(
    client_factory: ClientFactory, gateway_settings: SettingsMaker
) -> tuple[TestClient, dict[str, str]]:
    client = client_factory(gateway_settings(workers=0))
    _, key = make_key(client)
    return client, {"Authorization": f"Bearer {key}"}


def _error(client: TestClient, headers: dict[str, str], body: Any, status: int = 422) -> Any:
    response = client.post("/v1/video-analyses", json=body, headers=headers)
    assert response.status_code == status, response.text
    document = response.json()
    assert document["error"]["code"] == document["errors"][0]["code"]
    return document["errors"][0]


def test_malformed_envelopes_answer_jsonapi_errors(idle: tuple[TestClient, dict[str, str]]) -> None:
    client, headers = idle
    wrong = _body(["ocr"])
    wrong["data"]["type"] = "transcription-job"
    assert _error(client, headers, wrong)["source"]["pointer"] == "/data/type"
    assert _error(client, headers, _body([]))["source"]["pointer"] == (
        "/data/attributes/input/features"
    )
    unknown = _error(client, headers, _body(["ocr", "telepathy"]))
    assert unknown["source"]["pointer"] == "/data/attributes/input/features/1"
    assert "ocr" in unknown["detail"]  # lists the allowed values
    twice = _error(client, headers, _body(["ocr", "ocr"]))
    assert twice["code"] == "VALIDATION_ERROR"
    refused = _error(client, headers, _body(["ocr"], url="http://10.1.2.3/v.mp4"))
    assert refused["code"] == "URL_REFUSED"
    assert _error(client, headers, _body(["ocr"], url="ftp://x/v.mp4"))["code"] == "URL_REFUSED"
    language = _error(client, headers, _body(["ocr"], options={"language": "english!"}))
    assert language["source"]["pointer"] == "/data/attributes/options/language"
    unknown_speech = _error(client, headers, _body(["speech_to_text"], options={"language": "tlh"}))
    assert unknown_speech["source"]["pointer"] == "/data/attributes/options/language"
    threshold = _error(client, headers, _body(["ocr"], options={"confidence_threshold": 1.5}))
    assert threshold["source"]["pointer"] == "/data/attributes/options/confidence_threshold"
    typo = _error(client, headers, _body(["ocr"], optoins={}))
    assert typo["source"]["pointer"] == "/data/attributes/optoins"
    provider = _error(client, headers, _body(["ocr"], provider="twelvelabs"))
    assert provider["code"] == "UNSUPPORTED_PROVIDER"
    assert "vidlens-local" in provider["detail"]
    not_json = client.post(
        "/v1/video-analyses",
        content=b"{nope",
        headers={**headers, "content-type": "application/json"},
    )
    assert not_json.status_code == 400
    assert not_json.json()["errors"][0]["code"] == "INVALID_JSON"
    assert _error(client, headers, ["not", "an", "object"])["code"] == "VALIDATION_ERROR"


def test_unsupported_features_are_named(
    idle: tuple[TestClient, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # without PyAV the shot detector cannot run, and faces (cut at shots) neither
    monkeypatch.setattr(
        SceneDetector,
        "availability",
        lambda self: Availability.missing("PyAV is not installed", hint="pip install av"),
    )
    client, headers = idle
    error = _error(client, headers, _body(["ocr", "labels", "scenes"]))
    assert error["code"] == "UNSUPPORTED_FEATURE"
    assert "labels" in error["detail"]
    assert "scenes" in error["detail"]
    assert "ocr (" not in error["detail"]  # ocr is supported: only the others are named
    assert "PyAV is not installed" in error["detail"]
    asked = _error(client, headers, _body(["faces"], provider="vidlens-local"))
    assert "faces" in asked["detail"]


def test_foreign_and_missing_ids_and_result_not_ready(
    client_factory: ClientFactory, gateway_settings: SettingsMaker, media_server: MediaServer
) -> None:
    client = client_factory(gateway_settings(workers=0))
    _, key = make_key(client, "acme")
    _, other = make_key(client, "globex")
    mine = {"X-API-Key": key}
    created = client.post(
        "/v1/video-analyses", json=_body(["ocr"], media_server.url("silent.mp4")), headers=mine
    )
    assert created.status_code == 202, created.text
    job_id = created.json()["data"]["id"]
    not_ready = client.get(f"/v1/video-analyses/{job_id}/result", headers=mine)
    assert not_ready.status_code == 404
    assert not_ready.json()["errors"][0]["code"] == "RESULT_NOT_READY"
    foreign = client.get(f"/v1/video-analyses/{job_id}", headers={"X-API-Key": other})
    missing = client.get("/v1/video-analyses/00000000-0000-0000-0000-000000000000", headers=mine)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    transcription = client.get(f"/v1/transcriptions/{job_id}", headers=mine)
    assert transcription.status_code == 404  # a video analysis is not a transcription


def _finish(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    created = client.post("/v1/video-analyses", json=body, headers=headers)
    assert created.status_code == 202, created.text
    job_id = created.json()["data"]["id"]
    done: dict[str, Any] = poll_until(
        lambda: client.get(f"/v1/video-analyses/{job_id}", headers=headers).json(),
        lambda d: d["data"]["attributes"]["status"] in {"completed", "failed"},
        timeout=60,
        what="analysis finished",
    )["data"]["attributes"]
    return done


@pytest.mark.media
def test_unreadable_inputs_fail_with_a_reason(
    client_factory: ClientFactory, gateway_settings: SettingsMaker, media_server: MediaServer
) -> None:
    client = client_factory(gateway_settings())
    _, key = make_key(client)
    headers = {"X-API-Key": key}
    garbage = _finish(client, headers, _body(["ocr"], media_server.url("garbage.mp4")))
    assert garbage["status"] == "failed"
    assert garbage["error"]["code"] == "VIDEO_UNREADABLE"
    audio = _finish(client, headers, _body(["ocr"], media_server.url("jfk.wav")))
    assert audio["error"]["code"] == "VIDEO_UNREADABLE"
    assert "no video stream" in audio["error"]["message"]
    gone = _finish(client, headers, _body(["ocr"], media_server.url("missing.mp4")))
    assert gone["error"]["code"] == "URL_FETCH_FAILED"
    # a video without audio: speech is empty with a reason, OCR still runs
    silent = _finish(
        client, headers, _body(["speech_to_text", "ocr"], media_server.url("silent.mp4"))
    )
    assert silent["status"] == "completed", silent
    assert silent["result"]["speech_to_text"] == []
    assert silent["result"]["warnings"][0]["feature"] == "speech_to_text"
    assert client.get("/api/media", headers=headers).json()["data"] == []  # inputs not kept


def test_missing_moderation_model_is_reported(
    client_factory: ClientFactory,
    gateway_settings: SettingsMaker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = importlib.metadata.distribution

    def without_nudenet(name: str) -> importlib.metadata.Distribution:
        if name == "nudenet":  # as after set-up with VIDLENS_WITHOUT_AGPL=1
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(importlib.metadata, "distribution", without_nudenet)
    client = client_factory(gateway_settings(workers=0))
    _, key = make_key(client)
    headers = {"X-API-Key": key}
    (local,) = client.get("/v1/providers", headers=headers).json()["data"]
    assert (
        "content_moderation" not in local["attributes"]["resources"]["video-analyses"]["features"]
    )
    assert local["meta"]["content_moderation"]["detectable_labels"] == []
    assert "explicit_nudity" in local["meta"]["content_moderation"]["undetectable_labels"]
    missing = {m["feature"]: m for m in local["meta"]["unavailable"]["video-analyses"]}
    assert "nudenet" in missing["content_moderation"]["reason"]
    assert "AGPL" in missing["content_moderation"]["hint"]
    error = _error(client, headers, _body(["content_moderation"]))
    assert error["code"] == "UNSUPPORTED_FEATURE"
    assert "content_moderation" in error["detail"]


@pytest.mark.media
def test_labels_from_a_configured_yolo_model(
    client_factory: ClientFactory,
    gateway_settings: SettingsMaker,
    media_server: MediaServer,
    tmp_path: Path,
) -> None:
    """The real labels path with the one YOLOv8 ONNX export a package ships (NudeNet's
    detector, whose classes include FACE_FEMALE / FACE_MALE) on a still of a face."""
    import shutil
    import subprocess

    from tests.conftest import media_file

    model = locate(NUDENET)
    still = media_file("talking/facerec_obama.jpg")
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-loop", "1", "-t", "3", "-i", str(still),
            "-vf", "scale=640:-2,format=yuv420p", "-r", "10", str(media_server.folder / "face.mp4"),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    assert shutil.which("ffmpeg")
    engines = EngineSettings(labels=LabelSettings(model_path=model, sha256=NUDENET.sha256))
    client = client_factory(gateway_settings(engines=engines))
    _, key = make_key(client)
    headers = {"X-API-Key": key}
    (local,) = client.get("/v1/providers", headers=headers).json()["data"]
    assert "labels" in local["attributes"]["resources"]["video-analyses"]["features"]
    assert local["meta"]["models"]["labels"] == "320n.onnx"
    done = _finish(client, headers, _body(["labels"], media_server.url("face.mp4")))
    assert done["status"] == "completed", done
    labels = {label["name"]: label for label in done["result"]["labels"]}
    faces = [labels[n] for n in ("FACE_FEMALE", "FACE_MALE") if n in labels]
    assert faces, labels
    best = max(faces, key=lambda label: label["confidence"])
    assert best["confidence"] >= 0.5
    assert best["instances"][0]["start"] == pytest.approx(0.0, abs=1.01)
    assert best["instances"][-1]["end"] == pytest.approx(3.0, abs=1.01)
