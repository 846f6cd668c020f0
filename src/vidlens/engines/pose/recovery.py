"""Find a person the VIDEO-mode tracker just lost, in a crop around where they were.

MediaPipe's VIDEO mode follows each person from the previous frame's landmarks and runs its
person detector again only when a track is lost; on the frame after a loss (someone passing a
tree trunk, legs blurred, a busy background) it often returns nobody, or a misplaced skeleton,
although the person is plainly there. When a person seen on the previous frame has no
continuation on this one (see :meth:`PersonTrack.accepts`), the landmarker is run once more in
IMAGE mode on a crop around their last box (widened by :data:`CROP_MARGIN` on each side); a
pose found there that continues the lost one is added to the frame. A person is looked for on
at most :data:`MAX_ATTEMPTS` consecutive frames, and not when their box touched the frame's
edge (they are leaving the picture).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from vidlens.engines.pose.tracking import PersonTrack, Pose, poses_from_result

CROP_MARGIN = 0.35
"""Extra room around the lost person's box, as a share of its width and height per side."""
MAX_ATTEMPTS = 4
"""Consecutive frames on which one lost person is searched for."""
EDGE = 0.02
"""A box within this share of the frame's border means the person is leaving."""


@dataclass
class _Lost:
    pose: Pose
    attempts: int = 0


class Recovery:
    """Per-worker state: who was seen on the previous frame, and an IMAGE-mode landmarker
    built on first need by ``factory``."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._landmarker: Any = None
        self._previous: list[Pose] = []
        self._lost: list[_Lost] = []
        self.recovered = 0

    def update(self, frame: np.ndarray, poses: list[Pose]) -> list[Pose]:
        """``poses`` of ``frame`` plus any lost person found again in a crop."""
        for pose in self._previous:
            if not _continued(pose, poses):
                self._lost.append(_Lost(pose))
        found = list(poses)
        still: list[_Lost] = []
        for lost in self._lost:
            if _continued(lost.pose, found):
                continue  # back by itself
            if lost.attempts >= MAX_ATTEMPTS or _at_edge(lost.pose):
                continue  # given up: gone, or leaving the picture
            lost.attempts += 1
            again = self._search(frame, lost.pose)
            if again is None:
                still.append(lost)
            else:
                found.append(again)
                self.recovered += 1
        self._lost = still
        self._previous = found
        return found

    def close(self) -> None:
        if self._landmarker is not None:
            self._landmarker.close()
            self._landmarker = None

    def _search(self, frame: np.ndarray, lost: Pose) -> Pose | None:
        import mediapipe as mp  # type: ignore[import-untyped]  # no stubs

        height, width = frame.shape[:2]
        x0, y0, x1, y1 = _crop_box(lost[0], width, height)
        if x1 - x0 < 32 or y1 - y0 < 32:
            return None
        if self._landmarker is None:
            self._landmarker = self._factory()
        crop = np.ascontiguousarray(frame[y0:y1, x0:x1])
        result = self._landmarker.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=crop))
        box = (x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height)
        candidates = [_to_frame(p, box) for p in poses_from_result(result)]
        track = PersonTrack()
        track.append(0, lost)
        scored = [(d, p) for p in candidates if (d := track.accepts(p)) is not None]
        return min(scored, key=lambda item: item[0])[1] if scored else None


def _continued(pose: Pose, poses: list[Pose]) -> bool:
    track = PersonTrack()
    track.append(0, pose)
    return any(track.accepts(p) is not None for p in poses)


def _at_edge(pose: Pose) -> bool:
    xs, ys = pose[0][:, 0], pose[0][:, 1]
    return bool(xs.min() < EDGE or ys.min() < EDGE or xs.max() > 1 - EDGE or ys.max() > 1 - EDGE)


def _crop_box(image: np.ndarray, width: int, height: int) -> tuple[int, int, int, int]:
    """Pixel box (x0, y0, x1, y1) around a pose's landmarks, with the margin, in the frame."""
    xs, ys = image[:, 0] * width, image[:, 1] * height
    w, h = xs.max() - xs.min(), ys.max() - ys.min()
    side = max(w, h)  # square-ish, as the landmarker's own region of interest
    cx, cy = (xs.max() + xs.min()) / 2, (ys.max() + ys.min()) / 2
    half_w = half_h = side * (0.5 + CROP_MARGIN)
    x0, x1 = int(max(0, cx - half_w)), int(min(width, cx + half_w))
    y0, y1 = int(max(0, cy - half_h)), int(min(height, cy + half_h))
    return x0, y0, x1, y1


def _to_frame(pose: Pose, box: tuple[float, float, float, float]) -> Pose:
    """Landmarks normalised to the crop → normalised to the whole frame (z scales with x)."""
    left, top, w, h = box
    image = pose[0].copy()
    image[:, 0] = left + image[:, 0] * w
    image[:, 1] = top + image[:, 1] * h
    image[:, 2] = image[:, 2] * w
    return image, pose[1], pose[2]
