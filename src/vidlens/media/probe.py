"""Probe media files with ffprobe: container, codecs, duration, and a truncation check.

ffprobe runs as a child process with a time limit, so a hostile file can neither crash nor
hang the server. The format is detected from the bytes only: the file is probed through a
symlink without a suffix, and only the demuxers in :data:`~vidlens.media.formats.SUPPORTED_DEMUXERS`
may run.

Truncation: a container header can outlive the media data it describes (an MP4 whose ``moov``
atom is at the start but whose ``mdat`` is cut off probes as complete). After the header probe,
a second ffprobe run seeks to the last 1.5 s of the declared duration and demuxes the packets
there. The file is truncated when that run reports a demuxer error ("partial file", "File ended
prematurely", a failed seek), when a packet's byte range ends past the end of the file, or when
the last packet ends clearly before the declared duration. Demuxing only a few seconds of packets
(no decoding) keeps this in the tens of milliseconds whatever the file's length.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidlens.errors import NotFound, UnsupportedMedia
from vidlens.media import _ffprobe, _structure
from vidlens.media.formats import ESTIMATED_DURATION, mime_type, short_name

TAIL_SECONDS = 1.5
"""How much of the end of the declared duration the truncation check demuxes."""

_STREAM_ENTRIES = (
    "format=format_name,duration,start_time,probe_score:format_tags=major_brand:"
    "stream=index,codec_type,codec_name,width,height,avg_frame_rate,r_frame_rate,duration:"
    "stream_disposition=attached_pic"
)


@dataclass(frozen=True)
class MediaInfo:
    """What a media file contains, as read from its bytes.

    Attributes:
        container: ffprobe's ``format_name`` (e.g. ``mov,mp4,m4a,3gp,3g2,mj2``).
        container_short: short name (``mp4``, ``mov``, ``webm``, ``mkv``, ``wav`` …), the
            vocabulary of ``MediaLimits.allowed_containers``.
        mime_type: derived from the container (``video/mp4``; ``audio/mp4`` without video).
        video_codec: codec of the first video stream, or None.
        audio_codec: codec of the first audio stream, or None.
        duration_seconds: declared duration in seconds (> 0).
        width: frame width in pixels, or None without video.
        height: frame height in pixels, or None without video.
        fps: average frame rate in frames per second (``avg_frame_rate``, else
            ``r_frame_rate``), or None without video. For variable-frame-rate files this is
            the rate of the frames actually present.
        nominal_fps: the stream's base rate (``r_frame_rate``: the timestamp grid), or None.
            Differs from ``fps`` when frames were dropped or the rate varies.
        has_video: at least one video stream (cover art is not video).
        has_audio: at least one audio stream.
        audio_tracks: number of audio streams.
    """

    container: str
    container_short: str
    mime_type: str
    video_codec: str | None
    audio_codec: str | None
    duration_seconds: float
    width: int | None
    height: int | None
    fps: float | None
    nominal_fps: float | None
    has_video: bool
    has_audio: bool
    audio_tracks: int


def probe_file(path: Path, *, ffprobe: str = "ffprobe", timeout: float = 30.0) -> MediaInfo:
    """Read a media file's container, streams and duration, and check it is complete.

    Arguments:
        path: the file to probe.
        ffprobe: the ffprobe executable (a name on PATH or a path).
        timeout: seconds allowed for all ffprobe runs together.

    Returns:
        The file's :class:`MediaInfo`.

    Raises:
        NotFound: ``path`` does not exist.
        UnsupportedMedia: the file is empty, not audio or video, in an unsupported container,
            unreadable, truncated, or took longer than ``timeout`` to read.
        EngineUnavailable: the ffprobe executable is missing.
    """
    size = _file_size(path)
    deadline = _ffprobe.Deadline(timeout)
    with _ffprobe.neutral_name(path) as alias:
        document = _probe_streams(ffprobe, alias, deadline)
        info, start = _media_info(document, path)
        _check_declared_size(path, info)
        _check_complete(ffprobe, alias, info, start=start, size=size, deadline=deadline)
    return info


def _file_size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise NotFound("The media file does not exist.") from exc
    if size == 0:
        raise UnsupportedMedia("The file is empty (0 bytes).")
    return size


def _probe_streams(ffprobe: str, alias: Path, deadline: _ffprobe.Deadline) -> dict[str, Any]:
    args = [*_ffprobe.base_args(ffprobe), "-show_entries", _STREAM_ENTRIES, "-of", "json"]
    with _ffprobe.run([*args, str(alias)], deadline) as probe_run:
        if probe_run.returncode != 0:
            raise UnsupportedMedia(_ffprobe.describe_failure(probe_run.errors, alias))
        return _ffprobe.read_json(probe_run)


def _media_info(document: dict[str, Any], path: Path) -> tuple[MediaInfo, float]:
    """Build MediaInfo from ffprobe's JSON; also return the container's start time."""
    fmt: dict[str, Any] = document.get("format") or {}
    streams: list[dict[str, Any]] = document.get("streams") or []
    video = [s for s in streams if _is_video(s)]
    audio = [s for s in streams if s.get("codec_type") == "audio" and s.get("codec_name")]
    if not video and not audio:
        raise UnsupportedMedia("The file contains no audio or video stream.")
    duration = _duration(fmt, streams)
    format_name = str(fmt.get("format_name", ""))
    tags: dict[str, Any] = fmt.get("tags") or {}
    short = short_name(format_name, tags.get("major_brand"), path)
    first_video = video[0] if video else {}
    info = MediaInfo(
        container=format_name,
        container_short=short,
        mime_type=mime_type(short, has_video=bool(video)),
        video_codec=first_video.get("codec_name"),
        audio_codec=audio[0].get("codec_name") if audio else None,
        duration_seconds=duration,
        width=_positive_int(first_video.get("width")),
        height=_positive_int(first_video.get("height")),
        fps=_fps(first_video, ("avg_frame_rate", "r_frame_rate")),
        nominal_fps=_fps(first_video, ("r_frame_rate",)),
        has_video=bool(video),
        has_audio=bool(audio),
        audio_tracks=len(audio),
    )
    return info, _float(fmt.get("start_time")) or 0.0


def _is_video(stream: dict[str, Any]) -> bool:
    if stream.get("codec_type") != "video" or not stream.get("codec_name"):
        return False
    disposition: dict[str, Any] = stream.get("disposition") or {}
    return not disposition.get("attached_pic")


def _duration(fmt: dict[str, Any], streams: list[dict[str, Any]]) -> float:
    candidates = [_float(fmt.get("duration"))]
    if candidates[0] is None:
        candidates = [_float(stream.get("duration")) for stream in streams]
    known = [value for value in candidates if value is not None and value > 0]
    if not known:
        raise UnsupportedMedia("The file's duration cannot be determined.")
    return max(known)


def _fps(stream: dict[str, Any], keys: tuple[str, ...]) -> float | None:
    for key in keys:
        rate = _rational(stream.get(key))
        if rate is not None and rate > 0:
            return rate
    return None


def _rational(value: object) -> float | None:
    if not isinstance(value, str) or "/" not in value:
        return _float(value)
    numerator, _, denominator = value.partition("/")
    top, bottom = _float(numerator), _float(denominator)
    if top is None or not bottom:
        return None
    return top / bottom


def _float(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value))
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _positive_int(value: object) -> int | None:
    number = _float(value)
    return int(number) if number is not None and number > 0 else None


def _check_declared_size(path: Path, info: MediaInfo) -> None:
    overrun = _structure.overrun(path, info.container_short)
    if overrun is not None:
        declared, actual = overrun
        raise UnsupportedMedia(
            f"The file is truncated: its container declares {declared} bytes but the file has "
            f"{actual}."
        )


def _check_complete(
    ffprobe: str,
    alias: Path,
    info: MediaInfo,
    *,
    start: float,
    size: int,
    deadline: _ffprobe.Deadline,
) -> None:
    """Demux the last seconds of the declared duration and compare with the file.

    Raises:
        UnsupportedMedia: the file is truncated or corrupt near its end.
    """
    seek = start + max(0.0, info.duration_seconds - TAIL_SECONDS)
    args = [
        *_ffprobe.base_args(ffprobe),
        "-read_intervals",
        # An absolute end: a relative one counts from the first packet read, which is the
        # keyframe before ``seek`` and may be many seconds earlier.
        f"{seek:.3f}%{start + info.duration_seconds + 2.0:.3f}",
        "-show_entries",
        "packet=pts_time,duration_time,size,pos",
        "-of",
        "compact",
        str(alias),
    ]
    with _ffprobe.run(args, deadline) as probe_run:
        if probe_run.returncode != 0 or probe_run.errors:
            details = "; ".join(_ffprobe.clean_errors(probe_run.errors, alias)[:3])
            raise UnsupportedMedia(
                f"The file is truncated or corrupt near its end ({details or 'read error'})."
            )
        end_time, end_byte = _packet_extent(probe_run)
    _judge_extent(info, start=start, size=size, end_time=end_time, end_byte=end_byte)


def _packet_extent(probe_run: _ffprobe.ProbeRun) -> tuple[float | None, int]:
    """Latest packet end time (seconds) and byte offset among the packets printed."""
    end_time: float | None = None
    end_byte = 0
    for raw in probe_run.stdout:
        fields = dict(
            part.split("=", 1) for part in raw.decode("ascii", "replace").split("|") if "=" in part
        )
        pts = _float(fields.get("pts_time"))
        if pts is not None:
            packet_end = pts + (_float(fields.get("duration_time")) or 0.0)
            end_time = packet_end if end_time is None else max(end_time, packet_end)
        pos, packet_size = _float(fields.get("pos")), _float(fields.get("size"))
        if pos is not None and packet_size is not None:
            end_byte = max(end_byte, int(pos + packet_size))
    return end_time, end_byte


def _judge_extent(
    info: MediaInfo, *, start: float, size: int, end_time: float | None, end_byte: int
) -> None:
    if end_byte > size:
        raise UnsupportedMedia(
            f"The file is truncated: its media data runs to byte {end_byte} but the file has "
            f"{size} bytes."
        )
    if end_time is None:
        raise UnsupportedMedia(
            "The file is truncated: there is no media data where the container says the media ends."
        )
    declared = info.duration_seconds
    margin_share = 0.10 if info.container_short in ESTIMATED_DURATION else 0.005
    margin = 1.0 + margin_share * declared
    if end_time - start < declared - margin:
        raise UnsupportedMedia(
            f"The file is truncated: its media data ends at {end_time - start:.2f} s but the "
            f"container declares {declared:.2f} s."
        )
