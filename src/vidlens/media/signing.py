"""Signed, expiring download URLs (HMAC-SHA256).

The signature covers the object id and the expiry time, under a key derived from the server
secret for this purpose only, so a download signature can never be replayed as anything else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

_PURPOSE = b"vidlens.media.download.v1"


def sign_download(*, key_or_media_id: str, expires_at: int, secret: str) -> str:
    """Sign a download of one object until ``expires_at``.

    Arguments:
        key_or_media_id: what the URL gives access to (a media id or a storage key).
        expires_at: expiry as Unix time in seconds.
        secret: the server signing secret.

    Returns:
        A URL-safe base64 signature without padding (43 characters).
    """
    digest = hmac.new(
        _derived_key(secret), _message(key_or_media_id, expires_at), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify_download(
    *,
    key_or_media_id: str,
    expires_at: int,
    signature: str,
    secret: str,
    now: float | None = None,
) -> bool:
    """Check a download signature (constant-time) and its expiry.

    Arguments:
        key_or_media_id: the object the URL names.
        expires_at: the URL's expiry, Unix time in seconds.
        signature: the URL's signature.
        secret: the server signing secret.
        now: the current Unix time (injectable for tests); defaults to the clock.

    Returns:
        True only if the signature matches and ``now`` is before ``expires_at``.
    """
    expected = sign_download(key_or_media_id=key_or_media_id, expires_at=expires_at, secret=secret)
    valid = hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace"))
    current = time.time() if now is None else now
    return valid and current < expires_at


def signed_query(
    *, key_or_media_id: str, ttl_seconds: int, secret: str, now: float | None = None
) -> dict[str, str]:
    """Query parameters (``expires``, ``signature``) for a link valid for ``ttl_seconds``."""
    current = time.time() if now is None else now
    expires_at = int(current) + ttl_seconds
    signature = sign_download(key_or_media_id=key_or_media_id, expires_at=expires_at, secret=secret)
    return {"expires": str(expires_at), "signature": signature}


def _derived_key(secret: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), _PURPOSE, hashlib.sha256).digest()


def _message(key_or_media_id: str, expires_at: int) -> bytes:
    return f"{key_or_media_id}\n{int(expires_at)}".encode()
