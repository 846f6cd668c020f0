"""The MediaPipe Tasks face landmarker, run frame by frame into :class:`FaceSample` s.

VIDEO running mode tracks the face between frames (faster than detecting on every frame and
steadier), so one :class:`FaceLandmarker` serves one video, fed increasing timestamps; each
analysis opens its own and closes it explicitly (MediaPipe's native graph otherwise lingers
until interpreter exit). IMAGE mode serves single stills. The verified model bytes are read
once per process (:func:`vidlens.engines.face.model.load_model_bytes`); building a landmarker
from them takes under a second, so landmarkers are not pooled.

Tracking loss: in VIDEO mode MediaPipe follows the face from the previous frame's landmarks
and runs its detector again only on the frame *after* the track is lost, so the first frame
after a hard cut (the face jumps elsewhere) comes back empty although a face is plainly
there. When a frame returns no face after one that had a face, it is therefore detected
again with a second landmarker in IMAGE mode (created on first need); on the shared media
this recovers every such frame (see docs/face.md).
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from vidlens.engines.errors import ModelMissing
from vidlens.engines.face.model import INSTALL_HINT, load_model_bytes
from vidlens.engines.face.pose import build_observation
from vidlens.engines.face.settings import FaceSettings
from vidlens.engines.face.types import FaceObservation, FaceSample

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

RunningMode = Literal["video", "image"]


class FaceLandmarker:
    """A MediaPipe face landmarker with blendshapes and transformation matrices.

    Use as a context manager (or call :meth:`close`). In ``video`` mode, :meth:`detect`
    must be called with strictly increasing timestamps.

    Raises:
        ModelMissing: mediapipe or the model is not installed.
        ModelIntegrityError: the packaged model's sha256 does not match.
    """

    def __init__(self, settings: FaceSettings | None = None, mode: RunningMode = "video") -> None:
        self.settings = settings or FaceSettings()
        self.mode = mode
        model = load_model_bytes(self.settings.model_path)
        try:
            from mediapipe.tasks.python import (  # type: ignore[import-untyped]  # no stubs
                BaseOptions,
                vision,
            )
        except ImportError:
            raise ModelMissing("mediapipe is not installed", hint=INSTALL_HINT) from None
        options = vision.FaceLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=model),
            running_mode=(
                vision.RunningMode.VIDEO if mode == "video" else vision.RunningMode.IMAGE
            ),
            num_faces=self.settings.num_faces,
            min_face_detection_confidence=self.settings.min_detection_confidence,
            min_face_presence_confidence=self.settings.min_presence_confidence,
            min_tracking_confidence=self.settings.min_tracking_confidence,
            output_face_blendshapes=True,
            output_facial_transformation_matrixes=True,
        )
        self._options = options
        self._landmarker: Any = vision.FaceLandmarker.create_from_options(options)
        self._still: Any = None  # IMAGE-mode landmarker for frames where tracking was lost
        self._had_faces = False
        self._last_ms = -1

    def detect(self, rgb: npt.NDArray[np.uint8], timestamp: float) -> FaceSample:
        """Find the faces in one RGB frame (``(h, w, 3)`` uint8) taken at ``timestamp`` s.

        In video mode a timestamp that does not advance by at least 1 ms is nudged forward
        (MediaPipe refuses repeated timestamps).
        """
        import mediapipe as mp  # type: ignore[import-untyped]  # no stubs
        import numpy as np

        if self._landmarker is None:
            raise RuntimeError("the face landmarker is closed")
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if self.mode == "video":
            millis = max(round(timestamp * 1000), self._last_ms + 1)
            self._last_ms = millis
            result = self._landmarker.detect_for_video(image, millis)
            had_faces, self._had_faces = self._had_faces, bool(result.face_landmarks)
            if had_faces and not result.face_landmarks:
                result = self._redetect(image)
        else:
            result = self._landmarker.detect(image)
        height, width = rgb.shape[:2]
        faces = _observations(result, width / height, self.settings.keep_all_landmarks)
        return FaceSample(timestamp=timestamp, faces=faces)

    def _redetect(self, image: Any) -> Any:
        """Detect without tracking (IMAGE mode), for a frame where the track was lost."""
        if self._still is None:
            from mediapipe.tasks.python import vision

            self._options.running_mode = vision.RunningMode.IMAGE
            self._still = vision.FaceLandmarker.create_from_options(self._options)
        return self._still.detect(image)

    def close(self) -> None:
        """Release the native graph (idempotent)."""
        for landmarker in (self._landmarker, self._still):
            if landmarker is not None:
                landmarker.close()
        self._landmarker = self._still = None

    def __enter__(self) -> FaceLandmarker:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _observations(result: Any, aspect: float, keep_all: bool) -> tuple[FaceObservation, ...]:
    import numpy as np

    faces: list[FaceObservation] = []
    blendshape_lists = result.face_blendshapes or []
    matrices = result.facial_transformation_matrixes or []
    for i, landmarks in enumerate(result.face_landmarks or []):
        points = np.array([(p.x, p.y, p.z) for p in landmarks], dtype=np.float32)
        scores: dict[str, float] = {}
        if i < len(blendshape_lists):
            scores = {c.category_name: float(c.score) for c in blendshape_lists[i]}
        matrix = np.asarray(matrices[i], dtype=np.float64) if i < len(matrices) else None
        faces.append(
            build_observation(points, scores, matrix, aspect=aspect, keep_all_landmarks=keep_all)
        )
    return tuple(faces)
