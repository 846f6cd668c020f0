"""Weights that ship inside registry packages, located and verified without importing the
package's code.

A package from a small publisher is treated as data: its file is found through
``importlib.metadata``, its sha256 is checked against the value recorded in vidlens before
anything loads it, and a file whose hash differs is refused. Verified files are remembered by
path, size and modification time, so a long-lived worker hashes each file once.
"""

from __future__ import annotations

import importlib.metadata
import threading
from dataclasses import dataclass
from pathlib import Path

from vidlens.engines.errors import ModelIntegrityError, ModelMissing
from vidlens.engines.speech.whisper_model import sha256_file

_VERIFIED: dict[tuple[str, int, int], str] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class PackagedFile:
    """One weights file inside a distribution.

    Attributes:
        distribution: the registry package (``rapidocr``, ``nudenet``).
        path: the file's path inside the distribution (``nudenet/320n.onnx``).
        sha256: the recorded hash; a file with another hash is never loaded.
        hint: what to install when it is missing.
    """

    distribution: str
    path: str
    sha256: str
    hint: str


def locate(spec: PackagedFile) -> Path:
    """The file on disk, without checking its hash (cheap: for availability reports).

    Raises:
        ModelMissing: the package is not installed or does not hold the file.
    """
    try:
        dist = importlib.metadata.distribution(spec.distribution)
    except importlib.metadata.PackageNotFoundError:
        raise ModelMissing(
            f"package {spec.distribution} is not installed", hint=spec.hint
        ) from None
    for entry in dist.files or ():
        if str(entry).replace("\\", "/") == spec.path:
            found = Path(str(dist.locate_file(entry)))
            if found.is_file():
                return found
    raise ModelMissing(
        f"package {spec.distribution} is installed but has no {spec.path}",
        hint=f"reinstall it: {spec.hint}",
    )


def verified(path: Path, sha256: str, *, hint: str) -> Path:
    """``path`` once its sha256 equals ``sha256`` (remembered by path, size and mtime).

    Raises:
        ModelMissing: the file does not exist.
        ModelIntegrityError: its hash differs from the recorded one.
    """
    try:
        stat = path.stat()
    except OSError:
        raise ModelMissing(f"model file {path} does not exist", hint=hint) from None
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _LOCK:
        if _VERIFIED.get(key) == sha256:
            return path
    actual = sha256_file(path)
    if actual != sha256:
        raise ModelIntegrityError(
            f"refusing to load {path}: sha256 {actual} does not match the recorded {sha256}",
            hint=f"reinstall it: {hint}",
        )
    with _LOCK:
        _VERIFIED[key] = sha256
    return path


def load_path(spec: PackagedFile) -> Path:
    """Locate and verify a packaged file: the path to hand to the runtime.

    Raises:
        ModelMissing: not installed.
        ModelIntegrityError: the file's hash differs from the recorded one.
    """
    return verified(locate(spec), spec.sha256, hint=spec.hint)
