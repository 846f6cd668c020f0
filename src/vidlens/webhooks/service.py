"""Webhook deliveries: repository functions with keyword-only arguments.

A job never sends a webhook itself: it inserts a :class:`WebhookDelivery` row in its own
transaction (:func:`enqueue_event`), and a :class:`~vidlens.webhooks.deliverer.WebhookDeliverer`
sends due rows in the background. A delivery is "claimed" by pushing its ``next_attempt_at``
past the attempt's timeout, so that several deliverers (server and workers) never send one row
at the same time, and a deliverer that dies mid-send leaves the row to be retried.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from vidlens.errors import InvalidInput
from vidlens.storage.tables import Job, WebhookDelivery, utcnow

MAX_BACKOFF_SECONDS = 3600.0
JITTER_FRACTION = 0.1
"""Up to 10 % is added to each back-off so that retries from many jobs spread out."""

_RESERVED_HEADERS = frozenset(
    {"host", "content-length", "content-type", "transfer-encoding", "connection", "user-agent"}
)
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_MAX_HEADERS = 20
_MAX_HEADER_VALUE = 4096


def new_message_id() -> str:
    """A Standard Webhooks message id: ``msg_`` + 32 hex digits."""
    return "msg_" + uuid.uuid4().hex


def is_reserved_header(name: str) -> bool:
    """Headers a job's custom headers may never set: ``webhook-*`` and transport headers."""
    lowered = name.lower()
    return lowered.startswith("webhook-") or lowered in _RESERVED_HEADERS


def validate_headers(headers: Mapping[str, Any] | None) -> dict[str, str]:
    """Check custom webhook headers supplied with a job.

    Reserved names (``webhook-*``, Host, Content-Length, Content-Type, …) are accepted but
    will be dropped at delivery; see :func:`sanitize_headers`.

    Raises:
        InvalidInput: too many headers, a name that is not an HTTP token, or a value that is
            not a string, is too long or contains a line break.
    """
    if not headers:
        return {}
    if len(headers) > _MAX_HEADERS:
        raise InvalidInput(f"At most {_MAX_HEADERS} webhook headers are allowed.")
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not _TOKEN.match(name):
            raise InvalidInput(f"Invalid webhook header name {name!r}.")
        if not isinstance(value, str) or len(value) > _MAX_HEADER_VALUE:
            raise InvalidInput(f"Webhook header {name!r} must be a string under 4 KiB.")
        if "\r" in value or "\n" in value or "\0" in value:
            raise InvalidInput(f"Webhook header {name!r} contains a line break.")
        checked[name] = value
    return checked


def sanitize_headers(headers: Mapping[str, Any] | None) -> dict[str, str]:
    """Custom headers safe to send: reserved and malformed ones are dropped silently."""
    safe: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not _TOKEN.match(name) or is_reserved_header(name):
            continue
        if isinstance(value, str) and not any(ch in value for ch in "\r\n\0"):
            safe[name] = value
    return safe


def standard_payload(*, event_type: str, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The Standard Webhooks envelope ``{"type", "timestamp", "data"}``."""
    timestamp = now.isoformat().replace("+00:00", "Z")
    return {"type": event_type, "timestamp": timestamp, "data": data}


def enqueue_event(
    *,
    session: Session,
    job: Job,
    event_type: str,
    data: dict[str, Any],
    raw: bool = False,
    now: datetime | None = None,
) -> WebhookDelivery | None:
    """Insert a delivery for ``job``'s webhook in the caller's transaction.

    Arguments:
        raw: ``data`` is the whole request body (for contracts with their own envelope);
            otherwise it is wrapped by :func:`standard_payload`.

    Returns:
        The new row, or None when the job has no webhook URL.
    """
    if not job.webhook_url:
        return None
    now = now or utcnow()
    payload = data if raw else standard_payload(event_type=event_type, data=data, now=now)
    delivery = WebhookDelivery(
        id=new_message_id(),
        account_id=job.account_id,
        job_id=job.id,
        event_type=event_type,
        url=job.webhook_url,
        headers=sanitize_headers(job.webhook_headers),
        payload=payload,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    session.flush()
    return delivery


def list_deliveries(*, session: Session, job_id: str) -> list[WebhookDelivery]:
    """A job's deliveries, oldest first."""
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.job_id == job_id)
        .order_by(WebhookDelivery.created_at, WebhookDelivery.id)
    )
    return list(session.scalars(query))


def claim_due(
    *, session: Session, now: datetime, lease_seconds: float, limit: int
) -> list[WebhookDelivery]:
    """Take up to ``limit`` due pending deliveries for one attempt each.

    Each claimed row's ``next_attempt_at`` moves to ``now + lease_seconds``: no other
    deliverer picks it up meanwhile, and if this one dies the row becomes due again.
    """
    candidates = session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    lease_until = now + timedelta(seconds=lease_seconds)
    claimed: list[WebhookDelivery] = []
    for row in candidates:
        result = session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == row.id,
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at == row.next_attempt_at,
            )
            .values(next_attempt_at=lease_until)
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult[Any], result).rowcount == 1:  # an UPDATE's result
            claimed.append(row)
    return claimed


def backoff_seconds(
    attempt: int, *, base_seconds: float, rng: Callable[[], float] = random.random
) -> float:
    """Delay after failed attempt number ``attempt`` (1-based): base * 2^(attempt-1), capped
    at one hour, plus up to 10 % jitter."""
    delay = min(base_seconds * 2.0 ** max(attempt - 1, 0), MAX_BACKOFF_SECONDS)
    return delay * (1.0 + JITTER_FRACTION * rng())


def record_attempt(
    *,
    session: Session,
    delivery_id: str,
    status_code: int | None,
    error: str | None,
    max_attempts: int,
    backoff_base_seconds: float,
    final: bool = False,
    now: datetime | None = None,
    rng: Callable[[], float] = random.random,
) -> WebhookDelivery | None:
    """Store the outcome of one attempt: 2xx is delivered; otherwise retry later, or fail
    once ``max_attempts`` is reached (or at once when ``final``, e.g. a refused URL).

    Returns:
        The updated row, or None if it no longer exists.
    """
    delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is None or delivery.status != "pending":
        return delivery
    now = now or utcnow()
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = "delivered"
        delivery.delivered_at = now
    elif final or delivery.attempts >= max_attempts:
        delivery.status = "failed"
    else:
        delay = backoff_seconds(delivery.attempts, base_seconds=backoff_base_seconds, rng=rng)
        delivery.next_attempt_at = now + timedelta(seconds=delay)
    return delivery
