"""Probe and decode the first video stream of a file with PyAV, in process.

Why not an ffmpeg child process: for shot detection the whole stream is decoded at full
frame rate, and for short clips the start-up of a child process costs as much as the
decoding itself; libavcodec's fast options (``skip_loop_filter``, ``flags2=+fast``) and
decoding into small frames keep this path at several hundred frames a second for 720p
H.264 on one core.

Conventions: frame ``index`` counts decoded frames from 0 in presentation order;
``time`` is the frame's presentation time in seconds minus the first frame's, so the first
frame is at 0 whatever the container's start offset. Sizes are the decoded (coded) sizes;
``rotation`` reports display rotation metadata, which callers apply when they need an
upright picture.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from vidlens.engines.face.errors import VideoUnreadable
from vidlens.errors import NotFound

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

PixelFormat = Literal["yuv444p", "rgb24", "gray", "yuv420p"]

FAST_OPTIONS = {"skip_loop_filter": "all", "flags2": "+fast"}
"""libavcodec options that trade invisible-at-small-sizes quality for speed (H.264/HEVC
deblocking skipped, non-bit-exact shortcuts allowed)."""


@dataclass(frozen=True, slots=True)
class VideoProbe:
    """The first video stream of a file.

    Attributes:
        width: coded width in pixels.
        height: coded height in pixels.
        fps: average frame rate (frames per second).
        duration: seconds (stream duration, else the container's).
        frame_count: frames declared by the container, or an estimate ``fps x duration``.
        rotation: display rotation in degrees (0, 90, 180, 270), counter-clockwise.
        codec: decoder name (``h264``, ``mpeg4``...).
        has_audio: whether the file has an audio stream.
    """

    width: int
    height: int
    fps: float
    duration: float
    frame_count: int
    rotation: int
    codec: str
    has_audio: bool

    @property
    def display_size(self) -> tuple[int, int]:
        """``(width, height)`` as displayed, after rotation."""
        if self.rotation in (90, 270):
            return self.height, self.width
        return self.width, self.height


@dataclass(frozen=True, slots=True)
class DecodedFrame:
    """One decoded frame: ``array`` is ``(3, h, w)`` for ``yuv444p``, ``(h, w, 3)`` for
    ``rgb24``, ``(h, w)`` for ``gray``; ``None`` when the frame was decoded but not
    converted (not sampled)."""

    index: int
    time: float
    array: npt.NDArray[np.uint8] | None


@contextmanager
def _opened(path: Path, *, fast: bool, threads: int) -> Iterator[tuple[Any, Any]]:
    import av

    if not path.is_file():
        raise NotFound("The media file does not exist.")
    try:
        container = av.open(str(path), mode="r", metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise VideoUnreadable(f"the file is not readable media: {_message(exc)}") from None
    try:
        streams = [s for s in container.streams.video if not _is_cover_art(s)]
        if not streams:
            raise VideoUnreadable("the media has no video stream (audio only or cover art)")
        stream = streams[0]
        if fast:
            stream.codec_context.options = dict(FAST_OPTIONS)
        if threads == 1:
            stream.thread_type = "NONE"
        else:
            stream.thread_type = "AUTO" if threads == 0 else "FRAME"
            stream.thread_count = threads
        yield container, stream
    finally:
        container.close()


def _is_cover_art(stream: Any) -> bool:
    import av

    disposition = getattr(stream, "disposition", None)
    if disposition is None:
        return False
    return bool(disposition & av.stream.Disposition.attached_pic)


def _message(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def probe(path: Path) -> VideoProbe:
    """Read the first video stream's size, rate, duration and rotation.

    Raises:
        NotFound: the file does not exist.
        VideoUnreadable: not media, or no video stream, or no frame size.
    """
    with _opened(path, fast=False, threads=1) as (container, stream):
        return _describe(container, stream, rotation=_rotation(container, stream))


def _describe(container: Any, stream: Any, *, rotation: int = 0) -> VideoProbe:
    width, height = int(stream.codec_context.width), int(stream.codec_context.height)
    if width <= 0 or height <= 0:
        raise VideoUnreadable("the video stream has no frame size")
    fps = _rate(stream.average_rate) or _rate(stream.base_rate) or _rate(stream.guessed_rate)
    duration = _duration(container, stream)
    fps = fps or 25.0
    frames = int(stream.frames or 0) or max(1, round(fps * duration))
    return VideoProbe(
        width=width,
        height=height,
        fps=fps,
        duration=duration,
        frame_count=frames,
        rotation=rotation,
        codec=str(stream.codec_context.name),
        has_audio=bool(container.streams.audio),
    )


def _rate(value: Any) -> float | None:
    try:
        rate = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return rate if math.isfinite(rate) and 0 < rate < 1000 else None


def _duration(container: Any, stream: Any) -> float:
    if stream.duration is not None and stream.time_base is not None:
        seconds = float(stream.duration * stream.time_base)
        if math.isfinite(seconds) and seconds > 0:
            return seconds
    if container.duration is not None and container.duration > 0:
        return float(container.duration) / 1_000_000
    return 0.0


def _rotation(container: Any, stream: Any) -> int:
    """Display rotation of the first frame (its display matrix; 0 when absent or when no
    frame decodes)."""
    import av

    try:
        for frame in container.decode(stream):
            return round(float(frame.rotation)) % 360
    except (av.error.FFmpegError, AttributeError, TypeError, ValueError):
        return 0
    return 0


def iter_frames(
    path: Path,
    *,
    width: int,
    height: int,
    pix_fmt: PixelFormat = "yuv444p",
    sample_fps: float | None = None,
    fast: bool = True,
    threads: int = 1,
    interpolation: str = "AREA",
) -> Generator[DecodedFrame, None, None]:
    """Decode every frame of the first video stream, in presentation order.

    Arguments:
        path: any file libavformat reads.
        width, height: size of the converted frames, in pixels.
        pix_fmt: format of the converted frames.
        sample_fps: convert only frames at this rate (the first frame at or after each tick
            of ``1 / sample_fps`` s); the others are yielded with ``array=None``. ``None``
            converts every frame.
        fast: use :data:`FAST_OPTIONS` (fine for analysis, not for output pictures).
        threads: decoder threads: 1 decodes in this thread (the most frames per CPU
            second; best on a busy machine), 0 lets libavcodec decide, more uses frame
            threads.
        interpolation: swscale scaler (``AREA``, ``BILINEAR``, ``FAST_BILINEAR``...). With
            ``AREA`` and ``rgb24``, ``yuv420p`` frames are scaled and converted by OpenCV
            instead (same result within 1 of 255, a quarter of the CPU).

    Raises:
        NotFound: the file does not exist.
        VideoUnreadable: not media, no video stream, or no frame decodes.
    """
    import av
    import numpy as np

    with _opened(path, fast=fast, threads=threads) as (container, stream):
        index, first, next_tick = 0, None, 0.0
        step = 1.0 / sample_fps if sample_fps else 0.0
        try:
            for frame in container.decode(stream):
                stamp = _frame_time(frame, index, stream)
                first = stamp if first is None else first
                time = max(0.0, stamp - first)
                array = None
                if not step or time + 1e-6 >= next_tick:
                    array = (
                        _rgb_from_yuv420(frame, width, height)
                        if pix_fmt == "rgb24" and interpolation == "AREA"
                        else None
                    )
                    if array is None:
                        array = np.ascontiguousarray(
                            frame.reformat(
                                width=width,
                                height=height,
                                format=pix_fmt,
                                interpolation=interpolation,
                            ).to_ndarray()
                        )
                    next_tick = (math.floor(time / step + 1e-6) + 1) * step if step else 0.0
                yield DecodedFrame(index, time, array)
                index += 1
        except av.error.FFmpegError as exc:
            if index == 0:
                raise VideoUnreadable(
                    f"the video stream does not decode: {_message(exc)}"
                ) from None
            # Damage after some frames: keep what decoded (the caller sees fewer frames).
        if index == 0:
            raise VideoUnreadable("the video stream has no decodable frame")


def _rgb_from_yuv420(frame: Any, width: int, height: int) -> npt.NDArray[np.uint8] | None:
    """A limited-range ``yuv420p`` frame scaled (area) and converted to ``(h, w, 3)`` RGB
    by OpenCV, plane by plane: a quarter of swscale's CPU for 1080p to 960x540 (0.7 ms vs
    3.4 ms a frame on the bench machine; mean difference under 1 of 255). ``None`` for
    other layouts or odd sizes (the caller converts with swscale)."""
    if frame.format.name != "yuv420p" or width % 2 or height % 2:
        return None
    import cv2
    import numpy as np

    chroma = (width // 2, height // 2)
    parts: list[Any] = []
    for plane, size in zip(frame.planes[:3], ((width, height), chroma, chroma), strict=True):
        source = _plane(plane)
        if source.shape[1] == size[0] and source.shape[0] == size[1]:
            parts.append(source.ravel())
        else:
            parts.append(cv2.resize(source, size, interpolation=cv2.INTER_AREA).ravel())
    i420 = np.concatenate(parts).reshape(height * 3 // 2, width)
    rgb: npt.NDArray[np.uint8] = cv2.cvtColor(  # type: ignore[assignment]  # loose cv2 types
        i420, cv2.COLOR_YUV2RGB_I420
    )
    return rgb


_PLANAR_YUV = frozenset({"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p"})
"""8-bit planar YUV layouts whose planes are read directly (no swscale conversion)."""


def iter_small_yuv_chunks(
    path: Path,
    *,
    width: int,
    chunk: int = 256,
    fast: bool = True,
    threads: int = 1,
    on_probe: Callable[[VideoProbe], None] | None = None,
) -> Generator[tuple[list[float], npt.NDArray[np.uint8]], None, None]:
    """Decode every frame and keep a small picture of it, ``chunk`` frames at a time.

    A small picture is the frame's Y, U and V planes decimated (every k-th pixel of every
    k-th row) to about ``width`` columns, as ``(3, h, w)`` uint8 (``h`` follows the aspect
    ratio; U and V are sampled to the same grid); PySceneDetect decimates the same way
    before scoring. For 8-bit planar YUV streams (nearly all video) the planes are read
    straight from the decoder's buffers; other layouts are first converted by swscale. The
    file is opened once: ``on_probe`` receives the stream's :class:`VideoProbe` (without
    rotation) before the first frame is decoded.

    Yields ``(times, frames)`` with ``frames`` a ``(n, 3, h, w)`` uint8 array (``n <=
    chunk``; a shorter chunk also ends a run of one frame size, when the stream changes
    size). The planes are
    copied straight into one buffer, with no per-frame array or object: for small,
    fast-decoding streams the per-frame Python work was a third of the cost. ``frames`` is
    reused by the next chunk: use it before asking for the next one.

    Raises:
        The errors of :func:`iter_frames`.
    """
    import av
    import numpy as np

    with _opened(path, fast=fast, threads=threads) as (container, stream):
        info = _describe(container, stream)
        if on_probe is not None:
            on_probe(info)
        index, first = 0, None
        buffer: npt.NDArray[np.uint8] | None = None
        layout: tuple[Any, ...] | None = None
        times: list[float] = []
        try:
            for frame in container.decode(stream):
                stamp = _frame_time(frame, index, stream)
                first = stamp if first is None else first
                frame = _planar(frame)
                current = _small_layout(frame, width, info.width, layout)
                if current is not layout:
                    if buffer is not None and times:
                        yield times, buffer[: len(times)]
                        times = []
                    layout = current
                    buffer = np.empty((chunk, 3, layout[1], layout[2]), dtype=np.uint8)
                assert buffer is not None
                _write_small(frame, current, buffer[len(times)])
                times.append(max(0.0, stamp - first))
                index += 1
                if len(times) == chunk:
                    yield times, buffer
                    times = []
        except av.error.FFmpegError as exc:
            if index == 0:
                raise VideoUnreadable(
                    f"the video stream does not decode: {_message(exc)}"
                ) from None
        if buffer is not None and times:
            yield times, buffer[: len(times)]
        if index == 0:
            raise VideoUnreadable("the video stream has no decodable frame")


def iter_analysis_frames(
    path: Path,
    *,
    small_width: int,
    width: int,
    height: int,
    sample_fps: float | None,
    fast: bool = True,
    threads: int = 1,
    on_probe: Callable[[VideoProbe], None] | None = None,
) -> Generator[tuple[int, float, npt.NDArray[np.uint8], npt.NDArray[np.uint8] | None], None, None]:
    """One decoding pass for shot detection and face tracking together: every frame as
    ``(index, time, small, rgb)``, ``small`` its picture of :func:`iter_small_yuv_chunks`
    (decimated to about ``small_width`` columns), ``rgb`` the ``(height, width, 3)`` RGB
    picture of :func:`iter_frames` for the frames sampled at ``sample_fps`` (else None).

    Raises:
        The errors of :func:`iter_frames`.
    """
    import av
    import numpy as np

    with _opened(path, fast=fast, threads=threads) as (container, stream):
        info = _describe(container, stream)
        if on_probe is not None:
            on_probe(info)
        index, first, next_tick = 0, None, 0.0
        step = 1.0 / sample_fps if sample_fps else 0.0
        layout: tuple[Any, ...] | None = None
        try:
            for frame in container.decode(stream):
                stamp = _frame_time(frame, index, stream)
                first = stamp if first is None else first
                time = max(0.0, stamp - first)
                rgb = None
                if not step or time + 1e-6 >= next_tick:
                    rgb = _rgb_from_yuv420(frame, width, height)
                    if rgb is None:
                        rgb = np.ascontiguousarray(
                            frame.reformat(
                                width=width, height=height, format="rgb24", interpolation="AREA"
                            ).to_ndarray()
                        )
                    next_tick = (math.floor(time / step + 1e-6) + 1) * step if step else 0.0
                frame = _planar(frame)
                layout = _small_layout(frame, small_width, info.width, layout)
                small = np.empty((3, layout[1], layout[2]), dtype=np.uint8)
                _write_small(frame, layout, small)
                yield index, time, small, rgb
                index += 1
        except av.error.FFmpegError as exc:
            if index == 0:
                raise VideoUnreadable(
                    f"the video stream does not decode: {_message(exc)}"
                ) from None
        if index == 0:
            raise VideoUnreadable("the video stream has no decodable frame")


def _grid(frame: Any, width: int, luma_width: int) -> tuple[int, int, tuple[int, ...]]:
    """Rows, columns and per-plane steps of :func:`_write_small` for this frame layout."""
    luma_step = max(1, luma_width // width)
    steps = tuple(max(1, round(luma_step * plane.width / luma_width)) for plane in frame.planes[:3])
    shapes = [
        (-(-plane.height // step), -(-plane.width // step))
        for plane, step in zip(frame.planes[:3], steps, strict=True)
    ]
    return min(r for r, _ in shapes), min(c for _, c in shapes), steps


def _planar(frame: Any) -> Any:
    """``frame`` when its planes are read directly (8-bit planar YUV), else a yuv444p copy
    converted by swscale (10-bit, RGB, NV12...)."""
    return frame if frame.format.name in _PLANAR_YUV else frame.reformat(format="yuv444p")


def _small_layout(
    frame: Any, width: int, luma_width: int, layout: tuple[Any, ...] | None
) -> tuple[Any, ...]:
    """``(key, rows, columns, steps)`` of the small picture of ``frame``: ``layout`` itself
    while the frame's format and size stay those it was made for."""
    key = (frame.format.name, frame.width, frame.height)
    if layout is not None and layout[0] == key:
        return layout
    return (key, *_grid(frame, width, luma_width))


def _write_small(frame: Any, layout: tuple[Any, ...], out: npt.NDArray[np.uint8]) -> None:
    """Every k-th pixel of every k-th row of each plane into ``out`` ``(3, rows, columns)``,
    k chosen per plane so that every plane lands on the same grid (chroma planes are
    smaller)."""
    _, rows, columns, steps = layout
    for c, (plane, step) in enumerate(zip(frame.planes[:3], steps, strict=True)):
        out[c] = _plane(plane)[::step, ::step][:rows, :columns]


def _plane(plane: Any) -> npt.NDArray[np.uint8]:
    """A decoder plane as a ``(height, width)`` view (its rows may be padded)."""
    import numpy as np

    rows = np.frombuffer(plane, dtype=np.uint8).reshape(plane.height, plane.line_size)
    return rows[:, : plane.width]


def _frame_time(frame: Any, index: int, stream: Any) -> float:
    if frame.time is not None and math.isfinite(frame.time):
        return float(frame.time)
    rate = _rate(stream.average_rate) or 25.0
    return index / rate
