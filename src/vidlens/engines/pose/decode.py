"""Decode a video's frames with ffmpeg, rotated upright and scaled, with stream timestamps.

ffmpeg runs as a child process writing raw RGB frames to a pipe, so decoding overlaps with
inference on a second core. The display matrix (phone videos filmed in portrait) is applied by
ffmpeg's autorotation; the output size is computed from the probed size and rotation. Frame
times come from the stream's packet timestamps (sorted into presentation order), not from
frame counts, so variable-frame-rate clips are timed correctly.
"""

from __future__ import annotations

import json
import math
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from vidlens.errors import EngineUnavailable, MediaRejected, UnsupportedMedia
from vidlens.media._ffprobe import base_args
from vidlens.media.formats import SUPPORTED_DEMUXERS

Frame = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class StreamGeometry:
    """The first video stream: coded size, rotation, declared rate, frame times.

    Attributes:
        coded_width, coded_height: size before rotation.
        rotation: clockwise display rotation in degrees (0, 90, 180, 270).
        nominal_fps: ``r_frame_rate``, or None when unknown.
        times: presentation times of the frames in seconds from the first (sorted packet
            timestamps), or an empty tuple when the stream has none.
    """

    coded_width: int
    coded_height: int
    rotation: int
    nominal_fps: float | None
    times: tuple[float, ...]

    @property
    def width(self) -> int:
        return self.coded_height if self.rotation in (90, 270) else self.coded_width

    @property
    def height(self) -> int:
        return self.coded_width if self.rotation in (90, 270) else self.coded_height


def _run_json(args: list[str], timeout: float) -> dict[str, Any]:
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError as exc:
        raise EngineUnavailable(
            f"{args[0]} is not installed.", hint="Install ffmpeg (it provides ffprobe)."
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise UnsupportedMedia(f"The video could not be read within {timeout:g} s.") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UnsupportedMedia(
            "The video could not be read" + (f": {reason[-1]}" if reason else ".")
        )
    try:
        data = json.loads(done.stdout or b"{}")
    except json.JSONDecodeError as exc:
        raise UnsupportedMedia("The video could not be read (unexpected probe output).") from exc
    return data if isinstance(data, dict) else {}


def _rate(text: object) -> float | None:
    try:
        num, _, den = str(text).partition("/")
        value = float(num) / float(den or 1)
    except (ValueError, ZeroDivisionError):
        return None
    return value if math.isfinite(value) and 0.5 <= value <= 1000 else None


def _rotation(stream: dict[str, Any]) -> int:
    degrees = 0.0
    for item in stream.get("side_data_list") or []:
        if isinstance(item, dict) and "rotation" in item:
            try:
                degrees = float(item["rotation"])
            except (TypeError, ValueError):
                degrees = 0.0
    tag = (stream.get("tags") or {}).get("rotate")
    if tag is not None and degrees == 0.0:
        try:
            degrees = -float(tag)
        except (TypeError, ValueError):
            degrees = 0.0
    # The display matrix rotation is counter-clockwise; ffmpeg turns the picture upright.
    return round(-degrees / 90.0) % 4 * 90


def _first_stream(path: Path, ffprobe: str, timeout: float) -> dict[str, Any]:
    entries = "stream=width,height,r_frame_rate,avg_frame_rate:stream_side_data=rotation"
    args = [*base_args(ffprobe), "-select_streams", "v:0", "-show_entries",
            f"{entries}:stream_tags=rotate", "-of", "json", str(path)]  # fmt: skip
    streams = _run_json(args, timeout).get("streams") or []
    if not streams or not isinstance(streams[0], dict):
        raise MediaRejected("The file has no video stream.", limit="require_video")
    stream: dict[str, Any] = streams[0]
    return stream


def _packet_times(path: Path, ffprobe: str, timeout: float) -> tuple[float, ...]:
    """Presentation times of the first video stream's packets, sorted, from the first."""
    args = [*base_args(ffprobe), "-select_streams", "v:0", "-show_entries",
            "packet=pts_time", "-of", "json", str(path)]  # fmt: skip
    packets = _run_json(args, timeout).get("packets") or []
    stamps = sorted(
        {
            round(float(p["pts_time"]), 6)
            for p in packets
            if isinstance(p, dict) and _is_number(p.get("pts_time"))
        }
    )
    return tuple(t - stamps[0] for t in stamps) if stamps else ()


def probe_stream(path: Path, *, ffprobe: str = "ffprobe", timeout: float = 60.0) -> StreamGeometry:
    """Read the first video stream's geometry, rotation and packet timestamps.

    Raises:
        UnsupportedMedia: unreadable file.
        MediaRejected: no video stream.
        EngineUnavailable: ffprobe is missing.
    """
    stream = _first_stream(path, ffprobe, timeout)
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    if width < 16 or height < 16:
        raise MediaRejected("The video stream has no usable picture size.")
    return StreamGeometry(
        coded_width=width,
        coded_height=height,
        rotation=_rotation(stream),
        nominal_fps=_rate(stream.get("r_frame_rate")) or _rate(stream.get("avg_frame_rate")),
        times=_packet_times(path, ffprobe, timeout),
    )


def _is_number(value: object) -> bool:
    try:
        return math.isfinite(float(str(value)))
    except ValueError:
        return False


def rgb_of_i420(planes: Frame) -> Frame:
    """RGB (height, width, 3) of a YUV 4:2:0 frame (height * 3 / 2, width): BT.601 video
    range, as ffmpeg's default conversion."""
    import cv2

    return np.asarray(cv2.cvtColor(planes, cv2.COLOR_YUV2RGB_I420), dtype=np.uint8)


def scaled_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """The output size: longest side at most ``max_side``, both even."""
    factor = min(1.0, max_side / max(width, height))
    return max(2, int(width * factor) // 2 * 2), max(2, int(height * factor) // 2 * 2)


class FrameReader:
    """Iterate the RGB frames of a video (rotated upright, scaled to ``size``), or with
    ``i420`` their YUV 4:2:0 planes as ffmpeg scaled them, one (height * 3 / 2, width) array
    per frame (``size`` even; :func:`rgb_of_i420` converts: the cheaper path, as swscale's own
    RGB conversion costs about a third of the decoding; but its RGB differs from swscale's by
    about 2 levels, which moves the landmarks, so the pose keeps swscale's RGB).

    Use as a context manager; the ffmpeg process is killed on exit whatever happened.
    ``start_frame`` skips the frames before it (they are decoded and dropped by ffmpeg's
    ``select`` filter, so frame indices stay exact whatever the keyframes); ``max_frames``
    caps how many frames are produced from there.

    Raises (while iterating):
        UnsupportedMedia: ffmpeg failed before producing a frame, or ran out of time.
        EngineUnavailable: ffmpeg is missing.
    """

    def __init__(
        self,
        path: Path,
        size: tuple[int, int],
        *,
        ffmpeg: str = "ffmpeg",
        max_frames: int = 3000,
        timeout: float = 300.0,
        start_frame: int = 0,
        i420: bool = False,
    ) -> None:
        self.path = path
        self.i420 = i420
        self.size = size
        self.ffmpeg = ffmpeg
        self.max_frames = max_frames
        self.start_frame = max(0, start_frame)
        self.timeout = timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: list[bytes] = []

    def __enter__(self) -> FrameReader:
        width, height = self.size
        scale = f"scale={width}:{height}:flags=area"
        if self.start_frame:
            scale = f"select=gte(n\\,{self.start_frame}),{scale}"
        args = [
            self.ffmpeg,
            "-v",
            "error",
            "-nostdin",
            "-protocol_whitelist",
            "file",
            "-format_whitelist",
            ",".join(SUPPORTED_DEMUXERS),
            "-threads",
            "2",
            "-i",
            str(self.path),
            "-map",
            "0:v:0",
            "-an",
            "-sn",
            "-dn",
            "-fps_mode",
            "passthrough",
            "-frames:v",
            str(self.max_frames),
            "-vf",
            scale,
            "-pix_fmt",
            "yuv420p" if self.i420 else "rgb24",
            "-f",
            "rawvideo",
            "pipe:1",
        ]
        try:
            self._process = subprocess.Popen(
                args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
            )
        except FileNotFoundError as exc:
            raise EngineUnavailable(
                f"{self.ffmpeg} is not installed.", hint="Install ffmpeg."
            ) from exc
        stderr = self._process.stderr
        if stderr is None:  # pragma: no cover - Popen with stderr=PIPE always has one
            raise RuntimeError("ffmpeg has no stderr pipe")
        threading.Thread(target=self._drain, args=(stderr,), daemon=True).start()
        return self

    def _drain(self, stream: Any) -> None:
        total = 0
        for line in iter(stream.readline, b""):
            if total < 64 * 1024:
                self._stderr.append(line)
                total += len(line)

    def __iter__(self) -> Iterator[Frame]:
        process = self._process
        if process is None or process.stdout is None:
            raise RuntimeError("FrameReader is iterated outside its with block")
        width, height = self.size
        shape = (height * 3 // 2, width) if self.i420 else (height, width, 3)
        frame_bytes = int(np.prod(shape))
        deadline = time.monotonic() + self.timeout
        produced = 0
        while True:
            if time.monotonic() > deadline:
                raise UnsupportedMedia(f"Decoding took longer than {self.timeout:g} s.")
            data = process.stdout.read(frame_bytes)
            if len(data) < frame_bytes:
                break
            produced += 1
            yield np.frombuffer(data, dtype=np.uint8).reshape(shape)
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
        if produced == 0:
            message = b"".join(self._stderr).decode("utf-8", "replace").strip().splitlines()
            detail = f": {message[-1]}" if message else "."
            raise UnsupportedMedia(f"No video frame could be decoded{detail}")
        del code  # a decode error after some frames: the frames read so far are kept

    def __exit__(self, *exc: object) -> None:
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
