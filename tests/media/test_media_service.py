"""Media records and intake: tenancy, listing, deletion, and no half-stored media."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import media_file
from tests.media.media_testing import ClipFactory, stored_files
from vidlens.accounts.service import create_account
from vidlens.errors import MediaRejected, NotFound, PayloadTooLarge, UnsupportedMedia
from vidlens.media import service
from vidlens.media.limits import MediaLimits
from vidlens.media.received import ReceivedFile, StoreSink
from vidlens.media.store import LocalMediaStore
from vidlens.storage.db import Database
from vidlens.storage.tables import Media


def _account(db: Database, name: str) -> str:
    with db.session() as session:
        return create_account(session=session, name=name).id


def _put(store: LocalMediaStore, account_id: str, source: Path) -> ReceivedFile:
    """Stream a file into the store the way uploads do."""
    sink = StoreSink(
        store,
        store.new_key(account_id, source.suffix),
        max_bytes=10**9,
        too_large=lambda limit: PayloadTooLarge("too large"),
    )
    with source.open("rb") as handle:
        while block := handle.read(65536):
            sink.write(block)
    received = sink.result(filename=source.name, content_type=None)
    store.commit(received.key)
    return received


def _ingest(
    db: Database,
    store: LocalMediaStore,
    account_id: str,
    source: Path,
    limits: MediaLimits | None = None,
) -> Media:
    return service.ingest_file(
        db=db,
        store=store,
        account_id=account_id,
        received=_put(store, account_id, source),
        limits=limits or MediaLimits(),
    )


@pytest.mark.media
def test_ingest_real_clip(db: Database, store: LocalMediaStore) -> None:
    account = _account(db, "acme")
    source = media_file("talking/videoretalking_face1.mp4")
    media = _ingest(db, store, account, source)
    assert media.filename == "videoretalking_face1.mp4"
    assert (media.size_bytes, media.mime_type) == (source.stat().st_size, "video/mp4")
    assert (media.video_codec, media.audio_codec, media.width, media.height) == (
        "h264",
        "aac",
        700,
        700,
    )
    assert media.duration_seconds == pytest.approx(6.131, abs=0.01)
    assert (media.has_video, media.has_audio, media.audio_tracks) == (True, True, 1)
    with db.read_session() as session:
        again = service.get_media(session=session, account_id=account, media_id=media.id)
        assert again.sha256 == media.sha256
        assert len(again.sha256) == 64
        assert again.storage_key == media.storage_key
    assert store.local_path(media.storage_key).read_bytes() == source.read_bytes()


def test_foreign_media_is_not_found(
    db: Database, store: LocalMediaStore, clip: ClipFactory
) -> None:
    owner, other = _account(db, "owner"), _account(db, "other")
    media = _ingest(db, store, owner, clip("wav"))
    with db.read_session() as session:
        with pytest.raises(NotFound) as foreign:
            service.get_media(session=session, account_id=other, media_id=media.id)
        with pytest.raises(NotFound) as missing:
            service.get_media(session=session, account_id=other, media_id="no-such-id")
    assert foreign.value.message == f"Media {media.id!r} not found."
    assert missing.value.message == "Media 'no-such-id' not found."
    with pytest.raises(NotFound):
        service.delete_media(db=db, store=store, account_id=other, media_id=media.id)
    assert store.exists(media.storage_key)


def test_list_is_scoped_and_newest_first(
    db: Database, store: LocalMediaStore, clip: ClipFactory
) -> None:
    first, second = _account(db, "first"), _account(db, "second")
    older = _ingest(db, store, first, clip("wav"))
    newer = _ingest(db, store, first, clip("flac"))
    _ingest(db, store, second, clip("ogg"))
    with db.read_session() as session:
        listed = service.list_media(session=session, account_id=first)
        assert [m.id for m in listed] == [newer.id, older.id]
        assert [m.id for m in service.list_media(session=session, account_id=first, limit=1)] == [
            newer.id
        ]
        paged = service.list_media(session=session, account_id=first, offset=1)
        assert [m.id for m in paged] == [older.id]


def test_delete_removes_row_and_bytes(
    db: Database, store: LocalMediaStore, clip: ClipFactory
) -> None:
    account = _account(db, "acme")
    media = _ingest(db, store, account, clip("mp4"))
    service.delete_media(db=db, store=store, account_id=account, media_id=media.id)
    with db.read_session() as session, pytest.raises(NotFound):
        service.get_media(session=session, account_id=account, media_id=media.id)
    assert stored_files(store) == []


@pytest.mark.parametrize(
    ("limits", "error", "message"),
    [
        pytest.param(MediaLimits(max_bytes=100), PayloadTooLarge, "limit is 100 bytes", id="size"),
        pytest.param(
            MediaLimits(max_duration_seconds=1), MediaRejected, "limit is 1 s", id="duration"
        ),
        pytest.param(MediaLimits(require_video=True), MediaRejected, "no video", id="no-video"),
        pytest.param(
            MediaLimits(allowed_containers=frozenset({"mp4"})),
            MediaRejected,
            "wav container",
            id="container",
        ),
    ],
)
def test_rejected_media_is_not_kept(
    db: Database,
    store: LocalMediaStore,
    clip: ClipFactory,
    limits: MediaLimits,
    error: type[Exception],
    message: str,
) -> None:
    account = _account(db, "acme")
    with pytest.raises(error, match=message):
        _ingest(db, store, account, clip("wav"), limits)
    assert stored_files(store) == []
    with db.read_session() as session:
        assert service.list_media(session=session, account_id=account) == []


def test_truncated_upload_is_not_kept(
    db: Database, store: LocalMediaStore, clip: ClipFactory, tmp_path: Path
) -> None:
    account = _account(db, "acme")
    kept = _ingest(db, store, account, clip("wav"))
    cut = tmp_path / "cut.mp4"
    data = clip("mp4_faststart").read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnsupportedMedia, match="truncated"):
        _ingest(db, store, account, cut)
    assert stored_files(store) == [store.local_path(kept.storage_key)]  # earlier media intact


def test_download_lookup_is_unscoped(
    db: Database, store: LocalMediaStore, clip: ClipFactory, tmp_path: Path
) -> None:
    account = _account(db, "acme")
    renamed = tmp_path / "renamed.bin"
    shutil.copyfile(clip("webm"), renamed)
    media = _ingest(db, store, account, renamed)
    assert media.mime_type == "video/webm"
    with db.read_session() as session:
        found = service.get_media_for_download(session=session, media_id=media.id)
        assert found.id == media.id
        with pytest.raises(NotFound):
            service.get_media_for_download(session=session, media_id="missing")
