"""Error rendering for ``/analysis``: the gait contract's codes and HTTP statuses.

Body: ``{"status": <HTTP status>, "error": <code>, "message": <sentence>, ...fields}``. The
contract's codes are lower-case (``file_too_large`` 413, ``invalid_file_type`` 400,
``insufficient_credits`` 402) and its client errors are 400s, so platform failures met on the
way (a multipart body cut off, a bad query parameter, a file the prober refuses) are re-coded
here: 422 ``VALIDATION_ERROR`` becomes 400 ``invalid_parameter``, 415 ``UNSUPPORTED_MEDIA``
400 ``invalid_file``, 413 ``PAYLOAD_TOO_LARGE`` ``file_too_large``.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from vidlens.api.errors import ErrorInfo

_PLATFORM: dict[str, tuple[int, str]] = {
    "PAYLOAD_TOO_LARGE": (413, "file_too_large"),
    "VALIDATION_ERROR": (400, "invalid_parameter"),
    "BAD_REQUEST": (400, "invalid_parameter"),
    "UNSUPPORTED_MEDIA": (400, "invalid_file"),
    "MEDIA_REJECTED": (400, "invalid_file"),
    "NOT_FOUND": (404, "not_found"),
    "UNAUTHORIZED": (401, "unauthorized"),
    "FORBIDDEN": (403, "forbidden"),
    "METHOD_NOT_ALLOWED": (405, "method_not_allowed"),
    "ENGINE_UNAVAILABLE": (503, "engine_unavailable"),
    "MODEL_MISSING": (503, "engine_unavailable"),
    "MODEL_INTEGRITY": (503, "engine_unavailable"),
    "INTERNAL_ERROR": (500, "internal_error"),
}


def analysis_error_renderer(info: ErrorInfo) -> JSONResponse:
    """Render any failure under ``/analysis`` in the gait contract's shape."""
    status, code = _PLATFORM.get(info.code, (info.status, info.code.lower()))
    body: dict[str, Any] = {"status": status, "error": code, "message": info.message}
    if info.hint:
        body["hint"] = info.hint
    if info.validation:
        body["errors"] = info.validation
    body.update({k: v for k, v in info.fields.items() if k not in body and v is not None})
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)
