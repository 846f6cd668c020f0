"""JobContext: throttled progress that carries cancellation, and account-scoped media."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.jobs.job_testing import (
    JobSettingsFactory,
    load_job,
    make_account,
    store_media,
)
from vidlens.errors import JobCancelled, NotFound
from vidlens.jobs import lifecycle, service
from vidlens.jobs.context import JobContext, JobTimeout, LeaseLost
from vidlens.storage.db import Database
from vidlens.storage.tables import utcnow


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _running(
    db: Database, job_settings: JobSettingsFactory, clock: FakeClock, **params: str
) -> tuple[JobContext, str]:
    account = make_account(db)
    with db.session() as session:
        service.submit(session=session, account_id=account, kind="k", params=dict(params))
    with db.session() as session:
        claim = lifecycle.claim_next(session=session, owner="me", lease_seconds=30)
    assert claim is not None
    context = JobContext(claim=claim, settings=job_settings(db), db=db, clock=clock)
    return context, account


def test_progress_writes_are_throttled(db: Database, job_settings: JobSettingsFactory) -> None:
    clock = FakeClock()
    ctx, _ = _running(db, job_settings, clock)
    ctx.progress(10.0, "decode")
    assert (load_job(db, ctx.job_id).progress, load_job(db, ctx.job_id).phase) == (10.0, "decode")
    clock.now += 0.1
    ctx.progress(10.4, "decode")  # < 1 % and < 0.5 s: skipped
    assert load_job(db, ctx.job_id).progress == 10.0
    ctx.progress(11.5, "decode")  # >= 1 %: written
    assert load_job(db, ctx.job_id).progress == 11.5
    ctx.progress(11.6, "analyse")  # new phase: written
    assert load_job(db, ctx.job_id).phase == "analyse"
    clock.now += 0.6
    ctx.progress(11.7, "analyse")  # 0.5 s passed: written
    assert load_job(db, ctx.job_id).progress == 11.7
    ctx.progress(250.0, "analyse")
    assert load_job(db, ctx.job_id).progress == 100.0


def test_progress_raises_job_cancelled_once_cancel_is_requested(
    db: Database, job_settings: JobSettingsFactory
) -> None:
    clock = FakeClock()
    ctx, account = _running(db, job_settings, clock)
    ctx.progress(5.0, "work")
    with db.session() as session:
        service.cancel(session=session, account_id=account, job_id=ctx.job_id)
    clock.now += 1.0
    with pytest.raises(JobCancelled):
        ctx.progress(6.0, "work")
    with pytest.raises(JobCancelled):
        ctx.check_cancelled()


def test_progress_raises_lease_lost_when_the_job_moved_on(
    db: Database, job_settings: JobSettingsFactory
) -> None:
    clock = FakeClock()
    ctx, _ = _running(db, job_settings, clock)
    with db.session() as session:
        lifecycle.recover_abandoned(session=session, now=utcnow() + timedelta(minutes=5))
    with pytest.raises(LeaseLost):
        ctx.progress(50.0, "work")


def test_progress_and_cancel_checks_raise_job_timeout_past_the_limit(
    db: Database, job_settings: JobSettingsFactory
) -> None:
    clock = FakeClock()
    ctx, _ = _running(db, job_settings, clock)
    limited = JobContext(
        claim=lifecycle.ClaimedJob(
            job_id=ctx.job_id,
            account_id=ctx.account_id,
            kind=ctx.kind,
            params={},
            attempt=1,
            max_attempts=3,
            media_id=None,
            owner="me",
        ),
        settings=ctx.settings,
        db=db,
        clock=clock,
        timeout_seconds=5.0,
    )
    clock.now += 4.9
    limited.progress(10.0, "work")
    clock.now += 0.1
    with pytest.raises(JobTimeout) as raised:
        limited.progress(float("nan"))  # a call that writes nothing still checks the limit
    assert raised.value.limit_seconds == 5.0
    with pytest.raises(JobTimeout):
        limited.check_cancelled()
    ctx.progress(11.0, "work")  # no limit given: none applies


def test_media_is_scoped_to_the_job_account(db: Database, job_settings: JobSettingsFactory) -> None:
    settings = job_settings(db)
    clock = FakeClock()
    stranger = make_account(db, "stranger")
    foreign = store_media(settings, db, stranger, b"not yours")
    ctx, account = _running(db, job_settings, clock, media_id=foreign)
    with pytest.raises(NotFound):
        ctx.media_path()
    mine = store_media(settings, db, account, b"mine")
    assert ctx.media_path(mine).read_bytes() == b"mine"
    ctx.media_path(mine).unlink()
    with pytest.raises(NotFound, match="missing"):
        ctx.media_path(mine)
