"""Reframe surface fixtures: one app per module (thread workers, 127.0.0.1 allowed), an
account with a key, a local HTTP server for URL inputs, and clips made with ffmpeg."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from tests.conftest import ADMIN_HEADERS, ADMIN_TOKEN, SECRET_KEY
from tests.engines.active_speaker.media import LISTENER, SPEAKER, side_by_side
from tests.media.media_testing import LocalServer
from vidlens.config import AuthSettings, JobSettings, Settings
from vidlens.reframe.settings import ReframePipelineSettings

TERMINAL = ("completed", "failed", "cancelled")


@dataclass
class Api:
    """A running app, an account key and helpers."""

    client: TestClient
    headers: dict[str, str]
    account_id: str
    server: LocalServer

    def wait(self, video_id: str, timeout: float = 240.0) -> dict[str, Any]:
        """Poll the status until every step has ended; returns the last status."""
        deadline = time.monotonic() + timeout
        while True:
            status: dict[str, Any] = self.client.get(
                f"/api/v2/status/{video_id}", headers=self.headers
            ).json()
            if all(s["status"] in TERMINAL for s in status["steps"]) or time.monotonic() > deadline:
                return status
            time.sleep(0.1)

    def grant(self, amount: int) -> None:
        response = self.client.post(
            f"/admin/accounts/{self.account_id}/credits",
            json={"amount": amount},
            headers=ADMIN_HEADERS,
        )
        assert response.status_code in (200, 201), response.text

    def balance(self) -> int:
        value: int = self.client.get("/api/account", headers=self.headers).json()["balance"]
        return value

    def key_for(self, account: str) -> dict[str, str]:
        created = self.client.post("/admin/accounts", json={"name": account}, headers=ADMIN_HEADERS)
        key = self.client.post(
            f"/admin/accounts/{created.json()['id']}/keys",
            json={"name": "other", "expires": "never"},
            headers=ADMIN_HEADERS,
        ).json()["key"]
        return {"Authorization": f"Bearer {key}"}


def make_settings(folder: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": folder / "data",
        "auth": AuthSettings(secret_key=SecretStr(SECRET_KEY), admin_token=SecretStr(ADMIN_TOKEN)),
        "jobs": JobSettings(workers=1, use_processes=False, poll_interval_seconds=0.05),
        "url_allowlist": "127.0.0.1",
        "reframe": ReframePipelineSettings(),
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    local.thread.start()
    yield local
    local.release.set()
    local.httpd.shutdown()
    local.httpd.server_close()


def start_api(settings: Settings, server: LocalServer) -> Iterator[Api]:
    from vidlens.app import create_app

    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        account = client.post("/admin/accounts", json={"name": "acme"}, headers=ADMIN_HEADERS)
        account_id = account.json()["id"]
        key = client.post(
            f"/admin/accounts/{account_id}/keys",
            json={"name": "test", "expires": "never"},
            headers=ADMIN_HEADERS,
        ).json()["key"]
        yield Api(client, {"Authorization": f"Bearer {key}"}, account_id, server)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, server: LocalServer) -> Iterator[Api]:
    yield from start_api(make_settings(tmp_path_factory.mktemp("reframe-api")), server)


def ffmpeg(target: Path, *args: str) -> Path:
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    command = ["ffmpeg", "-nostdin", "-v", "error", "-y", *args, str(target)]
    subprocess.run(command, check=True, timeout=120)
    return target


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``sbs``: two talking faces side by side, the right one heard (5 s, 1080x540);
    ``sbs_mute``: the same without audio; ``vertical``: a 360x640 test pattern with a tone
    (no faces, already 9:16)."""
    folder = tmp_path_factory.mktemp("reframe-clips")
    return {
        "sbs": side_by_side(folder / "sbs.mp4", left=LISTENER, right=SPEAKER, audio_from=SPEAKER),
        "sbs_mute": side_by_side(
            folder / "sbs_mute.mp4", left=LISTENER, right=SPEAKER, audio_from=None
        ),
        "vertical": ffmpeg(
            folder / "vertical.mp4",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=s=360x640:r=25:d=1.5",
            "-f",
            "lavfi",
            "-i",
            "sine=d=1.5",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
        ),
    }


def probe_streams(path: Path) -> dict[str, dict[str, Any]]:
    import json

    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries",
         "stream=codec_type,codec_name,width,height,duration,nb_frames", "-of", "json", str(path)],
        capture_output=True, check=True, timeout=30,
    )  # fmt: skip
    return {s["codec_type"]: s for s in json.loads(done.stdout)["streams"]}
