"""The built-in ``media.verify`` job: re-hash stored media, scoped to the job's account."""

from __future__ import annotations

import hashlib

from tests.jobs.job_testing import QueueFactory, finished, make_account, store_media, wait_for
from vidlens.storage.db import Database


def test_verify_reports_a_match(db: Database, queue_factory: QueueFactory) -> None:
    queue = queue_factory(db)
    account = make_account(db)
    data = b"\x00\x01frames" * 1000
    media_id = store_media(queue.settings, db, account, data)
    job = queue.submit(account_id=account, kind="media.verify", params={"media_id": media_id})
    done = wait_for(db, job.id, finished)
    assert done.result == {
        "sha256": hashlib.sha256(data).hexdigest(),
        "matches": True,
        "size_bytes": len(data),
    }


def test_verify_detects_a_changed_file(db: Database, queue_factory: QueueFactory) -> None:
    queue = queue_factory(db)
    account = make_account(db)
    media_id = store_media(
        queue.settings, db, account, b"tampered bytes", sha256=hashlib.sha256(b"orig").hexdigest()
    )
    job = queue.submit(account_id=account, kind="media.verify", params={"media_id": media_id})
    done = wait_for(db, job.id, finished)
    assert done.status == "completed"
    assert done.result is not None
    assert done.result["matches"] is False
    assert done.result["sha256"] == hashlib.sha256(b"tampered bytes").hexdigest()


def test_verify_of_another_accounts_media_fails_without_retry(
    db: Database, queue_factory: QueueFactory
) -> None:
    queue = queue_factory(db, max_attempts=3)
    owner, stranger = make_account(db, "owner"), make_account(db, "stranger")
    media_id = store_media(queue.settings, db, owner, b"private")
    job = queue.submit(account_id=stranger, kind="media.verify", params={"media_id": media_id})
    done = wait_for(db, job.id, finished)
    assert (done.status, done.attempts, done.error_code) == ("failed", 1, "NOT_FOUND")
    assert done.error_message == "Media not found."


def test_verify_without_a_media_id_is_invalid(db: Database, queue_factory: QueueFactory) -> None:
    queue = queue_factory(db)
    job = queue.submit(account_id=make_account(db), kind="media.verify", params={})
    done = wait_for(db, job.id, finished)
    assert (done.status, done.error_code) == ("failed", "VALIDATION_ERROR")
