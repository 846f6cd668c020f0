"""Sends queued webhook deliveries in the background, signed, with retries and back-off."""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from vidlens import __version__
from vidlens.config import Settings
from vidlens.errors import UrlRefused
from vidlens.media.urlpolicy import Resolver, resolve
from vidlens.storage.db import Database
from vidlens.storage.tables import Account, WebhookDelivery, utcnow
from vidlens.webhooks import service
from vidlens.webhooks.signing import signature_headers
from vidlens.webhooks.transport import ResolutionFailed, post_pinned, vet_url
from vidlens.webhooks.urls import url_policy

logger = logging.getLogger(__name__)

CLAIM_MARGIN_SECONDS = 30.0
"""A claimed delivery is left alone for its timeout plus this margin; after that another
deliverer may assume this one died and send it again (receivers dedupe on ``webhook-id``)."""


@dataclass(frozen=True)
class _Attempt:
    delivery_id: str
    status_code: int | None
    error: str | None
    final: bool = False


class WebhookDeliverer:
    """Delivers due webhooks; :meth:`start` runs it in a background thread.

    Several deliverers may share a database (server and workers): each delivery is claimed
    before it is sent. A job never waits for any of this: it only inserts delivery rows.

    Arguments:
        poll_seconds: how often the thread looks for due deliveries when idle;
            ``settings.webhooks.poll_interval_seconds`` when None.
        concurrency: deliveries sent in parallel; ``settings.webhooks.concurrency`` when None.
        client: an ``httpx.Client`` to use; one is created otherwise.
        resolver: host name → addresses (tests); the system resolver otherwise.

    Raises:
        ValueError: a malformed ``settings.url_allowlist``.
    """

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        poll_seconds: float | None = None,
        concurrency: int | None = None,
        client: httpx.Client | None = None,
        resolver: Resolver = resolve,
    ) -> None:
        self.settings = settings
        self.db = db
        self._policy = url_policy(settings)
        self._resolver = resolver
        config = settings.webhooks
        self._poll = config.poll_interval_seconds if poll_seconds is None else poll_seconds
        self._concurrency = max(1, config.concurrency if concurrency is None else concurrency)
        self._client = client or httpx.Client(
            timeout=settings.webhooks.timeout_seconds,
            follow_redirects=False,
            trust_env=False,
            headers={"user-agent": f"vidlens-webhooks/{__version__}"},
        )
        self._owns_client = client is None
        self._pool = ThreadPoolExecutor(self._concurrency, thread_name_prefix="vidlens-webhook")
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the background thread (a second call does nothing).

        Raises:
            RuntimeError: the deliverer was stopped (it cannot be restarted).
        """
        if self._stop.is_set():
            raise RuntimeError("a stopped WebhookDeliverer cannot be restarted")
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="vidlens-webhooks", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread; deliveries in flight finish or are retried later."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._owns_client:
            self._client.close()

    def wake(self) -> None:
        """Look for due deliveries now instead of at the next poll."""
        self._wake.set()

    def deliver_due(self) -> int:
        """Send one batch of due deliveries and record the outcomes.

        Returns:
            How many deliveries were attempted.
        """
        timeout = self.settings.webhooks.timeout_seconds
        with self.db.session() as session:
            claimed = service.claim_due(
                session=session,
                now=utcnow(),
                lease_seconds=timeout + CLAIM_MARGIN_SECONDS,
                limit=self._concurrency,
            )
            secrets = self._secrets(session, {row.account_id for row in claimed})
        attempts = list(self._pool.map(lambda row: self._send(row, secrets), claimed))
        for attempt in attempts:
            self._record(attempt)
        return len(attempts)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                sent = self.deliver_due()
            except Exception:
                logger.exception("webhook delivery pass failed")
                sent = 0
            if sent == 0:
                self._wake.wait(self._poll)
                self._wake.clear()

    @staticmethod
    def _secrets(session: Session, account_ids: set[str]) -> dict[str, str]:
        if not account_ids:
            return {}
        rows = session.execute(
            select(Account.id, Account.webhook_secret).where(Account.id.in_(account_ids))
        )
        return {account_id: secret for account_id, secret in rows}

    def _send(self, row: WebhookDelivery, secrets: dict[str, str]) -> _Attempt:
        secret = secrets.get(row.account_id)
        if secret is None:
            return _Attempt(row.id, None, "account no longer exists", final=True)
        try:
            target = vet_url(row.url, self._policy, self._resolver)
        except UrlRefused as exc:
            return _Attempt(row.id, None, f"URL refused: {exc.message}", final=True)
        except ResolutionFailed as exc:
            return _Attempt(row.id, None, str(exc))
        body = json.dumps(row.payload, separators=(",", ":"), ensure_ascii=False).encode()
        headers = {
            **service.sanitize_headers(row.headers),
            "content-type": "application/json",
            **signature_headers(secret=secret, msg_id=row.id, body=body),
        }
        try:
            response = post_pinned(self._client, target, body=body, headers=headers)
        except httpx.HTTPError as exc:
            return _Attempt(row.id, None, f"{type(exc).__name__}: {exc}"[:1000])
        ok = 200 <= response.status_code < 300
        error = None if ok else f"HTTP {response.status_code}"
        return _Attempt(row.id, response.status_code, error)

    def _record(self, attempt: _Attempt) -> None:
        config = self.settings.webhooks
        with self.db.session() as session:
            row = service.record_attempt(
                session=session,
                delivery_id=attempt.delivery_id,
                status_code=attempt.status_code,
                error=attempt.error,
                max_attempts=config.max_attempts,
                backoff_base_seconds=config.backoff_base_seconds,
                final=attempt.final,
            )
        if row is not None and row.status == "failed":
            logger.warning(
                "webhook delivery failed for good",
                extra={"delivery": row.id, "job_id": row.job_id, "error": row.last_error},
            )
