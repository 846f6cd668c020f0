"""Credential checks: API keys (Bearer or X-API-Key), OAuth tokens, the admin token.

Every failure answers 401 ``{"detail": "Invalid or expired API key."}`` (the coaching
contract's exact body); surfaces with another error shape re-render it in api/errors.py.
"""

from __future__ import annotations

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from vidlens.accounts import oauth
from vidlens.accounts.secrets import KEY_PREFIX, constant_time_equal
from vidlens.accounts.service import (
    Principal,
    authenticate_api_key,
    needs_last_used_update,
    touch_api_key,
)
from vidlens.api.context import AppContext
from vidlens.errors import AuthenticationFailed
from vidlens.storage.tables import utcnow

INVALID_KEY = "Invalid or expired API key."


def _credential(request: Request) -> str | None:
    """The raw credential from the headers, or None. ``Authorization`` without the exact
    ``Bearer `` scheme counts as an invalid credential, not a missing one."""
    authorization = request.headers.get("authorization")
    if authorization is not None:
        scheme, _, value = authorization.partition(" ")
        if scheme != "Bearer" or not value.strip():
            raise AuthenticationFailed(INVALID_KEY)
        return value.strip()
    api_key = request.headers.get("x-api-key")
    if api_key is not None:
        return api_key.strip()
    return None


def _authenticate(context: AppContext, credential: str) -> Principal | None:
    now = utcnow()
    with context.db.read_session() as session:
        if credential.startswith(KEY_PREFIX):
            principal = authenticate_api_key(session=session, key=credential, now=now)
        else:
            principal = oauth.authenticate_token(
                session=session, token=credential, signing_key=context.signing_key
            )
    if (
        principal is not None
        and principal.kind == "api_key"
        and needs_last_used_update(principal.last_used_at, now)
    ):
        with context.db.session() as session:
            touch_api_key(session=session, key_id=principal.credential, now=now)
    return principal


async def require_principal(request: Request) -> Principal:
    """Resolve the calling account.

    Raises:
        AuthenticationFailed: missing, malformed, unknown, expired or revoked credential.
    """
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    credential = _credential(request)
    if credential is None:
        raise AuthenticationFailed(INVALID_KEY)
    context: AppContext = request.app.state.context
    principal = context.credentials.get(credential, utcnow())
    if principal is None:
        generation = context.credentials.generation
        principal = await run_in_threadpool(_authenticate, context, credential)
        if principal is None:
            raise AuthenticationFailed(INVALID_KEY)
        context.credentials.put(credential, principal, generation)
    request.state.principal = principal
    return principal


async def require_admin(request: Request) -> None:
    """Raises: AuthenticationFailed unless ``Authorization: Bearer <admin token>``."""
    context: AppContext = request.app.state.context
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme != "Bearer" or not constant_time_equal(value.strip(), context.admin_token):
        raise AuthenticationFailed("Invalid admin token.")
