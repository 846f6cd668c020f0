"""Platform request and response models (surfaces keep their own schemas)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from vidlens.types import JobStatus, Priority

ExpiryChoice = Literal["30d", "90d", "1y", "never"]

# One example per resource, reused by its list wrapper (OpenAPI shows them in Swagger UI).
_ACCOUNT: dict[str, Any] = {
    "id": "5b7c3a52-0f7e-4a43-9d63-1f1c3c0b7d10",
    "name": "acme",
    "balance": 3600,
    "created_at": "2026-11-25T10:00:00Z",
}
_KEY: dict[str, Any] = {
    "id": "0e0c8b9a-4f4e-4a55-a2c1-4d0b7f0f6a11",
    "name": "Production Key",
    "prefix": "ng_k83js9d",
    "created_at": "2026-11-25T10:00:00Z",
    "expires_at": "2027-02-23T10:00:00Z",
    "revoked_at": None,
    "last_used_at": "2026-11-25T11:12:13Z",
}
_ENTRY: dict[str, Any] = {
    "id": "3c1d2e4f-0a9b-4c8d-9e7f-6a5b4c3d2e1f",
    "kind": "grant",
    "amount": 3600,
    "balance_after": 3600,
    "reason": "grant",
    "job_id": None,
    "created_at": "2026-11-25T10:00:00Z",
}
_CLIENT: dict[str, Any] = {
    "client_id": "ngc_Q2mZ0aX4pR7tLw1vB6nC8eY3",
    "name": "pipeline",
    "account_id": "5b7c3a52-0f7e-4a43-9d63-1f1c3c0b7d10",
    "created_at": "2026-11-25T10:00:00Z",
    "revoked_at": None,
}
_JOB: dict[str, Any] = {
    "id": "9a3f0c2e-7d5b-4e1a-8c6f-2b4d6e8f0a1c",
    "kind": "media.verify",
    "status": "completed",
    "phase": "hashing",
    "progress": 100.0,
    "priority": "standard",
    "attempts": 1,
    "error_code": None,
    "error_message": None,
    "result": {"sha256": "60fb69b9...", "matches": True, "size_bytes": 662788},
    "created_at": "2026-11-25T10:00:00Z",
    "started_at": "2026-11-25T10:00:01Z",
    "finished_at": "2026-11-25T10:00:02Z",
}
_DELIVERY: dict[str, Any] = {
    "id": "msg_2b4d6e8f0a1c9a3f0c2e7d5b",
    "event_type": "job.completed",
    "url": "https://example.com/hooks/vidlens",
    "status": "delivered",
    "attempts": 1,
    "last_status_code": 200,
    "last_error": None,
    "created_at": "2026-11-25T10:00:02Z",
    "next_attempt_at": "2026-11-25T10:00:02Z",
    "delivered_at": "2026-11-25T10:00:02Z",
}


def _example(example: dict[str, Any], *, from_attributes: bool = False) -> ConfigDict:
    return ConfigDict(from_attributes=from_attributes, json_schema_extra={"examples": [example]})


class AccountCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["acme"])


class AccountPublic(BaseModel):
    model_config = _example(_ACCOUNT, from_attributes=True)

    id: str
    name: str
    balance: int = Field(description="Credits left (1 credit = 1 second of source video).")
    created_at: datetime


class AccountsPublic(BaseModel):
    model_config = _example({"data": [_ACCOUNT]})

    data: list[AccountPublic]


class KeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["Production Key"])
    expires: ExpiryChoice = Field(default="90d", description="30d, 90d, 1y or never.")


class KeyPublic(BaseModel):
    """A key as listed: never the secret, only its short prefix."""

    model_config = _example(_KEY, from_attributes=True)

    id: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class KeyCreated(KeyPublic):
    """The new key. ``key`` is shown this once and never again."""

    key: str = Field(examples=["ng_k83js9dQ2mZ0aX4pR7tLw1vB6nC8eY3hU5jK9oF"])


class KeysPublic(BaseModel):
    model_config = _example({"data": [_KEY]})

    data: list[KeyPublic]


class CreditGrant(BaseModel):
    amount: int = Field(gt=0, le=10**12, examples=[3600])
    reason: str = Field(default="grant", max_length=500)


class CreditEntryPublic(BaseModel):
    model_config = _example(_ENTRY, from_attributes=True)

    id: str
    kind: Literal["grant", "charge", "refund"]
    amount: int
    balance_after: int
    reason: str
    job_id: str | None
    created_at: datetime


class CreditsPublic(BaseModel):
    model_config = _example({"balance": 3600, "entries": [_ENTRY]})

    balance: int
    entries: list[CreditEntryPublic]


class OAuthClientCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["ci-pipeline"])


class OAuthClientPublic(BaseModel):
    model_config = _example(_CLIENT, from_attributes=True)

    client_id: str
    name: str
    account_id: str
    created_at: datetime
    revoked_at: datetime | None


class OAuthClientCreated(OAuthClientPublic):
    client_secret: str = Field(
        description="Shown once.", examples=["ngcs_Xb9Q2mZ0aX4pR7tLw1vB6nC8eY3hU5jK9oFa1B2c3D"]
    )


class OAuthClientsPublic(BaseModel):
    model_config = _example({"data": [_CLIENT]})

    data: list[OAuthClientPublic]


class TokenPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"access_token": "eyJhbGciOi...", "token_type": "Bearer", "expires_in": 3600}
            ]
        }
    )

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105  # the OAuth token type, not a secret
    expires_in: int


class WebhookSecretPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"webhook_secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}]
        }
    )

    webhook_secret: str = Field(
        description="Standard Webhooks signing secret for this account's deliveries."
    )


class JobCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "media.verify",
                    "params": {"media_id": "f63b5e5e-157c-4042-8926-808d6f07fb52"},
                    "priority": "standard",
                    "webhook_url": "https://example.com/hooks/vidlens",
                    "webhook_headers": {"Authorization": "Bearer receiver-token"},
                }
            ]
        }
    )

    kind: str = Field(examples=["media.verify"])
    params: dict[str, Any] = Field(default_factory=dict, examples=[{"media_id": "…"}])
    priority: Priority = "standard"
    webhook_url: HttpUrl | None = None
    webhook_headers: dict[str, str] = Field(default_factory=dict)


class JobPublic(BaseModel):
    model_config = _example(_JOB, from_attributes=True)

    id: str
    kind: str
    status: JobStatus
    phase: str | None
    progress: float
    priority: Priority
    attempts: int
    error_code: str | None
    error_message: str | None
    result: dict[str, Any] | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobsPublic(BaseModel):
    model_config = _example({"data": [_JOB]})

    data: list[JobPublic]


class HealthPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "ok", "version": "0.1.0"}]}
    )

    status: Literal["ok"] = "ok"
    version: str


class ReadyPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"status": "ready", "checks": {"database": "ok", "media_store": "ok"}}]
        }
    )

    status: Literal["ready", "not_ready"]
    checks: dict[str, str]


class WebhookDeliveryPublic(BaseModel):
    """One webhook message and what happened to it."""

    model_config = _example(_DELIVERY, from_attributes=True)

    id: str
    event_type: str
    url: str
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None


class WebhookDeliveriesPublic(BaseModel):
    model_config = _example({"data": [_DELIVERY]})

    data: list[WebhookDeliveryPublic]
