"""GET /api/jobs/{id}/webhooks: an account sees its job's deliveries, signed and recorded."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ClientFactory, make_key
from tests.jobs.handlers_for_tests import MODULE
from tests.webhooks.webhook_testing import Receiver, serve
from vidlens.config import JobSettings
from vidlens.webhooks.signing import verify


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    target = Receiver()
    server = serve(target)
    yield target
    server.shutdown()
    server.server_close()


def _wait(client: TestClient, path: str, key: str, done: object) -> list[dict[str, object]]:
    deadline = time.monotonic() + 20
    while True:
        body = client.get(path, headers={"X-API-Key": key}).json()
        if done(body["data"]) or time.monotonic() > deadline:  # type: ignore[operator]  # predicate
            return list(body["data"])
        time.sleep(0.05)


def test_deliveries_listed_for_the_owner_only(
    client_factory: ClientFactory, receiver: Receiver
) -> None:
    client = client_factory(
        url_allowlist="127.0.0.1",
        jobs=JobSettings(
            plugins=[MODULE], workers=1, use_processes=False, poll_interval_seconds=0.05
        ),
    )
    _, key = make_key(client, "alpha")
    _, other = make_key(client, "beta")
    job = client.post(
        "/api/jobs",
        json={
            "kind": "test.steps",
            "params": {"steps": 2},
            "webhook_url": receiver.url,
            "webhook_headers": {"Authorization": "Bearer receiver-token"},
        },
        headers={"X-API-Key": key},
    ).json()
    path = f"/api/jobs/{job['id']}/webhooks"
    rows = _wait(
        client,
        path,
        key,
        lambda data: any(
            d["event_type"] == "transcription.completed" and d["status"] == "delivered"
            for d in data
        ),
    )
    completed = [d for d in rows if d["event_type"] == "transcription.completed"]
    assert completed
    assert completed[0]["status"] == "delivered"
    assert completed[0]["attempts"] == 1
    assert completed[0]["last_status_code"] == 200
    assert all("headers" not in d for d in rows)  # receiver credentials stay private
    # what the receiver got is signed with the account's secret
    secret = client.get("/api/account/webhook-secret", headers={"X-API-Key": key}).json()
    received = receiver.snapshot()
    assert received
    for message in received:
        verify(secret=secret["webhook_secret"], headers=message.headers, body=message.body)
        assert message.headers.get("authorization", message.headers.get("Authorization")) == (
            "Bearer receiver-token"
        )
    # another account: 404 exactly like a missing job
    foreign = client.get(path, headers={"X-API-Key": other})
    missing_id = str(uuid.uuid4())
    missing = client.get(f"/api/jobs/{missing_id}/webhooks", headers={"X-API-Key": other})
    assert foreign.status_code == missing.status_code == 404
    # the same body, but for the id the caller sent
    assert foreign.json() == {**missing.json(), "job_id": job["id"]}
