"""Model lifetime in one place: load on first use, reference counts, idle expiry.

``with manager.acquire(model_id) as model:`` loads the model the first time it is asked for
(once, even when several threads ask at the same moment), counts the holders, and keeps it
loaded after the last holder leaves until it has been idle for ``ttl_seconds``. Idle models
are unloaded by :meth:`ModelManager.collect`, which every :meth:`~ModelManager.acquire` also
runs, so a long-lived process releases memory without a background thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

Clock = Callable[[], float]
"""Seconds from an arbitrary origin, monotonic (``time.monotonic`` by default)."""


@dataclass
class _Entry(Generic[T]):
    load_lock: threading.Lock = field(default_factory=threading.Lock)
    model: T | None = None
    holders: int = 0
    idle_since: float | None = None


class ModelManager(Generic[T]):
    """Loads models by id through ``loader`` and unloads them when idle.

    Arguments:
        loader: builds the model for an id (called outside the table lock).
        ttl_seconds: how long an unused model stays loaded, in seconds; ``0`` unloads it as
            soon as its last holder leaves, ``None`` keeps it until :meth:`close`.
        clock: monotonic time source in seconds (inject a fake in tests).
        unloader: called with a model when it is dropped (e.g. to free native memory).
    """

    def __init__(
        self,
        loader: Callable[[str], T],
        *,
        ttl_seconds: float | None = 300.0,
        clock: Clock = time.monotonic,
        unloader: Callable[[T], None] | None = None,
    ) -> None:
        if ttl_seconds is not None and ttl_seconds < 0:
            raise ValueError("ttl_seconds must be >= 0 or None")
        self._loader = loader
        self._ttl = ttl_seconds
        self._clock = clock
        self._unloader = unloader
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry[T]] = {}

    @contextmanager
    def acquire(self, model_id: str) -> Iterator[T]:
        """Hold the model ``model_id`` for the duration of the ``with`` block.

        Raises:
            Exception: whatever ``loader`` raises; nothing is cached after a failed load.
        """
        self.collect()
        with self._lock:
            entry = self._entries.setdefault(model_id, _Entry())
            entry.holders += 1
            entry.idle_since = None
        try:
            model = self._load(entry, model_id)
        except BaseException:
            self._release(model_id, entry)
            raise
        try:
            yield model
        finally:
            self._release(model_id, entry)

    def _load(self, entry: _Entry[T], model_id: str) -> T:
        with entry.load_lock:
            if entry.model is None:
                entry.model = self._loader(model_id)
            return entry.model

    def _release(self, model_id: str, entry: _Entry[T]) -> None:
        with self._lock:
            entry.holders -= 1
            if entry.holders == 0:
                entry.idle_since = self._clock()
        if self._ttl == 0:
            self.collect()

    def collect(self) -> list[str]:
        """Unload every model idle for at least ``ttl_seconds``.

        Returns:
            The ids unloaded.
        """
        if self._ttl is None:
            return []
        now = self._clock()
        with self._lock:
            expired = [
                (model_id, entry)
                for model_id, entry in self._entries.items()
                if entry.holders == 0
                and entry.idle_since is not None
                and now - entry.idle_since >= self._ttl
            ]
            for model_id, _ in expired:
                del self._entries[model_id]
        for _, entry in expired:
            self._drop(entry)
        return [model_id for model_id, _ in expired]

    def _drop(self, entry: _Entry[T]) -> None:
        model, entry.model = entry.model, None
        if model is not None and self._unloader is not None:
            self._unloader(model)

    def holders(self) -> dict[str, int]:
        """Loaded (or loading) model ids and how many holders each has right now."""
        with self._lock:
            return {model_id: entry.holders for model_id, entry in self._entries.items()}

    def close(self) -> None:
        """Unload every model that nobody holds right now (e.g. at shutdown)."""
        with self._lock:
            idle = [(k, e) for k, e in self._entries.items() if e.holders == 0]
            for model_id, _ in idle:
                del self._entries[model_id]
        for _, entry in idle:
            self._drop(entry)
