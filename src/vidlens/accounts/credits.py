"""The credit ledger: grants, charges and refunds with a running balance.

A charge is one conditional ``UPDATE accounts SET balance = balance - n WHERE balance >= n``
plus its ledger line, in the caller's transaction: under concurrent requests exactly as many
charges succeed as the balance covers, on SQLite and PostgreSQL alike. An idempotency key
makes a repeated charge (a retried download, say) a no-op that returns the first entry.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from vidlens.errors import InsufficientCredits, InvalidInput, NotFound
from vidlens.storage.tables import Account, CreditEntry


def balance(*, session: Session, account_id: str) -> int:
    """Raises: NotFound."""
    value = session.scalar(select(Account.balance).where(Account.id == account_id))
    if value is None:
        raise NotFound("Account not found.")
    return value


def _apply(
    *,
    session: Session,
    account_id: str,
    delta: int,
    kind: str,
    reason: str,
    job_id: str | None = None,
    idempotency_key: str | None = None,
    refund_of: str | None = None,
) -> CreditEntry:
    condition = Account.id == account_id
    if delta < 0:
        condition = condition & (Account.balance >= -delta)
    new_balance = session.execute(
        update(Account)
        .where(condition)
        .values(balance=Account.balance + delta)
        .returning(Account.balance)
    ).scalar_one_or_none()
    if new_balance is None:
        if session.get(Account, account_id) is None:
            raise NotFound("Account not found.")
        raise InsufficientCredits(
            "Insufficient credits.",
            required=-delta,
            balance=balance(session=session, account_id=account_id),
        )
    entry = CreditEntry(
        account_id=account_id,
        kind=kind,
        amount=delta,
        balance_after=new_balance,
        reason=reason,
        job_id=job_id,
        idempotency_key=idempotency_key,
        refund_of=refund_of,
    )
    session.add(entry)
    session.flush()
    return entry


def grant(*, session: Session, account_id: str, amount: int, reason: str = "grant") -> CreditEntry:
    """Add credits.

    Raises:
        InvalidInput: amount not positive.
        NotFound: no such account.
    """
    if amount <= 0:
        raise InvalidInput("amount must be a positive whole number of credits.")
    return _apply(session=session, account_id=account_id, delta=amount, kind="grant", reason=reason)


def charge(
    *,
    session: Session,
    account_id: str,
    amount: int,
    reason: str,
    job_id: str | None = None,
    idempotency_key: str | None = None,
) -> CreditEntry:
    """Take credits, atomically with the caller's transaction.

    Returns the existing entry when ``idempotency_key`` was already charged.

    Raises:
        InvalidInput: negative amount.
        InsufficientCredits: the balance does not cover ``amount``.
        NotFound: no such account.
    """
    if amount < 0:
        raise InvalidInput("amount must not be negative.")
    if idempotency_key is not None:
        existing = session.scalar(
            select(CreditEntry).where(
                CreditEntry.account_id == account_id,
                CreditEntry.idempotency_key == idempotency_key,
            )
        )
        if existing is not None:
            return existing
    return _apply(
        session=session,
        account_id=account_id,
        delta=-amount,
        kind="charge",
        reason=reason,
        job_id=job_id,
        idempotency_key=idempotency_key,
    )


def refund(*, session: Session, charge_id: str, reason: str = "refund") -> CreditEntry | None:
    """Give back a charge once; a second refund of the same charge returns None.

    Raises:
        NotFound: no such charge.
    """
    original = session.get(CreditEntry, charge_id)
    if original is None or original.kind != "charge":
        raise NotFound("Charge not found.")
    already = session.scalar(select(CreditEntry).where(CreditEntry.refund_of == charge_id))
    if already is not None or original.amount == 0:
        return None
    return _apply(
        session=session,
        account_id=original.account_id,
        delta=-original.amount,
        kind="refund",
        reason=reason,
        job_id=original.job_id,
        refund_of=charge_id,
    )


def ledger(*, session: Session, account_id: str, limit: int = 100) -> list[CreditEntry]:
    query = (
        select(CreditEntry)
        .where(CreditEntry.account_id == account_id)
        .order_by(CreditEntry.created_at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
