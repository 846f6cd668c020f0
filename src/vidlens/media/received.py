"""Files received into the store (uploads and URL downloads), and the sink that writes them."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from vidlens.media.store import MediaStore, clean_suffix

_MAX_FILENAME = 255


@dataclass(frozen=True)
class ReceivedFile:
    """A file streamed into the store and committed there.

    Attributes:
        key: storage key in the :class:`~vidlens.media.store.MediaStore`.
        filename: the client's file name (base name only, cleaned; may be empty).
        content_type: the declared content type (client or remote server), not trusted.
        size: bytes written.
        sha256: hex SHA-256 of the bytes written.
    """

    key: str
    filename: str
    content_type: str | None
    size: int
    sha256: str


def safe_filename(raw: str) -> str:
    """The base name of a client-supplied file name, without control characters, at most
    255 characters (``""`` if nothing is left)."""
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if cleaned in {".", ".."}:
        return ""
    return cleaned[:_MAX_FILENAME]


def suffix_of(filename: str) -> str:
    """A safe storage suffix taken from a file name (``""`` when it has none)."""
    return clean_suffix(PurePosixPath(filename).suffix)


class StoreSink:
    """Streams bytes into one store object, counting and hashing them as they pass.

    Arguments:
        store: the media store.
        key: the object's key (from ``store.new_key``).
        max_bytes: most bytes accepted.
        too_large: builds the error raised once more than ``max_bytes`` arrive; it receives
            ``max_bytes``.
    """

    def __init__(
        self,
        store: MediaStore,
        key: str,
        *,
        max_bytes: int,
        too_large: Callable[[int], Exception],
    ) -> None:
        self.store = store
        self.key = key
        self.size = 0
        self._max_bytes = max_bytes
        self._too_large = too_large
        self._hash = hashlib.sha256()
        self._file = store.open_write(key)

    def write(self, data: bytes | memoryview) -> None:
        """Append bytes.

        Raises:
            Exception: whatever ``too_large`` builds, as soon as the limit is passed (nothing
                over the limit is written).
        """
        self.size += len(data)
        if self.size > self._max_bytes:
            raise self._too_large(self._max_bytes)
        self._hash.update(data)
        self._file.write(data)

    def close(self) -> None:
        """Flush and close the partial file (the object is not committed)."""
        self._file.close()

    def result(self, *, filename: str, content_type: str | None) -> ReceivedFile:
        """Close the file and describe it (commit it with ``store.commit(key)``)."""
        self.close()
        return ReceivedFile(
            key=self.key,
            filename=filename,
            content_type=content_type,
            size=self.size,
            sha256=self._hash.hexdigest(),
        )

    def abort(self) -> None:
        """Close and discard everything written."""
        try:
            self.close()
        finally:
            self.store.discard(self.key)
