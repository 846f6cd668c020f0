"""The /api/media routes and signed downloads, end to end through the app."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SECRET_KEY, ClientFactory, make_key, media_file
from tests.media.media_testing import ClipFactory, LocalServer
from vidlens.config import MediaSettings
from vidlens.media.signing import sign_download


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _upload(client: TestClient, key: str, name: str, data: bytes) -> dict[str, object]:
    response = client.post(
        "/api/media", files={"file": (name, data, "video/mp4")}, headers=_auth(key)
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def _stored(client: TestClient) -> list[Path]:
    root: Path = client.app.state.context.settings.media_dir  # type: ignore[attr-defined]
    return [path for path in root.rglob("*") if path.is_file()]


def _path_of(url: object) -> str:
    """The path and query of an absolute download URL."""
    assert isinstance(url, str)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.mark.media
def test_upload_get_list_download(client: TestClient) -> None:
    source = media_file("talking/videoretalking_face1.mp4")
    data = source.read_bytes()
    _, key = make_key(client)
    created = _upload(client, key, "face.mp4", data)
    assert created["size_bytes"] == len(data)
    assert (created["video_codec"], created["width"], created["height"]) == ("h264", 700, 700)
    assert created["mime_type"] == "video/mp4"
    assert created["duration_seconds"] == pytest.approx(6.131, abs=0.01)
    assert "storage_key" not in created

    fetched = client.get(f"/api/media/{created['id']}", headers=_auth(key))
    assert fetched.status_code == 200
    assert fetched.json()["sha256"] == created["sha256"]
    listing = client.get("/api/media", headers=_auth(key)).json()["data"]
    assert [item["id"] for item in listing] == [created["id"]]

    download = client.get(_path_of(fetched.json()["download_url"]))  # no credentials
    assert download.status_code == 200
    assert download.content == data
    assert download.headers["content-type"] == "video/mp4"
    assert 'filename="face.mp4"' in download.headers["content-disposition"]

    partial = client.get(_path_of(created["download_url"]), headers={"Range": "bytes=0-99"})
    assert partial.status_code == 206
    assert partial.content == data[:100]


def test_download_url_expires(client_factory: ClientFactory, clip: ClipFactory) -> None:
    client = client_factory(media=MediaSettings(signed_url_ttl_seconds=120))
    _, key = make_key(client)
    created = _upload(client, key, "tone.wav", clip("wav").read_bytes())
    expires_at = int(str(created["download_url"]).split("expires=")[1].split("&")[0])
    assert abs(expires_at - (time.time() + 120)) < 10


def test_download_refusals(client: TestClient, clip: ClipFactory) -> None:
    _, key = make_key(client)
    created = _upload(client, key, "tone.wav", clip("wav").read_bytes())
    media_id = str(created["id"])
    future, past = int(time.time()) + 600, int(time.time()) - 1

    def url(expires: int, signature: str) -> str:
        return f"/media/download/{media_id}?expires={expires}&signature={signature}"

    good = sign_download(key_or_media_id=media_id, expires_at=future, secret=SECRET_KEY)
    expired = sign_download(key_or_media_id=media_id, expires_at=past, secret=SECRET_KEY)
    assert client.get(url(future, good)).status_code == 200
    for refused in (
        url(past, expired),  # expired
        url(future + 1, good),  # expiry tampered
        url(future, good[:-1] + ("A" if good[-1] != "A" else "B")),  # signature tampered
        f"/media/download/{media_id}",  # no signature
        url(future, sign_download(key_or_media_id=media_id, expires_at=future, secret="x" * 40)),
    ):
        response = client.get(refused)
        assert response.status_code == 403, refused
        assert response.json()["code"] == "FORBIDDEN"
    assert client.delete(f"/api/media/{media_id}", headers=_auth(key)).status_code == 204
    assert client.get(url(future, good)).status_code == 404
    assert _stored(client) == []


def test_tenancy(client: TestClient, clip: ClipFactory) -> None:
    _, owner = make_key(client, "owner")
    _, other = make_key(client, "other")
    media_id = _upload(client, owner, "tone.wav", clip("wav").read_bytes())["id"]
    foreign = client.get(f"/api/media/{media_id}", headers=_auth(other))
    missing = client.get("/api/media/no-such-id", headers=_auth(other))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["code"] == missing.json()["code"] == "NOT_FOUND"
    assert client.get("/api/media", headers=_auth(other)).json() == {"data": []}
    assert client.delete(f"/api/media/{media_id}", headers=_auth(other)).status_code == 404
    assert client.get(f"/api/media/{media_id}", headers=_auth(owner)).status_code == 200


def test_requires_credentials(client: TestClient) -> None:
    assert client.get("/api/media").status_code == 401
    response = client.post("/api/media", files={"file": ("a.mp4", b"x", "video/mp4")})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("data", "status", "code", "message"),
    [
        pytest.param(b"", 415, "UNSUPPORTED_MEDIA", "empty", id="empty"),
        pytest.param(b"not a video\n" * 100, 415, "UNSUPPORTED_MEDIA", "not readable", id="text"),
    ],
)
def test_bad_uploads(client: TestClient, data: bytes, status: int, code: str, message: str) -> None:
    _, key = make_key(client)
    response = client.post(
        "/api/media", files={"file": ("video.mp4", data, "video/mp4")}, headers=_auth(key)
    )
    assert response.status_code == status
    assert response.json()["code"] == code
    assert message in response.json()["detail"]
    assert _stored(client) == []


def test_truncated_upload(client: TestClient, clip: ClipFactory) -> None:
    _, key = make_key(client)
    data = clip("mp4_faststart").read_bytes()
    response = client.post(
        "/api/media",
        files={"file": ("cut.mp4", data[: len(data) * 6 // 10], "video/mp4")},
        headers=_auth(key),
    )
    assert response.status_code == 415
    assert "truncated" in response.json()["detail"]
    assert _stored(client) == []


def test_missing_file_part(client: TestClient) -> None:
    _, key = make_key(client)
    response = client.post("/api/media", data={"note": "hi"}, files={}, headers=_auth(key))
    assert response.status_code == 422
    response = client.post("/api/media", files={"note": (None, b"hi")}, headers=_auth(key))
    assert response.status_code == 422
    assert response.json()["detail"] == "The form has no 'file' part."


def test_over_size_refused_before_reading(client_factory: ClientFactory) -> None:
    client = client_factory(media=MediaSettings(max_upload_bytes=1000))
    _, key = make_key(client)
    big = b"\0" * (2 * 1024 * 1024)
    response = client.post(
        "/api/media", files={"file": ("big.mp4", big, "video/mp4")}, headers=_auth(key)
    )
    assert response.status_code == 413
    assert response.json()["code"] == "PAYLOAD_TOO_LARGE"
    assert "the limit is 1000 bytes" in response.json()["detail"]
    small_but_over = client.post(
        "/api/media", files={"file": ("b.mp4", b"\0" * 5000, "video/mp4")}, headers=_auth(key)
    )
    assert small_but_over.status_code == 413  # caught while streaming
    assert _stored(client) == []


def test_over_length_rejected(client_factory: ClientFactory, clip: ClipFactory) -> None:
    client = client_factory(media=MediaSettings(max_duration_seconds=1))
    _, key = make_key(client)
    response = client.post(
        "/api/media",
        files={"file": ("t.wav", clip("wav").read_bytes(), "audio/wav")},
        headers=_auth(key),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "MEDIA_REJECTED"
    assert "the limit is 1 s" in response.json()["detail"]
    assert _stored(client) == []


def test_from_url(
    client_factory: ClientFactory, clip: ClipFactory, http_server: LocalServer
) -> None:
    data = clip("webm").read_bytes()
    http_server.files["/clips/talk.webm"] = data
    url = http_server.url("/clips/talk.webm")

    closed = client_factory()
    _, key = make_key(closed)
    refused = closed.post("/api/media/from-url", json={"url": url}, headers=_auth(key))
    assert refused.status_code == 422
    assert refused.json()["code"] == "URL_REFUSED"
    assert "loopback" in refused.json()["detail"]
    assert http_server.host_headers == []  # never contacted

    allowed = client_factory(url_allowlist="127.0.0.1")
    _, key = make_key(allowed)
    created = allowed.post("/api/media/from-url", json={"url": url}, headers=_auth(key))
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["source_url"], body["filename"], body["mime_type"]) == (
        url,
        "talk.webm",
        "video/webm",
    )
    assert body["size_bytes"] == len(data)


def test_from_url_not_media(client_factory: ClientFactory, http_server: LocalServer) -> None:
    http_server.files["/page.mp4"] = b"<html>not a video</html>"
    client = client_factory(url_allowlist="127.0.0.1")
    _, key = make_key(client)
    response = client.post(
        "/api/media/from-url", json={"url": http_server.url("/page.mp4")}, headers=_auth(key)
    )
    assert response.status_code == 415
    missing = client.post(
        "/api/media/from-url", json={"url": http_server.url("/gone.mp4")}, headers=_auth(key)
    )
    assert missing.status_code == 422
    assert missing.json()["code"] == "URL_FETCH_FAILED"
    assert missing.json()["status"] == 404
    assert _stored(client) == []


def test_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    upload = spec["paths"]["/api/media"]["post"]
    schema = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert schema["properties"]["file"]["format"] == "binary"
    assert spec["paths"]["/media/download/{media_id}"]["get"]["security"] == []
    assert "examples" in spec["components"]["schemas"]["MediaPublic"]
