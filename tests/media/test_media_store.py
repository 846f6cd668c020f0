"""LocalMediaStore: atomic writes, key validation, no escape from the root."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.media.media_testing import stored_files
from vidlens.errors import Conflict, InvalidInput, NotFound
from vidlens.media.store import LocalMediaStore, MediaStore

ACCOUNT = "5b7c3a52-0f7e-4a43-9d63-1f1c3c0b7d10"


def test_implements_protocol(store: LocalMediaStore) -> None:
    typed: MediaStore = store
    assert typed is store


def test_new_key_shape(store: LocalMediaStore) -> None:
    key = store.new_key(ACCOUNT, ".MP4")
    assert re.fullmatch(rf"{ACCOUNT}/[0-9a-f]{{32}}\.mp4", key)
    assert store.new_key(ACCOUNT, ".mp4") != key
    assert re.fullmatch(rf"{ACCOUNT}/[0-9a-f]{{32}}", store.new_key(ACCOUNT, "../../x"))
    assert "." not in store.new_key(ACCOUNT, ".toolongsuffix").split("/")[1]


@pytest.mark.parametrize("account", ["", "..", ".hidden", "a/b", "a\\b", "x" * 200])
def test_new_key_refuses_unsafe_account(store: LocalMediaStore, account: str) -> None:
    with pytest.raises(InvalidInput):
        store.new_key(account)


def test_write_is_invisible_until_commit(store: LocalMediaStore) -> None:
    key = store.new_key(ACCOUNT, ".bin")
    with store.open_write(key) as handle:
        handle.write(b"hello ")
        handle.write(b"world")
    assert not store.exists(key)
    with pytest.raises(NotFound):
        store.local_path(key)
    partial = stored_files(store)
    assert len(partial) == 1
    assert partial[0].name.startswith(".")
    store.commit(key)
    assert store.exists(key)
    assert store.size(key) == 11
    assert store.local_path(key).read_bytes() == b"hello world"
    assert stored_files(store) == [store.local_path(key)]


def test_discard_removes_partial_and_committed(store: LocalMediaStore) -> None:
    partial_key = store.new_key(ACCOUNT)
    with store.open_write(partial_key) as handle:
        handle.write(b"x")
    committed_key = store.new_key(ACCOUNT)
    with store.open_write(committed_key) as handle:
        handle.write(b"y")
    store.commit(committed_key)
    store.discard(partial_key)
    store.delete(committed_key)
    store.discard(store.new_key(ACCOUNT))  # absent: no error
    assert stored_files(store) == []


def test_commit_without_write(store: LocalMediaStore) -> None:
    with pytest.raises(NotFound):
        store.commit(store.new_key(ACCOUNT))


def test_no_overwrite(store: LocalMediaStore) -> None:
    key = store.new_key(ACCOUNT)
    with store.open_write(key) as handle:
        handle.write(b"first")
        with pytest.raises(Conflict):
            store.open_write(key)  # being written
    store.commit(key)
    with pytest.raises(Conflict):
        store.open_write(key)  # exists
    assert store.local_path(key).read_bytes() == b"first"


@pytest.mark.parametrize(
    "key",
    [
        "../outside.mp4",
        f"{ACCOUNT}/../../outside.mp4",
        "/etc/passwd",
        f"{ACCOUNT}/..",
        f"{ACCOUNT}/.hidden",
        f"{ACCOUNT}\\..\\..\\outside",
        f"{ACCOUNT}/a\x00b",
        "single-segment",
        f"{ACCOUNT}//double",
        "",
    ],
)
def test_traversal_refused(store: LocalMediaStore, key: str) -> None:
    for operation in (store.open_write, store.local_path, store.exists, store.discard):
        with pytest.raises(InvalidInput):
            operation(key)


def test_symlink_out_of_root_refused(store: LocalMediaStore, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    store.root.mkdir(parents=True)
    (store.root / "evil").symlink_to(outside)
    with pytest.raises(InvalidInput):
        store.local_path("evil/secret.txt")
    with pytest.raises(InvalidInput):
        store.open_write("evil/new.mp4")
    assert not (outside / "new.mp4").exists()
