"""BlazeFace (MediaPipe's short-range face detector) on whole frames and square tiles.

BlazeFace looks at a 128 x 128 square: on a wide 16:9 frame a small face (a guest across
the table, an audience member) covers only a few of its pixels. So a frame whose long side
exceeds ``tile_overlap_ratio`` times its short side is also searched in overlapping squares
of the short side's size, evenly spaced along the long side (two for 16:9), and the
detections of all passes are merged by non-maximum suppression (the higher score wins).
"""

from __future__ import annotations

import math
from types import TracebackType
from typing import TYPE_CHECKING, Any

from vidlens.engines.errors import ModelMissing
from vidlens.engines.face.model import INSTALL_HINT
from vidlens.engines.face.types import BoundingBox
from vidlens.engines.faces.models import blazeface_bytes
from vidlens.engines.faces.settings import FaceTrackingSettings
from vidlens.engines.faces.types import Detection, iou

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

DETECTOR_NAME = "mediapipe-blazeface-short-range (tiled)"


def tiles(width: int, height: int, ratio: float) -> list[tuple[int, int, int]]:
    """Square tiles ``(x, y, side)`` covering a frame whose long side exceeds ``ratio``
    times its short side (empty otherwise)."""
    long_side, short_side = max(width, height), min(width, height)
    if long_side <= ratio * short_side:
        return []
    count = math.ceil(long_side / short_side)
    offsets = [round(i * (long_side - short_side) / count) for i in range(count + 1)]
    if width >= height:
        return [(x, 0, short_side) for x in offsets]
    return [(0, y, short_side) for y in offsets]


def suppress(detections: list[Detection], threshold: float) -> list[Detection]:
    """Non-maximum suppression: of detections overlapping more than ``threshold`` (or one
    centred inside the other), keep the highest score."""
    kept: list[Detection] = []
    for detection in sorted(detections, key=lambda d: -d.score):
        if all(not _same(detection.box, other.box, threshold) for other in kept):
            kept.append(detection)
    return kept


def _same(a: BoundingBox, b: BoundingBox, threshold: float) -> bool:
    if iou(a, b) > threshold:
        return True
    (ax, ay), (bx, by) = a.centre, b.centre
    inside_b = b.x <= ax <= b.x + b.width and b.y <= ay <= b.y + b.height
    inside_a = a.x <= bx <= a.x + a.width and a.y <= by <= a.y + a.height
    return inside_a and inside_b


class BlazeFaceDetector:
    """Finds faces in RGB frames; close it (or use ``with``) to free the native graph.

    Raises:
        ModelMissing: mediapipe or the model bundle is absent.
        ModelIntegrityError: the packaged bundle was altered.
    """

    def __init__(self, settings: FaceTrackingSettings | None = None) -> None:
        self.settings = settings or FaceTrackingSettings()
        model = blazeface_bytes(self.settings.landmarker_path)
        try:
            from mediapipe.tasks.python import (  # type: ignore[import-untyped]  # no stubs
                BaseOptions,
                vision,
            )
        except ImportError:
            raise ModelMissing("mediapipe is not installed", hint=INSTALL_HINT) from None
        options = vision.FaceDetectorOptions(
            base_options=BaseOptions(model_asset_buffer=model),
            running_mode=vision.RunningMode.IMAGE,
            min_detection_confidence=self.settings.min_detection_confidence,
        )
        self._detector: Any = vision.FaceDetector.create_from_options(options)

    def detect(self, rgb: npt.NDArray[np.uint8]) -> list[Detection]:
        """The faces of one ``(h, w, 3)`` RGB frame, boxes normalised to it."""
        height, width = rgb.shape[:2]
        found = self._run(rgb, 0, 0, width, height)
        for x, y, side in tiles(width, height, self.settings.tile_overlap_ratio):
            found.extend(self._run(rgb[y : y + side, x : x + side], x, y, width, height))
        return suppress(found, self.settings.nms_iou)

    def _run(
        self, rgb: npt.NDArray[np.uint8], x0: int, y0: int, width: int, height: int
    ) -> list[Detection]:
        import mediapipe as mp  # type: ignore[import-untyped]  # no stubs
        import numpy as np

        if self._detector is None:
            raise RuntimeError("the face detector is closed")
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        tile_h, tile_w = rgb.shape[:2]
        detections = []
        for found in self._detector.detect(image).detections:
            box = found.bounding_box
            keypoints = tuple(
                ((x0 + k.x * tile_w) / width, (y0 + k.y * tile_h) / height)
                for k in found.keypoints or ()
            )
            detections.append(
                Detection(
                    box=BoundingBox(
                        (x0 + box.origin_x) / width,
                        (y0 + box.origin_y) / height,
                        box.width / width,
                        box.height / height,
                    ),
                    score=float(found.categories[0].score),
                    keypoints=keypoints,
                )
            )
        return detections

    def close(self) -> None:
        """Release the native graph (idempotent)."""
        if self._detector is not None:
            self._detector.close()
        self._detector = None

    def __enter__(self) -> BlazeFaceDetector:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
