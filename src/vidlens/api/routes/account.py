"""Self-service for the calling account: profile, credits, its own keys, webhook secret."""

from __future__ import annotations

from fastapi import APIRouter, status

from vidlens.accounts import credits
from vidlens.accounts import service as accounts
from vidlens.api.deps import ContextDep, DbDep, PrincipalDep
from vidlens.api.schemas import (
    AccountPublic,
    CreditEntryPublic,
    CreditsPublic,
    KeyCreate,
    KeyCreated,
    KeyPublic,
    KeysPublic,
    WebhookSecretPublic,
)

router = APIRouter(prefix="/api/account", tags=["account"])


@router.get("", response_model=AccountPublic)
def me(principal: PrincipalDep, db: DbDep) -> AccountPublic:
    """The calling account and its credit balance."""
    with db.read_session() as session:
        account = accounts.get_account(session=session, account_id=principal.account_id)
        return AccountPublic.model_validate(account)


@router.get("/credits", response_model=CreditsPublic)
def my_credits(principal: PrincipalDep, db: DbDep, limit: int = 100) -> CreditsPublic:
    """Balance and the latest ledger lines (grants, charges, refunds)."""
    limit = max(1, min(limit, 1000))
    with db.read_session() as session:
        balance = credits.balance(session=session, account_id=principal.account_id)
        entries = credits.ledger(session=session, account_id=principal.account_id, limit=limit)
        return CreditsPublic(
            balance=balance, entries=[CreditEntryPublic.model_validate(e) for e in entries]
        )


@router.get("/keys", response_model=KeysPublic)
def my_keys(principal: PrincipalDep, db: DbDep) -> KeysPublic:
    """This account's keys, listed by prefix."""
    with db.read_session() as session:
        rows = accounts.list_api_keys(session=session, account_id=principal.account_id)
        return KeysPublic(data=[KeyPublic.model_validate(row) for row in rows])


@router.post("/keys", status_code=status.HTTP_201_CREATED, response_model=KeyCreated)
def create_my_key(body: KeyCreate, principal: PrincipalDep, db: DbDep) -> KeyCreated:
    """Generate a key for this account; the full key is shown once, here."""
    with db.session() as session:
        created = accounts.create_api_key(
            session=session, account_id=principal.account_id, name=body.name, expires=body.expires
        )
        public = KeyPublic.model_validate(created.record)
        return KeyCreated(**public.model_dump(), key=created.key)


@router.post("/keys/{key_id}/revoke", response_model=KeyPublic)
def revoke_my_key(key_id: str, principal: PrincipalDep, context: ContextDep) -> KeyPublic:
    """Revoke one of this account's keys (404 for another account's key)."""
    with context.db.session() as session:
        record = accounts.revoke_api_key(
            session=session, key_id=key_id, account_id=principal.account_id
        )
        public = KeyPublic.model_validate(record)
    context.credentials.clear()
    return public


@router.get("/webhook-secret", response_model=WebhookSecretPublic)
def webhook_secret(principal: PrincipalDep, db: DbDep) -> WebhookSecretPublic:
    """The secret that signs this account's webhooks (Standard Webhooks, HMAC-SHA256)."""
    with db.read_session() as session:
        account = accounts.get_account(session=session, account_id=principal.account_id)
        return WebhookSecretPublic(webhook_secret=account.webhook_secret)
