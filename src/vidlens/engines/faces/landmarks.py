"""dlib's 68-point shape predictor on a detected face: mouth openness, and the 5-point
shape the face embedder aligns with.

Mouth openness is the mean of the three inner-lip gaps (points 61-67, 62-66, 63-65) over
the inner mouth width (60-64), in pixels: about 0 closed, 0.2-0.35 while speaking.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from vidlens.engines.errors import ModelMissing
from vidlens.engines.face.types import BoundingBox
from vidlens.engines.faces.models import DLIB_HINT, dlib_model_path

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

_GAPS = ((61, 67), (62, 66), (63, 65))


def dlib_rectangle(box: BoundingBox, width: int, height: int) -> Any:
    """A dlib rectangle in pixels from a normalised box."""
    import dlib  # type: ignore[import-untyped]  # no stubs

    return dlib.rectangle(
        round(box.x * width),
        round(box.y * height),
        round((box.x + box.width) * width),
        round((box.y + box.height) * height),
    )


class MouthLandmarker:
    """Places dlib's 68 landmarks on a face box and measures how open the mouth is.

    Raises:
        ModelMissing: dlib or its model file is absent.
        ModelIntegrityError: the model file was altered.
    """

    def __init__(self) -> None:
        path = dlib_model_path("shape_predictor_68_face_landmarks.dat")
        try:
            import dlib
        except ImportError:
            raise ModelMissing("dlib is not installed", hint=DLIB_HINT) from None
        self._predictor: Any = dlib.shape_predictor(str(path))

    def mouth_open(self, rgb: npt.NDArray[np.uint8], box: BoundingBox) -> float | None:
        """Inner-lip gap over inner mouth width for the face in ``box`` of ``rgb``."""
        height, width = rgb.shape[:2]
        shape = self._predictor(rgb, dlib_rectangle(box, width, height))
        return mouth_openness([(shape.part(i).x, shape.part(i).y) for i in range(68)])


def mouth_openness(points: list[tuple[int, int]] | list[tuple[float, float]]) -> float | None:
    """The openness of a 68-point shape (``None`` when the mouth has no width)."""
    (x0, y0), (x1, y1) = points[60], points[64]
    mouth_width = math.hypot(x1 - x0, y1 - y0)
    if mouth_width < 1e-6:
        return None
    gaps = [math.hypot(points[a][0] - points[b][0], points[a][1] - points[b][1]) for a, b in _GAPS]
    return sum(gaps) / len(gaps) / mouth_width
