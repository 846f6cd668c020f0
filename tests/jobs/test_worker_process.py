"""``vidlens worker`` as a real process: a worker killed mid-job loses no job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.jobs import handlers_for_tests
from tests.jobs.job_testing import JobSettingsFactory, db_url, finished, make_account, wait_for
from vidlens.jobs import service
from vidlens.jobs.worker import run_worker
from vidlens.storage.db import Database

WorkerFactory = Callable[[str], subprocess.Popen[bytes]]


@pytest.fixture
def start_worker(tmp_path: Path, db: Database) -> Iterator[WorkerFactory]:
    """``start(name)``: a ``python -m vidlens worker`` on ``db`` with a 1.5 s lease."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "VIDLENS_DATA_DIR": str(tmp_path / "data"),
        "VIDLENS_DATABASE__URL": db_url(db),
        "VIDLENS_JOBS__WORKERS": "1",
        "VIDLENS_JOBS__USE_PROCESSES": "true",
        "VIDLENS_JOBS__LEASE_SECONDS": "1.5",
        "VIDLENS_JOBS__POLL_INTERVAL_SECONDS": "0.1",
        "VIDLENS_JOBS__PLUGINS": f'["{handlers_for_tests.MODULE}"]',
    }
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "vidlens", "worker"],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(10)


@pytest.mark.slow
def test_a_job_of_a_killed_worker_is_finished_by_the_next_one(
    db: Database, start_worker: WorkerFactory
) -> None:
    account = make_account(db)
    with db.session() as session:
        job_id = service.submit(
            session=session,
            account_id=account,
            kind="test.steps",
            params={"steps": 25, "step_seconds": 0.12},
            max_attempts=3,
        ).id
    first = start_worker("first")
    running = wait_for(
        db, job_id, lambda j: j.progress >= 20, timeout=60, what="20 % in the first worker"
    )
    assert running.lease_owner is not None
    assert f":{first.pid}:" in running.lease_owner
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)

    second = start_worker("second")
    done = wait_for(db, job_id, finished, timeout=60, what="an end in the second worker")
    assert (done.status, done.attempts) == ("completed", 2)
    assert done.result == {"steps": 25}
    second.send_signal(signal.SIGTERM)
    assert second.wait(30) == 0


def test_run_worker_stops_on_its_event(db: Database, job_settings: JobSettingsFactory) -> None:
    settings = job_settings(db, workers=1)
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(settings,), kwargs={"stop_event": stop})
    worker.start()
    try:
        account = make_account(db)
        with db.session() as session:
            job_id = service.submit(
                session=session, account_id=account, kind="test.echo", params={}
            ).id
        assert wait_for(db, job_id, finished).status == "completed"
    finally:
        stop.set()
        worker.join(30)
    assert not worker.is_alive()
