"""Standard Webhooks signatures: the published test vector, verification and our secrets."""

from __future__ import annotations

import pytest

from vidlens.accounts.service import create_account
from vidlens.storage.db import Database
from vidlens.webhooks.signing import (
    WebhookVerificationError,
    secret_key,
    sign,
    signature_headers,
    verify,
)

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = 1614265330
BODY = b'{"test": 2432232314}'


def test_the_published_standard_webhooks_vector() -> None:
    signature = sign(secret=SECRET, msg_id=MSG_ID, timestamp=TIMESTAMP, body=BODY)
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_headers_verify_and_any_change_breaks_them() -> None:
    headers = signature_headers(secret=SECRET, msg_id=MSG_ID, body=BODY, timestamp=TIMESTAMP)
    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    verify(secret=SECRET, headers=headers, body=BODY, now=TIMESTAMP + 10)
    upper = {name.upper(): value for name, value in headers.items()}
    verify(secret=SECRET, headers=upper, body=BODY, now=TIMESTAMP)
    other_secret = "whsec_" + "A" * 32
    for secret, body in ((SECRET, BODY + b" "), (other_secret, BODY)):
        with pytest.raises(WebhookVerificationError, match="signature"):
            verify(secret=secret, headers=headers, body=body, now=TIMESTAMP)
    with pytest.raises(WebhookVerificationError, match="tolerance"):
        verify(secret=SECRET, headers=headers, body=BODY, now=TIMESTAMP + 301)
    with pytest.raises(WebhookVerificationError, match="missing"):
        verify(secret=SECRET, headers={"webhook-id": MSG_ID}, body=BODY, now=TIMESTAMP)


def test_one_valid_signature_among_several_is_enough() -> None:
    good = sign(secret=SECRET, msg_id=MSG_ID, timestamp=TIMESTAMP, body=BODY)
    headers = {
        "webhook-id": MSG_ID,
        "webhook-timestamp": str(TIMESTAMP),
        "webhook-signature": f"v1,bm90IGl0 {good}",
    }
    verify(secret=SECRET, headers=headers, body=BODY, now=TIMESTAMP)


def test_account_secrets_are_valid_standard_webhooks_secrets(db: Database) -> None:
    with db.session() as session:
        secret = create_account(session=session, name="acme").webhook_secret
    assert secret.startswith("whsec_")
    assert len(secret_key(secret)) >= 24
    with pytest.raises(ValueError, match="base64"):
        secret_key("whsec_not*base64")
