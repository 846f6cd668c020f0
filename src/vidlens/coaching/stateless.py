"""``analyze-video`` runs: the analysis off the event loop, nothing kept afterwards.

:class:`StatelessRunner` owns an executor (child processes when
``settings.jobs.use_processes``, else threads) with ``stateless_concurrency`` workers: a
request awaits its analysis without blocking the event loop, further requests queue, and a
crash inside a decoder or model costs only that request (a broken process pool is rebuilt).
The uploaded file lives in a private temporary folder that the caller deletes whatever
happens; no media row, job or result is stored.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from vidlens.coaching.analysis import CoachingRequest, analyze_talk
from vidlens.coaching.jobs import engines
from vidlens.config import Settings


class StatelessCrash(Exception):
    """The process running an analysis died (rendered as the contract's 500)."""


def run_analysis(video: Path, request: CoachingRequest, settings: Settings) -> dict[str, Any]:
    """Analyse one talk and return ``video_analysis`` (runs in a pool worker)."""
    # the process's engines, shared with the jobs it runs in thread mode (one Whisper model)
    return analyze_talk(video, request, settings, engines()).video_analysis


class StatelessRunner:
    """The executor behind ``POST /api/v1/analyze-video``."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._executor: Executor | None = None

    def _pool(self) -> Executor:
        with self._lock:
            if self._executor is None:
                workers = self._settings.coaching.stateless_concurrency
                if self._settings.jobs.use_processes:
                    self._executor = ProcessPoolExecutor(
                        max_workers=workers, mp_context=multiprocessing.get_context("spawn")
                    )
                else:
                    self._executor = ThreadPoolExecutor(
                        max_workers=workers, thread_name_prefix="coaching-stateless"
                    )
            return self._executor

    async def analyze(self, video: Path, request: CoachingRequest) -> dict[str, Any]:
        """Run :func:`run_analysis` in the executor and await it.

        Raises:
            VidlensError: whatever the analysis raises for bad input or missing engines.
            StatelessCrash: the worker process died.
        """
        pool = self._pool()
        future = pool.submit(run_analysis, video, request, self._settings)
        try:
            return await asyncio.wrap_future(future)
        except BrokenProcessPool as exc:
            self._reset(pool)
            raise StatelessCrash("the analysis process died") from exc

    def _reset(self, broken: Executor) -> None:
        with self._lock:
            if self._executor is broken:
                self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers (running analyses are abandoned)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
