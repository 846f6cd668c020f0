"""OAuth2 client-credentials token endpoint (RFC 6749 §4.4)."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated
from urllib.parse import unquote

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse

from vidlens.accounts import oauth
from vidlens.api.deps import ContextDep
from vidlens.api.errors import ErrorInfo
from vidlens.api.schemas import TokenPublic
from vidlens.errors import AuthenticationFailed, BadRequest

router = APIRouter(tags=["oauth"])


def oauth_error_renderer(info: ErrorInfo) -> JSONResponse:
    """RFC 6749 §5.2 error body."""
    code = info.code if info.code.islower() else "invalid_request"
    status = 400 if info.status == 422 else info.status
    headers = {"WWW-Authenticate": 'Basic realm="vidlens"'} if status == 401 else None
    body = {"error": code, "error_description": info.message}
    return JSONResponse(body, status_code=status, headers=headers)


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise AuthenticationFailed("Malformed Basic credentials.", code="invalid_client") from exc
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise AuthenticationFailed("Malformed Basic credentials.", code="invalid_client")
    return unquote(client_id), unquote(secret)


@router.post(
    "/oauth/token",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "example": {
                        "grant_type": "client_credentials",
                        "client_id": "ngc_Q2mZ0aX4pR7tLw1vB6nC8eY3",
                        "client_secret": "ngcs_Xb9Q2mZ0aX4pR7tLw1vB6nC8eY3hU5jK9oFa1B2c3D",
                    }
                }
            }
        }
    },
    response_model=TokenPublic,
    responses={
        400: {"description": "invalid_request / unsupported_grant_type"},
        401: {"description": "invalid_client"},
    },
)
def token(
    request: Request,
    context: ContextDep,
    grant_type: Annotated[str, Form(examples=["client_credentials"])],
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
    scope: Annotated[str | None, Form()] = None,
    audience: Annotated[str | None, Form()] = None,
) -> TokenPublic:
    """Exchange client credentials (form fields or HTTP Basic) for a short-lived Bearer token
    that every route accepts in place of an API key."""
    if grant_type != "client_credentials":
        raise BadRequest(
            "Only grant_type=client_credentials is supported.", code="unsupported_grant_type"
        )
    basic = _basic_credentials(request)
    if basic is not None:
        client_id, client_secret = basic
    if not client_id or not client_secret:
        raise AuthenticationFailed("Client credentials are required.", code="invalid_client")
    with context.db.read_session() as session:
        issued = oauth.issue_token(
            session=session,
            client_id=client_id,
            client_secret=client_secret,
            signing_key=context.signing_key,
            ttl_seconds=context.settings.auth.oauth_token_ttl_seconds,
        )
    return TokenPublic(access_token=issued.access_token, expires_in=issued.expires_in)
