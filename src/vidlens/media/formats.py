"""Supported containers: ffprobe demuxer names, short names and MIME types.

Only the demuxers listed in :data:`SUPPORTED_DEMUXERS` are ever run on user bytes (ffprobe's
``-format_whitelist``), so a playlist, a concat script, an image or a subtitle file is never
opened as media, and a hostile file can only reach a small, well-tested part of FFmpeg.
"""

from __future__ import annotations

from pathlib import Path

SUPPORTED_DEMUXERS: tuple[str, ...] = (
    "mov",
    "matroska",
    "avi",
    "wav",
    "mp3",
    "flac",
    "ogg",
    "aiff",
    "mpegts",
    "mpeg",
    "flv",
    "asf",
    "aac",
)
"""ffprobe demuxers allowed on user bytes (``mov`` also covers mp4/m4a/3gp, ``matroska``
also covers webm)."""

SHORT_NAMES: frozenset[str] = frozenset(
    {
        "mp4",
        "mov",
        "m4a",
        "3gp",
        "webm",
        "mkv",
        "avi",
        "wav",
        "mp3",
        "flac",
        "ogg",
        "aiff",
        "mpegts",
        "mpeg",
        "flv",
        "asf",
        "aac",
    }
)
"""Every value :func:`short_name` can return (what ``MediaLimits.allowed_containers`` uses)."""

_VIDEO_MIME = {
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "m4a": "audio/mp4",
    "3gp": "video/3gpp",
    "webm": "video/webm",
    "mkv": "video/x-matroska",
    "avi": "video/x-msvideo",
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "flac": "audio/flac",
    "ogg": "video/ogg",
    "aiff": "audio/aiff",
    "mpegts": "video/mp2t",
    "mpeg": "video/mpeg",
    "flv": "video/x-flv",
    "asf": "video/x-ms-asf",
    "aac": "audio/aac",
}
_AUDIO_ONLY_MIME = {
    "mp4": "audio/mp4",
    "3gp": "audio/3gpp",
    "webm": "audio/webm",
    "mkv": "audio/x-matroska",
    "ogg": "audio/ogg",
    "asf": "audio/x-ms-wma",
}
_SUFFIXES = {
    "mp4": ".mp4",
    "mov": ".mov",
    "m4a": ".m4a",
    "3gp": ".3gp",
    "webm": ".webm",
    "mkv": ".mkv",
    "avi": ".avi",
    "wav": ".wav",
    "mp3": ".mp3",
    "flac": ".flac",
    "ogg": ".ogg",
    "aiff": ".aiff",
    "mpegts": ".ts",
    "mpeg": ".mpg",
    "flv": ".flv",
    "asf": ".asf",
    "aac": ".aac",
}

ESTIMATED_DURATION: frozenset[str] = frozenset({"mp3", "aac", "mpegts", "mpeg"})
"""Containers whose duration ffprobe may estimate from the bit rate rather than read from a
header: the truncation check allows them a wider margin."""


def short_name(format_name: str, major_brand: str | None, path: Path) -> str:
    """The short container name for an ffprobe ``format_name``.

    Arguments:
        format_name: ffprobe's ``format.format_name`` (e.g. ``mov,mp4,m4a,3gp,3g2,mj2``).
        major_brand: the ISO-BMFF ``major_brand`` tag, if any.
        path: the file, read (first 64 bytes) to tell WebM from Matroska.

    Returns:
        One of :data:`SHORT_NAMES`, or the first demuxer name for anything else.
    """
    first = format_name.split(",", 1)[0]
    if first == "mov":
        return _iso_brand(major_brand)
    if first == "matroska":
        return "webm" if _ebml_doctype(path) == "webm" else "mkv"
    return first


def mime_type(short: str, *, has_video: bool) -> str:
    """The MIME type of a container given by its short name (audio/* when it has no video)."""
    if not has_video and short in _AUDIO_ONLY_MIME:
        return _AUDIO_ONLY_MIME[short]
    return _VIDEO_MIME.get(short, "application/octet-stream")


def suffix_for(short: str) -> str:
    """The usual file suffix for a short container name (``""`` if unknown)."""
    return _SUFFIXES.get(short, "")


def _iso_brand(major_brand: str | None) -> str:
    brand = (major_brand or "").strip().lower()
    if brand in {"", "qt"}:
        # QuickTime files often carry no ftyp box at all.
        return "mov"
    if brand.startswith(("m4a", "m4b", "m4p")):
        return "m4a"
    if brand.startswith(("3gp", "3g2")):
        return "3gp"
    return "mp4"


def _ebml_doctype(path: Path) -> str | None:
    """Read the EBML DocType element (ID 0x4282) from the start of a Matroska file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError:
        return None
    at = head.find(b"\x42\x82")
    if at < 0 or at + 3 > len(head):
        return None
    size_byte = head[at + 2]
    if not size_byte & 0x80:
        return None  # multi-byte sizes never occur for a DocType this short
    size = size_byte & 0x7F
    return head[at + 3 : at + 3 + size].rstrip(b"\x00").decode("ascii", "replace")
