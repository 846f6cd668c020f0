"""Shared HTTP helpers of the gateway's JSON:API routes (``/v1/``)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from vidlens.errors import BadRequest, PayloadTooLarge
from vidlens.gateway.schemas import error_object

MAX_JSON_BYTES = 256 * 1024
"""Largest JSON create body accepted."""


async def json_body(request: Request, *, limit: int = MAX_JSON_BYTES) -> Any:
    """The decoded JSON body, read up to ``limit`` bytes.

    Raises:
        PayloadTooLarge: the body is larger.
        BadRequest: ``INVALID_JSON``.
    """
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise PayloadTooLarge(f"The JSON body must be at most {limit // 1024} KiB.")
    try:
        return json.loads(bytes(body))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        detail = f"The body is not valid JSON: {exc}."
        raise BadRequest(
            detail,
            code="INVALID_JSON",
            errors=[error_object("", detail, code="INVALID_JSON", status=400)],
        ) from None


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON schema with its ``$defs`` inlined (for ``openapi_extra``)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    inlined: dict[str, Any] = walk(schema)
    return inlined


def json_request_body(schema: dict[str, Any], example: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extra`` for a JSON:API create route."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": inline_refs(schema), "example": example},
                "application/vnd.api+json": {"schema": {"type": "object"}, "example": example},
            },
        }
    }
