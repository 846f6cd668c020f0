"""Admin API: accounts, keys, OAuth clients and credits. Needs the admin token."""

from __future__ import annotations

from fastapi import APIRouter, status

from vidlens.accounts import credits, oauth
from vidlens.accounts import service as accounts
from vidlens.api.deps import AdminDep, ContextDep, DbDep
from vidlens.api.schemas import (
    AccountCreate,
    AccountPublic,
    AccountsPublic,
    CreditEntryPublic,
    CreditGrant,
    CreditsPublic,
    KeyCreate,
    KeyCreated,
    KeyPublic,
    KeysPublic,
    OAuthClientCreate,
    OAuthClientCreated,
    OAuthClientPublic,
    OAuthClientsPublic,
)

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/accounts", status_code=status.HTTP_201_CREATED, response_model=AccountPublic)
def create_account(body: AccountCreate, _: AdminDep, db: DbDep) -> AccountPublic:
    """Create an account (409 if the name is taken)."""
    with db.session() as session:
        account = accounts.create_account(session=session, name=body.name)
        return AccountPublic.model_validate(account)


@router.get("/accounts", response_model=AccountsPublic)
def list_accounts(_: AdminDep, db: DbDep) -> AccountsPublic:
    """All accounts with their balances."""
    with db.read_session() as session:
        rows = accounts.list_accounts(session=session)
        return AccountsPublic(data=[AccountPublic.model_validate(row) for row in rows])


@router.get("/accounts/{account_id}", response_model=AccountPublic)
def get_account(account_id: str, _: AdminDep, db: DbDep) -> AccountPublic:
    """One account."""
    with db.read_session() as session:
        return AccountPublic.model_validate(
            accounts.get_account(session=session, account_id=account_id)
        )


@router.post(
    "/accounts/{account_id}/keys", status_code=status.HTTP_201_CREATED, response_model=KeyCreated
)
def create_key(account_id: str, body: KeyCreate, _: AdminDep, db: DbDep) -> KeyCreated:
    """Create an API key. The full key is in this response only."""
    with db.session() as session:
        created = accounts.create_api_key(
            session=session, account_id=account_id, name=body.name, expires=body.expires
        )
        public = KeyPublic.model_validate(created.record)
        return KeyCreated(**public.model_dump(), key=created.key)


@router.get("/accounts/{account_id}/keys", response_model=KeysPublic)
def list_keys(account_id: str, _: AdminDep, db: DbDep) -> KeysPublic:
    """An account's keys, by prefix."""
    with db.read_session() as session:
        accounts.get_account(session=session, account_id=account_id)
        rows = accounts.list_api_keys(session=session, account_id=account_id)
        return KeysPublic(data=[KeyPublic.model_validate(row) for row in rows])


@router.post("/keys/{key_id}/revoke", response_model=KeyPublic)
def revoke_key(key_id: str, _: AdminDep, context: ContextDep) -> KeyPublic:
    """Revoke a key at once (idempotent)."""
    with context.db.session() as session:
        record = KeyPublic.model_validate(accounts.revoke_api_key(session=session, key_id=key_id))
    context.credentials.clear()
    return record


@router.post(
    "/accounts/{account_id}/credits",
    status_code=status.HTTP_201_CREATED,
    response_model=CreditEntryPublic,
)
def grant_credits(account_id: str, body: CreditGrant, _: AdminDep, db: DbDep) -> CreditEntryPublic:
    """Add credits to an account's ledger."""
    with db.session() as session:
        entry = credits.grant(
            session=session, account_id=account_id, amount=body.amount, reason=body.reason
        )
        return CreditEntryPublic.model_validate(entry)


@router.get("/accounts/{account_id}/credits", response_model=CreditsPublic)
def get_credits(account_id: str, _: AdminDep, db: DbDep) -> CreditsPublic:
    """Balance and the latest ledger lines."""
    with db.read_session() as session:
        balance = credits.balance(session=session, account_id=account_id)
        entries = credits.ledger(session=session, account_id=account_id)
        return CreditsPublic(
            balance=balance, entries=[CreditEntryPublic.model_validate(e) for e in entries]
        )


@router.post(
    "/accounts/{account_id}/oauth-clients",
    status_code=status.HTTP_201_CREATED,
    response_model=OAuthClientCreated,
)
def create_oauth_client(
    account_id: str, body: OAuthClientCreate, _: AdminDep, db: DbDep
) -> OAuthClientCreated:
    """Create an OAuth2 client-credentials client. The secret is in this response only."""
    with db.session() as session:
        created = oauth.create_client(session=session, account_id=account_id, name=body.name)
        public = OAuthClientPublic.model_validate(created.record)
        return OAuthClientCreated(**public.model_dump(), client_secret=created.client_secret)


@router.get("/accounts/{account_id}/oauth-clients", response_model=OAuthClientsPublic)
def list_oauth_clients(account_id: str, _: AdminDep, db: DbDep) -> OAuthClientsPublic:
    """An account's OAuth clients."""
    with db.read_session() as session:
        accounts.get_account(session=session, account_id=account_id)
        rows = oauth.list_clients(session=session, account_id=account_id)
        return OAuthClientsPublic(data=[OAuthClientPublic.model_validate(r) for r in rows])


@router.post("/oauth-clients/{client_id}/revoke", response_model=OAuthClientPublic)
def revoke_oauth_client(client_id: str, _: AdminDep, context: ContextDep) -> OAuthClientPublic:
    """Revoke a client; tokens it was issued stop working at once."""
    with context.db.session() as session:
        record = OAuthClientPublic.model_validate(
            oauth.revoke_client(session=session, client_id=client_id)
        )
    context.credentials.clear()
    return record
