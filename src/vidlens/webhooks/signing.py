"""Standard Webhooks signatures (https://www.standardwebhooks.com).

Every request carries three headers:

- ``webhook-id``: the message id (``msg_…``), identical on every retry of one event, so that
  receivers can drop duplicates;
- ``webhook-timestamp``: unix seconds of this attempt;
- ``webhook-signature``: ``v1,`` + base64(HMAC-SHA256(key, f"{id}.{timestamp}.{body}")), where
  ``key`` is the base64-decoded part of the account's secret after ``whsec_``.

Receivers verify with any Standard Webhooks library, or with :func:`verify`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping

SECRET_PREFIX = "whsec_"  # noqa: S105  # a prefix, not a secret
SIGNATURE_VERSION = "v1"
DEFAULT_TOLERANCE_SECONDS = 300
"""How far a timestamp may be from the receiver's clock (replay protection)."""


class WebhookVerificationError(ValueError):
    """A webhook request whose headers or signature do not check out."""


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_…`` secret.

    Raises:
        ValueError: the part after ``whsec_`` is not valid base64.
    """
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except binascii.Error as exc:
        raise ValueError("webhook secret is not valid base64 after 'whsec_'") from exc
    if not key:
        raise ValueError("webhook secret is empty")
    return key


def sign(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value (``v1,<base64>``) for one request.

    Raises:
        ValueError: malformed secret.
    """
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode('ascii')}"


def signature_headers(
    *, secret: str, msg_id: str, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    """The three ``webhook-*`` headers for one delivery attempt.

    Arguments:
        timestamp: unix seconds; now when omitted.

    Raises:
        ValueError: malformed secret.
    """
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": sign(secret=secret, msg_id=msg_id, timestamp=ts, body=body),
    }


def verify(
    *,
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> None:
    """Check a received webhook: headers present, timestamp fresh, one signature matching.

    ``headers`` lookups are case-insensitive. ``webhook-signature`` may hold several
    space-separated signatures (key rotation); one valid ``v1`` signature suffices.

    Raises:
        WebhookVerificationError: missing header, stale or future timestamp, or no
            matching signature.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    try:
        msg_id = lowered["webhook-id"]
        raw_timestamp = lowered["webhook-timestamp"]
        signatures = lowered["webhook-signature"]
    except KeyError as exc:
        raise WebhookVerificationError(f"missing header {exc.args[0]}") from None
    try:
        timestamp = int(raw_timestamp)
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not an integer") from None
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        raise WebhookVerificationError("webhook-timestamp is outside the tolerance")
    expected = sign(secret=secret, msg_id=msg_id, timestamp=timestamp, body=body)
    for candidate in signatures.split(" "):
        if candidate.startswith(f"{SIGNATURE_VERSION},") and hmac.compare_digest(
            candidate.encode(), expected.encode()
        ):
            return
    raise WebhookVerificationError("no matching signature")
