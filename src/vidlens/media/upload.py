"""Streaming multipart/form-data reader: file parts go straight to the media store.

Memory stays flat whatever the upload's size: body chunks are fed to python-multipart's
streaming :class:`~python_multipart.MultipartParser` in batches of at most :data:`BATCH_BYTES`,
and every file part is written to ``store.open_write(key)`` as it arrives, hashed and counted
on the way. A file over the limit stops the upload at once. On any failure (limit, malformed
body, client gone) every file written so far is discarded: nothing is left in the store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio.to_thread
from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header

from vidlens.errors import InvalidInput, PayloadTooLarge
from vidlens.media.received import ReceivedFile, StoreSink, safe_filename, suffix_of
from vidlens.media.store import MediaStore

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

BATCH_BYTES = 256 * 1024
"""Body bytes handed to the parser (in a worker thread, as it also writes to disk) at once."""


@dataclass(frozen=True)
class ReceivedForm:
    """A parsed form: text fields in memory, files committed to the store.

    Attributes:
        fields: text parts, field name → value.
        files: file parts, field name → the stored file.
    """

    fields: dict[str, str]
    files: dict[str, ReceivedFile]


async def receive_multipart(
    stream: AsyncIterator[bytes],
    content_type_header: str,
    *,
    store: MediaStore,
    account_id: str,
    max_file_bytes: int,
    max_field_bytes: int = 1_000_000,
    file_fields: set[str] | None = None,
    max_parts: int = 100,
) -> ReceivedForm:
    """Parse a multipart/form-data body, streaming file parts into the store.

    Arguments:
        stream: the request body in chunks (e.g. Starlette's ``request.stream()``).
        content_type_header: the request's Content-Type, with its ``boundary``.
        store: where file parts are written.
        account_id: owner of the stored files (their key prefix).
        max_file_bytes: largest accepted file part, in bytes.
        max_field_bytes: largest accepted text part, in bytes.
        file_fields: names of the parts that may carry files (None: any part with a
            ``filename``). A part named here is stored as a file even without a filename.
        max_parts: most parts accepted.

    Returns:
        The text fields and the committed files.

    Raises:
        InvalidInput: not multipart/form-data, no boundary, a malformed or cut-off body, a
            file in a part not listed in ``file_fields``, a repeated part name, too many
            parts, or a text part that is not UTF-8.
        PayloadTooLarge: a file part over ``max_file_bytes`` or a text part over
            ``max_field_bytes``.
    """
    reader = _FormReader(
        store=store,
        account_id=account_id,
        max_file_bytes=max_file_bytes,
        max_field_bytes=max_field_bytes,
        file_fields=file_fields,
        max_parts=max_parts,
    )
    parser = MultipartParser(_boundary(content_type_header), callbacks=reader.callbacks())
    try:
        await _feed(parser, stream)
        return reader.finish()
    except FormParserError as exc:
        reader.abort()
        raise InvalidInput(f"Malformed multipart body: {exc}") from exc
    except BaseException:
        reader.abort()
        raise


def _boundary(content_type_header: str) -> bytes:
    media_type, options = parse_options_header(content_type_header)
    boundary = options.get(b"boundary", b"")
    if media_type != b"multipart/form-data" or not boundary or len(boundary) > 200:
        raise InvalidInput(
            "Expected a multipart/form-data body with a boundary in its Content-Type."
        )
    return boundary


async def _feed(parser: MultipartParser, stream: AsyncIterator[bytes]) -> None:
    pending = bytearray()
    async for chunk in stream:
        if not chunk:
            continue
        if not pending and len(chunk) >= BATCH_BYTES:
            await anyio.to_thread.run_sync(parser.write, chunk)
            continue
        pending += chunk
        if len(pending) >= BATCH_BYTES:
            await anyio.to_thread.run_sync(parser.write, bytes(pending))
            pending.clear()
    if pending:
        await anyio.to_thread.run_sync(parser.write, bytes(pending))
    parser.finalize()


class _FormReader:
    """Parser callbacks: collects headers, routes part data to a store sink or a buffer."""

    def __init__(
        self,
        *,
        store: MediaStore,
        account_id: str,
        max_file_bytes: int,
        max_field_bytes: int,
        file_fields: set[str] | None,
        max_parts: int,
    ) -> None:
        self.store = store
        self.account_id = account_id
        self.max_file_bytes = max_file_bytes
        self.max_field_bytes = max_field_bytes
        self.file_fields = file_fields
        self.max_parts = max_parts
        self.fields: dict[str, str] = {}
        self.files: dict[str, ReceivedFile] = {}
        self.sinks: list[StoreSink] = []
        self.ended = False
        self._parts = 0
        self._headers: dict[str, str] = {}
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._name = ""
        self._filename = ""
        self._sink: StoreSink | None = None
        self._value = bytearray()

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._on_part_begin,
            "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value,
            "on_header_end": self._on_header_end,
            "on_headers_finished": self._on_headers_finished,
            "on_part_data": self._on_part_data,
            "on_part_end": self._on_part_end,
            "on_end": self._on_end,
        }

    def finish(self) -> ReceivedForm:
        """Commit every file once the closing boundary has been seen.

        Raises:
            InvalidInput: the body ended before its closing boundary.
        """
        if not self.ended:
            raise InvalidInput(
                "The multipart body ended before its closing boundary (upload cut off?)."
            )
        for received in self.files.values():
            self.store.commit(received.key)
        return ReceivedForm(fields=dict(self.fields), files=dict(self.files))

    def abort(self) -> None:
        """Discard every file written or being written."""
        for sink in self.sinks:
            sink.abort()

    def _on_part_begin(self) -> None:
        self._parts += 1
        if self._parts > self.max_parts:
            raise InvalidInput(f"The form has more than {self.max_parts} parts.")
        self._headers = {}
        self._sink = None
        self._value = bytearray()

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        name = self._header_name.decode("latin-1").strip().lower()
        self._headers[name] = self._header_value.decode("latin-1").strip()
        self._header_name.clear()
        self._header_value.clear()

    def _on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get("content-disposition"))
        if b"name" not in options:
            raise InvalidInput("A form part has no name in its Content-Disposition header.")
        self._name = options[b"name"].decode("utf-8", "replace")
        if self._name in self.fields or self._name in self.files:
            raise InvalidInput(f"Form field {self._name!r} was sent more than once.")
        raw_filename = options.get(b"filename")
        self._filename = (
            safe_filename(raw_filename.decode("utf-8", "replace")) if raw_filename else ""
        )
        if self._is_file(has_filename=raw_filename is not None):
            self._open_sink()

    def _is_file(self, *, has_filename: bool) -> bool:
        if self.file_fields is None:
            return has_filename
        if self._name in self.file_fields:
            return True
        if has_filename:
            raise InvalidInput(f"Unexpected file in form field {self._name!r}.")
        return False

    def _open_sink(self) -> None:
        name = self._name
        limit = self.max_file_bytes

        def too_large(maximum: int) -> PayloadTooLarge:
            return PayloadTooLarge(
                f"The file in form field {name!r} is larger than the {maximum}-byte limit.",
                limit="max_bytes",
                maximum=maximum,
            )

        key = self.store.new_key(self.account_id, suffix_of(self._filename))
        self._sink = StoreSink(self.store, key, max_bytes=limit, too_large=too_large)
        self.sinks.append(self._sink)

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._sink is not None:
            self._sink.write(memoryview(data)[start:end])
            return
        if len(self._value) + (end - start) > self.max_field_bytes:
            raise PayloadTooLarge(
                f"Form field {self._name!r} is larger than the {self.max_field_bytes}-byte limit.",
                limit="max_field_bytes",
                maximum=self.max_field_bytes,
            )
        self._value += data[start:end]

    def _on_part_end(self) -> None:
        if self._sink is not None:
            content_type = self._headers.get("content-type") or None
            self.files[self._name] = self._sink.result(
                filename=self._filename, content_type=content_type
            )
            self._sink = None
            return
        try:
            self.fields[self._name] = self._value.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"Form field {self._name!r} is not valid UTF-8.") from exc

    def _on_end(self) -> None:
        self.ended = True
