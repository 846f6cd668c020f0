"""Both coaching routes against ``vidlens serve`` in a subprocess, over a real socket, with
its default process workers: analyze-video leaves the event loop free (the server answers
/health while it analyses), full-analysis answers 202 and its pollingUrl completes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import media_file
from tests.server.test_server_process import Server, _poll

pytestmark = [pytest.mark.slow, pytest.mark.media]


@pytest.fixture
def server(tmp_path: Path, engines_available: None) -> Iterator[Server]:
    instance = Server(tmp_path / "data")
    instance.env["VIDLENS_COACHING__SYNC_WINDOW_SECONDS"] = "0"
    yield instance
    instance.stop()


def test_both_routes_over_a_socket(server: Server) -> None:
    created = json.loads(server.cli("keys", "create", "--account", "acme", "--name", "k", "--json"))
    server.cli("credits", "grant", "--account", "acme", "--amount", "100")
    server.start()
    video = media_file("talking/videoretalking_face3.mp4").read_bytes()
    headers = {"Authorization": f"Bearer {created['key']}"}
    outcome: dict[str, httpx.Response] = {}

    def analyze() -> None:
        outcome["response"] = httpx.post(
            f"{server.base}/api/v1/analyze-video", files={"video": ("t.mp4", video)},
            headers=headers, timeout=300,
        )  # fmt: skip

    worker = threading.Thread(target=analyze)
    worker.start()
    answered_meanwhile = 0
    while worker.is_alive():
        health = httpx.get(f"{server.base}/health", timeout=30)
        assert health.status_code == 200
        if worker.is_alive():
            answered_meanwhile += 1
        worker.join(0.2)
    assert answered_meanwhile >= 3  # the loop kept serving during the analysis
    response = outcome["response"]
    assert response.status_code == 200, response.text
    assert "Everyone here today" in response.json()["session_summary"]

    with httpx.Client(base_url=server.base, headers=headers, timeout=60) as client:
        accepted = client.post("/api/v1/full-analysis", files={"video": ("t.mp4", video)})
        assert accepted.status_code == 202, accepted.text
        polling = accepted.json()["pollingUrl"]
        assert polling.startswith(server.base)
        done = _poll(client, polling, lambda b: b["status"] != "processing", timeout=240)
        assert done["status"] == "complete", done
        result = done["result"]
        assert result["video_analysis"]["overall_score"] is not None
        assert client.get(result["videoUrl"]).content == video
        assert client.get("/api/account").json()["balance"] == 100 - 5 - 5
