"""Helpers for media tests: lavfi clip recipes, store listing, a local HTTP server."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from vidlens.media.store import LocalMediaStore

ClipFactory = Callable[[str], Path]

_VIDEO = ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25"]
_TONE = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000"]
_TONE2 = ["-f", "lavfi", "-i", "sine=frequency=660:sample_rate=16000"]
_H264 = ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "25"]

CLIPS: dict[str, tuple[str, list[str]]] = {
    # name: (suffix, ffmpeg arguments before the output; every clip lasts 2 s)
    "mp4": (".mp4", [*_VIDEO, *_TONE, *_H264, "-c:a", "aac"]),
    "mp4_faststart": (
        ".mp4",
        [*_VIDEO, *_TONE, *_H264, "-c:a", "aac", "-movflags", "+faststart"],
    ),
    "mov": (".mov", [*_VIDEO, *_TONE, *_H264, "-c:a", "aac"]),
    "webm": (".webm", [*_VIDEO, *_TONE, "-c:v", "libvpx", "-b:v", "200k", "-c:a", "libopus"]),
    "webm_audio": (".webm", [*_TONE, "-c:a", "libopus"]),
    "mkv_two_audio": (
        ".mkv",
        [*_VIDEO, *_TONE, *_TONE2, "-map", "0", "-map", "1", "-map", "2", *_H264, "-c:a", "aac"],
    ),
    "avi": (".avi", [*_VIDEO, *_TONE, "-c:v", "mpeg4", "-c:a", "libmp3lame"]),
    "wav": (".wav", [*_TONE]),
    "m4a": (".m4a", [*_TONE, "-c:a", "aac"]),
    "flac": (".flac", [*_TONE]),
    "ogg": (".ogg", [*_TONE, "-c:a", "libvorbis"]),
    "mp3_cover": (
        ".mp3",
        [
            *_TONE,
            "-f",
            "lavfi",
            "-i",
            "color=c=red:size=64x64",
            "-frames:v",
            "1",
            "-map",
            "0",
            "-map",
            "1",
            "-c:a",
            "libmp3lame",
            "-c:v",
            "png",
            "-disposition:v",
            "attached_pic",
            "-id3v2_version",
            "3",
        ],
    ),
}


def stored_files(store: LocalMediaStore) -> list[Path]:
    """Every file under the store root, partial files included."""
    return sorted(path for path in store.root.rglob("*") if path.is_file())


class LocalServer:
    """A threading HTTP server on 127.0.0.1 with canned routes (see :class:`_Handler`)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.redirects: dict[str, str] = {}
        self.host_headers: list[str] = []
        self.release = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self  # type: ignore[attr-defined]  # read back by _Handler
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        self.httpd.serve_forever(poll_interval=0.02)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


class _Handler(BaseHTTPRequestHandler):
    """Routes: files by path; redirects by path; ``/status/<n>``; ``/stream/<n>`` (n bytes,
    chunked, no Content-Length); ``/liar`` (Content-Length larger than the limit tests use);
    ``/stall`` (headers, then silence until the test ends)."""

    def do_GET(self) -> None:
        owner: LocalServer = self.server.owner  # type: ignore[attr-defined]  # set above
        owner.host_headers.append(self.headers.get("Host", ""))
        if self.path in owner.redirects:
            self._answer(302, b"", {"Location": owner.redirects[self.path]})
        elif self.path in owner.files:
            self._answer(200, owner.files[self.path], {"Content-Type": "video/mp4"})
        elif self.path.startswith("/status/"):
            self._answer(int(self.path.rsplit("/", 1)[1]), b"nope", {})
        elif self.path.startswith("/stream/"):
            self._stream(int(self.path.rsplit("/", 1)[1]))
        elif self.path == "/liar":
            self._answer(200, b"", {"Content-Length": str(10**9)}, send_length=False)
        elif self.path == "/stall":
            self._answer(200, b"", {"Content-Length": "1000"}, send_length=False)
            owner.release.wait(10)
        else:
            self._answer(404, b"missing", {})

    def _answer(
        self, code: int, body: bytes, headers: dict[str, str], *, send_length: bool = True
    ) -> None:
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        if send_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, size: int) -> None:
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        block = b"x" * 65536
        sent = 0
        try:
            while sent < size:
                piece = block[: min(len(block), size - sent)]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                sent += len(piece)
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            return  # the client gave up, as it should past its limit

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default stderr access log."""


BOUNDARY = "----vidlensTestBoundary7MA4YWxkTrZu0gW"
MULTIPART_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def part_head(name: str, filename: str | None = None, content_type: str | None = None) -> bytes:
    """The boundary line and headers that open one form part."""
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    lines = [f"--{BOUNDARY}", f"Content-Disposition: {disposition}"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


CLOSING = f"--{BOUNDARY}--\r\n".encode()


def form_body(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> bytes:
    """A whole multipart/form-data body (small test forms only)."""
    body = b""
    for name, value in fields.items():
        body += part_head(name) + value.encode() + b"\r\n"
    for name, (filename, data) in files.items():
        body += part_head(name, filename, "application/octet-stream") + data + b"\r\n"
    return body + CLOSING


async def chunks(data: bytes, size: int = 65536) -> AsyncIterator[bytes]:
    """``data`` as an async stream of ``size``-byte chunks."""
    for start in range(0, len(data), size):
        yield data[start : start + size]
