"""OAuth2 client credentials: clients belong to accounts; tokens are short-lived HS256 JWTs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from vidlens.accounts.secrets import constant_time_equal, hash_secret, random_token
from vidlens.accounts.service import Principal, get_account
from vidlens.errors import AuthenticationFailed, InvalidInput, NotFound
from vidlens.storage.tables import Account, OAuthClient, utcnow

_AUDIENCE = "vidlens"
_ISSUER = "vidlens"
_ALGORITHM = "HS256"


@dataclass(frozen=True)
class CreatedClient:
    record: OAuthClient
    client_secret: str


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105  # the OAuth token type, not a secret


def create_client(*, session: Session, account_id: str, name: str) -> CreatedClient:
    """Create an OAuth client; the secret is returned once and stored hashed.

    Raises:
        NotFound: no such account.
        InvalidInput: bad name.
    """
    get_account(session=session, account_id=account_id)
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("Client name must be 1-200 characters.")
    secret = "ngcs_" + random_token(40)
    record = OAuthClient(
        account_id=account_id,
        name=name,
        client_id="ngc_" + random_token(24),
        secret_hash=hash_secret(secret),
    )
    session.add(record)
    session.flush()
    return CreatedClient(record=record, client_secret=secret)


def list_clients(*, session: Session, account_id: str) -> list[OAuthClient]:
    query = select(OAuthClient).where(OAuthClient.account_id == account_id)
    return list(session.scalars(query.order_by(OAuthClient.created_at)))


def revoke_client(*, session: Session, client_id: str) -> OAuthClient:
    """Raises: NotFound."""
    record = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    if record is None:
        raise NotFound("OAuth client not found.")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
    return record


def issue_token(
    *,
    session: Session,
    client_id: str,
    client_secret: str,
    signing_key: str,
    ttl_seconds: int,
    now: datetime | None = None,
) -> IssuedToken:
    """Exchange client credentials for an access token.

    Raises:
        AuthenticationFailed: unknown client, wrong secret or revoked client.
    """
    record = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    if (
        record is None
        or record.revoked_at is not None
        or not constant_time_equal(record.secret_hash, hash_secret(client_secret))
    ):
        raise AuthenticationFailed("Invalid client credentials.", code="invalid_client")
    now = now or utcnow()
    claims = {
        "sub": record.account_id,
        "cid": record.client_id,
        "iss": _ISSUER,
        "aud": _AUDIENCE,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_seconds)).timestamp()),
    }
    token = jwt.encode(claims, signing_key, algorithm=_ALGORITHM)
    return IssuedToken(access_token=token, expires_in=ttl_seconds)


def authenticate_token(*, session: Session, token: str, signing_key: str) -> Principal | None:
    """The principal for a valid, unexpired token whose client is still active."""
    try:
        claims = jwt.decode(
            token, signing_key, algorithms=[_ALGORITHM], audience=_AUDIENCE, issuer=_ISSUER
        )
    except jwt.PyJWTError:
        return None
    row = session.execute(
        select(OAuthClient, Account.name)
        .join(Account, Account.id == OAuthClient.account_id)
        .where(OAuthClient.client_id == str(claims.get("cid", "")))
    ).first()
    if row is None:
        return None
    client, account_name = row
    if client.revoked_at is not None or client.account_id != claims.get("sub"):
        return None
    return Principal(
        account_id=client.account_id,
        account_name=account_name,
        credential=client.client_id,
        kind="oauth",
        expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
    )
