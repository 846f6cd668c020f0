"""Media store interface and the local-folder implementation."""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from pathlib import Path
from typing import BinaryIO, Protocol

from vidlens.errors import Conflict, InvalidInput, NotFound

_SEGMENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")
_PARTIAL = ".part"
_MAX_DEPTH = 8


class MediaStore(Protocol):
    """Where media bytes live. Keys are opaque relative names chosen by the store."""

    def new_key(self, account_id: str, suffix: str = "") -> str: ...

    def open_write(self, key: str) -> BinaryIO:
        """A binary file to stream into; the object becomes visible on :meth:`commit`."""
        ...

    def commit(self, key: str) -> None: ...

    def discard(self, key: str) -> None:
        """Drop a partial or unwanted object (no error if absent)."""
        ...

    def local_path(self, key: str) -> Path:
        """A local file path for engines that need one (an S3 store downloads to a cache)."""
        ...

    def exists(self, key: str) -> bool: ...

    def size(self, key: str) -> int: ...

    def delete(self, key: str) -> None: ...


def clean_suffix(suffix: str) -> str:
    """A safe lower-case file suffix (``.mp4``), or ``""`` when ``suffix`` is not one."""
    suffix = suffix.strip().lower()
    return suffix if _SUFFIX.match(suffix) else ""


class LocalMediaStore:
    """Media in a local folder: ``<root>/<account_id>/<uuid><suffix>``.

    Writes go to ``.<name>.part`` in the object's own folder and are renamed into place by
    :meth:`commit` after an fsync, so a reader never sees a partial object and a crash leaves
    only a hidden ``.part`` file. Keys are validated segment by segment and resolved paths must
    stay inside the root, so a key can never reach outside it.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def new_key(self, account_id: str, suffix: str = "") -> str:
        """A fresh key in the account's folder.

        Raises:
            InvalidInput: ``account_id`` is not a safe path segment.
        """
        if not _SEGMENT.match(account_id) or account_id.startswith("."):
            raise InvalidInput("Invalid account id for the media store.")
        return f"{account_id}/{uuid.uuid4().hex}{clean_suffix(suffix)}"

    def open_write(self, key: str) -> BinaryIO:
        """Open the partial file for ``key``.

        Raises:
            InvalidInput: the key is malformed or escapes the store.
            Conflict: the object exists already or is being written.
        """
        final = self._path(key)
        if final.exists():
            raise Conflict("A stored object with this key exists already.")
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            return _partial(final).open("xb")
        except FileExistsError as exc:
            raise Conflict("This stored object is being written already.") from exc

    def commit(self, key: str) -> None:
        """Make the written object visible (fsync, then an atomic rename).

        Raises:
            InvalidInput: the key is malformed or escapes the store.
            NotFound: nothing was written under this key.
        """
        final = self._path(key)
        partial = _partial(final)
        try:
            descriptor = os.open(partial, os.O_RDONLY)
        except FileNotFoundError as exc:
            raise NotFound("Nothing was written under this key.") from exc
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(partial, final)

    def discard(self, key: str) -> None:
        """Remove the object and any partial write of it (no error if absent)."""
        final = self._path(key)
        for path in (_partial(final), final):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def local_path(self, key: str) -> Path:
        """The committed object's path.

        Raises:
            InvalidInput: the key is malformed or escapes the store.
            NotFound: no committed object has this key.
        """
        path = self._path(key)
        if not path.is_file():
            raise NotFound("The stored media file is missing.")
        return path

    def exists(self, key: str) -> bool:
        """Whether a committed object has this key."""
        return self._path(key).is_file()

    def size(self, key: str) -> int:
        """The committed object's size in bytes.

        Raises:
            NotFound: no committed object has this key.
        """
        return self.local_path(key).stat().st_size

    def delete(self, key: str) -> None:
        """Delete the object (no error if absent)."""
        self.discard(key)

    def _path(self, key: str) -> Path:
        segments = key.split("/")
        if not 2 <= len(segments) <= _MAX_DEPTH or not all(
            _SEGMENT.match(segment) and ".." not in segment for segment in segments
        ):
            raise InvalidInput("Invalid media storage key.")
        path = self.root.joinpath(*segments)
        # Symlinks inside the store must not lead out of it either.
        if not path.resolve().is_relative_to(self.root):
            raise InvalidInput("Invalid media storage key.")
        return path


def _partial(final: Path) -> Path:
    return final.with_name(f".{final.name}{_PARTIAL}")
