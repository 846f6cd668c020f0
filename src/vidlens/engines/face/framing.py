"""Framing of one face in the frame: centred, too close, too far, cut off at an edge.

Rules on the normalised landmark box (thresholds in ``FaceMetricSettings``):

- ``cut_off_left`` / ``_right`` / ``_top`` / ``_bottom``: the box reaches within
  ``framing_edge_margin`` of that edge or beyond it;
- ``too_close``: box height > ``framing_too_close_height`` of the frame height;
- ``too_far``: box height < ``framing_too_far_height``;
- ``off_centre``: the box centre is more than ``framing_centre_tolerance`` from the
  horizontal centre, or vertically outside ``framing_vertical_range`` (a face sits at or a
  little above the middle in a well-composed shot; the box spans forehead to chin).

No issue means well framed.
"""

from __future__ import annotations

from vidlens.engines.face.settings import FaceMetricSettings
from vidlens.engines.face.types import BoundingBox

ISSUES: tuple[str, ...] = (
    "off_centre", "too_close", "too_far",
    "cut_off_left", "cut_off_right", "cut_off_top", "cut_off_bottom",
)  # fmt: skip


def framing_issues(box: BoundingBox, settings: FaceMetricSettings) -> tuple[str, ...]:
    """The framing issues of one face box (empty: well framed)."""
    margin = settings.framing_edge_margin
    issues: list[str] = []
    centre_x, centre_y = box.centre
    low, high = settings.framing_vertical_range
    if abs(centre_x - 0.5) > settings.framing_centre_tolerance or not low <= centre_y <= high:
        issues.append("off_centre")
    if box.height > settings.framing_too_close_height:
        issues.append("too_close")
    elif box.height < settings.framing_too_far_height:
        issues.append("too_far")
    if box.x <= margin:
        issues.append("cut_off_left")
    if box.x + box.width >= 1.0 - margin:
        issues.append("cut_off_right")
    if box.y <= margin:
        issues.append("cut_off_top")
    if box.y + box.height >= 1.0 - margin:
        issues.append("cut_off_bottom")
    return tuple(issues)
