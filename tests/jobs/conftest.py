"""Fixtures for the job engine: settings with the test plugin loaded, and queues."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import REPO
from tests.jobs.handlers_for_tests import MODULE
from tests.jobs.job_testing import JobSettingsFactory, QueueFactory, db_url
from vidlens.config import DatabaseSettings, JobSettings, Settings
from vidlens.jobs.embedded import EmbeddedQueue
from vidlens.jobs.handlers import load_registry
from vidlens.storage.db import Database


@pytest.fixture(autouse=True)
def _plugin_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test plugin importable by name here and in spawned job processes, whatever
    pytest's import mode."""
    monkeypatch.syspath_prepend(str(REPO))


@pytest.fixture
def job_settings(settings_factory: Callable[..., Settings]) -> JobSettingsFactory:
    """``make(db, **job_settings)``: settings on ``db`` with the test plugin loaded, short
    leases and fast polling; keyword arguments override ``settings.jobs`` fields."""

    def make(db: Database, **jobs: Any) -> Settings:
        values: dict[str, Any] = {
            "workers": 2,
            "use_processes": False,
            "lease_seconds": 2.0,
            "max_attempts": 3,
            "poll_interval_seconds": 0.05,
            "plugins": [MODULE],
        }
        values.update(jobs)
        return settings_factory(
            database=DatabaseSettings(url=db_url(db)),
            jobs=JobSettings(**values),
            url_allowlist="127.0.0.1",
        )

    return make


@pytest.fixture
def queue_factory(job_settings: JobSettingsFactory) -> Iterator[QueueFactory]:
    """``make(db, start=True, **job_settings)``: an EmbeddedQueue, stopped after the test."""
    queues: list[EmbeddedQueue] = []

    def make(db: Database, *, start: bool = True, **jobs: Any) -> EmbeddedQueue:
        settings = job_settings(db, **jobs)
        queue = EmbeddedQueue(settings, db, load_registry(settings))
        queues.append(queue)
        if start:
            queue.start()
        return queue

    yield make
    for queue in queues:
        queue.stop(timeout=5.0)
