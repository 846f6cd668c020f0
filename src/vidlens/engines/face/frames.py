"""Sampled frame decoding: ffmpeg decodes the video's first stream and pipes RGB frames.

One ffmpeg child process decodes the whole stream, keeps ``sample_fps`` frames a second with
its ``fps`` filter, scales them down so the longer side fits ``max_side`` and writes raw RGB24
to a pipe. Frames are read one at a time, so memory stays at one frame plus the pipe buffer
whatever the video's length, and decoding (in ffmpeg) overlaps with detection (in this
process). Rotated phone videos are turned upright (ffmpeg's autorotation), and the frame
size is computed from the probed size and rotation.

Frame ``i`` is stamped ``i / rate`` seconds from the start of the video stream, where
``rate`` is ``sample_fps`` capped at the stream's own frame rate (the ``fps`` filter picks
the source frame nearest each tick, so a stamp is within half a source frame of the frame's
own time). ``eof_action=pass`` keeps the last frame of a video shorter than one sampling
interval (a 1-frame video yields one frame instead of none).
"""

from __future__ import annotations

import json
import math
import subprocess
import tempfile
import time
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from vidlens.engines.face.errors import VideoUnreadable
from vidlens.errors import EngineUnavailable, MediaRejected, NotFound

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

_MAX_STDERR = 400
_PROBE_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """The first video stream of a file, as ffprobe reads it.

    Attributes:
        width: displayed width in pixels (after rotation).
        height: displayed height in pixels (after rotation).
        duration: seconds (stream duration, else the container's; 0 when unknown).
        fps: average frame rate, or None when ffprobe cannot tell.
        rotation: display rotation in degrees (0, 90, 180, 270).
    """

    width: int
    height: int
    duration: float
    fps: float | None
    rotation: int


@dataclass(frozen=True, slots=True)
class Frame:
    """One sampled frame: ``rgb`` is a ``(height, width, 3)`` uint8 array."""

    index: int
    timestamp: float
    """Seconds from the start of the video stream."""
    rgb: npt.NDArray[np.uint8]


def probe_video(path: Path, *, ffprobe: str = "ffprobe") -> VideoInfo:
    """Read the size, rotation, duration and rate of the first video stream.

    Raises:
        NotFound: the file does not exist.
        VideoUnreadable: not a media file ffprobe reads, or no video stream.
        EngineUnavailable: ffprobe is missing.
    """
    if not path.is_file():
        raise NotFound("The media file does not exist.")
    command = [
        ffprobe, "-v", "error", "-select_streams", "v", "-show_entries",
        "stream=codec_type,codec_name,width,height,avg_frame_rate,r_frame_rate,duration:"
        "stream_side_data=rotation:stream_disposition=attached_pic:format=duration",
        "-of", "json", str(path),
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=_PROBE_TIMEOUT, check=False)
    except FileNotFoundError:
        raise EngineUnavailable(
            f"ffprobe not found ({ffprobe})", hint="apt-get install ffmpeg"
        ) from None
    except subprocess.TimeoutExpired:
        raise VideoUnreadable(
            f"reading the video's streams took over {_PROBE_TIMEOUT:g} s"
        ) from None
    if done.returncode != 0:
        raise VideoUnreadable(f"the file is not readable media: {_last_line(done.stderr)}")
    try:
        document: dict[str, Any] = json.loads(done.stdout or b"{}")
    except ValueError:
        raise VideoUnreadable("ffprobe returned unreadable stream information") from None
    streams = [
        s
        for s in document.get("streams") or []
        if s.get("codec_name") and not (s.get("disposition") or {}).get("attached_pic")
    ]
    if not streams:
        raise VideoUnreadable("the media has no video stream (audio only or still cover art)")
    stream = streams[0]
    width, height = _positive(stream.get("width")), _positive(stream.get("height"))
    if width is None or height is None:
        raise VideoUnreadable("the video stream has no frame size")
    rotation = 0
    for side in stream.get("side_data_list") or []:
        if "rotation" in side:
            rotation = round(float(side["rotation"])) % 360
    if rotation in (90, 270):
        width, height = height, width
    duration = _float(stream.get("duration")) or _float(
        (document.get("format") or {}).get("duration")
    )
    fps = _rate(stream.get("avg_frame_rate")) or _rate(stream.get("r_frame_rate"))
    return VideoInfo(width, height, duration or 0.0, fps, rotation)


def frame_size(info: VideoInfo, max_side: int) -> tuple[int, int]:
    """The decoded ``(width, height)``: the displayed size scaled down to fit ``max_side``."""
    scale = min(1.0, max_side / max(info.width, info.height))
    return max(1, round(info.width * scale)), max(1, round(info.height * scale))


def sample_rate(info: VideoInfo, sample_fps: float) -> float:
    """Frames per second actually sampled: ``sample_fps``, capped at the stream's rate."""
    if info.fps is not None and info.fps > 0:
        return min(sample_fps, info.fps)
    return sample_fps


def iter_frames(
    path: Path,
    info: VideoInfo,
    *,
    sample_fps: float,
    max_side: int,
    ffmpeg: str = "ffmpeg",
    threads: int = 1,
    timeout_seconds: float = 3600.0,
) -> Generator[Frame, None, None]:
    """Yield the sampled frames of ``path`` in order, one at a time.

    Closing the generator early stops ffmpeg.

    Raises:
        VideoUnreadable: ffmpeg cannot decode the stream (nothing or only part of it).
        MediaRejected: decoding took longer than ``timeout_seconds``.
        EngineUnavailable: ffmpeg is missing.
    """
    import numpy as np

    width, height = frame_size(info, max_side)
    rate = sample_rate(info, sample_fps)
    frame_bytes = width * height * 3
    filters = f"fps={rate:.6f}:eof_action=pass,scale={width}:{height}:flags=area,format=rgb24"
    command = [
        ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-threads", str(threads),
        "-i", str(path), "-map", "0:v:0", "-an", "-sn", "-dn", "-vf", filters,
        "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
    ]  # fmt: skip
    deadline = time.monotonic() + timeout_seconds
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=errors, bufsize=frame_bytes
            )
        except FileNotFoundError:
            raise EngineUnavailable(
                f"ffmpeg not found ({ffmpeg})", hint="apt-get install ffmpeg"
            ) from None
        assert process.stdout is not None
        index = 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise MediaRejected(
                        f"decoding the video took longer than {timeout_seconds:g} s"
                    )
                data = _read_exactly(process.stdout, frame_bytes)
                if len(data) < frame_bytes:
                    break
                rgb = np.frombuffer(data, dtype=np.uint8).reshape(height, width, 3)
                yield Frame(index, index / rate, rgb)
                index += 1
            returncode = process.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise MediaRejected(
                f"decoding the video took longer than {timeout_seconds:g} s"
            ) from None
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
        if index == 0:
            raise VideoUnreadable(f"the video stream does not decode: {_stderr(errors)}")
        if returncode != 0 and not _covers(index, rate, info.duration):
            raise VideoUnreadable(
                f"the video stops decoding after {index / rate:.2f} s: {_stderr(errors)}"
            )


def _covers(frames: int, rate: float, duration: float) -> bool:
    """Whether ``frames`` sampled frames reach (almost) the end of ``duration``."""
    return duration <= 0 or frames / rate >= duration - max(1.0, 2.0 / rate)


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _stderr(errors: IO[bytes]) -> str:
    errors.seek(0)
    return _last_line(errors.read())


def _last_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[-1][:_MAX_STDERR] if text else "no message"


def _positive(value: object) -> int | None:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _float(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


def _rate(value: object) -> float | None:
    if not isinstance(value, str) or "/" not in value:
        return None
    numerator, _, denominator = value.partition("/")
    try:
        rate = float(numerator) / float(denominator)
    except (ValueError, ZeroDivisionError):
        return None
    return rate if math.isfinite(rate) and 0 < rate < 1000 else None
