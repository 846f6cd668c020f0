"""EmbeddedQueue with handlers in threads: the full path from submit to a finished job."""

from __future__ import annotations

import time

import pytest

from tests.jobs.job_testing import (
    QueueFactory,
    balance_of,
    charge,
    finished,
    load_job,
    make_account,
    wait_for,
)
from vidlens.errors import InvalidInput, NotFound, UrlRefused
from vidlens.jobs.embedded import EmbeddedQueue
from vidlens.jobs.queue import JobQueue
from vidlens.storage.db import Database


def test_embedded_queue_is_a_job_queue(db: Database, queue_factory: QueueFactory) -> None:
    queue: JobQueue = queue_factory(db, start=False)
    assert isinstance(queue, EmbeddedQueue)


def test_a_job_runs_to_completion(db: Database, queue_factory: QueueFactory) -> None:
    queue = queue_factory(db)
    account = make_account(db)
    job = queue.submit(account_id=account, kind="test.echo", params={"x": 1}, priority="high")
    done = wait_for(db, job.id, finished, what="an end")
    assert done.status == "completed"
    assert done.result == {"params": {"x": 1}, "attempt": 1}
    assert done.started_at is not None
    assert done.finished_at is not None
    assert queue.get(account_id=account, job_id=job.id).status == "completed"
    assert [j.id for j in queue.list(account_id=account, status="completed")] == [job.id]


def test_progress_and_phase_are_visible_while_running(
    db: Database, queue_factory: QueueFactory
) -> None:
    queue = queue_factory(db, workers=1)
    account = make_account(db)
    job = queue.submit(
        account_id=account, kind="test.steps", params={"steps": 10, "step_seconds": 0.1}
    )
    running = wait_for(
        db, job.id, lambda j: j.status == "processing" and j.progress > 0, what="progress"
    )
    assert running.phase in ("first half", "second half")
    assert 0 < running.progress < 100
    assert queue.running() == [job.id]
    assert wait_for(db, job.id, finished).status == "completed"


def test_retries_are_bounded_then_fail_with_the_reason(
    db: Database, queue_factory: QueueFactory
) -> None:
    queue = queue_factory(db, max_attempts=3)
    account = make_account(db, balance=50)
    job = queue.submit(
        account_id=account, kind="test.flaky", params={}, charge_id=charge(db, account, 20)
    )
    done = wait_for(db, job.id, finished)
    assert (done.status, done.attempts, done.error_code) == ("failed", 3, "HANDLER_ERROR")
    assert done.error_message == "RuntimeError: flaky failure on attempt 3"
    assert balance_of(db, account) == 50


def test_a_flaky_job_succeeds_on_retry(db: Database, queue_factory: QueueFactory) -> None:
    queue = queue_factory(db, max_attempts=3)
    account = make_account(db)
    job = queue.submit(account_id=account, kind="test.flaky", params={"succeed_on": 2})
    done = wait_for(db, job.id, finished)
    assert (done.status, done.attempts, done.result) == ("completed", 2, {"attempt": 2})
    assert done.error_code is None


@pytest.mark.parametrize(
    ("kind", "code", "message"),
    [
        pytest.param("test.invalid", "VALIDATION_ERROR", "the options make no sense", id="vidlens"),
        pytest.param(
            "test.fragile",
            "HANDLER_ERROR",
            "RuntimeError: fragile handlers are not retried",
            id="not-retryable",
        ),
    ],
)
def test_some_failures_are_never_retried(
    db: Database, queue_factory: QueueFactory, kind: str, code: str, message: str
) -> None:
    queue = queue_factory(db, max_attempts=3)
    job = queue.submit(account_id=make_account(db), kind=kind, params={})
    done = wait_for(db, job.id, finished)
    assert (done.status, done.attempts) == ("failed", 1)
    assert (done.error_code, done.error_message) == (code, message)


def test_a_result_that_is_not_json_fails_the_job(db: Database, queue_factory: QueueFactory) -> None:
    queue = queue_factory(db)
    job = queue.submit(account_id=make_account(db), kind="test.bad_result", params={})
    done = wait_for(db, job.id, finished)
    assert (done.status, done.error_code, done.attempts) == ("failed", "INVALID_RESULT", 1)


def test_cancelling_a_running_job_stops_its_handler(
    db: Database, queue_factory: QueueFactory
) -> None:
    queue = queue_factory(db, workers=1)
    account = make_account(db, balance=30)
    job = queue.submit(
        account_id=account,
        kind="test.until_cancelled",
        params={},
        charge_id=charge(db, account, 30),
    )
    wait_for(db, job.id, lambda j: j.progress > 0, what="progress")
    assert queue.cancel(account_id=account, job_id=job.id).status == "processing"
    done = wait_for(db, job.id, finished)
    assert done.status == "cancelled"
    assert done.result is None
    assert balance_of(db, account) == 30
    follow_up = queue.submit(account_id=account, kind="test.echo", params={})
    assert wait_for(db, follow_up.id, finished).status == "completed"


def test_cancelling_a_pending_job(db: Database, queue_factory: QueueFactory) -> None:
    queue = queue_factory(db, workers=0)
    account = make_account(db)
    job = queue.submit(account_id=account, kind="test.echo", params={})
    assert queue.cancel(account_id=account, job_id=job.id).status == "cancelled"


def test_tenancy_and_unknown_kinds(db: Database, queue_factory: QueueFactory) -> None:
    queue = queue_factory(db, workers=0)
    owner, stranger = make_account(db, "owner"), make_account(db, "stranger")
    job = queue.submit(account_id=owner, kind="test.echo", params={})
    with pytest.raises(NotFound):
        queue.get(account_id=stranger, job_id=job.id)
    with pytest.raises(NotFound):
        queue.cancel(account_id=stranger, job_id=job.id)
    assert queue.list(account_id=stranger) == []
    with pytest.raises(InvalidInput, match="Unknown job kind") as unknown:
        queue.submit(account_id=owner, kind="no.such.kind", params={})
    assert unknown.value.fields["code"] == "UNKNOWN_JOB_KIND"
    with pytest.raises(UrlRefused, match="http"):
        queue.submit(account_id=owner, kind="test.echo", params={}, webhook_url="ftp://x/y")


def test_stop_hands_running_jobs_back_without_using_an_attempt(
    db: Database, queue_factory: QueueFactory
) -> None:
    queue = queue_factory(db, workers=1)
    account = make_account(db)
    job = queue.submit(account_id=account, kind="test.until_cancelled", params={})
    wait_for(db, job.id, lambda j: j.progress > 0, what="progress")
    queue.stop(timeout=0.2)
    stopped = load_job(db, job.id)
    assert (stopped.status, stopped.attempts, stopped.lease_owner) == ("pending", 0, None)
    # The abandoned handler thread notices at its next progress call and changes nothing.
    again = queue_factory(db, workers=1)
    again.cancel(account_id=account, job_id=job.id)
    assert wait_for(db, job.id, finished).status == "cancelled"


def test_stop_without_a_timeout_uses_the_stop_timeout_setting(
    db: Database, queue_factory: QueueFactory
) -> None:
    queue = queue_factory(db, workers=1, stop_timeout_seconds=0.2)
    account = make_account(db)
    job = queue.submit(
        account_id=account, kind="test.until_cancelled", params={"limit_seconds": 20}
    )
    wait_for(db, job.id, lambda j: j.progress > 0, what="progress")
    started = time.monotonic()
    queue.stop()
    assert time.monotonic() - started < 10  # not the 20 s the handler would have taken
    stopped = load_job(db, job.id)
    assert (stopped.status, stopped.attempts) == ("pending", 0)
