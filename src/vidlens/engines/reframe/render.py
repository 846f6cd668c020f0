"""Rendering a crop plan: decode the source, crop (or blur-pad) every frame, encode H.264
with the source's audio as AAC.

The source is decoded in process (PyAV, full quality) and kept in 4:2:0 YUV: cropping and
scaling work plane by plane, so no colour conversion happens on either side. Frames go to
one ffmpeg child through a pipe as raw ``yuv420p`` at the source's average frame rate; the
same child takes the audio of the source's first audio track, so picture and sound share
one clock, and the output is cut to the video's duration.

Blur-pad frames: the whole source frame is scaled to fit the output, over a copy scaled to
fill it, shrunk 8x, blurred and scaled back up.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from vidlens.engines.base import ProgressHook, no_progress
from vidlens.engines.face.errors import VideoUnreadable
from vidlens.engines.reframe.settings import ReframeSettings
from vidlens.engines.reframe.types import CropPlan
from vidlens.errors import EngineUnavailable, MediaRejected

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Plane = npt.NDArray[np.uint8]

_PROGRESS_EVERY = 0.5


def _planes(frame: Any, rotation: int) -> list[Plane]:
    """The Y, U, V planes of a decoded frame (4:2:0, as displayed)."""
    import numpy as np

    if frame.format.name not in ("yuv420p", "yuvj420p"):
        frame = frame.reformat(format="yuv420p")
    planes = []
    for plane in frame.planes[:3]:
        rows = np.frombuffer(plane, dtype=np.uint8).reshape(plane.height, plane.line_size)
        planes.append(rows[:, : plane.width])
    if rotation % 360:
        planes = [np.rot90(p, k=(rotation // 90) % 4) for p in planes]
    return planes


def _resize(plane: Plane, width: int, height: int) -> Plane:
    import cv2

    if plane.shape[1] == width and plane.shape[0] == height:
        return plane
    shrink = width < plane.shape[1]
    result: Plane = cv2.resize(  # type: ignore[assignment]  # cv2 types every array loosely
        plane, (width, height), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
    )
    return result


def crop_frame(
    planes: list[Plane], window: tuple[int, int, int, int], out: tuple[int, int]
) -> list[Plane]:
    """Crop ``(x, y, w, h)`` (even) from Y, U, V and scale to ``out``."""
    x, y, w, h = window
    luma = _resize(planes[0][y : y + h, x : x + w], out[0], out[1])
    chroma = [
        _resize(p[y // 2 : (y + h) // 2, x // 2 : (x + w) // 2], out[0] // 2, out[1] // 2)
        for p in planes[1:]
    ]
    return [luma, *chroma]


def pad_frame(planes: list[Plane], out: tuple[int, int]) -> list[Plane]:
    """The whole frame fitted into ``out`` over a blurred copy filling it."""
    import cv2
    import numpy as np

    height, width = planes[0].shape
    fit = min(out[0] / width, out[1] / height)
    fill = max(out[0] / width, out[1] / height)
    result = []
    for index, plane in enumerate(planes):
        div = 1 if index == 0 else 2
        ow, oh = out[0] // div, out[1] // div
        cw, ch = max(2, round(width * fill / div)), max(2, round(height * fill / div))
        cover = _resize(plane, cw, ch)
        x0, y0 = (cw - ow) // 2, (ch - oh) // 2
        background = cover[y0 : y0 + oh, x0 : x0 + ow]
        small = cv2.resize(
            background, (max(2, ow // 8), max(2, oh // 8)), interpolation=cv2.INTER_AREA
        )
        small = cv2.GaussianBlur(small, (0, 0), 3)
        blurred = cv2.resize(small, (ow, oh), interpolation=cv2.INTER_LINEAR)
        canvas: Plane = np.ascontiguousarray(blurred, dtype=np.uint8)
        fw = min(ow, max(1, round(width * fit / div)))
        fh = min(oh, max(1, round(height * fit / div)))
        px, py = (ow - fw) // 2, (oh - fh) // 2
        canvas[py : py + fh, px : px + fw] = _resize(plane, fw, fh)
        result.append(canvas)
    return result


def _encoder(
    plan: CropPlan,
    source: Path,
    output: Path,
    rate: Fraction,
    has_audio: bool,
    settings: ReframeSettings,
    errors: IO[bytes],
) -> subprocess.Popen[bytes]:
    width, height = plan.output_width, plan.output_height
    duration = plan.frame_count / float(rate)
    command = [
        settings.ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{width}x{height}",
        "-framerate", f"{rate.numerator}/{rate.denominator}", "-i", "pipe:0",
    ]  # fmt: skip
    if has_audio:
        command += ["-i", str(source), "-map", "0:v:0", "-map", "1:a:0"]
    command += [
        "-c:v", "libx264", "-preset", settings.preset, "-crf", str(settings.crf),
        "-pix_fmt", "yuv420p", "-threads", str(settings.encoder_threads),
    ]  # fmt: skip
    if has_audio:
        command += ["-c:a", "aac", "-b:a", settings.audio_bitrate]
    command += ["-t", f"{duration:.6f}", "-movflags", "+faststart", str(output)]
    try:
        return subprocess.Popen(command, stdin=subprocess.PIPE, stderr=errors)
    except FileNotFoundError:
        raise EngineUnavailable(
            f"ffmpeg not found ({settings.ffmpeg})", hint="apt-get install ffmpeg"
        ) from None


def render(
    source: Path,
    plan: CropPlan,
    output: Path,
    *,
    settings: ReframeSettings | None = None,
    rotation: int = 0,
    progress: ProgressHook | None = None,
) -> dict[str, float]:
    """Render ``plan`` of ``source`` into ``output`` (MP4, H.264 + AAC when the source has
    audio).

    Returns:
        ``frames``, ``processing_seconds``, ``frames_per_second``.

    Raises:
        VideoUnreadable: the source does not decode.
        MediaRejected: encoding failed or ran out of time.
        EngineUnavailable: ffmpeg is missing.
    """
    import av

    settings = settings or ReframeSettings()
    report = progress or no_progress
    started = time.perf_counter()
    deadline = time.monotonic() + settings.encode_timeout_seconds
    out = (plan.output_width, plan.output_height)
    try:
        container = av.open(str(source))
    except av.error.FFmpegError as exc:
        raise VideoUnreadable(f"the source does not open: {exc}") from None
    with container, tempfile.TemporaryFile() as errors:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        rate = Fraction(stream.average_rate or Fraction(round(plan.fps * 1000), 1000))
        encoder = _encoder(
            plan, source, output, rate, bool(container.streams.audio), settings, errors
        )
        frames = 0
        last = time.monotonic()
        try:
            assert encoder.stdin is not None
            for frame in container.decode(stream):
                if frames >= plan.frame_count:
                    break
                planes = _planes(frame, rotation)
                window = plan.window_at(frames)
                parts = crop_frame(planes, window, out) if window else pad_frame(planes, out)
                for part in parts:
                    encoder.stdin.write(part.tobytes())
                frames += 1
                if time.monotonic() - last >= _PROGRESS_EVERY:
                    last = time.monotonic()
                    report(min(0.99, frames / max(1, plan.frame_count)), "rendering")
                    if last > deadline:
                        raise MediaRejected("rendering took longer than its time limit")
            encoder.stdin.close()
            code = encoder.wait(timeout=max(1.0, deadline - time.monotonic()))
        except (BrokenPipeError, subprocess.TimeoutExpired, av.error.FFmpegError) as exc:
            encoder.kill()
            encoder.wait()
            raise MediaRejected(f"rendering failed: {_tail(errors) or exc}") from None
        finally:
            if encoder.poll() is None:
                encoder.kill()
                encoder.wait()
        if code != 0 or frames == 0:
            raise MediaRejected(f"encoding failed: {_tail(errors) or 'no frame decoded'}")
    elapsed = time.perf_counter() - started
    report(1.0, None)
    return {
        "frames": float(frames),
        "processing_seconds": elapsed,
        "frames_per_second": frames / elapsed if elapsed > 0 else 0.0,
    }


def _tail(errors: IO[bytes]) -> str:
    errors.seek(0)
    text = errors.read().decode("utf-8", "replace").strip()
    return text.splitlines()[-1][:400] if text else ""
