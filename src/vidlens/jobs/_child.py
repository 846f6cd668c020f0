"""Entry point of a job child process (``use_processes=True``).

The child rebuilds its database and handler registry from the settings it is given, then
runs the attempts its parent sends over a pipe, one at a time, recording each outcome itself.
It stays alive between jobs, so that models loaded by handlers stay warm. A crash of a handler
(segfault, ``os._exit``, out-of-memory kill) ends only this process: the parent notices and
fails or retries the job.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from multiprocessing.connection import Connection

from vidlens.config import Settings
from vidlens.jobs.handlers import HandlerRegistry, load_registry
from vidlens.jobs.lifecycle import ClaimedJob
from vidlens.jobs.runner import run_claimed
from vidlens.logs import configure_logging
from vidlens.storage.db import Database

PARENT_CHECK_SECONDS = 0.5
ORPHAN_EXIT_CODE = 70

ChildReply = tuple[str, str, str]
"""``("done", job_id, outcome)`` or ``("error", job_id, "<ExceptionType>: message")``."""


def child_main(settings: Settings, conn: Connection, parent_pid: int) -> None:
    """Serve attempts from ``conn`` until it closes or sends None."""
    # Ctrl-C in a terminal reaches the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent_pid)
    configure_logging(settings.log_level)
    db = Database.from_settings(settings)
    registry = load_registry(settings)
    try:
        while True:
            try:
                claim = conn.recv()
            except EOFError:
                return
            if not isinstance(claim, ClaimedJob):
                return
            conn.send(_run(claim, settings, db, registry))
    finally:
        db.dispose()


def _run(
    claim: ClaimedJob, settings: Settings, db: Database, registry: HandlerRegistry
) -> ChildReply:
    try:
        outcome = run_claimed(claim=claim, settings=settings, db=db, registry=registry)
    except Exception as exc:
        return ("error", claim.job_id, f"{type(exc).__name__}: {exc}")
    return ("done", claim.job_id, outcome)


def _exit_with_parent(parent_pid: int) -> None:
    """An orphaned child (its worker was killed) exits rather than keep running a job that
    will be recovered and run elsewhere."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(ORPHAN_EXIT_CODE)

    threading.Thread(target=watch, name="vidlens-parent-watch", daemon=True).start()
