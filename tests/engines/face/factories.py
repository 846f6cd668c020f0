"""Hand-made face samples for unit tests (no model needed)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from vidlens.engines.face.samples import BLENDSHAPE_NAMES
from vidlens.engines.face.types import BoundingBox, FaceObservation, FaceSample

NEUTRAL: dict[str, float] = {name: 0.05 for name in BLENDSHAPE_NAMES}


def face(
    *,
    yaw: float | None = 0.0,
    pitch: float | None = 0.0,
    roll: float | None = 0.0,
    box: tuple[float, float, float, float] = (0.4, 0.2, 0.2, 0.35),
    blendshapes: Mapping[str, float] | None = None,
    **scores: float,
) -> FaceObservation:
    """A face with neutral blendshapes overridden by ``blendshapes`` and ``scores``."""
    values = dict(NEUTRAL if blendshapes is None else blendshapes)
    values.update(scores)
    return FaceObservation(
        bbox=BoundingBox(*box),
        yaw=yaw,
        pitch=pitch,
        roll=roll,
        blendshapes=values,
        mouth_open=0.1,
        key_points={},
    )


def series(
    faces: Sequence[FaceObservation | None], *, rate: float = 5.0, start: float = 0.0
) -> list[FaceSample]:
    """Samples at ``rate`` per second (``None``: no face in that sample)."""
    return [FaceSample(start + i / rate, () if f is None else (f,)) for i, f in enumerate(faces)]


def landmarks(count: int = 478) -> list[dict[str, float]]:
    """``count`` points spread over a face-sized box, with a closed mouth 0.1 wide."""
    points = []
    for i in range(count):
        angle = i * 2.399963  # golden angle: points spread over a disc
        radius = 0.15 * math.sqrt((i + 0.5) / count)
        points.append(
            {"x": 0.5 + radius * math.cos(angle), "y": 0.4 + radius * math.sin(angle), "z": 0.0}
        )
    points[61] = {"x": 0.45, "y": 0.5, "z": 0.0}
    points[291] = {"x": 0.55, "y": 0.5, "z": 0.0}
    points[13] = {"x": 0.5, "y": 0.5, "z": 0.0}
    points[14] = {"x": 0.5, "y": 0.52, "z": 0.0}
    return points


def rotation_y(degrees: float) -> list[list[float]]:
    """A 4x4 transform turning the face by ``degrees`` of yaw, 50 units from the camera."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return [[c, 0.0, s, 0.0], [0.0, 1.0, 0.0, 0.0], [-s, 0.0, c, -50.0], [0.0, 0.0, 0.0, 1.0]]


def client_sample(
    timestamp_ms: float, *, faces: int = 1, yaw: float = 0.0, **scores: float
) -> dict[str, Any]:
    """One ``mediapipeSamples`` entry in MediaPipe's JavaScript result shape."""
    values = dict(NEUTRAL)
    values.update(scores)
    matrix = [v for row in rotation_y(yaw) for v in row]
    return {
        "timestampMs": timestamp_ms,
        "faceLandmarks": [landmarks() for _ in range(faces)],
        "faceBlendshapes": [
            {"categories": [{"categoryName": k, "score": v} for k, v in values.items()]}
            for _ in range(faces)
        ],
        "facialTransformationMatrixes": [
            {"rows": 4, "columns": 4, "data": matrix} for _ in range(faces)
        ],
    }
