"""The annotated video (H.264 MP4) and the thumbnail (JPEG) of an analysis.

The source's frames (upright, scaled so that its longest side is at most ``max_side`` pixels)
come from the pose pass's :class:`~vidlens.engines.pose.frames.FrameStore` when it holds them
at that size, else the source is decoded again; each frame is annotated
(:mod:`~vidlens.gait.overlay`) and piped to ffmpeg's libx264 (``preset``, ``crf``, yuv420p,
``+faststart`` so that browsers start playing at once). The output has a constant frame rate
(the source's median rate); each output frame shows the latest source frame whose timestamp is
not after it, so a variable-frame-rate clip keeps its timing. The thumbnail is the annotated
frame in the middle of the runner's visible span.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from vidlens.engines.base import ProgressHook, no_progress
from vidlens.engines.pose.decode import FrameReader, rgb_of_i420, scaled_size
from vidlens.engines.pose.frames import FrameStore
from vidlens.errors import EngineUnavailable, UnsupportedMedia
from vidlens.gait.overlay import Annotations, draw

if TYPE_CHECKING:
    from vidlens.config import Settings


@dataclass(frozen=True)
class VideoSettings:
    """Output size and encoder settings."""

    max_side: int = 960
    crf: int = 23
    preset: str = "veryfast"
    thumbnail_side: int = 640
    ffmpeg: str = "ffmpeg"
    timeout_seconds: float = 300.0
    frame_store_bytes: int = 320 * 1024 * 1024
    """Budget of the pose pass's frame store, reused for the video (0: decode again)."""

    @classmethod
    def of(cls, settings: Settings) -> VideoSettings:
        """The annotated video's settings from ``settings.gait`` and the ffmpeg to use."""
        gait = settings.gait
        return cls(
            max_side=gait.video_max_side,
            crf=gait.video_crf,
            preset=gait.video_preset,
            ffmpeg=settings.media.ffmpeg,
            frame_store_bytes=gait.frame_store_mb * 1024 * 1024,
        )


@dataclass(frozen=True)
class Rendered:
    video: Path
    thumbnail: Path
    width: int
    height: int
    fps: float


def render(
    source: Path,
    notes: Annotations,
    folder: Path,
    settings: VideoSettings | None = None,
    progress: ProgressHook = no_progress,
    frames: FrameStore | None = None,
) -> Rendered:
    """Write ``annotated.mp4`` and ``thumbnail.jpg`` into ``folder``.

    ``frames``: the decoded frames of the pose pass, used instead of decoding ``source`` again
    when they are all there at the output size.

    Raises:
        UnsupportedMedia: the source cannot be decoded again, or the encoder failed.
        EngineUnavailable: ffmpeg is missing.
    """
    settings = settings or VideoSettings()
    seq = notes.seq
    width, height = scaled_size(seq.video.width, seq.video.height, settings.max_side)
    notes.scale = width / seq.video.width
    fps = float(seq.video.fps)
    video, thumbnail = folder / "annotated.mp4", folder / "thumbnail.jpg"
    middle = _thumbnail_frame(notes)
    kept: list[np.ndarray] = []

    def keep(index: int, frame: np.ndarray) -> None:
        if index == middle:
            kept.append(frame.copy())

    count = seq.frame_count
    stored = frames if frames is not None and frames.holds(0, count, (width, height)) else None
    with _Encoder(video, (width, height), fps, settings) as encoder:
        source_frames = (
            _stored(stored, count)
            if stored is not None
            else _decoded(source, (width, height), count, settings)
        )
        _annotate_all(source_frames, notes, encoder.write, keep, progress)
    still = kept[0] if kept else np.zeros((height, width, 3), dtype=np.uint8)
    _write_jpeg(thumbnail, still, settings.thumbnail_side)
    return Rendered(video, thumbnail, width, height, fps)


def _thumbnail_frame(notes: Annotations) -> int:
    seen = np.flatnonzero(notes.seq.detected)
    return int(seen[len(seen) // 2]) if seen.size else 0


def _stored(frames: FrameStore, count: int) -> Generator[np.ndarray, None, None]:
    for index in range(count):
        yield frames.rgb(index)


def _decoded(
    source: Path, size: tuple[int, int], count: int, settings: VideoSettings
) -> Generator[np.ndarray, None, None]:
    reader = FrameReader(
        source,
        size,
        ffmpeg=settings.ffmpeg,
        max_frames=count,
        timeout=settings.timeout_seconds,
        i420=True,
    )
    with reader:
        for planes in reader:
            yield rgb_of_i420(planes)


def _annotate_all(
    frames: Generator[np.ndarray, None, None],
    notes: Annotations,
    write: Callable[[np.ndarray], None],
    keep: Callable[[int, np.ndarray], None],
    progress: ProgressHook,
) -> None:
    seq = notes.seq
    period = 1.0 / seq.video.fps
    emitted = 0
    total = max(1, seq.frame_count)
    try:
        for index, frame in enumerate(frames):
            draw(frame, index, notes)
            keep(index, frame)
            next_time = (
                float(seq.times[index + 1])
                if index + 1 < seq.frame_count
                else float(seq.times[index]) + period
            )
            # Output slots up to this frame's display end show this frame (VFR timing kept).
            while emitted == 0 or (emitted * period) < next_time - period / 2:
                write(frame)
                emitted += 1
            if index % 10 == 0:
                progress(min(1.0, (index + 1) / total), "rendering video")
    finally:
        frames.close()  # a generator over a FrameReader stops its ffmpeg at once


def _write_jpeg(path: Path, frame: np.ndarray, side: int) -> None:
    import cv2

    height, width = frame.shape[:2]
    factor = min(1.0, side / max(height, width))
    small = cv2.resize(
        frame,
        (max(2, round(width * factor)), max(2, round(height * factor))),
        interpolation=cv2.INTER_AREA,
    )
    ok, data = cv2.imencode(
        ".jpg", cv2.cvtColor(small, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85]
    )
    if not ok:
        raise UnsupportedMedia("The thumbnail could not be encoded.")
    path.write_bytes(data.tobytes())


class _Encoder:
    """ffmpeg reading raw I420 frames on stdin and writing an H.264 MP4 (:meth:`write` takes
    RGB frames and converts them with OpenCV, BT.601 video range as ffmpeg's own conversion:
    a fraction of ffmpeg's cost, and half the bytes through the pipe)."""

    def __init__(
        self, path: Path, size: tuple[int, int], fps: float, settings: VideoSettings
    ) -> None:
        self.path, self.size, self.fps, self.settings = path, size, fps, settings
        self._process: subprocess.Popen[bytes] | None = None
        self._errors = b""

    def __enter__(self) -> _Encoder:
        width, height = self.size
        args = [
            self.settings.ffmpeg, "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p",
            "-s", f"{width}x{height}", "-r", f"{self.fps:.6f}", "-i", "pipe:0",
            "-c:v", "libx264", "-preset", self.settings.preset, "-crf", str(self.settings.crf),
            "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-threads", "2", str(self.path),
        ]  # fmt: skip
        try:
            self._process = subprocess.Popen(args, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        except FileNotFoundError as exc:
            raise EngineUnavailable(
                f"{self.settings.ffmpeg} is not installed.", hint="Install ffmpeg."
            ) from exc
        stderr = self._process.stderr
        if stderr is not None:
            threading.Thread(target=self._drain, args=(stderr,), daemon=True).start()
        return self

    def _drain(self, stream: object) -> None:
        read = getattr(stream, "read", None)
        if read is not None:
            self._errors = bytes(read())[-4000:]

    def write(self, frame: np.ndarray) -> None:
        """Encode the RGB ``frame`` (of the encoder's size)."""
        import cv2

        process = self._process
        if process is None or process.stdin is None:
            raise RuntimeError("the encoder is not running")
        packed = cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_RGB2YUV_I420)
        try:
            process.stdin.write(packed.tobytes())
        except BrokenPipeError as exc:
            raise UnsupportedMedia(f"The video encoder stopped: {self._message()}") from exc

    def _message(self) -> str:
        lines = self._errors.decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else "no message"

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        process = self._process
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                process.stdin.close()
        try:
            code = process.wait(timeout=self.settings.timeout_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise UnsupportedMedia("The video encoder ran out of time.") from None
        if code != 0 and kind is None:
            raise UnsupportedMedia(f"The annotated video could not be encoded: {self._message()}")


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for one rendering (removed when the context ends)."""
    return tempfile.TemporaryDirectory(prefix="vidlens-gait-")
