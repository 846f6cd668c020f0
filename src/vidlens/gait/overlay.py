"""Drawing one annotated frame: skeleton, joint angles, ground contacts, a HUD and a timeline.

Everything drawn is language-free (numbers, units, colours), so one video serves every result
language: the left side is orange, the right side blue. A foot on the ground gets a filled dot
on its footprint; its initial contact a ring at the heel and its toe-off a ring at the toe (for
a few frames). Knee, hip, ankle and elbow angles (degrees, see :mod:`~vidlens.gait.angles`) are
written next to the joints. The HUD shows cadence, ground contact time and the clip time; the
bottom timeline shows each foot's stances (two rows: left above right) and a cursor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from vidlens.engines.pose.types import INDEX, SKELETON, FloatArray, PoseSequence
from vidlens.gait.angles import Series
from vidlens.gait.steps import Stance

LEFT = (255, 140, 0)
RIGHT = (0, 170, 255)
CENTRE = (235, 235, 235)
WHITE = (255, 255, 255)
MARK_FRAMES = 5
"""Frames a contact or toe-off ring stays visible."""


@dataclass
class Annotations:
    """What every frame's drawing needs, computed once per clip."""

    seq: PoseSequence
    series: Series
    stances: list[Stance]
    events: list[dict[str, object]]
    hud: list[str]
    scale: float
    """Output pixels per display pixel."""
    by_frame: dict[int, list[dict[str, object]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for event in self.events:
            frame = int(str(event["frame"]))
            for shown in range(frame, frame + MARK_FRAMES):
                self.by_frame.setdefault(shown, []).append(event)


def hud_lines(cadence: float | None, contact_ms: float | None) -> list[str]:
    """The HUD's language-free lines (cadence in steps per minute, contact time in ms)."""
    lines = []
    if cadence is not None:
        lines.append(f"{cadence:.0f} /min")
    if contact_ms is not None:
        lines.append(f"{contact_ms:.0f} ms")
    return lines


def draw(frame: np.ndarray, index: int, notes: Annotations) -> None:
    """Annotate the RGB ``frame`` (output size) of source frame ``index`` in place."""
    seq = notes.seq
    if index < seq.frame_count and seq.detected[index]:
        points = seq.image[index, :, :2] * np.array([seq.video.width, seq.video.height])
        points = points * notes.scale
        _stances(frame, index, notes)
        _skeleton(frame, points)
        _angles(frame, index, points, notes)
        _events(frame, index, points, notes)
    _hud(frame, index, notes)
    _timeline(frame, index, notes)


def _colour(name: str) -> tuple[int, int, int]:
    if name.startswith("left"):
        return LEFT
    return RIGHT if name.startswith("right") else CENTRE


def _pt(point: FloatArray) -> tuple[int, int]:
    return round(float(point[0])), round(float(point[1]))


def _skeleton(frame: np.ndarray, points: FloatArray) -> None:
    import cv2

    thick = max(2, round(frame.shape[0] / 300))
    for a, b in SKELETON:
        pa, pb = points[INDEX[a]], points[INDEX[b]]
        if np.isfinite(pa).all() and np.isfinite(pb).all():
            colour = _colour(a) if a.split("_")[0] == b.split("_")[0] else CENTRE
            cv2.line(frame, _pt(pa), _pt(pb), colour, thick, cv2.LINE_AA)
    for name, i in INDEX.items():
        if i > 10 and np.isfinite(points[i]).all():
            cv2.circle(frame, _pt(points[i]), thick + 1, _colour(name), -1, cv2.LINE_AA)


def _angles(frame: np.ndarray, index: int, points: FloatArray, notes: Annotations) -> None:
    for side in ("left", "right"):
        for joint, landmark in (
            ("knee", "knee"),
            ("hip", "hip"),
            ("ankle", "ankle"),
            ("elbow", "elbow"),
        ):
            value = notes.series[side][joint][index]
            where = points[INDEX[f"{side}_{landmark}"]]
            if np.isfinite(value) and np.isfinite(where).all():
                offset = np.array([10.0, -6.0]) if side == "left" else np.array([10.0, 14.0])
                _label(
                    frame,
                    f"{value:.0f}",
                    where + offset * max(1.0, frame.shape[0] / 720),
                    _colour(side),
                    degree=True,
                )


def _stances(frame: np.ndarray, index: int, notes: Annotations) -> None:
    import cv2

    radius = max(4, round(frame.shape[0] / 120))
    for stance in notes.stances:
        if stance.contact <= index <= stance.toe_off and stance.heel is not None:
            centre = np.asarray(stance.heel) * notes.scale
            cv2.circle(frame, _pt(centre), radius, _colour(stance.foot), -1, cv2.LINE_AA)


def _events(frame: np.ndarray, index: int, points: FloatArray, notes: Annotations) -> None:
    import cv2

    for event in notes.by_frame.get(index, []):
        foot = str(event["foot"])
        point = "heel" if event["type"] == "initial_contact" else "foot_index"
        where = points[INDEX[f"{foot}_{point}"]]
        age = index - int(str(event["frame"]))
        if np.isfinite(where).all():
            radius = round((14 + 4 * age) * max(1.0, frame.shape[0] / 720))
            cv2.circle(frame, _pt(where), radius, _colour(foot), 2, cv2.LINE_AA)


def _hud(frame: np.ndarray, index: int, notes: Annotations) -> None:
    import cv2

    seq = notes.seq
    time = float(seq.times[min(index, seq.frame_count - 1)]) if seq.frame_count else 0.0
    lines = [*notes.hud, f"{time:5.2f} s"]
    size = max(0.5, frame.shape[0] / 900)
    height = round(30 * size)
    box = frame[8 : 16 + height * len(lines), 8 : 8 + round(220 * size)]
    box[:] = (box * 0.45).astype(frame.dtype)
    for i, line in enumerate(lines):
        origin = (16, 8 + height * (i + 1))
        cv2.putText(frame, line, origin, cv2.FONT_HERSHEY_SIMPLEX, size, WHITE, 2, cv2.LINE_AA)


def _timeline(frame: np.ndarray, index: int, notes: Annotations) -> None:
    import cv2

    seq = notes.seq
    if seq.frame_count < 2:
        return
    height, width = frame.shape[:2]
    row = max(4, round(height / 90))
    top = height - 2 * row - 6
    frame[top - 2 : height - 2] = (frame[top - 2 : height - 2] * 0.4).astype(frame.dtype)
    span = max(1, seq.frame_count - 1)
    for stance in notes.stances:
        y = top if stance.foot == "left" else top + row + 2
        x0, x1 = (
            round(stance.contact / span * (width - 1)),
            round(stance.toe_off / span * (width - 1)),
        )
        cv2.rectangle(frame, (x0, y), (max(x0 + 1, x1), y + row - 1), _colour(stance.foot), -1)
    x = round(index / span * (width - 1))
    cv2.line(frame, (x, top - 2), (x, height - 3), WHITE, 2)


def _label(
    frame: np.ndarray,
    value: str,
    where: FloatArray,
    colour: tuple[int, int, int],
    *,
    degree: bool = False,
) -> None:
    import cv2

    size = max(0.45, frame.shape[0] / 1400)
    origin = _pt(where)
    cv2.putText(frame, value, origin, cv2.FONT_HERSHEY_SIMPLEX, size, (0, 0, 0), 4, cv2.LINE_AA)
    cv2.putText(frame, value, origin, cv2.FONT_HERSHEY_SIMPLEX, size, colour, 1, cv2.LINE_AA)
    if degree:
        (w, h), _ = cv2.getTextSize(value, cv2.FONT_HERSHEY_SIMPLEX, size, 1)
        centre = (origin[0] + w + 4, origin[1] - h + 2)
        cv2.circle(frame, centre, max(2, round(3 * size)), colour, 1, cv2.LINE_AA)
