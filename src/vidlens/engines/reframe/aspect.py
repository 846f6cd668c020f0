"""Aspect ratios and crop sizes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vidlens.errors import InvalidInput

_RATIO = re.compile(r"^\s*(\d{1,4})\s*[:/x]\s*(\d{1,4})\s*$")


@dataclass(frozen=True, slots=True)
class Aspect:
    """A ``width:height`` ratio."""

    width: int
    height: int

    @property
    def value(self) -> float:
        return self.width / self.height

    def __str__(self) -> str:
        return f"{self.width}:{self.height}"


def parse_aspect(text: str) -> Aspect:
    """``"9:16"`` → ``Aspect(9, 16)`` (``9/16`` and ``9x16`` too).

    Raises:
        InvalidInput: not two positive whole numbers, or a ratio beyond 1:4..4:1.
    """
    match = _RATIO.match(text or "")
    if match is None or int(match.group(1)) == 0 or int(match.group(2)) == 0:
        raise InvalidInput(
            f"aspect_ratio {text!r} is not W:H (for example 9:16, 1:1 or 4:5).",
            field="aspect_ratio",
        )
    aspect = Aspect(int(match.group(1)), int(match.group(2)))
    if not 0.25 <= aspect.value <= 4.0:
        raise InvalidInput(f"aspect_ratio {text!r} is outside 1:4 to 4:1.", field="aspect_ratio")
    return aspect


def even(value: float) -> int:
    """The nearest even whole number, at least 2 (H.264 with 4:2:0 needs even sizes)."""
    return max(2, round(value / 2.0) * 2)


def crop_size(width: int, height: int, aspect: Aspect) -> tuple[int, int]:
    """The largest even ``(w, h)`` of ``aspect`` inside a ``width x height`` frame."""
    if width / height > aspect.value:
        crop_h = height - height % 2
        return min(width - width % 2, even(crop_h * aspect.value)), crop_h
    crop_w = width - width % 2
    return crop_w, min(height - height % 2, even(crop_w / aspect.value))


def output_size(
    crop: tuple[int, int], aspect: Aspect, output_height: int | None
) -> tuple[int, int]:
    """The encoded ``(w, h)``: the crop's size, or ``output_height`` tall at ``aspect``."""
    if output_height is None:
        return crop
    height = even(output_height)
    return even(height * aspect.value), height
