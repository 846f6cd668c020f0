"""EmbeddedQueue with handlers in child processes: crashes stay in the child."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.jobs.job_testing import (
    QueueFactory,
    finished,
    load_job,
    make_account,
    store_media,
    wait_for,
)
from vidlens.storage.db import Database
from vidlens.storage.migrate import upgrade


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    """Crash tests spawn processes; one backend is enough for what they check."""
    database = Database.from_url(f"sqlite:///{tmp_path / 'jobs.db'}")
    upgrade(database.engine)
    yield database
    database.dispose()


def test_media_verify_end_to_end_in_a_child_process(
    db: Database, queue_factory: QueueFactory
) -> None:
    queue = queue_factory(db, workers=1, use_processes=True)
    account = make_account(db)
    data = os.urandom(3 * 1024 * 1024 + 17)
    media_id = store_media(queue.settings, db, account, data)
    job = queue.submit(account_id=account, kind="media.verify", params={"media_id": media_id})
    done = wait_for(db, job.id, finished, timeout=60)
    assert done.status == "completed", done.error_message
    assert done.result == {
        "sha256": hashlib.sha256(data).hexdigest(),
        "matches": True,
        "size_bytes": len(data),
    }
    assert done.phase == "hashing"


def test_a_child_that_dies_is_retried_and_the_parent_lives_on(
    sqlite_db: Database, queue_factory: QueueFactory
) -> None:
    queue = queue_factory(sqlite_db, workers=1, use_processes=True, max_attempts=3)
    account = make_account(sqlite_db)
    job = queue.submit(account_id=account, kind="test.crash", params={"survive_on": 2})
    done = wait_for(sqlite_db, job.id, finished, timeout=60)
    assert (done.status, done.attempts) == ("completed", 2)
    assert done.result is not None
    assert done.result["pid"] != os.getpid()


def test_a_child_killed_every_time_fails_the_job_with_the_reason(
    sqlite_db: Database, queue_factory: QueueFactory
) -> None:
    queue = queue_factory(sqlite_db, workers=1, use_processes=True, max_attempts=2)
    account = make_account(sqlite_db)
    job = queue.submit(account_id=account, kind="test.crash", params={"how": "sigkill"})
    done = wait_for(sqlite_db, job.id, finished, timeout=60)
    assert (done.status, done.attempts, done.error_code) == ("failed", 2, "WORKER_CRASHED")
    assert done.error_message == "The job's worker process was killed by SIGKILL."
    after = queue.submit(account_id=account, kind="test.echo", params={})
    assert wait_for(sqlite_db, after.id, finished, timeout=60).status == "completed"


def test_stop_kills_the_child_and_requeues_its_job(
    sqlite_db: Database, queue_factory: QueueFactory
) -> None:
    queue = queue_factory(sqlite_db, workers=1, use_processes=True)
    account = make_account(sqlite_db)
    job = queue.submit(account_id=account, kind="test.until_cancelled", params={})
    wait_for(sqlite_db, job.id, lambda j: j.progress > 0, timeout=60, what="progress")
    queue.stop(timeout=0.1)
    stopped = load_job(sqlite_db, job.id)
    assert (stopped.status, stopped.attempts, stopped.error_code) == ("pending", 0, None)
