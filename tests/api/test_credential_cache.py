"""The in-process credential cache: TTL, expiry re-check, invalidation on revocation."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from tests.conftest import ADMIN_HEADERS, make_key
from vidlens.accounts.service import Principal
from vidlens.api.credential_cache import CredentialCache
from vidlens.storage.tables import utcnow


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _principal(expires_in: timedelta | None = None) -> Principal:
    expires = None if expires_in is None else utcnow() + expires_in
    return Principal(account_id="a", account_name="acme", credential="k", expires_at=expires)


def test_hit_within_ttl_then_miss() -> None:
    clock = FakeClock()
    cache = CredentialCache(ttl_seconds=1.0, clock=clock)
    cache.put("ng_x", _principal(), cache.generation)
    assert cache.get("ng_x", utcnow()) is not None
    clock.now += 1.5
    assert cache.get("ng_x", utcnow()) is None


def test_expiry_rechecked_on_every_hit() -> None:
    cache = CredentialCache(ttl_seconds=60, clock=FakeClock())
    cache.put("ng_x", _principal(timedelta(seconds=5)), cache.generation)
    assert cache.get("ng_x", utcnow()) is not None
    assert cache.get("ng_x", utcnow() + timedelta(seconds=6)) is None


def test_lookup_started_before_revocation_is_not_cached() -> None:
    cache = CredentialCache(ttl_seconds=60, clock=FakeClock())
    generation = cache.generation
    cache.clear()  # a revocation lands while the lookup is in flight
    cache.put("ng_x", _principal(), generation)
    assert cache.get("ng_x", utcnow()) is None


def test_secrets_not_kept_as_keys() -> None:
    cache = CredentialCache(ttl_seconds=60, clock=FakeClock())
    cache.put("ng_secret", _principal(), cache.generation)
    assert "ng_secret" not in repr(cache._entries)


def test_revocation_through_api_is_immediate_despite_cache(client: TestClient) -> None:
    account_id, key = make_key(client)
    headers = {"X-API-Key": key}
    for _ in range(3):  # warm the cache
        assert client.get("/api/account", headers=headers).status_code == 200
    keys = client.get(f"/admin/accounts/{account_id}/keys", headers=ADMIN_HEADERS).json()["data"]
    client.post(f"/admin/keys/{keys[0]['id']}/revoke", headers=ADMIN_HEADERS)
    assert client.get("/api/account", headers=headers).status_code == 401


def test_self_revocation_is_immediate(client: TestClient) -> None:
    _, key = make_key(client)
    other = client.post(
        "/api/account/keys", json={"name": "b", "expires": "never"}, headers={"X-API-Key": key}
    ).json()
    headers_b = {"X-API-Key": other["key"]}
    assert client.get("/api/account", headers=headers_b).status_code == 200
    client.post(f"/api/account/keys/{other['id']}/revoke", headers={"X-API-Key": key})
    assert client.get("/api/account", headers=headers_b).status_code == 401
