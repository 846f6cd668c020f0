"""The JobQueue interface every queue implementation (embedded, Celery) provides."""

from __future__ import annotations

import builtins
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
            InvalidInput: unknown ``kind`` (code ``UNKNOWN_JOB_KIND``), bad params or headers.
            UrlRefused: the webhook URL breaks the SSRF rules.
        """
        ...

    def public_kinds(self) -> builtins.list[str]:
        """The kinds any account may submit directly (``POST /api/jobs``), sorted. Other
        kinds are submitted only by the surfaces that own them, after their own checks."""
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

    def stop(self, timeout: float | None = None) -> None:
        """Stop workers; jobs still running after ``timeout`` seconds
        (``settings.jobs.stop_timeout_seconds`` when None) are handed back to the queue."""
        ...
