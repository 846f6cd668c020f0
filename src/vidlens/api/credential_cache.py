"""A short-lived, in-process cache of verified credentials.

Status polls authenticate on every request; caching the verified principal for about a second
removes a database round trip (and a thread hop) from the hot path. The cost is bounded and
documented: a key revoked from *another* process (the CLI, another server) keeps working for
at most ``ttl_seconds``; revocations through this server's API clear the cache at once. Expiry
is re-checked on every hit, so an expired key never passes.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from datetime import datetime

from vidlens.accounts.service import Principal

Clock = Callable[[], float]


class CredentialCache:
    def __init__(
        self, ttl_seconds: float = 1.0, max_entries: int = 10_000, clock: Clock = time.monotonic
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()
        self.generation = 0
        """Bumped by :meth:`clear`; a lookup that began before a revocation is not cached."""

    @staticmethod
    def _slot(credential: str) -> str:
        # Never keep raw secrets as dictionary keys in memory dumps.
        return hashlib.sha256(credential.encode("utf-8")).hexdigest()

    def get(self, credential: str, now: datetime) -> Principal | None:
        if self.ttl_seconds <= 0:
            return None
        slot = self._slot(credential)
        with self._lock:
            entry = self._entries.get(slot)
            if entry is None:
                return None
            principal, stored = entry
            fresh = self._clock() - stored < self.ttl_seconds
            unexpired = principal.expires_at is None or principal.expires_at > now
            if fresh and unexpired:
                return principal
            del self._entries[slot]
            return None

    def put(self, credential: str, principal: Principal, generation: int) -> None:
        if self.ttl_seconds <= 0:
            return
        with self._lock:
            if generation != self.generation:
                return
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[self._slot(credential)] = (principal, self._clock())

    def clear(self) -> None:
        """Forget everything (after any revocation)."""
        with self._lock:
            self._entries.clear()
            self.generation += 1
