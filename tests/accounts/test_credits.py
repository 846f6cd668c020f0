"""The credit ledger: grants, charges, refunds, idempotency and concurrency."""

from __future__ import annotations

import threading

import pytest

from vidlens.accounts import credits, service
from vidlens.errors import InsufficientCredits, InvalidInput
from vidlens.storage.db import Database


def _account(db: Database, balance: int = 0) -> str:
    with db.session() as session:
        account = service.create_account(session=session, name="acme")
        if balance:
            credits.grant(session=session, account_id=account.id, amount=balance)
        return account.id


def test_grant_charge_refund_ledger(db: Database) -> None:
    account_id = _account(db, 100)
    with db.session() as session:
        charge = credits.charge(session=session, account_id=account_id, amount=30, reason="job")
    assert charge.amount == -30
    assert charge.balance_after == 70
    with db.session() as session:
        refund = credits.refund(session=session, charge_id=charge.id)
        assert refund is not None
        assert refund.balance_after == 100
        assert credits.refund(session=session, charge_id=charge.id) is None  # only once
    with db.read_session() as session:
        lines = credits.ledger(session=session, account_id=account_id)
        assert sorted(e.kind for e in lines) == ["charge", "grant", "refund"]
        assert sum(e.amount for e in lines) == credits.balance(
            session=session, account_id=account_id
        )


def test_charge_more_than_balance_refused_and_nothing_written(db: Database) -> None:
    account_id = _account(db, 5)
    with pytest.raises(InsufficientCredits) as caught, db.session() as session:
        credits.charge(session=session, account_id=account_id, amount=6, reason="job")
    assert caught.value.fields == {"required": 6, "balance": 5}
    with db.read_session() as session:
        assert credits.balance(session=session, account_id=account_id) == 5
        assert len(credits.ledger(session=session, account_id=account_id)) == 1


def test_idempotent_charge(db: Database) -> None:
    account_id = _account(db, 50)
    with db.session() as session:
        first = credits.charge(
            session=session, account_id=account_id, amount=20, reason="dl", idempotency_key="v1"
        )
    with db.session() as session:
        again = credits.charge(
            session=session, account_id=account_id, amount=20, reason="dl", idempotency_key="v1"
        )
        assert again.id == first.id
        assert credits.balance(session=session, account_id=account_id) == 30


def test_bad_amounts(db: Database) -> None:
    account_id = _account(db)
    with pytest.raises(InvalidInput), db.session() as session:
        credits.grant(session=session, account_id=account_id, amount=0)
    with pytest.raises(InvalidInput), db.session() as session:
        credits.charge(session=session, account_id=account_id, amount=-1, reason="x")


def test_concurrent_charges_never_overdraw(db: Database) -> None:
    """Ten threads each try to take the whole balance at once: exactly one succeeds."""
    account_id = _account(db, 10)
    barrier = threading.Barrier(10)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        barrier.wait()
        try:
            with db.session() as session:
                credits.charge(session=session, account_id=account_id, amount=10, reason="race")
            result = "ok"
        except InsufficientCredits:
            result = "refused"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["refused"] * 9
    with db.read_session() as session:
        assert credits.balance(session=session, account_id=account_id) == 0
        charges = [e for e in credits.ledger(session=session, account_id=account_id)]
        assert [e.kind for e in charges].count("charge") == 1
