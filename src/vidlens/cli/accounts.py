"""``vidlens accounts|keys|credits|oauth``: operator commands on the database."""

from __future__ import annotations

import click
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from vidlens.accounts import credits as ledger
from vidlens.accounts import oauth, service
from vidlens.cli._common import echo_json, fmt_time, open_db
from vidlens.errors import NotFound, VidlensError
from vidlens.storage.tables import Account, ApiKey


def _account(session: Session, name: str) -> Account:
    account = service.get_account_by_name(session=session, name=name)
    if account is None:
        raise click.ClickException(f"No account named {name!r}.")
    return account


@click.group()
def accounts() -> None:
    """Create and list accounts."""


@accounts.command("create")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def accounts_create(ctx: click.Context, name: str, as_json: bool) -> None:
    """Create an account NAME."""
    with open_db(ctx) as db, db.session() as session:
        try:
            account = service.create_account(session=session, name=name)
        except VidlensError as error:
            raise click.ClickException(error.message) from error
        if as_json:
            echo_json({"id": account.id, "name": account.name, "balance": account.balance})
        else:
            click.echo(f"created account {account.name} ({account.id})")


@accounts.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def accounts_list(ctx: click.Context, as_json: bool) -> None:
    """List accounts with their credit balances."""
    with open_db(ctx) as db, db.read_session() as session:
        rows = service.list_accounts(session=session)
        if as_json:
            echo_json([{"id": a.id, "name": a.name, "balance": a.balance} for a in rows])
            return
        for a in rows:
            click.echo(f"{a.name:30} {a.balance:>12} credits  {a.id}")


@click.group()
def keys() -> None:
    """Create, list and revoke API keys."""


@keys.command("create")
@click.option("--account", "account_name", required=True, help="Account name (created if new).")
@click.option("--name", required=True, help="A label for the key, e.g. 'Production Key'.")
@click.option(
    "--expires",
    type=click.Choice(["30d", "90d", "1y", "never"]),
    default="90d",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object; `key` is the key.")
@click.pass_context
def keys_create(
    ctx: click.Context, account_name: str, name: str, expires: str, as_json: bool
) -> None:
    """Create a key. The full key is printed this once and never again."""
    with open_db(ctx) as db, db.session() as session:
        try:
            account = service.get_or_create_account(session=session, name=account_name)
            created = service.create_api_key(
                session=session, account_id=account.id, name=name, expires=expires
            )
        except VidlensError as error:
            raise click.ClickException(error.message) from error
        record = created.record
        if as_json:
            echo_json(
                {
                    "id": record.id,
                    "key": created.key,
                    "prefix": record.prefix,
                    "name": record.name,
                    "account": account.name,
                    "account_id": account.id,
                    "expires_at": record.expires_at,
                }
            )
            return
        click.echo(created.key)
        click.echo(
            f"key {record.prefix}... for {account.name}, expires {fmt_time(record.expires_at)}"
            " (store it now: it is not shown again)",
            err=True,
        )


@keys.command("list")
@click.option("--account", "account_name", required=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def keys_list(ctx: click.Context, account_name: str, as_json: bool) -> None:
    """List an account's keys by prefix."""
    with open_db(ctx) as db, db.read_session() as session:
        account = _account(session, account_name)
        rows = service.list_api_keys(session=session, account_id=account.id)
        if as_json:
            echo_json(
                [
                    {
                        "id": k.id,
                        "prefix": k.prefix,
                        "name": k.name,
                        "created_at": k.created_at,
                        "expires_at": k.expires_at,
                        "revoked_at": k.revoked_at,
                        "last_used_at": k.last_used_at,
                    }
                    for k in rows
                ]
            )
            return
        for k in rows:
            state = "revoked" if k.revoked_at else f"expires {fmt_time(k.expires_at)}"
            click.echo(
                f"{k.id}  {k.prefix}...  {k.name:24} {state:24} "
                f"last used {fmt_time(k.last_used_at)}"
            )


@keys.command("revoke")
@click.argument("key")
@click.pass_context
def keys_revoke(ctx: click.Context, key: str) -> None:
    """Revoke KEY, given by id or by its listed prefix (e.g. ng_k83js9d)."""
    with open_db(ctx) as db, db.session() as session:
        matches = list(
            session.scalars(select(ApiKey).where(or_(ApiKey.id == key, ApiKey.prefix == key)))
        )
        if len(matches) != 1:
            reason = "no key" if not matches else "several keys"
            raise click.ClickException(f"{reason} match {key!r}; use the key id.")
        record = service.revoke_api_key(session=session, key_id=matches[0].id)
        click.echo(f"revoked {record.prefix}... ({record.name})")


@click.group()
def credits() -> None:
    """Grant credits and read the ledger."""


@credits.command("grant")
@click.option("--account", "account_name", required=True)
@click.option("--amount", type=click.IntRange(min=1), required=True, help="Credits to add.")
@click.option("--reason", default="grant", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def credits_grant(
    ctx: click.Context, account_name: str, amount: int, reason: str, as_json: bool
) -> None:
    """Add credits to an account (1 credit = 1 second of source video)."""
    with open_db(ctx) as db, db.session() as session:
        account = _account(session, account_name)
        entry = ledger.grant(session=session, account_id=account.id, amount=amount, reason=reason)
        if as_json:
            echo_json({"account": account.name, "amount": amount, "balance": entry.balance_after})
        else:
            click.echo(f"granted {amount} to {account.name}; balance {entry.balance_after}")


@credits.command("show")
@click.option("--account", "account_name", required=True)
@click.option("--limit", type=click.IntRange(1, 10000), default=20, show_default=True)
@click.pass_context
def credits_show(ctx: click.Context, account_name: str, limit: int) -> None:
    """Show the balance and the latest ledger lines."""
    with open_db(ctx) as db, db.read_session() as session:
        account = _account(session, account_name)
        click.echo(f"{account.name}: {account.balance} credits")
        for e in ledger.ledger(session=session, account_id=account.id, limit=limit):
            click.echo(
                f"{fmt_time(e.created_at)}  {e.kind:7} {e.amount:>+10} -> {e.balance_after:>10}"
                f"  {e.reason}"
            )


@click.group("oauth")
def oauth_clients() -> None:
    """OAuth2 client-credentials clients."""


@oauth_clients.command("create")
@click.option("--account", "account_name", required=True, help="Account name (created if new).")
@click.option("--name", required=True)
@click.pass_context
def oauth_create(ctx: click.Context, account_name: str, name: str) -> None:
    """Create a client; prints client_id and client_secret (shown once) as JSON."""
    with open_db(ctx) as db, db.session() as session:
        account = service.get_or_create_account(session=session, name=account_name)
        created = oauth.create_client(session=session, account_id=account.id, name=name)
        echo_json(
            {
                "client_id": created.record.client_id,
                "client_secret": created.client_secret,
                "account": account.name,
                "token_url": "/oauth/token",
            }
        )


@oauth_clients.command("revoke")
@click.argument("client_id")
@click.pass_context
def oauth_revoke(ctx: click.Context, client_id: str) -> None:
    """Revoke a client."""
    with open_db(ctx) as db, db.session() as session:
        try:
            oauth.revoke_client(session=session, client_id=client_id)
        except NotFound as error:
            raise click.ClickException(error.message) from error
        click.echo(f"revoked {client_id}")
