"""receive_multipart: streamed to the store, flat memory, nothing kept on failure."""

from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import AsyncIterator

import pytest

from tests.media.media_testing import (
    CLOSING,
    MULTIPART_TYPE,
    chunks,
    form_body,
    part_head,
    stored_files,
)
from vidlens.errors import InvalidInput, PayloadTooLarge
from vidlens.media.store import LocalMediaStore
from vidlens.media.upload import receive_multipart

pytestmark = pytest.mark.anyio
ACCOUNT = "acct-1"
MB = 1024 * 1024


async def _receive(
    store: LocalMediaStore,
    stream: AsyncIterator[bytes],
    *,
    content_type: str = MULTIPART_TYPE,
    max_file_bytes: int = 10 * MB,
    max_field_bytes: int = 1000,
    file_fields: set[str] | None = None,
) -> object:
    return await receive_multipart(
        stream,
        content_type,
        store=store,
        account_id=ACCOUNT,
        max_file_bytes=max_file_bytes,
        max_field_bytes=max_field_bytes,
        file_fields=file_fields,
    )


async def test_fields_and_file(store: LocalMediaStore) -> None:
    data = bytes(range(256)) * 4000  # 1 MB, crosses many chunk and batch edges
    body = form_body(
        {"title": "Ünïcode talk", "lang": "en"}, {"file": ("C:\\Users\\me\\talk.MP4", data)}
    )
    form = await receive_multipart(
        chunks(body, 1000),
        MULTIPART_TYPE,
        store=store,
        account_id=ACCOUNT,
        max_file_bytes=len(data),
        file_fields={"file"},
    )
    assert form.fields == {"title": "Ünïcode talk", "lang": "en"}
    received = form.files["file"]
    assert received.filename == "talk.MP4"
    assert received.content_type == "application/octet-stream"
    assert received.size == len(data)
    assert received.sha256 == hashlib.sha256(data).hexdigest()
    assert received.key.startswith(f"{ACCOUNT}/")
    assert received.key.endswith(".mp4")
    assert store.local_path(received.key).read_bytes() == data
    assert stored_files(store) == [store.local_path(received.key)]


async def test_empty_file_part_is_stored_empty(store: LocalMediaStore) -> None:
    form = await receive_multipart(
        chunks(form_body({}, {"file": ("empty.mp4", b"")})),
        MULTIPART_TYPE,
        store=store,
        account_id=ACCOUNT,
        max_file_bytes=10,
        file_fields=None,
    )
    assert form.files["file"].size == 0
    assert form.files["file"].sha256 == hashlib.sha256(b"").hexdigest()


async def test_file_over_limit_keeps_nothing(store: LocalMediaStore) -> None:
    first = b"a" * 1000
    second = b"b" * (3 * MB)
    body = form_body({}, {"small": ("a.mp4", first), "big": ("b.mp4", second)})
    with pytest.raises(PayloadTooLarge, match="'big' is larger than the 1048576-byte limit"):
        await receive_multipart(
            chunks(body),
            MULTIPART_TYPE,
            store=store,
            account_id=ACCOUNT,
            max_file_bytes=MB,
        )
    assert stored_files(store) == []  # the complete first file went too


async def test_stops_reading_at_the_limit(store: LocalMediaStore) -> None:
    """The upload is refused as soon as the limit is passed, not after the whole body."""
    consumed = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal consumed
        yield part_head("file", "x.mp4")
        block = b"z" * 65536
        while True:
            consumed += len(block)
            yield block

    with pytest.raises(PayloadTooLarge):
        await _receive(store, endless(), max_file_bytes=2 * MB)
    assert consumed < 3 * MB
    assert stored_files(store) == []


async def test_memory_stays_flat_for_50_mb(store: LocalMediaStore) -> None:
    block = bytes(range(256)) * 256  # 64 KiB, allocated before measuring
    blocks = 800  # 50 MiB

    async def body() -> AsyncIterator[bytes]:
        yield part_head("file", "big.mp4", "video/mp4")
        for _ in range(blocks):
            yield block
        yield b"\r\n" + CLOSING

    tracemalloc.start()
    try:
        form = await receive_multipart(
            body(), MULTIPART_TYPE, store=store, account_id=ACCOUNT, max_file_bytes=100 * MB
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert form.files["file"].size == blocks * len(block)
    assert store.size(form.files["file"].key) == 50 * MB
    assert peak < 3 * MB, f"peak {peak / MB:.1f} MB while streaming 50 MB"


@pytest.mark.parametrize(
    "content_type",
    [
        pytest.param("multipart/form-data", id="no-boundary"),
        pytest.param("application/json", id="json"),
        pytest.param("", id="missing"),
        pytest.param("multipart/form-data; boundary=" + "x" * 300, id="huge-boundary"),
    ],
)
async def test_bad_content_type(store: LocalMediaStore, content_type: str) -> None:
    with pytest.raises(InvalidInput, match="multipart/form-data body with a boundary"):
        await _receive(store, chunks(form_body({"a": "b"}, {})), content_type=content_type)


async def test_cut_off_body_keeps_nothing(store: LocalMediaStore) -> None:
    body = form_body({}, {"file": ("a.mp4", b"q" * 100_000)})
    with pytest.raises(InvalidInput, match="ended before its closing boundary"):
        await _receive(store, chunks(body[:60_000]))
    assert stored_files(store) == []


async def test_garbage_body(store: LocalMediaStore) -> None:
    with pytest.raises(InvalidInput, match="Malformed multipart body"):
        await _receive(store, chunks(b"--" + b"nope" * 100))
    assert stored_files(store) == []


async def test_client_disconnect_keeps_nothing(store: LocalMediaStore) -> None:
    class ClientGone(Exception):
        pass

    async def broken() -> AsyncIterator[bytes]:
        yield part_head("file", "a.mp4") + b"x" * 500_000
        raise ClientGone

    with pytest.raises(ClientGone):
        await _receive(store, broken())
    assert stored_files(store) == []


async def test_unexpected_file_field(store: LocalMediaStore) -> None:
    body = form_body({}, {"file": ("a.mp4", b"1"), "other": ("b.mp4", b"2")})
    with pytest.raises(InvalidInput, match="Unexpected file in form field 'other'"):
        await _receive(store, chunks(body), file_fields={"file"})
    assert stored_files(store) == []


async def test_listed_field_without_filename_is_a_file(store: LocalMediaStore) -> None:
    form = await receive_multipart(
        chunks(form_body({"file": "raw bytes"}, {})),
        MULTIPART_TYPE,
        store=store,
        account_id=ACCOUNT,
        max_file_bytes=100,
        file_fields={"file"},
    )
    assert form.fields == {}
    assert store.local_path(form.files["file"].key).read_bytes() == b"raw bytes"


async def test_repeated_field(store: LocalMediaStore) -> None:
    body = part_head("a") + b"1\r\n" + part_head("a") + b"2\r\n" + CLOSING
    with pytest.raises(InvalidInput, match="'a' was sent more than once"):
        await _receive(store, chunks(body))


async def test_field_over_limit(store: LocalMediaStore) -> None:
    with pytest.raises(PayloadTooLarge, match="Form field 'note' is larger than the 1000-byte"):
        await _receive(store, chunks(form_body({"note": "n" * 1001}, {})))


async def test_field_not_utf8(store: LocalMediaStore) -> None:
    body = part_head("note") + b"\xff\xfe\r\n" + CLOSING
    with pytest.raises(InvalidInput, match="not valid UTF-8"):
        await _receive(store, chunks(body))


async def test_part_without_name(store: LocalMediaStore) -> None:
    body = f"--{MULTIPART_TYPE.split('=', 1)[1]}\r\nContent-Disposition: form-data\r\n\r\nx\r\n"
    with pytest.raises(InvalidInput, match="no name"):
        await _receive(store, chunks(body.encode() + CLOSING))
