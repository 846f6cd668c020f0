"""Fixtures for webhook tests: a local receiver, an unreachable URL and fast-retry settings."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import pytest

from tests.jobs.job_testing import db_url
from tests.webhooks.webhook_testing import Receiver, serve
from vidlens.config import DatabaseSettings, JobSettings, Settings, WebhookSettings
from vidlens.storage.db import Database


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver listening on 127.0.0.1 for this test."""
    target = Receiver()
    server = serve(target)
    yield target
    server.shutdown()
    server.server_close()


@pytest.fixture
def unreachable_url() -> str:
    """A 127.0.0.1 URL where nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


@pytest.fixture
def hook_settings(settings_factory: Callable[..., Settings], db: Database) -> Settings:
    """Settings on ``db``: 3 delivery attempts 50 ms apart, 127.0.0.1 allowed, one thread
    worker."""
    return settings_factory(
        database=DatabaseSettings(url=db_url(db)),
        webhooks=WebhookSettings(max_attempts=3, backoff_base_seconds=0.05, timeout_seconds=5),
        jobs=JobSettings(workers=1, use_processes=False, poll_interval_seconds=0.05),
        url_allowlist="127.0.0.1",
    )
