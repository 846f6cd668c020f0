"""Job repository functions on SQLite and PostgreSQL: ordering, atomic claims, leases,
cancellation, retries, recovery, refunds and tenancy."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from tests.jobs.job_testing import balance_of, charge, db_url, load_job, make_account
from vidlens.errors import Conflict, InvalidInput, NotFound
from vidlens.jobs import lifecycle, service
from vidlens.jobs.events import EventFormatter, JobEvent, PrefixedEvents, WebhookEvent
from vidlens.jobs.handlers import HandlerRegistry, HandlerSpec
from vidlens.storage.db import Database
from vidlens.storage.tables import Job, WebhookDelivery, utcnow
from vidlens.webhooks.service import list_deliveries

LEASE = 30.0


def _submit(db: Database, account_id: str, kind: str = "k", **kwargs: Any) -> str:
    with db.session() as session:
        return service.submit(
            session=session, account_id=account_id, kind=kind, params={}, **kwargs
        ).id


def _claim(db: Database, owner: str = "w1", **kwargs: Any) -> lifecycle.ClaimedJob | None:
    with db.session() as session:
        return lifecycle.claim_next(session=session, owner=owner, lease_seconds=LEASE, **kwargs)


def _fail(db: Database, claim: lifecycle.ClaimedJob, *, retryable: bool = True) -> Job | None:
    with db.session() as session:
        return lifecycle.fail(
            session=session,
            job_id=claim.job_id,
            owner=claim.owner,
            code="E",
            message="RuntimeError: boom",
            retryable=retryable,
        )


def test_claim_takes_highest_priority_then_oldest(db: Database) -> None:
    account = make_account(db)
    start = utcnow()
    order = [("low", 0), ("standard", 1), ("high", 2), ("standard", 3), ("high", 4)]
    ids = {
        (priority, minute): _submit(
            db, account, priority=priority, now=start + timedelta(minutes=minute)
        )
        for priority, minute in order
    }
    claimed = []
    while (claim := _claim(db)) is not None:
        claimed.append(claim.job_id)
    expected = [("high", 2), ("high", 4), ("standard", 1), ("standard", 3), ("low", 0)]
    assert claimed == [ids[key] for key in expected]


def test_claim_sets_lease_attempt_and_start(db: Database) -> None:
    account = make_account(db)
    job_id = _submit(db, account)
    before = utcnow()
    claim = _claim(db, owner="worker-a")
    assert claim is not None
    assert (claim.job_id, claim.attempt, claim.owner) == (job_id, 1, "worker-a")
    job = load_job(db, job_id)
    assert job.status == "processing"
    assert job.lease_owner == "worker-a"
    assert job.started_at is not None
    assert job.started_at >= before
    assert job.lease_expires_at is not None
    assert job.lease_expires_at >= before + timedelta(seconds=LEASE)


def test_claim_only_takes_known_kinds(db: Database) -> None:
    account = make_account(db)
    _submit(db, account, kind="other")
    wanted = _submit(db, account, kind="mine")
    claim = _claim(db, kinds=["mine"])
    assert claim is not None
    assert claim.job_id == wanted
    assert _claim(db, kinds=["mine"]) is None


def test_foreign_job_is_not_found_exactly_like_a_missing_one(db: Database) -> None:
    owner = make_account(db, "owner")
    stranger = make_account(db, "stranger")
    job_id = _submit(db, owner)
    with db.read_session() as session:
        with pytest.raises(NotFound) as foreign:
            service.get(session=session, account_id=stranger, job_id=job_id)
        with pytest.raises(NotFound) as missing:
            service.get(session=session, account_id=stranger, job_id="no-such-job")
        assert service.list_jobs(session=session, account_id=stranger) == []
    assert (foreign.value.code, foreign.value.message) == (
        missing.value.code,
        missing.value.message,
    )
    with db.session() as session, pytest.raises(NotFound):
        service.cancel(session=session, account_id=stranger, job_id=job_id)
    assert load_job(db, job_id).status == "pending"


def test_list_is_newest_first_and_filters(db: Database) -> None:
    account = make_account(db)
    start = utcnow()
    first = _submit(db, account, kind="a", now=start)
    second = _submit(db, account, kind="b", now=start + timedelta(seconds=1))
    claim = _claim(db, kinds=["a"])
    assert claim is not None
    with db.read_session() as session:
        assert [j.id for j in service.list_jobs(session=session, account_id=account)] == [
            second,
            first,
        ]
        processing = service.list_jobs(session=session, account_id=account, status="processing")
        assert [j.id for j in processing] == [first]
        assert [j.id for j in service.list_jobs(session=session, account_id=account, kind="b")] == [
            second
        ]


def test_submit_rejects_bad_input(db: Database) -> None:
    account = make_account(db)
    with db.session() as session:
        with pytest.raises(InvalidInput):
            service.submit(
                session=session, account_id=account, kind="k", params={}, priority="urgent"
            )
        with pytest.raises(InvalidInput):
            service.submit(session=session, account_id=account, kind="k", params={"x": {1, 2}})
        with pytest.raises(InvalidInput):
            service.submit(
                session=session,
                account_id=account,
                kind="k",
                params={},
                webhook_headers={"X-Bad": "a\r\nInjected: 1"},
            )


def test_cancel_pending_is_immediate_and_refunds_once(db: Database) -> None:
    account = make_account(db, balance=100)
    charge_id = charge(db, account, 40)
    job_id = _submit(db, account, charge_id=charge_id)
    assert balance_of(db, account) == 60
    for _ in range(2):
        with db.session() as session:
            job = service.cancel(session=session, account_id=account, job_id=job_id)
        assert job.status == "cancelled"
        assert job.finished_at is not None
    assert balance_of(db, account) == 100
    assert _claim(db) is None


def test_cancel_processing_asks_the_handler_to_stop(db: Database) -> None:
    account = make_account(db, balance=100)
    job_id = _submit(db, account, charge_id=charge(db, account, 10))
    claim = _claim(db)
    assert claim is not None
    with db.session() as session:
        job = service.cancel(session=session, account_id=account, job_id=job_id)
    assert (job.status, job.cancel_requested) == ("processing", True)
    with db.session() as session:
        state = lifecycle.record_progress(
            session=session, job_id=job_id, owner=claim.owner, percent=20, phase="x"
        )
    assert state == lifecycle.ProgressState(held=True, cancel_requested=True)
    with db.session() as session:
        ended = lifecycle.mark_cancelled(session=session, job_id=job_id, owner=claim.owner)
    assert ended is not None
    assert ended.status == "cancelled"
    assert balance_of(db, account) == 100


def test_cancel_of_a_finished_job_conflicts(db: Database) -> None:
    account = make_account(db)
    job_id = _submit(db, account)
    claim = _claim(db)
    assert claim is not None
    with db.session() as session:
        lifecycle.complete(session=session, job_id=job_id, owner=claim.owner, result={"ok": True})
    with db.session() as session, pytest.raises(Conflict):
        service.cancel(session=session, account_id=account, job_id=job_id)


def test_complete_stores_result_and_clears_the_lease(db: Database) -> None:
    account = make_account(db)
    job_id = _submit(db, account)
    claim = _claim(db)
    assert claim is not None
    with db.session() as session:
        lifecycle.complete(session=session, job_id=job_id, owner=claim.owner, result={"n": 1})
    job = load_job(db, job_id)
    assert (job.status, job.result, job.progress) == ("completed", {"n": 1}, 100.0)
    assert job.lease_owner is None
    assert job.finished_at is not None


def test_failures_retry_until_attempts_run_out_then_refund_once(db: Database) -> None:
    account = make_account(db, balance=100)
    _submit(db, account, max_attempts=2, charge_id=charge(db, account, 25))
    first = _claim(db)
    assert first is not None
    requeued = _fail(db, first)
    assert requeued is not None
    assert (requeued.status, requeued.attempts, requeued.error_code) == ("pending", 1, "E")
    assert balance_of(db, account) == 75
    second = _claim(db, owner="w2")
    assert second is not None
    assert second.attempt == 2
    failed = _fail(db, second)
    assert failed is not None
    assert (failed.status, failed.attempts) == ("failed", 2)
    assert failed.error_message == "RuntimeError: boom"
    assert balance_of(db, account) == 100
    assert _fail(db, second) is None  # already failed: nothing changes, no second refund
    assert balance_of(db, account) == 100


def test_a_non_retryable_failure_fails_at_once(db: Database) -> None:
    account = make_account(db)
    job_id = _submit(db, account, max_attempts=5)
    claim = _claim(db)
    assert claim is not None
    _fail(db, claim, retryable=False)
    job = load_job(db, job_id)
    assert (job.status, job.attempts) == ("failed", 1)


def test_a_stale_owner_can_no_longer_change_the_job(db: Database) -> None:
    account = make_account(db)
    job_id = _submit(db, account)
    stale = _claim(db, owner="dead-worker")
    assert stale is not None
    with db.session() as session:
        lifecycle.recover_abandoned(session=session, now=utcnow() + timedelta(seconds=LEASE + 1))
    fresh = _claim(db, owner="new-worker")
    assert fresh is not None
    assert fresh.attempt == 2
    with db.session() as session:
        assert (
            lifecycle.complete(session=session, job_id=job_id, owner=stale.owner, result={}) is None
        )
        assert not lifecycle.renew_lease(
            session=session, job_id=job_id, owner=stale.owner, lease_seconds=LEASE
        )
        progress = lifecycle.record_progress(
            session=session, job_id=job_id, owner=stale.owner, percent=50, phase=None
        )
        assert not progress.held
    assert load_job(db, job_id).lease_owner == "new-worker"


def test_recover_abandoned_requeues_fails_and_cancels(db: Database) -> None:
    account = make_account(db, balance=100)
    retry_id = _submit(db, account, max_attempts=3)
    spent_id = _submit(db, account, max_attempts=1, charge_id=charge(db, account, 30))
    cancel_id = _submit(db, account, max_attempts=3)
    alive_id = _submit(db, account, max_attempts=3)
    for _ in range(3):
        assert _claim(db, owner="dead", kinds=["k"]) is not None
    with db.session() as session:
        service.cancel(session=session, account_id=account, job_id=cancel_id)
    # The fourth job belongs to a live worker: its lease is renewed well past "later".
    alive = _claim(db, owner="alive")
    assert alive is not None
    assert alive.job_id == alive_id
    later = utcnow() + timedelta(seconds=LEASE + 5)
    with db.session() as session:
        assert lifecycle.renew_lease(
            session=session, job_id=alive_id, owner="alive", lease_seconds=LEASE, now=later
        )
    with db.session() as session:
        counts = lifecycle.recover_abandoned(session=session, now=later)
    assert counts == lifecycle.RecoveryCounts(requeued=1, failed=1, cancelled=1)
    retry, spent = load_job(db, retry_id), load_job(db, spent_id)
    assert (retry.status, retry.attempts, retry.lease_owner) == ("pending", 1, None)
    assert (spent.status, spent.error_code) == ("failed", "WORKER_LOST")
    assert spent.error_message is not None
    assert "died" in spent.error_message
    assert load_job(db, cancel_id).status == "cancelled"
    assert load_job(db, alive_id).status == "processing"
    assert balance_of(db, account) == 100
    with db.session() as session:
        assert lifecycle.recover_abandoned(session=session, now=later) == lifecycle.RecoveryCounts()


def test_release_hands_the_job_back_without_using_an_attempt(db: Database) -> None:
    account = make_account(db)
    job_id = _submit(db, account)
    claim = _claim(db)
    assert claim is not None
    with db.session() as session:
        released = lifecycle.release(session=session, job_id=job_id, owner=claim.owner)
    assert released is not None
    assert (released.status, released.attempts) == ("pending", 0)
    again = _claim(db)
    assert again is not None
    assert again.attempt == 1


def test_concurrent_claimers_never_take_a_job_twice(db: Database) -> None:
    account = make_account(db)
    total = 60
    with db.session() as session:
        for index in range(total):
            service.submit(session=session, account_id=account, kind="k", params={"i": index})
    taken: list[str] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def claimer(name: str) -> None:
        # Each claimer has its own engine, as separate worker processes would.
        own = Database.from_url(db_url(db))
        try:
            while (claim := _claim(own, owner=name)) is not None:
                with own.session() as session:
                    lifecycle.complete(session=session, job_id=claim.job_id, owner=name, result={})
                with lock:
                    taken.append(claim.job_id)
        except BaseException as exc:
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=claimer, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    counts = Counter(taken)
    assert len(counts) == total
    assert max(counts.values()) == 1
    with db.read_session() as session:
        jobs = service.list_jobs(session=session, account_id=account, limit=total)
    assert {job.status for job in jobs} == {"completed"}
    assert {job.attempts for job in jobs} == {1}


def _events(db: Database, job_id: str) -> list[tuple[str, Any]]:
    with db.read_session() as session:
        rows: list[WebhookDelivery] = list_deliveries(session=session, job_id=job_id)
    return [(row.event_type, row.payload["data"].get("status")) for row in rows]


def test_state_changes_queue_webhooks_and_progress_is_throttled(db: Database) -> None:
    account = make_account(db)
    job_id = _submit(db, account, webhook_url="http://127.0.0.1:9/hook")
    events = PrefixedEvents("transcription")
    with db.session() as session:
        claim = lifecycle.claim_next(session=session, owner="w", lease_seconds=LEASE, events=events)
    assert claim is not None
    for percent in (1, 2, 3, 12, 13, 14, 55):
        with db.session() as session:
            lifecycle.record_progress(
                session=session,
                job_id=job_id,
                owner="w",
                percent=percent,
                phase="work",
                events=events,
            )
    with db.session() as session:
        lifecycle.complete(session=session, job_id=job_id, owner="w", result={}, events=events)
    assert _events(db, job_id) == [
        ("transcription.progress", "processing"),  # claimed
        ("transcription.progress", "processing"),  # phase "work" begins
        ("transcription.progress", "processing"),  # crossed 10 %
        ("transcription.progress", "processing"),  # crossed 50 %
        ("transcription.completed", "completed"),
    ]


@dataclass(frozen=True)
class _PhaselessEvents:
    """A contract whose payload has progress but no phase (the AI gateway's)."""

    shows_phase = False

    def __call__(self, job: Job, event: JobEvent) -> WebhookEvent | None:
        return PrefixedEvents("video-analysis")(job, event)


@pytest.mark.parametrize("through_registry", [False, True])
def test_phase_changes_are_not_announced_to_a_contract_without_phases(
    db: Database, through_registry: bool
) -> None:
    account = make_account(db)
    job_id = _submit(db, account, kind="phaseless", webhook_url="http://127.0.0.1:9/hook")
    registry = HandlerRegistry()
    registry.add(HandlerSpec(kind="phaseless", func=lambda ctx: {}, events=_PhaselessEvents()))
    events: EventFormatter = registry.format_event if through_registry else _PhaselessEvents()
    with db.session() as session:
        lifecycle.claim_next(session=session, owner="w", lease_seconds=LEASE, events=events)
    steps = [(0, "downloading"), (2, "probing"), (5, "diarization: embeddings"), (8, "asr")]
    for percent, phase in [*steps, (9, "asr"), (31, "frames"), (32, "text")]:
        with db.session() as session:
            lifecycle.record_progress(
                session=session,
                job_id=job_id,
                owner="w",
                percent=percent,
                phase=phase,
                events=events,
            )
    assert _events(db, job_id) == [
        ("video-analysis.progress", "processing"),  # claimed
        ("video-analysis.progress", "processing"),  # crossed 10 % (and 20 %) at once
    ]


def test_an_event_formatter_may_suppress_or_reshape_events(db: Database) -> None:
    account = make_account(db)
    job_id = _submit(db, account, webhook_url="http://127.0.0.1:9/hook")

    def gateway_style(job: Job, event: str) -> WebhookEvent | None:
        if event == "cancelled":
            return None  # that contract has no such event
        body = {"event": f"video-analysis.{event}", "data": {"id": job.id}}
        return WebhookEvent(type=f"video-analysis.{event}", data=body, raw=True)

    with db.session() as session:
        lifecycle.claim_next(session=session, owner="w", lease_seconds=LEASE, events=gateway_style)
    with db.session() as session:
        service.cancel(session=session, account_id=account, job_id=job_id, events=gateway_style)
        lifecycle.mark_cancelled(session=session, job_id=job_id, owner="w", events=gateway_style)
    with db.read_session() as session:
        rows = list_deliveries(session=session, job_id=job_id)
    assert [row.payload for row in rows] == [
        {"event": "video-analysis.progress", "data": {"id": job_id}}
    ]
    assert load_job(db, job_id).status == "cancelled"
