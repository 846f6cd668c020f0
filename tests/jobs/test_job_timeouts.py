"""Job time limits: a job over its limit is stopped and failed with JOB_TIMEOUT, never retried,
and its charge refunded."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.jobs.handlers_for_tests import LIMITED_SECONDS
from tests.jobs.job_testing import (
    QueueFactory,
    balance_of,
    charge,
    finished,
    make_account,
    wait_for,
)
from vidlens.config import JobSettings, Settings
from vidlens.jobs.handlers import HandlerRegistry, job_handler, load_registry
from vidlens.storage.db import Database
from vidlens.storage.migrate import upgrade


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    """Process tests spawn children; one backend is enough for what they check."""
    database = Database.from_url(f"sqlite:///{tmp_path / 'jobs.db'}")
    upgrade(database.engine)
    yield database
    database.dispose()


def _pid_of(phase: str | None) -> int:
    assert phase is not None
    assert phase.startswith("pid ")
    return int(phase.removeprefix("pid "))


def test_a_kind_may_set_its_own_limit() -> None:
    registry = load_registry(Settings(jobs=JobSettings(plugins=["tests.jobs.handlers_for_tests"])))
    assert registry.timeout_for("test.limited", 100.0) == LIMITED_SECONDS
    assert registry.timeout_for("test.echo", 100.0) == 100.0
    assert registry.timeout_for("no.such.kind", 100.0) == 100.0
    for bad in (0.0, -1.0, float("inf"), float("nan")):
        with pytest.raises(ValueError, match="timeout_seconds"):
            job_handler("bad", timeout_seconds=bad)
    assert HandlerRegistry().timeout_for("anything", 5.0) == 5.0
    assert JobSettings().timeout_seconds == 6 * 3600
    for bad in (0.0, float("inf")):
        with pytest.raises(ValidationError):
            JobSettings(timeout_seconds=bad)


def test_a_thread_job_over_the_limit_fails_at_its_next_progress_and_is_refunded(
    db: Database, queue_factory: QueueFactory
) -> None:
    queue = queue_factory(db, workers=1, timeout_seconds=0.3, max_attempts=3)
    account = make_account(db, balance=50)
    job = queue.submit(
        account_id=account,
        kind="test.until_cancelled",
        params={},
        charge_id=charge(db, account, 20),
    )
    done = wait_for(db, job.id, finished)
    assert (done.status, done.attempts, done.error_code) == ("failed", 1, "JOB_TIMEOUT")
    assert done.error_message == "The job ran longer than its time limit of 0.3 s and was stopped."
    assert balance_of(db, account) == 50


def test_a_handler_limit_overrides_the_setting(db: Database, queue_factory: QueueFactory) -> None:
    queue = queue_factory(db, workers=1)  # the default limit: 6 h
    account = make_account(db)
    job = queue.submit(account_id=account, kind="test.limited", params={})
    done = wait_for(db, job.id, finished)
    assert (done.status, done.error_code) == ("failed", "JOB_TIMEOUT")
    assert f"time limit of {LIMITED_SECONDS:g} s" in (done.error_message or "")


def test_a_thread_job_that_never_reports_is_failed_by_the_watchdog(
    sqlite_db: Database, queue_factory: QueueFactory
) -> None:
    queue = queue_factory(sqlite_db, workers=1, timeout_seconds=0.2)
    account = make_account(sqlite_db)
    job = queue.submit(account_id=account, kind="test.hang", params={"seconds": 2.0})
    done = wait_for(sqlite_db, job.id, finished, timeout=10)
    assert (done.status, done.attempts, done.error_code) == ("failed", 1, "JOB_TIMEOUT")
    # The thread could not be stopped: it still holds its slot until its handler returns.
    assert queue.running() == [job.id]


def test_a_child_over_the_limit_is_killed_and_replaced(
    sqlite_db: Database, queue_factory: QueueFactory
) -> None:
    queue = queue_factory(
        sqlite_db, workers=1, use_processes=True, timeout_seconds=0.5, max_attempts=3
    )
    account = make_account(sqlite_db, balance=50)
    job = queue.submit(
        account_id=account,
        kind="test.hang",
        params={"seconds": 60},
        charge_id=charge(sqlite_db, account, 20),
    )
    done = wait_for(sqlite_db, job.id, finished, timeout=60)
    assert (done.status, done.attempts, done.error_code) == ("failed", 1, "JOB_TIMEOUT")
    assert done.error_message == "The job ran longer than its time limit of 0.5 s and was stopped."
    assert balance_of(sqlite_db, account) == 50
    hung_pid = _pid_of(done.phase)
    with pytest.raises(ProcessLookupError):
        os.kill(hung_pid, 0)  # killed and reaped
    after = queue.submit(account_id=account, kind="test.crash", params={"survive_on": 1})
    survived = wait_for(sqlite_db, after.id, finished, timeout=60)
    assert survived.status == "completed", survived.error_message
    assert survived.result is not None
    assert survived.result["pid"] not in (hung_pid, os.getpid())
