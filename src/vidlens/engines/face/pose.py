"""Geometry of one face: head pose from the facial transformation matrix, the landmark box,
mouth openness and the named key points.

Head pose: MediaPipe's matrix maps the canonical face model (x to the face's left as seen by
the camera, y up, z out of the face) into camera space (OpenGL: x right, y up, the camera
looking down -z). With ``R`` its rotation part, the face's forward direction is
``f = R @ (0, 0, 1)``; ``yaw = atan2(f_x, f_z)`` (> 0: turned towards the image's right),
``pitch = asin(f_y)`` (> 0: tilted up), ``roll = atan2(R[1,0], R[0,0])`` (> 0: tilted
counter-clockwise as displayed). All in degrees.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from vidlens.engines.face.types import BoundingBox, FaceObservation, Point3

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

KEY_POINTS: dict[str, tuple[int, ...]] = {
    "nose_tip": (1,),
    "right_eye": (33, 133),  # the subject's right eye: outer and inner corner
    "left_eye": (263, 362),
    "mouth_right": (61,),
    "mouth_left": (291,),
    "upper_lip": (13,),
    "lower_lip": (14,),
    "forehead": (10,),
    "chin": (152,),
}
"""Landmark indices (MediaPipe face mesh) averaged into each named key point."""

IRIS_CENTRES = {"right_eye": 468, "left_eye": 473}
"""Iris centres, present in the 478-point mesh (not in the older 468-point one)."""


def head_pose(matrix: npt.NDArray[np.float64]) -> tuple[float, float, float]:
    """``(yaw, pitch, roll)`` in degrees from a 4x4 facial transformation matrix."""
    rotation = matrix[:3, :3]
    # Remove any scale so the angles come from a pure rotation.
    norms = [math.hypot(*(float(v) for v in rotation[:, i])) or 1.0 for i in range(3)]
    forward = [float(rotation[r, 2]) / norms[2] for r in range(3)]
    yaw = math.degrees(math.atan2(forward[0], forward[2]))
    pitch = math.degrees(math.asin(max(-1.0, min(1.0, forward[1]))))
    roll = math.degrees(math.atan2(float(rotation[1, 0]), float(rotation[0, 0])))
    return yaw, pitch, roll


def landmark_box(points: npt.NDArray[np.float32]) -> BoundingBox:
    """The box around all landmarks (``points`` is ``(n, 3)``, normalised)."""
    x0, y0 = float(points[:, 0].min()), float(points[:, 1].min())
    x1, y1 = float(points[:, 0].max()), float(points[:, 1].max())
    return BoundingBox(x0, y0, x1 - x0, y1 - y0)


def mouth_openness(points: npt.NDArray[np.float32], aspect: float = 1.0) -> float | None:
    """Inner-lip gap over mouth width (``aspect`` = frame width / height, so distances are
    measured in pixels' proportions); None when the mouth has no width."""

    def distance(a: int, b: int) -> float:
        dx = (float(points[a, 0]) - float(points[b, 0])) * aspect
        dy = float(points[a, 1]) - float(points[b, 1])
        return math.hypot(dx, dy)

    width = distance(61, 291)
    if width <= 1e-6:
        return None
    return distance(13, 14) / width


def key_points(points: npt.NDArray[np.float32]) -> dict[str, Point3]:
    """The named key points of a 468- or 478-point mesh."""
    named: dict[str, Point3] = {}
    for name, indices in KEY_POINTS.items():
        iris = IRIS_CENTRES.get(name)
        chosen: Sequence[int] = (iris,) if iris is not None and len(points) > iris else indices
        x = sum(float(points[i, 0]) for i in chosen) / len(chosen)
        y = sum(float(points[i, 1]) for i in chosen) / len(chosen)
        z = sum(float(points[i, 2]) for i in chosen) / len(chosen)
        named[name] = (x, y, z)
    return named


def build_observation(
    points: npt.NDArray[np.float32],
    blendshapes: dict[str, float],
    matrix: npt.NDArray[np.float64] | None,
    *,
    aspect: float = 1.0,
    keep_all_landmarks: bool = False,
) -> FaceObservation:
    """One :class:`FaceObservation` from a ``(n, 3)`` landmark array (n = 468 or 478), the
    blendshape scores by name and the 4x4 transformation matrix (or None)."""
    yaw, pitch, roll = head_pose(matrix) if matrix is not None else (None, None, None)
    landmarks: tuple[Point3, ...] | None = None
    if keep_all_landmarks:
        landmarks = tuple((float(p[0]), float(p[1]), float(p[2])) for p in points)
    return FaceObservation(
        bbox=landmark_box(points),
        yaw=yaw,
        pitch=pitch,
        roll=roll,
        blendshapes=blendshapes,
        mouth_open=mouth_openness(points, aspect),
        key_points=key_points(points),
        landmarks=landmarks,
    )
