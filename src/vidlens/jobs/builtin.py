"""Built-in job handlers. They register like any plugin (see :mod:`vidlens.jobs.handlers`)."""

from __future__ import annotations

import hashlib
from typing import Any

from vidlens.jobs.context import JobContext
from vidlens.jobs.handlers import job_handler

CHUNK_BYTES = 1024 * 1024


@job_handler("media.verify", public=True)
def verify_media(ctx: JobContext) -> dict[str, Any]:
    """Re-hash a stored media file and compare it with the digest recorded at upload.

    The platform's self-check: it reads the whole file in 1 MiB chunks, reporting progress
    in phase ``hashing``.

    Params:
        media_id: the media to check (one of the job's account).

    Returns:
        ``{"sha256": hex digest, "matches": bool, "size_bytes": bytes read}``.

    Raises:
        InvalidInput: no ``media_id``.
        NotFound: no such media for this account, or its file is missing.
        JobCancelled: cancellation was requested.
    """
    media = ctx.media()
    path = ctx.media_path(media.id)
    total = max(path.stat().st_size, 1)
    digest = hashlib.sha256()
    size = 0
    ctx.progress(0.0, "hashing")
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
            ctx.progress(min(99.0, 100.0 * size / total), "hashing")
    sha256 = digest.hexdigest()
    return {
        "sha256": sha256,
        "matches": sha256 == media.sha256 and size == media.size_bytes,
        "size_bytes": size,
    }
