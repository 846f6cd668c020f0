"""Job handlers used by the tests, loaded the way real plugins are: by naming this module in
``settings.jobs.plugins``. The kinds that tests submit through ``POST /api/jobs`` are public;
the others are internal, as a surface's own kinds would be."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from typing import Any

from vidlens.errors import InvalidInput
from vidlens.jobs.context import JobContext
from vidlens.jobs.handlers import job_handler

MODULE = __name__


@job_handler("test.echo")
def echo(ctx: JobContext) -> dict[str, Any]:
    return {"params": ctx.params, "attempt": ctx.attempt}


@job_handler("test.steps", event_prefix="transcription", public=True)
def steps(ctx: JobContext) -> dict[str, Any]:
    """``params``: steps, step_seconds. Progresses through phases one step at a time."""
    count = int(ctx.params.get("steps", 5))
    pause = float(ctx.params.get("step_seconds", 0.0))
    for index in range(count):
        ctx.progress(100.0 * index / count, "first half" if index < count / 2 else "second half")
        time.sleep(pause)
    return {"steps": count}


@job_handler("test.until_cancelled", public=True)
def until_cancelled(ctx: JobContext) -> dict[str, Any]:
    """Reports progress until cancelled, giving up after ``params["limit_seconds"]``."""
    deadline = time.monotonic() + float(ctx.params.get("limit_seconds", 30.0))
    percent = 0.0
    while time.monotonic() < deadline:
        percent = min(percent + 1.0, 99.0)
        ctx.progress(percent, "waiting")
        time.sleep(0.05)
    return {"cancelled": False}


@job_handler("test.flaky")
def flaky(ctx: JobContext) -> dict[str, Any]:
    """Raises RuntimeError until attempt ``params["succeed_on"]``."""
    if ctx.attempt < int(ctx.params.get("succeed_on", 99)):
        raise RuntimeError(f"flaky failure on attempt {ctx.attempt}")
    return {"attempt": ctx.attempt}


@job_handler("test.fragile", retryable=False)
def fragile(ctx: JobContext) -> dict[str, Any]:
    raise RuntimeError("fragile handlers are not retried")


@job_handler("test.invalid")
def invalid(ctx: JobContext) -> dict[str, Any]:
    raise InvalidInput("the options make no sense")


@job_handler("test.bad_result")
def bad_result(ctx: JobContext) -> dict[str, Any]:
    return {"value": object()}


@job_handler("test.crash")
def crash(ctx: JobContext) -> dict[str, Any]:
    """Kills its own process while ``ctx.attempt < params["survive_on"]``: ``os._exit`` or
    SIGKILL (``params["how"]``). Refuses to run outside a child process."""
    if multiprocessing.parent_process() is None:
        raise RuntimeError("test.crash only runs in a job child process")
    if ctx.attempt < int(ctx.params.get("survive_on", 99)):
        ctx.progress(10.0, "about to crash")
        if ctx.params.get("how") == "sigkill":
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(3)
    return {"survived_attempt": ctx.attempt, "pid": os.getpid()}


LIMITED_SECONDS = 0.3


@job_handler("test.limited", timeout_seconds=LIMITED_SECONDS)
def limited(ctx: JobContext) -> dict[str, Any]:
    """Reports progress for ``params["seconds"]`` (default 30) under its own short limit."""
    deadline = time.monotonic() + float(ctx.params.get("seconds", 30.0))
    while time.monotonic() < deadline:
        ctx.progress(1.0, "working")
        time.sleep(0.02)
    return {}


@job_handler("test.hang")
def hang(ctx: JobContext) -> dict[str, Any]:
    """Reports its pid as its phase once, then sleeps ``params["seconds"]`` without reporting
    progress (a handler stuck in native code)."""
    ctx.progress(1.0, f"pid {os.getpid()}")
    time.sleep(float(ctx.params.get("seconds", 30.0)))
    return {"pid": os.getpid()}
