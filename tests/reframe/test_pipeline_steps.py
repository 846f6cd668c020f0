"""The granular /api/v2 flow on a real two-person clip: ingest by URL, each step in order
(409 naming what is missing), status, results, transform, download with credits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.reframe.conftest import Api, probe_streams

pytestmark = pytest.mark.media


@pytest.fixture(scope="module")
def video(api: Api, clips: dict[str, Path]) -> str:
    api.server.files["/talk.mp4"] = clips["sbs"].read_bytes()
    response = api.client.post(
        "/api/v2/ingest", json={"url": api.server.url("/talk.mp4")}, headers=api.headers
    )
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["step"] == "ingest"
    status = api.wait(body["video_id"])
    assert status["status"] == "completed", status
    assert status["result"]["width"] == 1080
    assert status["result"]["has_audio"] is True
    return str(body["video_id"])


def _analyze(api: Api, video: str, model: str, **parameters: Any) -> dict[str, Any]:
    response = api.client.post(
        "/api/v2/analyze",
        json={"video_id": video, "model_type": model, "parameters": parameters},
        headers=api.headers,
    )
    assert response.status_code == 202, response.text
    status = api.wait(video)
    assert status["step"] == model
    assert status["status"] == "completed", status
    return status


def test_steps_in_order_with_409_for_missing_ones(api: Api, video: str) -> None:
    early = api.client.post(
        "/api/v2/analyze",
        json={"video_id": video, "model_type": "active_speaker"},
        headers=api.headers,
    )
    assert early.status_code == 409
    assert early.json()["missing_step"] == "face_tracking_yolov8"
    assert "face_tracking_yolov8" in early.json()["detail"]
    transform = api.client.post(
        "/api/v2/transform",
        json={"video_id": video, "transform_type": "reframe"},
        headers=api.headers,
    )
    assert transform.status_code == 409
    assert transform.json()["missing_step"] == "active_speaker"
    before = api.client.get(f"/api/v2/download/{video}?suffix=_reframe", headers=api.headers)
    assert before.status_code == 409
    assert before.json()["missing_step"] == "reframe"

    scenes = _analyze(api, video, "scene_detection")["result"]
    assert scenes["scene_count"] == 1
    assert scenes["total_frames"] == 125
    faces = _analyze(api, video, "face_tracking_yolov8")["result"]
    assert faces["face_count"] == 2
    speaker = _analyze(api, video, "active_speaker", face_tracking_model="face_tracking_yolov8")[
        "result"
    ]
    assert speaker["model"] == "active_speaker"
    assert speaker["track_count"] == 2
    assert speaker["video_fps"] == pytest.approx(25.0)
    by_side = {}
    for track in faces["tracks"]:
        side = "left" if track["boxes"][0]["box"]["x"] < 0.5 else "right"
        by_side[side] = track["face_id"]
    fraction = {t["face_id"]: t["speaking_fraction"] for t in speaker["tracks"]}
    assert fraction[by_side["right"]] > fraction[by_side["left"]]  # the heard one speaks


def test_transform_download_and_credits(api: Api, video: str, clips: dict[str, Path]) -> None:
    parameters = {"face_tracking_model": "face_tracking_yolov8", "aspect_ratio": "9:16"}
    response = api.client.post(
        "/api/v2/transform",
        json={"video_id": video, "transform_type": "reframe", "parameters": parameters},
        headers=api.headers,
    )
    assert response.status_code == 202, response.text
    status = api.wait(video)
    assert status["step"] == "reframe"
    assert status["status"] == "completed", status
    result = status["result"]
    assert result["output"]["width"] == 304
    assert result["output"]["height"] == 540
    assert result["crop_path"]["shots"][0]["kind"] == "still"
    assert status["downloads"] == {"_reframe": f"/api/v2/download/{video}?suffix=_reframe"}

    short = api.client.get(f"/api/v2/download/{video}?suffix=_reframe", headers=api.headers)
    assert short.status_code == 402
    assert short.json()["code"] == "insufficient_credits"
    assert short.json()["required"] == 5  # 5.0 s of source, rounded down
    api.grant(12)
    first = api.client.get(f"/api/v2/download/{video}?suffix=_reframe", headers=api.headers)
    assert first.status_code == 200
    assert first.headers["content-type"] == "video/mp4"
    assert api.balance() == 7
    again = api.client.get(f"/api/v2/download/{video}", headers=api.headers)
    assert again.status_code == 200
    assert again.content == first.content
    assert api.balance() == 7  # charged once per video
    saved = Path(api.client.app.state.context.settings.media_dir) / "check.mp4"  # type: ignore[attr-defined]
    saved.write_bytes(first.content)
    streams = probe_streams(saved)
    assert streams["video"]["codec_name"] == "h264"
    assert streams["audio"]["codec_name"] == "aac"
    assert float(streams["video"]["duration"]) == pytest.approx(5.0, abs=0.04)
    stored = api.client.get(f"/api/v2/results/{video}/scene_detection", headers=api.headers)
    assert stored.json()["scene_count"] == 1


def test_other_accounts_see_nothing(api: Api, video: str) -> None:
    other = api.key_for("intruder")
    for path in (f"/api/v2/status/{video}", f"/api/v2/download/{video}",
                 f"/api/v2/results/{video}/scene_detection"):  # fmt: skip
        foreign = api.client.get(path, headers=other)
        missing = api.client.get(path.replace(video, "no-such-video"), headers=other)
        assert foreign.status_code == missing.status_code == 404
        assert foreign.json()["detail"].replace(video, "X") == missing.json()["detail"].replace(
            "no-such-video", "X"
        )
    refused = api.client.post(
        "/api/v2/analyze", json={"video_id": video, "model_type": "scene_detection"}, headers=other
    )
    assert refused.status_code == 404


def test_bad_parameters(api: Api, video: str) -> None:
    cases = [
        {"video_id": video, "transform_type": "reframe", "parameters": {"aspect_ratio": "9-16"}},
        {"video_id": video, "transform_type": "reframe", "parameters": {"mode": "zoom"}},
        {"video_id": video, "transform_type": "reframe", "parameters": {"output_height": 10}},
        {"video_id": video, "transform_type": "reframe",
         "parameters": {"face_tracking_model": "yolov9"}},
        {"video_id": video, "transform_type": "rotate"},
    ]  # fmt: skip
    for body in cases:
        assert (
            api.client.post("/api/v2/transform", json=body, headers=api.headers).status_code == 422
        )
    unknown = api.client.get(f"/api/v2/download/{video}?suffix=_nope", headers=api.headers)
    assert unknown.status_code == 404
    llm = api.client.post(
        "/api/v2/transform",
        json={
            "video_id": video,
            "transform_type": "reframe_llm",
            "parameters": {"instruction": "x"},
        },
        headers=api.headers,
    )
    assert llm.status_code == 503
    assert llm.json()["code"] == "LLM_UNAVAILABLE"
    assert "VIDLENS_REFRAME__LLM_URL" in llm.json()["hint"]
