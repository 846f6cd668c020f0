"""Background motion between frames, to tell a static camera from a panning one.

On a grey copy :data:`MOTION_WIDTH` pixels wide, up to 80 corner features outside the people's
boxes (padded by 25 % of their width, 15 % of their height) are tracked with pyramidal
Lucas-Kanade optical flow; the median displacement is the camera's shift between the two
frames (in pixels of the decoded frame). A static camera gives ~0, a panning one a steady shift.
"""

from __future__ import annotations

import numpy as np

from vidlens.engines.pose.types import FloatArray

MOTION_WIDTH = 240
"""Width in pixels of the grey copy the motion is measured on."""
MIN_FEATURES = 6
"""Fewer tracked background corners than this: the shift is taken as zero."""


class GlobalMotion:
    """Feed frames in order; :meth:`update` answers each frame's background shift."""

    def __init__(self) -> None:
        self._previous: np.ndarray | None = None
        self._mask: np.ndarray | None = None

    def update(self, frame: np.ndarray, people: list[FloatArray]) -> tuple[float, float]:
        """Shift (dx, dy) in pixels of ``frame`` relative to the previous frame's background.

        Arguments:
            frame: RGB frame (H, W, 3).
            people: normalised image landmarks (33, 3) of the people detected on it.
        """
        import cv2

        height, width = frame.shape[:2]
        small_size = (MOTION_WIDTH, max(8, int(height * MOTION_WIDTH / width)))
        small = cv2.resize(frame, small_size, interpolation=cv2.INTER_AREA)
        grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
        mask = _background_mask(grey.shape, people)
        shift = (0.0, 0.0)
        if self._previous is not None:
            shift = _shift(self._previous, grey, self._mask, width / grey.shape[1])
        self._previous, self._mask = grey, mask
        return shift


def _background_mask(shape: tuple[int, ...], people: list[FloatArray]) -> np.ndarray:
    mask = np.full(shape[:2], 255, dtype=np.uint8)
    rows, cols = shape[:2]
    for pose in people:
        xs, ys = pose[:, 0] * cols, pose[:, 1] * rows
        pad_x, pad_y = 0.25 * (xs.max() - xs.min()) + 4, 0.15 * (ys.max() - ys.min()) + 4
        x0, x1 = int(max(0, xs.min() - pad_x)), int(min(cols, xs.max() + pad_x))
        y0, y1 = int(max(0, ys.min() - pad_y)), int(min(rows, ys.max() + pad_y))
        if x1 > x0 and y1 > y0:
            mask[y0:y1, x0:x1] = 0
    return mask


def _shift(
    previous: np.ndarray, grey: np.ndarray, mask: np.ndarray | None, factor: float
) -> tuple[float, float]:
    import cv2

    corners = cv2.goodFeaturesToTrack(previous, 80, 0.01, 5, mask=mask)
    if corners is None or len(corners) < MIN_FEATURES:
        return (0.0, 0.0)
    moved, status, _ = cv2.calcOpticalFlowPyrLK(previous, grey, corners, None)
    good = status.reshape(-1) == 1
    if good.sum() < MIN_FEATURES:
        return (0.0, 0.0)
    delta = (moved.reshape(-1, 2) - corners.reshape(-1, 2))[good]
    dx, dy = np.median(delta, axis=0) * factor
    return (float(dx), float(dy))
