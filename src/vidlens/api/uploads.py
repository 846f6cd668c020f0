"""The Content-Length precheck every multipart route makes before streaming an upload."""

from __future__ import annotations

from starlette.requests import Request

MULTIPART_OVERHEAD_BYTES = 1024 * 1024
"""Allowance for multipart headers and small text parts in the Content-Length precheck."""


def declared_oversize(request: Request, limit: int) -> int | None:
    """The body length the client declared, when it is over ``limit`` bytes of file plus
    :data:`MULTIPART_OVERHEAD_BYTES`: the upload can be refused before any byte is read.
    None when no length is declared or it fits (the streaming reader still counts)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD_BYTES:
        return int(declared)
    return None
