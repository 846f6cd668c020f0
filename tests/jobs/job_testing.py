"""Helpers for job tests: accounts, credits, stored media and polling with a deadline."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

import pytest

from vidlens.accounts import credits
from vidlens.accounts.service import create_account
from vidlens.config import Settings
from vidlens.jobs.embedded import EmbeddedQueue
from vidlens.storage.db import Database
from vidlens.storage.tables import Job, Media

JobSettingsFactory = Callable[..., Settings]
"""``make(db, **job_settings)`` (fixture ``job_settings``)."""
QueueFactory = Callable[..., EmbeddedQueue]
"""``make(db, start=True, **job_settings)`` (fixture ``queue_factory``)."""


def db_url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def make_account(db: Database, name: str = "acme", balance: int = 100) -> str:
    with db.session() as session:
        account = create_account(session=session, name=name)
        if balance:
            credits.grant(session=session, account_id=account.id, amount=balance)
        return account.id


def balance_of(db: Database, account_id: str) -> int:
    with db.read_session() as session:
        return credits.balance(session=session, account_id=account_id)


def charge(db: Database, account_id: str, amount: int) -> str:
    with db.session() as session:
        entry = credits.charge(session=session, account_id=account_id, amount=amount, reason="t")
        return entry.id


def store_media(
    settings: Settings, db: Database, account_id: str, data: bytes, *, sha256: str | None = None
) -> str:
    """Write ``data`` into the media folder and record it; returns the media id."""
    key = f"{account_id}/{hashlib.sha1(data).hexdigest()}.bin"  # noqa: S324  # a file name
    path = settings.media_dir / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    with db.session() as session:
        media = Media(
            account_id=account_id,
            storage_key=key,
            size_bytes=len(data),
            sha256=sha256 or hashlib.sha256(data).hexdigest(),
        )
        session.add(media)
        session.flush()
        return media.id


def load_job(db: Database, job_id: str) -> Job:
    with db.read_session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def wait_for(
    db: Database,
    job_id: str,
    predicate: Callable[[Job], bool],
    *,
    timeout: float = 20.0,
    what: str = "condition",
) -> Job:
    """Poll the job until ``predicate`` holds; fail with its last state at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        job = load_job(db, job_id)
        if predicate(job):
            return job
        if time.monotonic() > deadline:
            pytest.fail(
                f"job never reached {what}: status={job.status} attempts={job.attempts} "
                f"progress={job.progress} error={job.error_code}: {job.error_message}"
            )
        time.sleep(0.05)


def finished(job: Job) -> bool:
    return job.status in ("completed", "failed", "cancelled")
