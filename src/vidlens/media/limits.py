"""Per-surface media limits: size, duration, containers and required streams."""

from __future__ import annotations

from dataclasses import dataclass

from vidlens.config import MediaSettings
from vidlens.errors import MediaRejected, PayloadTooLarge
from vidlens.media.formats import SHORT_NAMES
from vidlens.media.probe import MediaInfo


@dataclass(frozen=True)
class MediaLimits:
    """What a surface accepts.

    Attributes:
        max_bytes: largest file in bytes, or None for no limit.
        max_duration_seconds: longest media in seconds, or None for no limit.
        allowed_containers: short container names (``mp4``, ``mov``, ``webm``, ``mkv``, ``avi``,
            ``wav``, ``mp3``, ``flac``, ``ogg``, ``m4a`` … see
            :data:`vidlens.media.formats.SHORT_NAMES`), or None for any supported container.
        require_video: refuse media without a video stream.
        require_audio: refuse media without an audio stream.
    """

    max_bytes: int | None = None
    max_duration_seconds: float | None = None
    allowed_containers: frozenset[str] | None = None
    require_video: bool = False
    require_audio: bool = False

    def __post_init__(self) -> None:
        if self.max_bytes is not None and self.max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        if self.max_duration_seconds is not None and self.max_duration_seconds <= 0:
            raise ValueError("max_duration_seconds must be positive")
        unknown = (self.allowed_containers or frozenset()) - SHORT_NAMES
        if unknown:
            raise ValueError(f"unknown container names: {', '.join(sorted(unknown))}")

    @classmethod
    def from_settings(
        cls,
        media: MediaSettings,
        *,
        allowed_containers: frozenset[str] | None = None,
        require_video: bool = False,
        require_audio: bool = False,
        max_duration_seconds: float | None = None,
    ) -> MediaLimits:
        """The server-wide limits from settings, optionally narrowed by a surface.

        ``max_duration_seconds`` can only lower the configured maximum, never raise it.
        """
        duration = media.max_duration_seconds
        if max_duration_seconds is not None:
            duration = min(duration, max_duration_seconds)
        return cls(
            max_bytes=media.max_upload_bytes,
            max_duration_seconds=duration,
            allowed_containers=allowed_containers,
            require_video=require_video,
            require_audio=require_audio,
        )


def check_size(size: int, limits: MediaLimits) -> None:
    """Check a byte count against ``limits.max_bytes``.

    Raises:
        PayloadTooLarge: ``size`` is over the limit.
    """
    if limits.max_bytes is not None and size > limits.max_bytes:
        raise PayloadTooLarge(
            f"The file is {size} bytes; the limit is {limits.max_bytes} bytes.",
            limit="max_bytes",
            maximum=limits.max_bytes,
            actual=size,
        )


def check_limits(info: MediaInfo, size: int, limits: MediaLimits) -> None:
    """Check probed media against a surface's limits.

    Arguments:
        info: the probed media.
        size: the file's size in bytes.
        limits: what the surface accepts.

    Raises:
        PayloadTooLarge: the file is larger than ``limits.max_bytes``.
        MediaRejected: wrong container, too long, or a required stream is missing. The
            message names the limit and the actual value.
    """
    check_size(size, limits)
    allowed = limits.allowed_containers
    if allowed is not None and info.container_short not in allowed:
        raise MediaRejected(
            f"The {info.container_short} container is not accepted here; accepted: "
            f"{', '.join(sorted(allowed))}.",
            limit="allowed_containers",
            actual=info.container_short,
        )
    maximum = limits.max_duration_seconds
    if maximum is not None and info.duration_seconds > maximum:
        raise MediaRejected(
            f"The media lasts {info.duration_seconds:.2f} s; the limit is {maximum:g} s.",
            limit="max_duration_seconds",
            maximum=maximum,
            actual=info.duration_seconds,
        )
    if limits.require_video and not info.has_video:
        raise MediaRejected(
            "The file has no video stream; a video is required.", limit="require_video"
        )
    if limits.require_audio and not info.has_audio:
        raise MediaRejected(
            "The file has no audio stream; audio is required.", limit="require_audio"
        )
