"""The one place that turns domain errors into HTTP responses.

Each surface keeps its contract's error shape: a renderer is chosen by the longest matching
path prefix (registered by the surface's router module), falling back to the platform shape
``{"detail": message, "code": CODE, ...fields}``. Unexpected exceptions are logged with an
``error_id`` that is returned to the client; no stack trace leaves the server.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from vidlens.errors import VidlensError

logger = logging.getLogger("vidlens.api")


@dataclass(frozen=True)
class ErrorInfo:
    """A failure in neutral form, handed to a surface's renderer."""

    status: int
    code: str
    message: str
    fields: dict[str, Any]
    hint: str | None = None
    validation: list[dict[str, Any]] | None = None


Renderer = Callable[[ErrorInfo], JSONResponse]


def platform_renderer(info: ErrorInfo) -> JSONResponse:
    if info.status == 401:
        # The exact body of the coaching contract, whatever failed: callers cannot tell an
        # unknown key from a revoked or expired one.
        return JSONResponse(
            {"detail": info.message}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )
    body: dict[str, Any] = {"detail": info.message, "code": info.code}
    if info.hint:
        body["hint"] = info.hint
    if info.validation is not None:
        body["errors"] = info.validation
    body.update({k: v for k, v in info.fields.items() if k not in body})
    return JSONResponse(body, status_code=info.status)


class ErrorRenderers:
    """Path prefix → renderer; longest prefix wins."""

    def __init__(self) -> None:
        self._by_prefix: dict[str, Renderer] = {}

    def register(self, prefix: str, renderer: Renderer) -> None:
        self._by_prefix[prefix] = renderer

    def for_path(self, path: str) -> Renderer:
        best = ""
        for prefix in self._by_prefix:
            if path.startswith(prefix) and len(prefix) > len(best):
                best = prefix
        return self._by_prefix.get(best, platform_renderer)


def _renderers(request: Request) -> ErrorRenderers:
    renderers: ErrorRenderers = request.app.state.error_renderers
    return renderers


def _clean_validation(errors: Any) -> list[dict[str, Any]]:
    cleaned = []
    for error in errors:
        cleaned.append(
            {
                "loc": [str(part) for part in error.get("loc", ())],
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
        )
    return cleaned


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, VidlensError)
    fields = dict(exc.fields)
    code = str(fields.pop("code", exc.code))
    info = ErrorInfo(exc.status, code, exc.message, fields, exc.hint)
    return _renderers(request).for_path(request.url.path)(info)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    info = ErrorInfo(
        422,
        "VALIDATION_ERROR",
        "Missing or invalid request body.",
        {},
        validation=_clean_validation(exc.errors()),
    )
    return _renderers(request).for_path(request.url.path)(info)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "HTTP_ERROR")
    info = ErrorInfo(exc.status_code, code, str(exc.detail), {})
    response = _renderers(request).for_path(request.url.path)(info)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    error_id = uuid.uuid4().hex[:12]
    logger.exception("unhandled error", extra={"error_id": error_id, "path": request.url.path})
    info = ErrorInfo(500, "INTERNAL_ERROR", "Internal server error.", {"error_id": error_id})
    return _renderers(request).for_path(request.url.path)(info)


def install_error_handlers(app: FastAPI) -> None:
    app.state.error_renderers = ErrorRenderers()
    app.add_exception_handler(VidlensError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
