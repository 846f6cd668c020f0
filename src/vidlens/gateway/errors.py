"""Error rendering for ``/v1/``: JSON:API error documents.

Body: ``{"errors": [{"status", "code", "title", "detail", "source": {"pointer"}, "meta"}],
"error": {"code", "message"}}``. ``errors`` is the JSON:API form the issue asks for; the
``error`` member repeats the first failure in the contract's ``ErrorResponse`` shape, so
clients written against either shape can read it.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from vidlens.api.errors import ErrorInfo

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    402: "Payment required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media",
    422: "Invalid request",
    500: "Internal server error",
    503: "Service unavailable",
}


def _from_validation(info: ErrorInfo) -> list[dict[str, Any]]:
    errors = []
    for item in info.validation or []:
        loc = [part for part in item.get("loc", []) if part != "body"]
        errors.append(
            {
                "status": str(info.status),
                "code": info.code,
                "title": _TITLES.get(info.status, "Error"),
                "detail": str(item.get("msg", "")),
                "source": {"pointer": "/" + "/".join(str(part) for part in loc)},
            }
        )
    return errors


def jsonapi_error_renderer(info: ErrorInfo) -> JSONResponse:
    """Render any failure under ``/v1/`` as a JSON:API error document."""
    fields = dict(info.fields)
    supplied = fields.pop("errors", None)
    if isinstance(supplied, list) and supplied:
        errors: list[dict[str, Any]] = [dict(item) for item in supplied]
    elif info.validation:
        errors = _from_validation(info)
    else:
        error: dict[str, Any] = {
            "status": str(info.status),
            "code": info.code,
            "title": _TITLES.get(info.status, "Error"),
            "detail": info.message,
        }
        field = fields.pop("field", None)
        if isinstance(field, str):
            error["source"] = {"parameter": field}
        errors = [error]
    meta = {key: value for key, value in fields.items() if value is not None}
    if info.hint:
        meta["hint"] = info.hint
    if meta:
        errors[0] = {**errors[0], "meta": {**errors[0].get("meta", {}), **meta}}
    body = {"errors": errors, "error": {"code": info.code, "message": info.message}}
    headers = {"WWW-Authenticate": "Bearer"} if info.status == 401 else None
    return JSONResponse(body, status_code=info.status, headers=headers)
