"""The one-call POST /api/v2/reframe (URL and upload) on real and generated media, and the
bad inputs of the issue: HTML, 404, redirect loop, private address, no audio, no faces, an
already vertical video."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.reframe.conftest import Api, probe_streams


def _steps(status: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["step"]: s for s in status["steps"]}


@pytest.mark.media
def test_upload_without_audio_degrades_to_visual_only(
    api: Api, clips: dict[str, Path], tmp_path: Path
) -> None:
    with clips["sbs_mute"].open("rb") as handle:
        response = api.client.post(
            "/api/v2/reframe",
            files={"file": ("mute.mp4", handle, "video/mp4")},
            data={"parameters": '{"aspect_ratio": "1:1"}'},
            headers=api.headers,
        )
    assert response.status_code == 202, response.text
    video = response.json()["video_id"]
    status = api.wait(video)
    steps = _steps(status)
    assert [s for s, v in steps.items() if v["status"] != "completed"] == []
    assert list(steps) == ["ingest", "scene_detection", "face_tracking_yolov8", "active_speaker",
                           "transcription", "diarization", "reframe"]  # fmt: skip
    speaker = api.client.get(f"/api/v2/results/{video}/active_speaker", headers=api.headers).json()
    assert speaker["mode"] == "visual-only"
    assert "no audio track" in speaker["note"]
    reframe = status["result"]
    assert status["step"] == "reframe"
    assert any("visual-only" in note for note in reframe["notes"])
    assert reframe["output"]["audio_codec"] is None
    transcript = api.client.get(f"/api/v2/results/{video}/transcription", headers=api.headers)
    assert transcript.json()["no_speech_reason"] == "The video has no audio track."
    api.grant(10)
    download = api.client.get(f"/api/v2/download/{video}?suffix=_reframe", headers=api.headers)
    target = tmp_path / "mute-out.mp4"
    target.write_bytes(download.content)
    streams = probe_streams(target)
    assert (int(streams["video"]["width"]), int(streams["video"]["height"])) == (540, 540)
    assert "audio" not in streams


def test_url_of_a_vertical_video_without_faces(api: Api, clips: dict[str, Path]) -> None:
    api.server.files["/vertical.mp4"] = clips["vertical"].read_bytes()
    response = api.client.post(
        "/api/v2/reframe", json={"url": api.server.url("/vertical.mp4")}, headers=api.headers
    )
    assert response.status_code == 202, response.text
    video = response.json()["video_id"]
    status = api.wait(video)
    assert status["status"] == "completed", status
    result = status["result"]
    assert result["output"]["width"] == 360
    assert result["output"]["height"] == 640
    notes = " ".join(result["notes"])
    assert "already at the requested aspect ratio" in notes
    assert "No face was found" in notes
    assert [s["kind"] for s in result["crop_path"]["shots"]] == ["blur_pad"]


def test_bad_urls(api: Api) -> None:
    api.server.files["/page.html"] = b"<!doctype html><html><body>not a video</body></html>"
    api.server.redirects["/loop"] = "/loop"
    expected = {
        "/page.html": ("UNSUPPORTED_MEDIA", "not readable audio or video"),
        "/missing.mp4": ("URL_FETCH_FAILED", "answered HTTP 404"),
        "/loop": ("URL_FETCH_FAILED", "redirects"),
    }
    for path, (code, words) in expected.items():
        response = api.client.post(
            "/api/v2/ingest", json={"url": api.server.url(path)}, headers=api.headers
        )
        assert response.status_code == 202
        status = api.wait(response.json()["video_id"])
        assert status["status"] == "failed", path
        assert status["step"] == "ingest"
        assert status["error"]["code"] == code
        assert words in status["error"]["message"]
        later = api.client.post(
            "/api/v2/analyze",
            json={"video_id": response.json()["video_id"], "model_type": "scene_detection"},
            headers=api.headers,
        )
        assert later.status_code == 409
        assert later.json()["missing_status"] == "failed"
    for url in (
        "http://10.1.2.3/video.mp4",
        "http://169.254.169.254/latest",
        "ftp://example.com/a",
    ):
        refused = api.client.post("/api/v2/reframe", json={"url": url}, headers=api.headers)
        assert refused.status_code == 422
        assert refused.json()["code"] == "URL_REFUSED"


def test_bad_bodies(api: Api, tmp_path: Path) -> None:
    assert api.client.post("/api/v2/ingest", json={}, headers=api.headers).status_code == 422
    assert api.client.post("/api/v2/ingest", content=b"{", headers=api.headers).status_code == 422
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(bytes(range(256)) * 64)
    with garbage.open("rb") as handle:
        upload = api.client.post(
            "/api/v2/ingest", files={"file": ("a.mp4", handle, "video/mp4")}, headers=api.headers
        )
    assert upload.status_code == 415
    tone = Path(__file__)  # a text file is not media either
    with tone.open("rb") as handle:
        text = api.client.post(
            "/api/v2/reframe", files={"file": ("a.py", handle)}, headers=api.headers
        )
    assert text.status_code == 415
    unauthenticated = api.client.post("/api/v2/ingest", json={"url": "https://example.com/a"})
    assert unauthenticated.status_code == 401


def test_a_failing_step_fails_the_pipeline_and_names_it(
    api: Api, clips: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from vidlens.engines.errors import AudioUnreadable
    from vidlens.reframe import steps

    def broken(step: steps.StepInput) -> steps.StepOutcome:
        raise AudioUnreadable("audio track 0 could not be decoded: test")

    monkeypatch.setitem(steps.RUNNERS, "diarization", broken)
    api.server.files["/broken.mp4"] = clips["vertical"].read_bytes()
    response = api.client.post(
        "/api/v2/reframe", json={"url": api.server.url("/broken.mp4")}, headers=api.headers
    )
    status = api.wait(response.json()["video_id"])
    assert status["status"] == "failed"
    assert status["step"] == "diarization"
    assert status["error"]["code"] == "AUDIO_UNREADABLE"
    states = {s["step"]: s["status"] for s in status["steps"]}
    assert states["ingest"] == "completed"
    assert states["reframe"] == "failed"  # never ran: the job ended without it
    assert all(s in ("completed", "failed") for s in states.values())
