"""dlib's ResNet face embeddings on faces aligned by the 5-point shape predictor."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

from vidlens.engines.errors import ModelMissing
from vidlens.engines.face.types import BoundingBox
from vidlens.engines.face_id.fingerprint import MODEL_ID
from vidlens.engines.faces.landmarks import dlib_rectangle
from vidlens.engines.faces.models import DLIB_HINT, dlib_model_path

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

CHIP_SIZE = 150
"""dlib aligns faces to 150 x 150 chips (with 25 % padding) before the network."""


class FaceEmbedder:
    """128-d embeddings of faces; ``chip`` then ``embed_chips`` lets a caller keep small
    aligned chips while decoding and run the (slower) network once at the end.

    Raises:
        ModelMissing: dlib or a model file is absent.
        ModelIntegrityError: a model file was altered.
    """

    model_id = MODEL_ID

    def __init__(self) -> None:
        shape_path = dlib_model_path("shape_predictor_5_face_landmarks.dat")
        net_path = dlib_model_path("dlib_face_recognition_resnet_model_v1.dat")
        try:
            import dlib  # type: ignore[import-untyped]  # no stubs
        except ImportError:
            raise ModelMissing("dlib is not installed", hint=DLIB_HINT) from None
        self._dlib: Any = dlib
        self._shape: Any = dlib.shape_predictor(str(shape_path))
        self._net: Any = dlib.face_recognition_model_v1(str(net_path))

    def chip(self, rgb: npt.NDArray[np.uint8], box: BoundingBox) -> npt.NDArray[np.uint8]:
        """The aligned ``150 x 150`` RGB chip of the face in ``box`` (normalised) of ``rgb``."""
        import numpy as np

        height, width = rgb.shape[:2]
        shape = self._shape(rgb, dlib_rectangle(box, width, height))
        chip: npt.NDArray[np.uint8] = np.asarray(
            self._dlib.get_face_chip(rgb, shape, size=CHIP_SIZE), dtype=np.uint8
        )
        return chip

    def embed_chips(self, chips: list[npt.NDArray[np.uint8]]) -> list[tuple[float, ...]]:
        """One 128-d embedding per aligned chip."""
        return [tuple(float(v) for v in self._net.compute_face_descriptor(c)) for c in chips]

    def embed(self, rgb: npt.NDArray[np.uint8], box: BoundingBox) -> tuple[float, ...]:
        """The embedding of the face in ``box`` of ``rgb``."""
        return self.embed_chips([self.chip(rgb, box)])[0]

    def close(self) -> None:
        """Nothing native to release beyond the Python references."""
        self._shape = self._net = None

    def __enter__(self) -> FaceEmbedder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
