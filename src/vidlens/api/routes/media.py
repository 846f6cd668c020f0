"""Platform media routes: upload (streamed), URL intake, listing, signed downloads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from vidlens.api.context import AppContext
from vidlens.api.deps import ContextDep, PrincipalDep
from vidlens.api.uploads import declared_oversize
from vidlens.errors import Forbidden, InvalidInput, PayloadTooLarge
from vidlens.media import service
from vidlens.media.fetch import UrlPolicy, fetch_url
from vidlens.media.received import ReceivedFile
from vidlens.media.signing import signed_query, verify_download
from vidlens.media.upload import receive_multipart
from vidlens.storage.tables import Media

router = APIRouter(tags=["media"])


_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The video or audio file (streamed to disk).",
                        }
                    },
                },
                "example": {"file": "(binary) talk.mp4"},
            }
        },
    }
}


class MediaPublic(BaseModel):
    """A stored media file as probed from its bytes."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "3f6c1a2b-8d4e-4f5a-9b7c-0d1e2f3a4b5c",
                    "filename": "talk.mp4",
                    "size_bytes": 662788,
                    "sha256": "9f2c…",
                    "source_url": None,
                    "container": "mov,mp4,m4a,3gp,3g2,mj2",
                    "mime_type": "video/mp4",
                    "video_codec": "h264",
                    "audio_codec": "aac",
                    "duration_seconds": 6.131,
                    "width": 700,
                    "height": 700,
                    "fps": 22.13,
                    "has_video": True,
                    "has_audio": True,
                    "audio_tracks": 1,
                    "created_at": "2026-11-25T10:00:00Z",
                    "download_url": "https://vidlens.example/media/download/3f6c…?expires=1795"
                    "000000&signature=Qm9…",
                    "download_expires_at": "2026-11-25T11:00:00Z",
                }
            ]
        },
    )

    id: str
    filename: str = Field(description="The client's file name (base name only).")
    size_bytes: int
    sha256: str = Field(description="Hex SHA-256 of the stored bytes.")
    source_url: str | None = Field(description="The URL the file was fetched from, if any.")
    container: str = Field(description="ffprobe format name, detected from the bytes.")
    mime_type: str
    video_codec: str | None
    audio_codec: str | None
    duration_seconds: float | None = Field(description="Seconds.")
    width: int | None = Field(description="Pixels.")
    height: int | None = Field(description="Pixels.")
    fps: float | None = Field(description="Average frames per second.")
    has_video: bool
    has_audio: bool
    audio_tracks: int
    created_at: datetime
    download_url: str | None = Field(
        default=None, description="Signed URL that downloads the file without credentials."
    )
    download_expires_at: datetime | None = Field(
        default=None, description="When ``download_url`` stops working."
    )


class MediaListPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"data": []}]})

    data: list[MediaPublic]


class MediaFromUrl(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"url": "https://example.com/videos/talk.mp4"}]}
    )

    url: str = Field(
        min_length=1,
        max_length=8192,
        description="http(s) URL of the media. Private, loopback and link-local addresses are "
        "refused unless the server allow-lists them.",
    )


def _public(media: Media, context: AppContext, request: Request) -> MediaPublic:
    ttl = context.settings.media.signed_url_ttl_seconds
    query = signed_query(key_or_media_id=media.id, ttl_seconds=ttl, secret=context.signing_key)
    base = (context.settings.public_url or str(request.base_url)).rstrip("/")
    public = MediaPublic.model_validate(media)
    public.download_url = (
        f"{base}/media/download/{media.id}?expires={query['expires']}"
        f"&signature={query['signature']}"
    )
    public.download_expires_at = datetime.fromtimestamp(int(query["expires"]), UTC)
    return public


async def _ingest(
    context: AppContext, account_id: str, received: ReceivedFile, source_url: str | None
) -> Media:
    return await run_in_threadpool(
        lambda: service.ingest_with_settings(
            db=context.db,
            store=context.store,
            settings=context.settings.media,
            account_id=account_id,
            received=received,
            source_url=source_url,
        )
    )


@router.post(
    "/api/media",
    status_code=status.HTTP_201_CREATED,
    response_model=MediaPublic,
    openapi_extra=_UPLOAD_BODY,
    responses={
        413: {"description": "The file is larger than the server's upload limit."},
        415: {"description": "Empty, corrupt, truncated or not audio/video."},
        422: {"description": "Breaks a limit (duration), or a malformed form."},
    },
)
async def upload_media(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> MediaPublic:
    """Upload a video or audio file as multipart/form-data (part ``file``).

    The body is streamed to disk as it arrives, never held in memory. The container and codecs
    are probed from the bytes (not the file name); empty, truncated, corrupt, over-size and
    over-length files are refused with a clear message and nothing is kept.
    """
    max_bytes = context.settings.media.max_upload_bytes
    declared = declared_oversize(request, max_bytes)
    if declared is not None:
        raise PayloadTooLarge(
            f"The upload is {declared} bytes; the limit is {max_bytes} bytes.",
            limit="max_bytes",
            maximum=max_bytes,
            actual=declared,
        )
    try:
        form = await receive_multipart(
            request.stream(),
            request.headers.get("content-type", ""),
            store=context.store,
            account_id=principal.account_id,
            max_file_bytes=max_bytes,
            file_fields={"file"},
        )
    except ClientDisconnect as exc:
        # Nothing was kept; answer a 4xx (nobody reads it) rather than log a server error.
        raise InvalidInput("The upload was interrupted before it completed.") from exc
    received = form.files.get("file")
    if received is None:
        raise InvalidInput("The form has no 'file' part.")
    media = await _ingest(context, principal.account_id, received, None)
    return _public(media, context, request)


@router.post(
    "/api/media/from-url",
    status_code=status.HTTP_201_CREATED,
    response_model=MediaPublic,
    responses={
        415: {"description": "The downloaded bytes are not readable audio/video."},
        422: {"description": "URL refused (SSRF rules), download failed, or a limit broken."},
    },
)
async def media_from_url(
    body: MediaFromUrl, request: Request, principal: PrincipalDep, context: ContextDep
) -> MediaPublic:
    """Fetch a video or audio file from an http(s) URL, with size and time limits.

    Private, loopback and link-local addresses (and redirects to them) are refused unless the
    server's allow-list names them.
    """
    media_settings = context.settings.media
    received = await fetch_url(
        body.url,
        policy=UrlPolicy.from_setting(context.settings.url_allowlist),
        store=context.store,
        account_id=principal.account_id,
        max_bytes=media_settings.max_upload_bytes,
        timeout=media_settings.url_timeout_seconds,
        max_redirects=media_settings.url_max_redirects,
    )
    media = await _ingest(context, principal.account_id, received, body.url)
    return _public(media, context, request)


@router.get("/api/media", response_model=MediaListPublic)
def list_media(
    request: Request,
    principal: PrincipalDep,
    context: ContextDep,
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0),
) -> MediaListPublic:
    """This account's media, newest first, each with a fresh signed download URL."""
    with context.db.read_session() as session:
        rows = service.list_media(
            session=session, account_id=principal.account_id, limit=limit, offset=offset
        )
        return MediaListPublic(data=[_public(row, context, request) for row in rows])


@router.get("/api/media/{media_id}", response_model=MediaPublic)
def get_media(
    media_id: str, request: Request, principal: PrincipalDep, context: ContextDep
) -> MediaPublic:
    """One media file's probed metadata and a signed download URL that expires after the
    server's ``signed_url_ttl_seconds``."""
    with context.db.read_session() as session:
        media = service.get_media(
            session=session, account_id=principal.account_id, media_id=media_id
        )
        return _public(media, context, request)


@router.delete(
    "/api/media/{media_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response
)
def delete_media(media_id: str, principal: PrincipalDep, context: ContextDep) -> Response:
    """Delete a media file and its record."""
    service.delete_media(
        db=context.db, store=context.store, account_id=principal.account_id, media_id=media_id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/media/download/{media_id}",
    response_class=FileResponse,
    responses={
        200: {"description": "The file (Range requests supported)."},
        403: {"description": "Missing, invalid or expired signature."},
        404: {"description": "The media no longer exists."},
    },
)
def download_media(
    media_id: str,
    context: ContextDep,
    expires: int | None = Query(default=None, description="Expiry, Unix seconds."),
    signature: str | None = Query(default=None, max_length=100, description="Signature."),
) -> FileResponse:
    """Download a media file through a signed URL; no credentials needed. Supports Range."""
    if (
        expires is None
        or signature is None
        or not verify_download(
            key_or_media_id=media_id,
            expires_at=expires,
            signature=signature,
            secret=context.signing_key,
        )
    ):
        raise Forbidden("The download link is invalid or has expired.")
    with context.db.read_session() as session:
        media = service.get_media_for_download(session=session, media_id=media_id)
    return FileResponse(
        context.store.local_path(media.storage_key),
        media_type=media.mime_type,
        filename=media.filename or None,
    )
