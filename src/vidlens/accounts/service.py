"""Accounts and API keys: repository functions with keyword-only arguments."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vidlens.accounts.secrets import (
    display_prefix,
    generate_api_key,
    hash_secret,
    looks_like_api_key,
)
from vidlens.errors import Conflict, InvalidInput, NotFound
from vidlens.storage.tables import Account, ApiKey, utcnow

Expiry = Literal["30d", "90d", "1y", "never"]
EXPIRY_CHOICES: dict[str, timedelta | None] = {
    "30d": timedelta(days=30),
    "90d": timedelta(days=90),
    "1y": timedelta(days=365),
    "never": None,
}
LAST_USED_RESOLUTION = timedelta(seconds=60)
"""``last_used_at`` is written at most once a minute per key, so that busy clients do not turn
every read into a database write."""


@dataclass(frozen=True)
class CreatedKey:
    """A new key: ``key`` is the full secret, returned exactly once."""

    record: ApiKey
    key: str


@dataclass(frozen=True)
class Principal:
    """Who is calling: the account and the credential that proved it."""

    account_id: str
    account_name: str
    credential: str
    """The API key id or OAuth client id."""
    kind: Literal["api_key", "oauth"] = "api_key"
    last_used_at: datetime | None = None
    expires_at: datetime | None = None
    """When the credential stops being valid (key expiry or token ``exp``); None: never."""


def create_account(*, session: Session, name: str) -> Account:
    """Create an account.

    Raises:
        InvalidInput: empty or over-long name.
        Conflict: the name is taken.
    """
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("Account name must be 1-200 characters.")
    if get_account_by_name(session=session, name=name) is not None:
        raise Conflict(f"Account {name!r} already exists.")
    account = Account(name=name, webhook_secret=new_webhook_secret())
    session.add(account)
    session.flush()
    return account


def new_webhook_secret() -> str:
    """A Standard Webhooks signing secret: ``whsec_`` + base64 of 24 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def get_account_by_name(*, session: Session, name: str) -> Account | None:
    return session.scalar(select(Account).where(Account.name == name))


def get_account(*, session: Session, account_id: str) -> Account:
    """Raises: NotFound."""
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound("Account not found.")
    return account


def get_or_create_account(*, session: Session, name: str) -> Account:
    account = get_account_by_name(session=session, name=name)
    if account is not None:
        return account
    try:
        with session.begin_nested():
            return create_account(session=session, name=name)
    except IntegrityError:  # created concurrently
        found = get_account_by_name(session=session, name=name)
        if found is None:
            raise
        return found


def list_accounts(*, session: Session) -> list[Account]:
    return list(session.scalars(select(Account).order_by(Account.created_at)))


def create_api_key(
    *, session: Session, account_id: str, name: str, expires: str, now: datetime | None = None
) -> CreatedKey:
    """Create a key for an account.

    Arguments:
        expires: one of ``30d``, ``90d``, ``1y``, ``never``.

    Raises:
        InvalidInput: unknown expiry or bad name.
        NotFound: no such account.
    """
    if expires not in EXPIRY_CHOICES:
        raise InvalidInput("expires must be one of 30d, 90d, 1y, never.")
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("Key name must be 1-200 characters.")
    get_account(session=session, account_id=account_id)
    now = now or utcnow()
    lifetime = EXPIRY_CHOICES[expires]
    key = generate_api_key()
    record = ApiKey(
        account_id=account_id,
        name=name,
        prefix=display_prefix(key),
        key_hash=hash_secret(key),
        created_at=now,
        expires_at=None if lifetime is None else now + lifetime,
    )
    session.add(record)
    session.flush()
    return CreatedKey(record=record, key=key)


def list_api_keys(*, session: Session, account_id: str) -> list[ApiKey]:
    query = select(ApiKey).where(ApiKey.account_id == account_id).order_by(ApiKey.created_at)
    return list(session.scalars(query))


def revoke_api_key(
    *, session: Session, key_id: str, account_id: str | None = None, now: datetime | None = None
) -> ApiKey:
    """Revoke a key (idempotent). ``account_id`` restricts the lookup to one account.

    Raises:
        NotFound: no such key (or not that account's).
    """
    record = session.get(ApiKey, key_id)
    if record is None or (account_id is not None and record.account_id != account_id):
        raise NotFound("API key not found.")
    if record.revoked_at is None:
        record.revoked_at = now or utcnow()
    return record


def authenticate_api_key(
    *, session: Session, key: str, now: datetime | None = None
) -> Principal | None:
    """The principal for a full key, or None if it is unknown, expired or revoked."""
    if not looks_like_api_key(key):
        return None
    now = now or utcnow()
    # Columns, not entities: this runs on every request, and skipping the ORM identity map
    # roughly halves its cost.
    row = session.execute(
        select(
            ApiKey.id,
            ApiKey.account_id,
            ApiKey.expires_at,
            ApiKey.revoked_at,
            ApiKey.last_used_at,
            Account.name,
        )
        .join(Account, Account.id == ApiKey.account_id)
        .where(ApiKey.key_hash == hash_secret(key))
    ).first()
    if row is None:
        return None
    key_id, account_id, expires_at, revoked_at, last_used_at, account_name = row
    if revoked_at is not None:
        return None
    if expires_at is not None and expires_at <= now:
        return None
    return Principal(
        account_id=account_id,
        account_name=account_name,
        credential=key_id,
        last_used_at=last_used_at,
        expires_at=expires_at,
    )


def needs_last_used_update(record_last_used: datetime | None, now: datetime) -> bool:
    return record_last_used is None or now - record_last_used >= LAST_USED_RESOLUTION


def touch_api_key(*, session: Session, key_id: str, now: datetime | None = None) -> None:
    """Record use of a key, at most once per :data:`LAST_USED_RESOLUTION`."""
    now = now or utcnow()
    threshold = now - LAST_USED_RESOLUTION
    session.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id)
        .where((ApiKey.last_used_at.is_(None)) | (ApiKey.last_used_at < threshold))
        .values(last_used_at=now)
    )
