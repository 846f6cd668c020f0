"""Declared sizes of a container's top-level structure, read from the first bytes of each box.

Private to :mod:`vidlens.media.probe`. A cut-off file keeps the size fields its writer put in
its headers: an MP4 ``mdat`` box, a RIFF/AIFF chunk or a Matroska ``Segment`` that claims more
bytes than the file holds is truncated, even when the demuxer reads the packets it can without
complaint (a final packet that is only partly present is returned short, not as an error).
Only headers are read, so the cost does not depend on the file's length.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Literal

_MAX_BOXES = 10_000
_ISO_TOP_LEVEL = frozenset(
    {
        b"ftyp",
        b"styp",
        b"moov",
        b"mdat",
        b"moof",
        b"mfra",
        b"free",
        b"skip",
        b"wide",
        b"uuid",
        b"sidx",
        b"pdin",
        b"meta",
        b"pnot",
    }
)
_RIFF_SLACK = 8
"""Some writers store the file size rather than the file size minus 8 in a RIFF header."""

_ISO = frozenset({"mp4", "mov", "m4a", "3gp"})
_RIFF = frozenset({"wav", "avi"})
_MATROSKA = frozenset({"mkv", "webm"})
_EBML_HEADER = 0x1A45DFA3
_SEGMENT = 0x18538067


def overrun(path: Path, short: str) -> tuple[int, int] | None:
    """Compare the container's declared length with the file's.

    Arguments:
        path: the file.
        short: its short container name (see :mod:`vidlens.media.formats`).

    Returns:
        ``(declared_bytes, actual_bytes)`` when the headers claim more bytes than the file
        has, else None (also when the container declares no length).
    """
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        declared: int | None = None
        if short in _ISO:
            declared = _iso_end(handle, size)
        elif short in _RIFF:
            declared = _chunk_end(handle, size, b"RIFF", "little")
        elif short == "aiff":
            declared = _chunk_end(handle, size, b"FORM", "big")
        elif short in _MATROSKA:
            declared = _segment_end(handle)
    if declared is None or declared <= size:
        return None
    return declared, size


def _iso_end(handle: BinaryIO, size: int) -> int | None:
    position = 0
    for _ in range(_MAX_BOXES):
        if position >= size:
            return position
        handle.seek(position)
        header = handle.read(16)
        if len(header) < 8:
            return None  # trailing bytes too short to be a box: not ours to judge
        box_size, kind = int.from_bytes(header[:4], "big"), header[4:8]
        if box_size == 1 and len(header) == 16:
            box_size = int.from_bytes(header[8:16], "big")
        if box_size == 0 or kind not in _ISO_TOP_LEVEL:
            return None  # "extends to end of file", or trailing data that is not a box
        if box_size < 8:
            return None
        position += box_size
    return None


def _chunk_end(
    handle: BinaryIO, size: int, tag: bytes, byteorder: Literal["little", "big"]
) -> int | None:
    position = 0
    end = None
    for _ in range(_MAX_BOXES):
        if position >= size:
            break
        handle.seek(position)
        header = handle.read(8)
        if len(header) < 8 or header[:4] != tag:
            break
        chunk_size = int.from_bytes(header[4:8], byteorder)
        if chunk_size in (0, 0xFFFFFFFF):
            return None  # written to a pipe: length unknown
        position += 8 + chunk_size + (chunk_size & 1)
        end = position
    if end is None or end <= size + _RIFF_SLACK:
        return None
    return end


def _segment_end(handle: BinaryIO) -> int | None:
    handle.seek(0)
    element, size, offset = _ebml_element(handle)
    if element != _EBML_HEADER or size is None:
        return None
    handle.seek(offset + size)
    element, size, offset = _ebml_element(handle)
    if element != _SEGMENT or size is None:
        return None
    return offset + size


def _ebml_element(handle: BinaryIO) -> tuple[int | None, int | None, int]:
    """Read an element header: (id, data size or None if unknown, offset of the data)."""
    element = _vint(handle, keep_marker=True)
    size = _vint(handle, keep_marker=False)
    return element, size, handle.tell()


def _vint(handle: BinaryIO, *, keep_marker: bool) -> int | None:
    first = handle.read(1)
    if not first or first[0] == 0:
        return None
    length = 9 - first[0].bit_length()
    rest = handle.read(length - 1)
    if len(rest) != length - 1:
        return None
    marker = 1 << (7 * length)
    value = int.from_bytes(first + rest, "big")
    if keep_marker:
        return value
    value -= marker
    if value == marker - 1:
        return None  # all ones: unknown size (live streams)
    return value
