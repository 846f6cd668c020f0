"""Media records: repository functions (keyword-only) and intake of stored files.

Every lookup is scoped to an account: another account's media answers :class:`NotFound` with
the same message as a missing id.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from vidlens.config import MediaSettings
from vidlens.errors import NotFound
from vidlens.media.limits import MediaLimits, check_limits, check_size
from vidlens.media.probe import MediaInfo, probe_file
from vidlens.media.received import ReceivedFile
from vidlens.media.store import MediaStore
from vidlens.storage.db import Database
from vidlens.storage.tables import Media


def record_media(
    *,
    session: Session,
    account_id: str,
    received: ReceivedFile,
    info: MediaInfo,
    source_url: str | None = None,
) -> Media:
    """Insert the row for a stored, probed file (flushed, not committed)."""
    media = Media(
        account_id=account_id,
        filename=received.filename[:500],
        storage_key=received.key,
        size_bytes=received.size,
        sha256=received.sha256,
        source_url=source_url,
        container=info.container[:100],
        mime_type=info.mime_type,
        video_codec=info.video_codec,
        audio_codec=info.audio_codec,
        duration_seconds=info.duration_seconds,
        width=info.width,
        height=info.height,
        fps=info.fps,
        has_video=info.has_video,
        has_audio=info.has_audio,
        audio_tracks=info.audio_tracks,
    )
    session.add(media)
    session.flush()
    return media


def get_media(*, session: Session, account_id: str, media_id: str) -> Media:
    """One media row of the account.

    Raises:
        NotFound: no such media, or it belongs to another account (same message).
    """
    media = session.scalar(
        select(Media).where(Media.id == media_id, Media.account_id == account_id)
    )
    if media is None:
        raise NotFound(f"Media {media_id!r} not found.")
    return media


def get_media_for_download(*, session: Session, media_id: str) -> Media:
    """A media row by id alone, for signed downloads (the verified signature is the
    authorization; never call this with an unverified id from a client).

    Raises:
        NotFound: no such media.
    """
    media = session.get(Media, media_id)
    if media is None:
        raise NotFound(f"Media {media_id!r} not found.")
    return media


def list_media(
    *, session: Session, account_id: str, limit: int = 50, offset: int = 0
) -> list[Media]:
    """The account's media, newest first."""
    rows = session.scalars(
        select(Media)
        .where(Media.account_id == account_id)
        .order_by(Media.created_at.desc(), Media.id)
        .limit(max(0, limit))
        .offset(max(0, offset))
    )
    return list(rows)


def delete_media(*, db: Database, store: MediaStore, account_id: str, media_id: str) -> None:
    """Delete a media row, then its bytes once the deletion is committed (a failed commit
    never leaves a row without its file).

    Raises:
        NotFound: no such media, or it belongs to another account.
    """
    with db.session() as session:
        media = get_media(session=session, account_id=account_id, media_id=media_id)
        key = media.storage_key
        session.delete(media)
    store.delete(key)


def ingest_file(
    *,
    db: Database,
    store: MediaStore,
    account_id: str,
    received: ReceivedFile,
    limits: MediaLimits,
    source_url: str | None = None,
    ffprobe: str = "ffprobe",
    probe_timeout: float = 30.0,
) -> Media:
    """Probe a file already committed to the store, check it against limits and record it.

    Blocking (runs ffprobe): call it from a worker thread in async code. The probe runs outside
    any database transaction. On any error the stored bytes are discarded before the error is
    re-raised, so no half-stored media remains.

    Arguments:
        db: the database.
        store: the store holding ``received``.
        account_id: owner of the media.
        received: the committed file (from an upload or a URL download).
        limits: what the calling surface accepts.
        source_url: the URL the file came from, if any.
        ffprobe: the ffprobe executable.
        probe_timeout: seconds allowed for probing.

    Returns:
        The new media row (detached, attributes loaded).

    Raises:
        PayloadTooLarge: the file is larger than ``limits.max_bytes``.
        UnsupportedMedia: empty, not audio/video, unreadable or truncated.
        MediaRejected: breaks a container, duration or stream limit.
        EngineUnavailable: ffprobe is missing.
    """
    try:
        check_size(received.size, limits)
        info = probe_file(store.local_path(received.key), ffprobe=ffprobe, timeout=probe_timeout)
        check_limits(info, received.size, limits)
        with db.session() as session:
            return record_media(
                session=session,
                account_id=account_id,
                received=received,
                info=info,
                source_url=source_url,
            )
    except BaseException:
        store.discard(received.key)
        raise


def ingest_with_settings(
    *,
    db: Database,
    store: MediaStore,
    settings: MediaSettings,
    account_id: str,
    received: ReceivedFile,
    source_url: str | None = None,
) -> Media:
    """:func:`ingest_file` with the limits, ffprobe and probe timeout of ``settings``.

    Raises:
        The errors of :func:`ingest_file`.
    """
    return ingest_file(
        db=db,
        store=store,
        account_id=account_id,
        received=received,
        limits=MediaLimits.from_settings(settings),
        source_url=source_url,
        ffprobe=settings.ffprobe,
        probe_timeout=settings.probe_timeout_seconds,
    )
