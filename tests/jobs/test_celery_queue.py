"""The Celery queue against real brokers (Redis and RabbitMQ) and real Celery workers.

Each test gets its own SQLite database, its own broker queue (deleted afterwards) and worker
processes that are killed at the end whatever happens. A test is skipped, naming the broker,
when that broker's port does not answer.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
from fastapi.testclient import TestClient

from tests.conftest import REPO, SettingsFactory, make_key
from tests.jobs.handlers_for_tests import MODULE
from tests.jobs.job_testing import db_url, finished, load_job, make_account, wait_for
from vidlens.app import build_context, create_app
from vidlens.config import DatabaseSettings, JobSettings, Settings
from vidlens.errors import InvalidInput
from vidlens.jobs import service
from vidlens.jobs.celery_app import create_celery_app, pending_count, queued_wakeups
from vidlens.jobs.celery_queue import CeleryQueue
from vidlens.jobs.handlers import load_registry
from vidlens.jobs.queue import JobQueue
from vidlens.storage.db import Database
from vidlens.storage.migrate import upgrade

BROKERS = {
    "redis": ("127.0.0.1", 6379, "redis://127.0.0.1:6379/15"),
    "rabbitmq": ("127.0.0.1", 5672, "amqp://guest:guest@127.0.0.1:5672//"),
}
LEASE_SECONDS = 1.5
Via = Literal["celery", "vidlens"]


def _reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1.0).close()
    except OSError:
        return False
    return True


@pytest.fixture(params=sorted(BROKERS))
def broker_url(request: pytest.FixtureRequest) -> str:
    host, port, url = BROKERS[request.param]
    if not _reachable(host, port):
        pytest.skip(f"{request.param} broker not reachable at {host}:{port}")
    return url


@dataclass
class CeleryRig:
    """A database, a queue name and the settings shared by the test and its workers."""

    tmp_path: Path
    db: Database
    settings: Settings
    queue_name: str
    queue: CeleryQueue
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def env(self, **overrides: str) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "VIDLENS_DATA_DIR": str(self.settings.data_dir),
            "VIDLENS_DATABASE__URL": db_url(self.db),
            "VIDLENS_JOBS__QUEUE_BACKEND": "celery",
            "VIDLENS_JOBS__BROKER_URL": str(self.settings.jobs.broker_url),
            "VIDLENS_JOBS__WORKERS": "1",
            "VIDLENS_JOBS__USE_PROCESSES": "true",
            "VIDLENS_JOBS__LEASE_SECONDS": str(LEASE_SECONDS),
            "VIDLENS_JOBS__STOP_TIMEOUT_SECONDS": "5",
            "VIDLENS_JOBS__PLUGINS": f'["{MODULE}"]',
            **overrides,
        }

    def start_worker(self, via: Via = "celery", **env: str) -> subprocess.Popen[bytes]:
        """A Celery worker process (threads pool, one thread) on this rig's queue, started
        with Celery's own command or with ``vidlens worker --celery``; ``env`` overrides
        environment variables."""
        name = f"worker{len(self.workers)}"
        if via == "celery":
            command = [
                *(sys.executable, "-m", "celery", "-A", "vidlens.jobs.celery_app", "worker"),
                *("-Q", self.queue_name, "--pool=threads", "--concurrency=1"),
                *("-n", f"{self.queue_name}-{name}@%h", "--loglevel=INFO"),
                *("--without-mingle", "--without-gossip"),
            ]
        else:
            command = [sys.executable, "-m", "vidlens", "worker", "--celery"]
            command += ["--queue", self.queue_name]
        log = (self.tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command,
            env=self.env(**env),
            cwd=self.tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its job child processes can be killed with it
        )
        log.close()
        self.workers.append(process)
        return process

    def log_of(self, process: subprocess.Popen[bytes]) -> str:
        index = self.workers.index(process)
        return (self.tmp_path / f"worker{index}.log").read_text(errors="replace")

    def stop_workers(self) -> None:
        for process in self.workers:
            with contextlib.suppress(ProcessLookupError):  # its own process group
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def delete_queue(self) -> None:
        """Remove this rig's queue and exchange (and Redis's binding key) from the broker."""
        with self.queue.app.connection_for_write() as conn:
            channel = conn.channel()
            for delete in (channel.queue_delete, channel.exchange_delete):
                try:
                    delete(self.queue_name)
                except conn.channel_errors:
                    channel = conn.channel()
            client = getattr(channel, "client", None)  # Redis only
            if client is not None:
                keys = list(client.scan_iter(match=f"*{self.queue_name}*"))
                if keys:
                    client.delete(*keys)
                # The workers' remote-control bindings (their node names hold the queue's).
                pidbox = "_kombu.binding.celery.pidbox"
                members = list(client.sscan_iter(pidbox, match=f"*{self.queue_name}*"))
                if members:
                    client.srem(pidbox, *members)
            channel.close()


@pytest.fixture
def rig(tmp_path: Path, broker_url: str, settings_factory: SettingsFactory) -> Iterator[CeleryRig]:
    db = Database.from_url(f"sqlite:///{tmp_path / 'jobs.db'}")
    upgrade(db.engine)
    settings = settings_factory(
        database=DatabaseSettings(url=db_url(db)),
        jobs=JobSettings(
            queue_backend="celery",
            broker_url=broker_url,
            workers=0,
            lease_seconds=LEASE_SECONDS,
            plugins=[MODULE],
        ),
    )
    queue_name = f"vidlens-test-{uuid.uuid4().hex[:12]}"
    queue = CeleryQueue(settings, db, load_registry(settings), queue=queue_name)
    rig = CeleryRig(tmp_path, db, settings, queue_name, queue)
    try:
        yield rig
    finally:
        rig.stop_workers()
        try:
            rig.delete_queue()
        finally:
            queue.app.close()
            db.dispose()


def _wait_all(
    rig: CeleryRig, job_ids: list[str], *, timeout: float = 30.0, what: str = "an end"
) -> None:
    for job_id in job_ids:
        wait_for(rig.db, job_id, finished, timeout=timeout, what=what)


def _submit(rig: CeleryRig, account: str, kind: str = "test.echo", **kwargs: Any) -> str:
    params = kwargs.pop("params", {})
    return rig.queue.submit(account_id=account, kind=kind, params=params, **kwargs).id


def test_celery_queue_is_a_job_queue(rig: CeleryRig) -> None:
    queue: JobQueue = rig.queue
    assert "test.steps" in queue.public_kinds()
    account = make_account(rig.db)
    with pytest.raises(InvalidInput) as raised:
        queue.submit(account_id=account, kind="no.such.kind", params={})
    assert raised.value.fields["code"] == "UNKNOWN_JOB_KIND"


def test_jobs_complete_highest_priority_first_with_retries_and_crashes(rig: CeleryRig) -> None:
    account = make_account(rig.db)
    by_priority = {
        priority: _submit(rig, account, params={"p": priority}, priority=priority)
        for priority in ("low", "standard", "high")
    }
    flaky = _submit(rig, account, kind="test.flaky", params={"succeed_on": 2}, priority="low")
    crash = _submit(
        rig,
        account,
        kind="test.crash",
        params={"survive_on": 2, "how": "sigkill"},
        priority="low",
    )
    assert queued_wakeups(rig.queue.app, rig.queue_name) == 5
    worker = rig.start_worker()
    _wait_all(rig, [*by_priority.values(), flaky, crash], timeout=45)

    jobs = {priority: load_job(rig.db, job_id) for priority, job_id in by_priority.items()}
    for priority, job in jobs.items():
        assert (job.status, job.attempts) == ("completed", 1), rig.log_of(worker)
        assert job.result == {"params": {"p": priority}, "attempt": 1}
    started = [jobs[p].started_at for p in ("high", "standard", "low")]
    assert None not in started
    assert started == sorted(s for s in started if s is not None), "highest priority first"

    retried = load_job(rig.db, flaky)
    assert (retried.status, retried.attempts, retried.result) == ("completed", 2, {"attempt": 2})
    crashed = load_job(rig.db, crash)
    assert (crashed.status, crashed.attempts) == ("completed", 2)
    assert crashed.result is not None
    assert crashed.result["survived_attempt"] == 2

    # A job submitted while the worker runs is woken straight away.
    late = _submit(rig, account, params={"late": True}, priority="high")
    done = wait_for(rig.db, late, finished, timeout=15, what="the late job's end")
    assert done.result == {"params": {"late": True}, "attempt": 1}
    assert worker.poll() is None


def test_a_job_whose_wakeup_was_lost_is_swept(rig: CeleryRig) -> None:
    account = make_account(rig.db)
    worker = rig.start_worker(via="vidlens")
    woken = _submit(rig, account, params={"woken": True})
    wait_for(rig.db, woken, finished, timeout=30, what="the woken job's end")
    # Stored without a wake-up: as if the broker lost the message.
    with rig.db.session() as session:
        lost = service.submit(
            session=session, account_id=account, kind="test.echo", params={"lost": True}
        ).id
    done = wait_for(rig.db, lost, finished, timeout=4 * LEASE_SECONDS + 10, what="a sweep")
    assert (done.status, done.result) == ("completed", {"params": {"lost": True}, "attempt": 1})
    assert worker.poll() is None, rig.log_of(worker)

    # Through the HTTP API of a server whose queue is this CeleryQueue.
    context = build_context(rig.settings)
    assert isinstance(context.queue, CeleryQueue)
    context.queue.app.close()  # its twin on the default queue: use the rig's queue instead
    context.queue = rig.queue
    with TestClient(create_app(rig.settings, context=context)) as client:
        _, key = make_key(client)
        headers = {"Authorization": f"Bearer {key}"}
        body = {"kind": "test.steps", "params": {"steps": 2}, "priority": "high"}
        created = client.post("/api/jobs", json=body, headers=headers)
        assert created.status_code == 202, created.text
        job_id = created.json()["id"]
        wait_for(rig.db, job_id, finished, timeout=20, what="the HTTP job's end")
        shown = client.get(f"/api/jobs/{job_id}", headers=headers).json()
        assert (shown["status"], shown["result"]) == ("completed", {"steps": 2})

    # SIGTERM: a warm shutdown that ends with exit code 0.
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(30) == 0, rig.log_of(worker)


def test_a_stopped_worker_hands_its_running_job_back(rig: CeleryRig) -> None:
    account = make_account(rig.db)
    job_id = _submit(rig, account, kind="test.steps", params={"steps": 40, "step_seconds": 0.1})
    worker = rig.start_worker(VIDLENS_JOBS__STOP_TIMEOUT_SECONDS="0.5")
    wait_for(rig.db, job_id, lambda j: j.progress >= 5, timeout=30, what="a running job")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(20) == 0, rig.log_of(worker)
    job = load_job(rig.db, job_id)
    assert (job.status, job.attempts, job.lease_owner) == ("pending", 0, None)
    # Its wake-up was sent on for the next worker.
    assert queued_wakeups(rig.queue.app, rig.queue_name) == 1


def test_the_server_side_sweep_sends_only_the_missing_wakeups(rig: CeleryRig) -> None:
    account = make_account(rig.db)
    with rig.db.session() as session:
        for _ in range(2):
            service.submit(session=session, account_id=account, kind="test.echo", params={})
    _submit(rig, account)
    assert pending_count(rig.db) == 3
    assert queued_wakeups(rig.queue.app, rig.queue_name) == 1
    assert rig.queue.sweep() == 2
    assert queued_wakeups(rig.queue.app, rig.queue_name) == 3
    assert rig.queue.sweep() == 0


def test_a_job_of_a_killed_worker_is_finished_by_the_next_one(rig: CeleryRig) -> None:
    account = make_account(rig.db)
    job_id = _submit(rig, account, kind="test.steps", params={"steps": 25, "step_seconds": 0.12})
    first = rig.start_worker()
    running = wait_for(
        rig.db, job_id, lambda j: j.progress >= 20, timeout=30, what="20 % in the first worker"
    )
    assert running.lease_owner is not None
    assert f":{first.pid}:" in running.lease_owner
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)

    second = rig.start_worker(via="vidlens")
    done = wait_for(rig.db, job_id, finished, timeout=45, what="an end in the second worker")
    assert (done.status, done.attempts, done.result) == ("completed", 2, {"steps": 25}), rig.log_of(
        second
    )
    assert done.lease_owner is None


def test_submit_keeps_the_job_when_the_broker_is_down(
    tmp_path: Path, settings_factory: SettingsFactory, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database.from_url(f"sqlite:///{tmp_path / 'jobs.db'}")
    upgrade(db.engine)
    settings = settings_factory(
        database=DatabaseSettings(url=db_url(db)),
        jobs=JobSettings(
            queue_backend="celery", broker_url="redis://127.0.0.1:9/0", plugins=[MODULE]
        ),
    )
    queue = CeleryQueue(settings, db, load_registry(settings))
    try:
        account = make_account(db)
        with caplog.at_level(logging.WARNING, logger="vidlens.jobs.celery_app"):
            started = time.monotonic()
            job = queue.submit(account_id=account, kind="test.echo", params={})
            assert time.monotonic() - started < 15
        assert load_job(db, job.id).status == "pending"
        assert "could not send a job wake-up" in caplog.text
    finally:
        queue.app.close()
        db.dispose()


def test_settings_choose_the_queue(settings_factory: SettingsFactory) -> None:
    settings = settings_factory(
        jobs=JobSettings(queue_backend="celery", broker_url="redis://127.0.0.1:6379/15")
    )
    context = build_context(settings)
    try:
        assert isinstance(context.queue, CeleryQueue)
    finally:
        context.db.dispose()
    with pytest.raises(ValueError, match="BROKER_URL"):
        create_celery_app(settings_factory(jobs=JobSettings(queue_backend="celery")))
