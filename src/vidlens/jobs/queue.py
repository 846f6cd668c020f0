"""The JobQueue interface every queue implementation (embedded, Celery) provides."""

from __future__ import annotations

from typing import Any, Protocol

from vidlens.storage.tables import Job
from vidlens.types import JobStatus, Priority


class JobQueue(Protocol):
    """Persistent jobs. All lookups are scoped to an account: a foreign id is NotFound."""

    def submit(
        self,
        *,
        account_id: str,
        kind: str,
        params: dict[str, Any],
        priority: Priority = "standard",
        media_id: str | None = None,
        charge_id: str | None = None,
        webhook_url: str | None = None,
        webhook_headers: dict[str, str] | None = None,
        max_attempts: int | None = None,
    ) -> Job:
        """Persist a new pending job and make it visible to workers.

        Raises:
            InvalidInput: unknown ``kind`` or bad webhook URL.
        """
        ...

    def get(self, *, account_id: str, job_id: str) -> Job:
        """Raises: NotFound (also for another account's job)."""
        ...

    def list(
        self,
        *,
        account_id: str,
        status: JobStatus | None = None,
        kind: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Job]: ...

    def cancel(self, *, account_id: str, job_id: str) -> Job:
        """Cancel a pending job at once, or ask a processing one to stop.

        Raises:
            NotFound: no such job for this account.
        """
        ...

    def start(self) -> None:
        """Start this process's workers (if it has any) and recover abandoned jobs."""
        ...

    def stop(self, timeout: float = 10.0) -> None:
        """Stop workers; jobs still running are handed back via their lease."""
        ...
