"""Jobs and webhooks together: lifecycle events reach the receiver, signed, and a failing
receiver never holds a job back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.jobs.job_testing import finished, make_account, wait_for
from tests.webhooks.webhook_testing import Receiver, poll_until
from vidlens.config import Settings
from vidlens.errors import UrlRefused
from vidlens.jobs.context import JobContext
from vidlens.jobs.embedded import EmbeddedQueue
from vidlens.jobs.handlers import HandlerRegistry, job_handler
from vidlens.storage.db import Database
from vidlens.storage.tables import Account, WebhookDelivery
from vidlens.webhooks.deliverer import WebhookDeliverer
from vidlens.webhooks.service import list_deliveries
from vidlens.webhooks.signing import verify


@job_handler("hooks.transcribe", event_prefix="transcription")
def transcribe(ctx: JobContext) -> dict[str, Any]:
    ctx.progress(50.0, "half way")
    return {"text": "hello"}


@pytest.fixture
def queue(hook_settings: Settings, db: Database) -> Iterator[EmbeddedQueue]:
    """A started thread-mode queue with this module's handler and a webhook deliverer."""
    registry = HandlerRegistry()
    registry.include(transcribe)
    deliverer = WebhookDeliverer(hook_settings, db, poll_seconds=0.05)
    instance = EmbeddedQueue(hook_settings, db, registry, deliverer=deliverer)
    instance.start()
    yield instance
    instance.stop(timeout=5.0)


def _deliveries(db: Database, job_id: str) -> list[WebhookDelivery]:
    with db.read_session() as session:
        return list_deliveries(session=session, job_id=job_id)


def _secret(db: Database, account_id: str) -> str:
    with db.read_session() as session:
        account = session.get(Account, account_id)
        assert account is not None
        return account.webhook_secret


def test_lifecycle_events_reach_the_receiver_signed(
    db: Database, queue: EmbeddedQueue, receiver: Receiver
) -> None:
    account = make_account(db)
    job = queue.submit(
        account_id=account,
        kind="hooks.transcribe",
        params={},
        webhook_url=receiver.url,
        webhook_headers={"Authorization": "Bearer receiver-token"},
    )
    assert wait_for(db, job.id, finished).status == "completed"
    requests = poll_until(receiver.snapshot, lambda r: len(r) >= 3, what="three webhooks")
    secret = _secret(db, account)
    bodies = []
    for request in requests:
        verify(secret=secret, headers=request.headers, body=request.body)
        assert request.headers["authorization"] == "Bearer receiver-token"
        bodies.append(json.loads(request.body))
    assert sorted(body["type"] for body in bodies) == [
        "transcription.completed",
        "transcription.progress",
        "transcription.progress",
    ]
    completed = next(body for body in bodies if body["type"] == "transcription.completed")
    assert completed["data"]["id"] == job.id
    assert completed["data"]["result"] == {"text": "hello"}
    poll_until(
        lambda: {row.status for row in _deliveries(db, job.id)},
        lambda statuses: statuses == {"delivered"},
        what="every delivery recorded as delivered",
    )


def test_a_job_completes_while_its_webhook_fails(
    db: Database, queue: EmbeddedQueue, unreachable_url: str
) -> None:
    job = queue.submit(
        account_id=make_account(db),
        kind="hooks.transcribe",
        params={},
        webhook_url=unreachable_url,
    )
    assert wait_for(db, job.id, finished).status == "completed"
    rows = poll_until(
        lambda: _deliveries(db, job.id),
        lambda rows: len(rows) == 3 and all(row.status == "failed" for row in rows),
        what="every delivery given up",
    )
    assert {row.attempts for row in rows} == {3}


def test_a_webhook_url_outside_the_ssrf_rules_is_refused_at_submit(
    hook_settings: Settings, db: Database
) -> None:
    strict = hook_settings.model_copy(update={"url_allowlist": ""})
    registry = HandlerRegistry()
    registry.include(transcribe)
    queue = EmbeddedQueue(strict, db, registry, workers=0)
    account = make_account(db)
    for url in ("http://127.0.0.1:8080/hook", "http://169.254.169.254/latest", "ftp://x/y"):
        with pytest.raises(UrlRefused):
            queue.submit(account_id=account, kind="hooks.transcribe", params={}, webhook_url=url)
