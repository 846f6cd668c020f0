"""Fixtures for media tests: tiny ffmpeg-lavfi clips, a store in tmp_path, a local HTTP server."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.media.media_testing import CLIPS, ClipFactory, LocalServer
from vidlens.media.store import LocalMediaStore


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory) -> ClipFactory:
    """``clip(name)``: a 2-second lavfi clip from :data:`CLIPS`, generated once per session
    (read-only: copy it before changing it)."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    folder = tmp_path_factory.mktemp("clips")
    made: dict[str, Path] = {}

    def make(name: str) -> Path:
        if name not in made:
            suffix, args = CLIPS[name]
            path = folder / f"{name}{suffix}"
            command = ["ffmpeg", "-v", "error", "-y", *args, "-t", "2", str(path)]
            subprocess.run(command, check=True, timeout=60)
            made[name] = path
        return made[name]

    return make


@pytest.fixture
def store(tmp_path: Path) -> LocalMediaStore:
    return LocalMediaStore(tmp_path / "store")


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    """A local HTTP server on 127.0.0.1 and a random port, stopped after the test."""
    server = LocalServer()
    server.thread.start()
    yield server
    server.release.set()
    server.httpd.shutdown()
    server.httpd.server_close()
    server.thread.join(5)
