"""Running ffprobe safely: a time limit, demuxer and protocol whitelists, no file-name hints.

Private to :mod:`vidlens.media.probe`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from vidlens.errors import EngineUnavailable, UnsupportedMedia
from vidlens.media.formats import SUPPORTED_DEMUXERS

_LOG_PREFIX = re.compile(r"^\[[^\]]* @ 0x[0-9a-f]+\]\s*")
_NOT_WHITELISTED = re.compile(r"^\[([\w,]+) @ 0x[0-9a-f]+\] Format not on whitelist")
_MAX_JSON_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class ProbeRun:
    """What one ffprobe run produced."""

    returncode: int
    stdout: IO[bytes]
    errors: list[str]


class Deadline:
    """A monotonic deadline shared by the ffprobe runs of one probe."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left.

        Raises:
            UnsupportedMedia: the time is up.
        """
        left = self._end - time.monotonic()
        if left <= 0:
            raise _timed_out(self.seconds)
        return left


@contextmanager
def neutral_name(path: Path) -> Iterator[Path]:
    """A symlink to ``path`` without a suffix, so that FFmpeg detects the format from the bytes
    alone (its probe otherwise gives the file extension a large weight)."""
    with tempfile.TemporaryDirectory(prefix="vidlens-probe-") as folder:
        alias = Path(folder) / "media"
        os.symlink(path.resolve(), alias)
        yield alias


def base_args(ffprobe: str) -> list[str]:
    """ffprobe options shared by every run: quiet, whitelisted demuxers, local files only."""
    return [
        ffprobe,
        "-v",
        "error",
        "-hide_banner",
        "-protocol_whitelist",
        "file",
        "-format_whitelist",
        ",".join(SUPPORTED_DEMUXERS),
    ]


@contextmanager
def run(args: Sequence[str], deadline: Deadline) -> Iterator[ProbeRun]:
    """Run ffprobe with stdout spooled to a temporary file (memory stays flat whatever a hostile
    file makes it print); the file is closed when the context exits.

    Raises:
        UnsupportedMedia: ffprobe ran out of time (the process is killed).
        EngineUnavailable: the ffprobe executable is missing.
    """
    with tempfile.TemporaryFile() as stdout:
        try:
            completed = subprocess.run(
                list(args),
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=subprocess.PIPE,
                timeout=deadline.remaining(),
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise _timed_out(deadline.seconds) from exc
        except FileNotFoundError as exc:
            raise EngineUnavailable(
                f"ffprobe executable {args[0]!r} not found.",
                hint="Install FFmpeg or set VIDLENS_MEDIA__FFPROBE.",
            ) from exc
        stdout.seek(0)
        lines = completed.stderr.decode("utf-8", "replace").splitlines()
        errors = [line.strip() for line in lines if line.strip()]
        yield ProbeRun(completed.returncode, stdout, errors)


def read_json(probe_run: ProbeRun) -> dict[str, Any]:
    """The JSON document ffprobe printed (``{}`` if it printed nothing usable)."""
    raw = probe_run.stdout.read(_MAX_JSON_BYTES + 1)
    if len(raw) > _MAX_JSON_BYTES:
        raise UnsupportedMedia("The file declares an implausible number of streams.")
    try:
        document = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return document if isinstance(document, dict) else {}


def describe_failure(errors: list[str], alias: Path) -> str:
    """A client-safe sentence for why ffprobe could not open a file."""
    for line in errors:
        match = _NOT_WHITELISTED.match(line)
        if match:
            detected = match.group(1).split(",", 1)[0]
            return (
                f"The bytes look like {detected!r}, which is not a supported audio or video "
                "container."
            )
    if any("moov atom not found" in line for line in errors):
        return (
            "The file is not readable audio or video: its MP4/MOV index (moov atom) is missing, "
            "so the file is probably truncated."
        )
    details = clean_errors(errors, alias)
    reason = "; ".join(details[:3]) if details else "unrecognised data"
    if any("End of file" in line for line in details):
        return f"The file ends too early: it is probably truncated ({reason})."
    return f"The file is not readable audio or video ({reason})."


def clean_errors(errors: list[str], alias: Path) -> list[str]:
    """ffprobe error lines without log prefixes or local paths, de-duplicated."""
    cleaned: list[str] = []
    for line in errors:
        text = _LOG_PREFIX.sub("", line).replace(f"{alias}: ", "").replace(str(alias), "file")
        text = text[:200]
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned


def _timed_out(seconds: float) -> UnsupportedMedia:
    return UnsupportedMedia(
        f"Reading the file took longer than {seconds:g} s; it is corrupt or hostile."
    )
