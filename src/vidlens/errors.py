"""Domain errors. No HTTP here: ``vidlens.api.errors`` maps these to responses in one place.

Each class carries a ``status`` hint and a stable ``code``; surfaces render them in their own
contract's error shape.
"""

from __future__ import annotations

from typing import Any, ClassVar


class VidlensError(Exception):
    """Base of every expected failure."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "BAD_REQUEST"

    def __init__(self, message: str, *, hint: str | None = None, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.fields = fields


class InvalidInput(VidlensError):
    status = 422
    code = "VALIDATION_ERROR"


class AuthenticationFailed(VidlensError):
    status = 401
    code = "UNAUTHORIZED"


class Forbidden(VidlensError):
    status = 403
    code = "FORBIDDEN"


class NotFound(VidlensError):
    status = 404
    code = "NOT_FOUND"


class Conflict(VidlensError):
    status = 409
    code = "CONFLICT"


class InsufficientCredits(VidlensError):
    status = 402
    code = "insufficient_credits"


class PayloadTooLarge(VidlensError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"


class UnsupportedMedia(VidlensError):
    """The bytes are not media we can read (empty, corrupt, truncated, wrong type)."""

    status = 415
    code = "UNSUPPORTED_MEDIA"


class MediaRejected(VidlensError):
    """Readable media that breaks a limit (duration, format, missing stream)."""

    status = 422
    code = "MEDIA_REJECTED"


class UrlRefused(VidlensError):
    """A URL input that may not be fetched (SSRF rules, scheme, credentials)."""

    status = 422
    code = "URL_REFUSED"


class UrlFetchFailed(VidlensError):
    """A URL input that could not be downloaded (timeout, HTTP error, too large)."""

    status = 422
    code = "URL_FETCH_FAILED"


class EngineUnavailable(VidlensError):
    status = 503
    code = "ENGINE_UNAVAILABLE"


class JobCancelled(VidlensError):
    status = 409
    code = "JOB_CANCELLED"


class BadRequest(VidlensError):
    status = 400
    code = "BAD_REQUEST"
