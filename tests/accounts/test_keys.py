"""API keys: format, hashing, expiry, revocation, last use (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from vidlens.accounts import service
from vidlens.accounts.secrets import hash_secret, looks_like_api_key
from vidlens.errors import Conflict, InvalidInput, NotFound
from vidlens.storage.db import Database
from vidlens.storage.tables import utcnow


def _account(db: Database, name: str = "acme") -> str:
    with db.session() as session:
        return service.create_account(session=session, name=name).id


def test_key_format_and_display_prefix(db: Database) -> None:
    account_id = _account(db)
    with db.session() as session:
        created = service.create_api_key(
            session=session, account_id=account_id, name="Production Key", expires="90d"
        )
    assert created.key.startswith("ng_")
    assert len(created.key) == 43
    assert looks_like_api_key(created.key)
    assert created.record.prefix == created.key[:10]
    # two keys never collide
    with db.session() as session:
        other = service.create_api_key(
            session=session, account_id=account_id, name="b", expires="never"
        )
    assert other.key != created.key


def test_database_never_holds_a_usable_key(db: Database) -> None:
    account_id = _account(db)
    with db.session() as session:
        created = service.create_api_key(
            session=session, account_id=account_id, name="k", expires="never"
        )
    secret_part = created.key[len("ng_") :]
    with db.read_session() as session:
        rows = session.execute(text("SELECT * FROM api_keys")).all()
    dumped = " ".join(str(value) for row in rows for value in row)
    assert secret_part not in dumped
    assert created.key not in dumped
    assert hash_secret(created.key) in dumped  # only the hash is stored


@pytest.mark.parametrize(
    ("expires", "days"), [("30d", 30), ("90d", 90), ("1y", 365), ("never", None)]
)
def test_expiry_choices(db: Database, expires: str, days: int | None) -> None:
    account_id = _account(db)
    now = utcnow()
    with db.session() as session:
        created = service.create_api_key(
            session=session, account_id=account_id, name="k", expires=expires, now=now
        )
    if days is None:
        assert created.record.expires_at is None
    else:
        assert created.record.expires_at == now + timedelta(days=days)


def test_unknown_expiry_refused(db: Database) -> None:
    account_id = _account(db)
    with pytest.raises(InvalidInput), db.session() as session:
        service.create_api_key(session=session, account_id=account_id, name="k", expires="7d")


def test_expired_key_rejected(db: Database) -> None:
    account_id = _account(db)
    created_at = utcnow() - timedelta(days=31)
    with db.session() as session:
        created = service.create_api_key(
            session=session, account_id=account_id, name="k", expires="30d", now=created_at
        )
    with db.read_session() as session:
        assert service.authenticate_api_key(session=session, key=created.key) is None
        still_valid = created_at + timedelta(days=29)
        principal = service.authenticate_api_key(session=session, key=created.key, now=still_valid)
    assert principal is not None
    assert principal.account_id == account_id


def test_revoked_key_rejected(db: Database) -> None:
    account_id = _account(db)
    with db.session() as session:
        created = service.create_api_key(
            session=session, account_id=account_id, name="k", expires="never"
        )
    with db.read_session() as session:
        assert service.authenticate_api_key(session=session, key=created.key) is not None
    with db.session() as session:
        service.revoke_api_key(session=session, key_id=created.record.id)
    with db.read_session() as session:
        assert service.authenticate_api_key(session=session, key=created.key) is None


def test_revoke_scoped_to_account(db: Database) -> None:
    a = _account(db, "a")
    b = _account(db, "b")
    with db.session() as session:
        created = service.create_api_key(session=session, account_id=a, name="k", expires="never")
    with pytest.raises(NotFound), db.session() as session:
        service.revoke_api_key(session=session, key_id=created.record.id, account_id=b)


def test_unknown_and_malformed_keys(db: Database) -> None:
    _account(db)
    with db.read_session() as session:
        for key in ["ng_" + "a" * 40, "ng_short", "", "ng_" + "é" * 40, "sk_" + "a" * 40]:
            assert service.authenticate_api_key(session=session, key=key) is None


def test_last_used_written_at_most_once_a_minute(db: Database) -> None:
    account_id = _account(db)
    with db.session() as session:
        created = service.create_api_key(
            session=session, account_id=account_id, name="k", expires="never"
        )
    t0 = utcnow()
    with db.session() as session:
        service.touch_api_key(session=session, key_id=created.record.id, now=t0)
        service.touch_api_key(
            session=session, key_id=created.record.id, now=t0 + timedelta(seconds=30)
        )
    with db.read_session() as session:
        assert service.list_api_keys(session=session, account_id=account_id)[0].last_used_at == t0
    later = t0 + timedelta(seconds=61)
    with db.session() as session:
        service.touch_api_key(session=session, key_id=created.record.id, now=later)
    with db.read_session() as session:
        assert (
            service.list_api_keys(session=session, account_id=account_id)[0].last_used_at == later
        )


def test_account_names_unique(db: Database) -> None:
    _account(db, "dup")
    with pytest.raises(Conflict), db.session() as session:
        service.create_account(session=session, name="dup")
    with db.session() as session:
        assert service.get_or_create_account(session=session, name="dup").name == "dup"
