"""The real server, as a newcomer and an operator meet it: `vidlens serve` in a subprocess,
a key from the CLI, authenticated HTTP calls, and recovery after `kill -9` mid-job."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """Starts and kills `python -m vidlens serve` on one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "VIDLENS_DATA_DIR": str(data_dir),
            "VIDLENS_JOBS__PLUGINS": '["tests.jobs.handlers_for_tests"]',
            "VIDLENS_JOBS__LEASE_SECONDS": "1.5",
            "VIDLENS_JOBS__WORKERS": "1",
            "PYTHONPATH": str(REPO),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "vidlens", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "vidlens", "serve", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/ready", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            time.sleep(0.2)
        raise RuntimeError("server did not become ready in 60 s")

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    instance = Server(tmp_path / "data")
    yield instance
    instance.stop()


def _poll(client: httpx.Client, path: str, until: Any, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = client.get(path).json()
        if until(body) or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


def test_newcomer_flow_cli_key_then_http(server: Server) -> None:
    server.start()
    created = json.loads(server.cli("keys", "create", "--account", "acme", "--name", "k", "--json"))
    server.cli("credits", "grant", "--account", "acme", "--amount", "60")
    me = httpx.get(
        f"{server.base}/api/account", headers={"Authorization": f"Bearer {created['key']}"}
    )
    assert me.status_code == 200
    assert me.json()["balance"] == 60
    bare = httpx.get(f"{server.base}/api/account", headers={"Authorization": created["key"]})
    assert bare.status_code == 401
    assert bare.json() == {"detail": "Invalid or expired API key."}


def test_job_survives_kill_9_of_the_server(server: Server) -> None:
    created = json.loads(server.cli("keys", "create", "--account", "acme", "--name", "k", "--json"))
    server.start()
    with httpx.Client(base_url=server.base, headers={"X-API-Key": created["key"]}) as client:
        job = client.post(
            "/api/jobs", json={"kind": "test.steps", "params": {"steps": 30, "step_seconds": 0.1}}
        ).json()
        running = _poll(
            client,
            f"/api/jobs/{job['id']}",
            lambda j: j["status"] == "processing" and j["progress"] > 0,
        )
        assert running["status"] == "processing"
        server.kill()
        server.start()
        final = _poll(
            client,
            f"/api/jobs/{job['id']}",
            lambda j: j["status"] in {"completed", "failed", "cancelled"},
            timeout=90,
        )
    assert final["status"] == "completed", final
    assert final["result"] == {"steps": 30}
    assert final["attempts"] == 2  # the killed attempt, then the one that finished
