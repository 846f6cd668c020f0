"""Webhook deliveries: queued rows, signed requests, retries with back-off, giving up."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest

from tests.jobs.job_testing import make_account
from tests.webhooks.webhook_testing import Receiver, poll_until
from vidlens.config import Settings
from vidlens.jobs import service as jobs
from vidlens.media.urlpolicy import IPAddress
from vidlens.storage.db import Database
from vidlens.storage.tables import Account, Job, WebhookDelivery, utcnow
from vidlens.webhooks import service
from vidlens.webhooks.deliverer import WebhookDeliverer
from vidlens.webhooks.signing import verify

CUSTOM = {
    "Authorization": "Bearer receiver-token",
    "X-Tenant": "acme",
    "webhook-signature": "v1,forged",
    "Host": "evil.example",
    "Content-Length": "1",
}


@pytest.fixture
def deliverer(hook_settings: Settings, db: Database) -> Iterator[WebhookDeliverer]:
    instance = WebhookDeliverer(hook_settings, db, poll_seconds=0.05)
    yield instance
    instance.stop()


def _queue_event(db: Database, url: str) -> tuple[str, str]:
    """A job with a webhook and one queued event: (delivery id, account secret)."""
    account_id = make_account(db)
    with db.session() as session:
        job = jobs.submit(
            session=session,
            account_id=account_id,
            kind="k",
            params={},
            webhook_url=url,
            webhook_headers=CUSTOM,
        )
        delivery = service.enqueue_event(
            session=session, job=job, event_type="job.completed", data={"id": job.id}
        )
        assert delivery is not None
        account = session.get(Account, account_id)
        assert account is not None
        return delivery.id, account.webhook_secret


def _delivery(db: Database, delivery_id: str) -> WebhookDelivery:
    with db.read_session() as session:
        row = session.get(WebhookDelivery, delivery_id)
        assert row is not None
        return row


def test_reserved_headers_are_dropped_when_queued(db: Database) -> None:
    delivery_id, _ = _queue_event(db, "http://127.0.0.1:9/hook")
    row = _delivery(db, delivery_id)
    assert row.headers == {"Authorization": "Bearer receiver-token", "X-Tenant": "acme"}
    assert row.id.startswith("msg_")
    assert row.payload["type"] == "job.completed"
    assert row.payload["timestamp"].endswith("Z")


def test_a_delivery_is_signed_and_carries_custom_headers(
    db: Database, receiver: Receiver, deliverer: WebhookDeliverer
) -> None:
    delivery_id, secret = _queue_event(db, receiver.url)
    assert deliverer.deliver_due() == 1
    [request] = receiver.snapshot()
    verify(secret=secret, headers=request.headers, body=request.body)
    assert request.headers["webhook-id"] == delivery_id
    assert request.headers["authorization"] == "Bearer receiver-token"
    assert request.headers["x-tenant"] == "acme"
    assert request.headers["host"] == f"127.0.0.1:{receiver.port}"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == _delivery(db, delivery_id).payload
    row = _delivery(db, delivery_id)
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 1, 200)
    assert row.delivered_at is not None
    assert deliverer.deliver_due() == 0


def test_server_errors_are_retried_until_delivered(
    db: Database, receiver: Receiver, deliverer: WebhookDeliverer
) -> None:
    receiver.statuses = [500, 500]
    delivery_id, secret = _queue_event(db, receiver.url)
    deliverer.start()
    row = poll_until(
        lambda: _delivery(db, delivery_id), lambda r: r.status != "pending", what="an end"
    )
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 3, 200)
    requests = receiver.snapshot()
    assert len(requests) == 3
    assert {r.headers["webhook-id"] for r in requests} == {delivery_id}
    for request in requests:
        verify(secret=secret, headers=request.headers, body=request.body)


def test_an_unreachable_receiver_is_given_up_after_max_attempts(
    db: Database, unreachable_url: str, deliverer: WebhookDeliverer
) -> None:
    delivery_id, _ = _queue_event(db, unreachable_url)
    deliverer.start()
    row = poll_until(
        lambda: _delivery(db, delivery_id), lambda r: r.status != "pending", what="an end"
    )
    assert (row.status, row.attempts, row.last_status_code) == ("failed", 3, None)
    assert row.last_error is not None
    assert "ConnectError" in row.last_error


def test_a_claimed_delivery_is_not_claimed_twice(db: Database) -> None:
    delivery_id, _ = _queue_event(db, "http://127.0.0.1:9/hook")
    now = utcnow()
    with db.session() as session:
        first = service.claim_due(session=session, now=now, lease_seconds=60, limit=10)
    with db.session() as session:
        second = service.claim_due(session=session, now=now, lease_seconds=60, limit=10)
    with db.session() as session:
        later = service.claim_due(
            session=session, now=now + timedelta(seconds=61), lease_seconds=60, limit=10
        )
    assert ([r.id for r in first], second, [r.id for r in later]) == (
        [delivery_id],
        [],
        [delivery_id],
    )


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    def delays(jitter: float) -> list[float]:
        return [
            service.backoff_seconds(n, base_seconds=2.0, rng=lambda: jitter) for n in (1, 2, 3, 20)
        ]

    assert delays(0.0) == [2.0, 4.0, 8.0, 3600.0]
    assert delays(1.0) == pytest.approx([2.2, 4.4, 8.8, 3960.0])


def test_a_failed_attempt_is_rescheduled_by_the_backoff(db: Database) -> None:
    delivery_id, _ = _queue_event(db, "http://127.0.0.1:9/hook")
    now = utcnow()
    with db.session() as session:
        row = service.record_attempt(
            session=session,
            delivery_id=delivery_id,
            status_code=503,
            error="HTTP 503",
            max_attempts=5,
            backoff_base_seconds=10.0,
            now=now,
            rng=lambda: 0.0,
        )
    assert row is not None
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "HTTP 503")
    assert row.next_attempt_at == now + timedelta(seconds=10)


def _deliverer_with(
    settings: Settings, db: Database, allowlist: str, hosts: dict[str, str]
) -> WebhookDeliverer:
    """A deliverer with its own allow-list and a fake DNS (name → address)."""

    def resolver(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address(hosts.get(host, host))]

    changed = settings.model_copy(update={"url_allowlist": allowlist})
    return WebhookDeliverer(changed, db, resolver=resolver)


def test_a_url_outside_the_ssrf_rules_is_refused_at_delivery_without_retry(
    hook_settings: Settings, db: Database, receiver: Receiver
) -> None:
    refused_id, _ = _queue_event(db, receiver.url)
    deliverer = _deliverer_with(hook_settings, db, allowlist="", hosts={})
    try:
        assert deliverer.deliver_due() == 1
    finally:
        deliverer.stop()
    row = _delivery(db, refused_id)
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error is not None
    assert row.last_error.startswith("URL refused: ")
    assert "loopback" in row.last_error
    assert receiver.snapshot() == []


def test_a_host_that_now_resolves_to_a_private_address_is_refused(
    hook_settings: Settings, db: Database
) -> None:
    delivery_id, _ = _queue_event(db, "http://hooks.example/hook")
    deliverer = _deliverer_with(
        hook_settings, db, allowlist="127.0.0.1", hosts={"hooks.example": "10.0.0.7"}
    )
    try:
        deliverer.deliver_due()
    finally:
        deliverer.stop()
    row = _delivery(db, delivery_id)
    assert row.status == "failed"
    assert row.last_error is not None
    assert "private" in row.last_error


def test_the_connection_goes_to_the_vetted_address_with_the_original_host(
    hook_settings: Settings, db: Database, receiver: Receiver
) -> None:
    delivery_id, secret = _queue_event(db, f"http://hooks.example:{receiver.port}/hook")
    deliverer = _deliverer_with(
        hook_settings, db, allowlist="hooks.example", hosts={"hooks.example": "127.0.0.1"}
    )
    try:
        assert deliverer.deliver_due() == 1
    finally:
        deliverer.stop()
    [request] = receiver.snapshot()
    assert request.headers["host"] == f"hooks.example:{receiver.port}"
    verify(secret=secret, headers=request.headers, body=request.body)
    assert _delivery(db, delivery_id).status == "delivered"


def test_a_deliverer_built_from_settings_sends_at_most_its_concurrency_per_pass(
    hook_settings: Settings, db: Database, receiver: Receiver
) -> None:
    settings = hook_settings.model_copy(
        update={"webhooks": hook_settings.webhooks.model_copy(update={"concurrency": 2})}
    )
    delivery_id, _ = _queue_event(db, receiver.url)
    with db.session() as session:
        job_id = _delivery(db, delivery_id).job_id
        job = session.get(Job, job_id)
        assert job is not None
        for _ in range(2):
            service.enqueue_event(session=session, job=job, event_type="job.progress", data={})
    deliverer = WebhookDeliverer(settings, db)
    try:
        assert deliverer.deliver_due() == 2
        assert deliverer.deliver_due() == 1
    finally:
        deliverer.stop()
    assert len(receiver.snapshot()) == 3
