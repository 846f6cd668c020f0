"""``/analysis`` through the HTTP app with a real job worker, on clips cut from the shared gait
media with ffmpeg: the contract's lifecycle, result levels, limits, errors, credits."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests import pose_media
from tests.conftest import ADMIN_HEADERS, ClientFactory, make_key, media_file
from tests.webhooks.webhook_testing import poll_until
from vidlens.config import JobSettings, Settings

pytestmark = pytest.mark.media

SettingsMaker = Callable[..., Settings]


def _ffmpeg(*args: str) -> None:
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True, timeout=120)


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``walk`` (4.5 s of the walking clip, 640x360), ``portrait`` (the same stored sideways,
    360x640, with a 90° display matrix, as phones write), ``brief`` (the walker for 1 s, then
    1.5 s of empty wall), ``long`` (11 s), ``nobody`` (a test pattern), ``mkv`` (Matroska) and
    ``mkv_named_mp4``."""
    folder = tmp_path_factory.mktemp("gait-api")
    walk_source = str(media_file(pose_media.WALK))
    out = {name: folder / f"{name}.mp4" for name in ("walk", "portrait", "brief", "long", "nobody")}
    h264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    _ffmpeg(
        "-ss",
        "2",
        "-i",
        walk_source,
        "-t",
        "4.5",
        "-an",
        "-vf",
        "scale=640:360",
        *h264,
        str(out["walk"]),
    )
    sideways = folder / "sideways.mp4"
    _ffmpeg("-i", str(out["walk"]), "-vf", "transpose=1", *h264, str(sideways))
    _ffmpeg("-i", str(sideways), "-c", "copy", "-metadata:s:v:0", "rotate=90", str(out["portrait"]))
    _ffmpeg(
        "-ss", "2", "-t", "1", "-i", walk_source, "-ss", "12.9", "-t", "0.5", "-i", walk_source,
        "-filter_complex",
        "[0:v]scale=640:360,setsar=1[a];[1:v]scale=640:360,setsar=1,loop=2:15:0[b];"
        "[a][b]concat=n=2:v=1[v]",
        "-map", "[v]", *h264, str(out["brief"]),
    )  # fmt: skip
    _ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "11", *h264, str(out["long"])
    )
    _ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "2", *h264, str(out["nobody"])
    )
    out["mkv"] = folder / "clip.mkv"
    _ffmpeg("-i", str(out["nobody"]), "-c", "copy", str(out["mkv"]))
    out["mkv_named_mp4"] = folder / "disguised.mp4"
    shutil.copy(out["mkv"], out["mkv_named_mp4"])
    return out  # fmt: skip


@pytest.fixture
def gait_client(client_factory: ClientFactory, settings_factory: SettingsMaker) -> TestClient:
    pose_media.pose_engine()  # skip with the reason when the model is not installed
    jobs = JobSettings(workers=1, use_processes=False, poll_interval_seconds=0.05)
    return client_factory(settings_factory(jobs=jobs))


def _account(client: TestClient, name: str, credits: int) -> tuple[str, dict[str, str]]:
    account_id, key = make_key(client, name)
    if credits:
        granted = client.post(
            f"/admin/accounts/{account_id}/credits",
            json={"amount": credits, "reason": "test"},
            headers=ADMIN_HEADERS,
        )
        assert granted.status_code == 201, granted.text
    return account_id, {"Authorization": f"Bearer {key}"}


def _balance(client: TestClient, account_id: str) -> int:
    body = client.get(f"/admin/accounts/{account_id}/credits", headers=ADMIN_HEADERS).json()
    balance: int = body["balance"]
    return balance


def _post(
    client: TestClient, headers: dict[str, str], path: Path, name: str | None = None, **fields: str
) -> Any:
    with path.open("rb") as handle:
        return client.post(
            "/analysis",
            files={"video": (name or path.name, handle, "video/mp4")},
            data=fields,
            headers=headers,
        )


def _finished(client: TestClient, headers: dict[str, str], analysis_id: str) -> Any:
    return poll_until(
        lambda: client.get(f"/analysis/{analysis_id}/results", headers=headers),
        lambda r: r.json()["status"] in {"success", "failed"},
        timeout=180,
        what=f"analysis {analysis_id} finished",
    )


def _probe(data: bytes, tmp: Path) -> dict[str, Any]:
    target = tmp / "probe.bin"
    target.write_bytes(data)
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(target)],
        capture_output=True,
        check=True,
        timeout=30,
    )
    stream: dict[str, Any] = json.loads(out.stdout)["streams"][0]
    return stream


def test_walking_clip_end_to_end(
    gait_client: TestClient, clips: dict[str, Path], tmp_path: Path
) -> None:
    client = gait_client
    account_id, headers = _account(client, "runner", 20)
    created = _post(client, headers, clips["walk"], height="165", language="fr")
    assert created.status_code == 202, created.text
    analysis_id = created.json()["video_id"]
    assert created.json()["status"] == "pending"
    assert _balance(client, account_id) == 20 - 4  # 4.5 s of video: 4 credits at creation

    done = _finished(client, headers, analysis_id)
    body = done.json()
    assert done.status_code == 200, body
    assert body["status"] == "success"
    assert body["percentage"] == 100
    analysis = body["biomechanical_analysis"]
    assert analysis["gait_type"] == "walking"
    assert analysis["gait_type_label"] == "Marche"
    assert analysis["input"]["height_cm"] == 165

    calculated = client.get(f"/analysis/{analysis_id}/results/calculated_data", headers=headers)
    assert calculated.status_code == 200
    data = calculated.json()
    assert set(data) >= {
        "metrics",
        "overstride",
        "foot_landing",
        "joint_angles",
        "running_styles",
        "total_score",
    }
    cadence = data["metrics"]["step_frequency_steps_per_min"]
    assert cadence == pytest.approx(111.0, rel=0.08)  # the labelled clip walks at 111 spm
    assert data["metrics"]["details"]["step_frequency_steps_per_min"]["label"] == "Cadence"
    assert (
        data["metrics"]["details"]["ground_contact_time_ms"]["label"] == "Temps de contact au sol"
    )

    raw = client.get(f"/analysis/{analysis_id}/results/raw_data", headers=headers)
    assert raw.status_code == 200
    raw_body = raw.json()
    info = raw_body["video_input_information"]
    assert info["resolution"] == "640x360"
    assert info["fps"] == pytest.approx(30.0)
    assert info["duration"] == pytest.approx(4.5, abs=0.1)
    assert len(raw_body["frames"]) == info["frame_count"]
    seen = [f for f in raw_body["frames"].values() if f["detected"]]
    assert len(seen) > 0.8 * info["frame_count"]
    assert len(seen[0]["landmarks"]) == 33
    assert 0 <= seen[0]["landmarks"]["left_heel"]["x"] <= 640

    video = client.get(body["output_video"].replace("http://testserver", ""))
    assert video.status_code == 200
    assert video.headers["content-type"] == "video/mp4"
    stream = _probe(video.content, tmp_path)
    assert (stream["codec_name"], stream["width"], stream["height"]) == ("h264", 640, 360)
    thumbnail = client.get(body["thumbnail"].replace("http://testserver", ""))
    assert thumbnail.status_code == 200
    assert thumbnail.content[:3] == b"\xff\xd8\xff"
    tampered = (
        body["thumbnail"].replace("http://testserver", "").replace("signature=", "signature=x")
    )
    assert client.get(tampered).status_code == 403

    # Another account sees nothing, exactly as for an unknown id.
    _, other = _account(client, "stranger", 5)
    for path in ("results", "results/calculated_data", "results/raw_data"):
        foreign = client.get(f"/analysis/{analysis_id}/{path}", headers=other)
        unknown = client.get(
            f"/analysis/00000000-0000-0000-0000-000000000000/{path}", headers=other
        )
        assert foreign.status_code == unknown.status_code == 404
        assert foreign.json()["error"] == unknown.json()["error"] == "not_found"


def test_rotation_metadata_is_honoured(gait_client: TestClient, clips: dict[str, Path]) -> None:
    _, headers = _account(gait_client, "phone", 20)
    created = _post(gait_client, headers, clips["portrait"])
    assert created.status_code == 202, created.text
    analysis_id = created.json()["video_id"]
    body = _finished(gait_client, headers, analysis_id).json()
    assert body["status"] == "success", body
    raw = gait_client.get(f"/analysis/{analysis_id}/results/raw_data", headers=headers).json()
    # Stored sideways (coded 360x640) with a display matrix: shown and analysed as 640x360.
    assert raw["video_input_information"]["resolution"] == "640x360"
    assert raw["video_input_information"]["rotation"] in (90, 270)
    assert body["biomechanical_analysis"]["gait_type"] == "walking"


def test_nobody_in_the_video_fails_and_is_refunded(
    gait_client: TestClient, clips: dict[str, Path]
) -> None:
    account_id, headers = _account(gait_client, "empty", 10)
    created = _post(gait_client, headers, clips["nobody"], language="de")
    assert created.status_code == 202, created.text
    assert _balance(gait_client, account_id) == 8
    done = _finished(gait_client, headers, created.json()["video_id"])
    assert done.status_code == 400
    body = done.json()
    assert body["status"] == "failed"
    assert body["error"]["code"] == "no_person_detected"
    assert body["error"]["message"].startswith("Im Video wurde niemand erkannt")
    assert _balance(gait_client, account_id) == 10
    calculated = gait_client.get(
        f"/analysis/{created.json()['video_id']}/results/calculated_data", headers=headers
    )
    assert calculated.status_code == 400
    assert calculated.json()["error"] == "analysis_not_completed"


def test_runner_visible_for_one_second(gait_client: TestClient, clips: dict[str, Path]) -> None:
    account_id, headers = _account(gait_client, "glimpse", 10)
    created = _post(gait_client, headers, clips["brief"])
    assert created.status_code == 202, created.text
    done = _finished(gait_client, headers, created.json()["video_id"])
    body = done.json()
    if body["status"] == "failed":  # not one step seen: a clear reason, and the money back
        assert body["error"]["code"] in {"no_steps", "no_person_detected"}
        assert _balance(gait_client, account_id) == 10
        return
    analysis = body["biomechanical_analysis"]
    assert "short_visibility" in {w["code"] for w in analysis["warnings"]}
    cadence = analysis["metrics"]["details"]["step_frequency_steps_per_min"]
    assert cadence["value"] is None
    assert cadence["reason"] == "short_visibility"


@pytest.mark.parametrize(
    ("clip", "name", "status", "code"),
    [
        ("long", None, 400, "video_too_long"),
        ("mkv", None, 400, "invalid_file_type"),
        ("mkv_named_mp4", None, 400, "invalid_file_type"),
        ("walk", "notes.txt", 400, "invalid_file_type"),
    ],
    ids=["11s", "mkv", "mkv-named-mp4", "txt-extension"],
)
def test_bad_uploads_get_the_contracts_errors(
    client_factory: ClientFactory,
    clips: dict[str, Path],
    clip: str,
    name: str | None,
    status: int,
    code: str,
) -> None:
    client = client_factory()  # no worker: nothing may be queued
    account_id, headers = _account(client, "uploader", 30)
    response = _post(client, headers, clips[clip], name)
    assert response.status_code == status, response.text
    assert response.json()["error"] == code
    assert _balance(client, account_id) == 30
    assert client.get("/api/media", headers=headers).json()["data"] == []  # nothing kept


@pytest.mark.parametrize("content", [b"", b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40])
def test_empty_or_corrupt_video_is_invalid(
    client_factory: ClientFactory, tmp_path: Path, content: bytes
) -> None:
    client = client_factory()
    account_id, headers = _account(client, "corrupt", 30)
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(content)
    response = _post(client, headers, bad)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_file"
    assert _balance(client, account_id) == 30


def test_31_mb_upload_is_refused_while_streaming(
    client_factory: ClientFactory, tmp_path: Path
) -> None:
    client = client_factory()
    _, headers = _account(client, "big", 30)
    big = tmp_path / "big.mp4"
    big.write_bytes(b"\0" * 31_000_000)
    response = _post(client, headers, big)
    assert response.status_code == 413
    assert response.json()["error"] == "file_too_large"
    assert client.get("/api/media", headers=headers).json()["data"] == []


def test_parameters_credits_and_pending_status(
    client_factory: ClientFactory, clips: dict[str, Path]
) -> None:
    client = client_factory()  # no worker: the analysis stays pending
    account_id, headers = _account(client, "careful", 0)
    broke = _post(client, headers, clips["walk"])
    assert broke.status_code == 402
    assert broke.json()["error"] == "insufficient_credits"
    bad = _post(client, headers, clips["walk"], treadmill="true")
    assert bad.status_code == 400
    assert (bad.json()["error"], bad.json()["field"]) == ("invalid_parameter", "pace")
    granted = client.post(
        f"/admin/accounts/{account_id}/credits", json={"amount": 4}, headers=ADMIN_HEADERS
    )
    assert granted.status_code == 201
    queued = _post(client, headers, clips["walk"], analysis_type="back_view", full_body="false")
    assert queued.status_code == 202, queued.text
    analysis_id = queued.json()["video_id"]
    pending = client.get(f"/analysis/{analysis_id}/results", headers=headers)
    assert pending.status_code == 200
    assert pending.json() == {
        "video_id": analysis_id,
        "analysis_id": analysis_id,
        "status": "pending",
        "percentage": 0,
    }
    for path in ("calculated_data", "raw_data"):
        early = client.get(f"/analysis/{analysis_id}/results/{path}", headers=headers)
        assert early.status_code == 400
        assert early.json()["error"] == "analysis_not_completed"
    assert client.get("/analysis/x/results").status_code == 401
