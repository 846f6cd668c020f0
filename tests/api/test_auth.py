"""Every credential rule of SPEC §2, through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN_HEADERS, make_key
from vidlens.api.context import AppContext
from vidlens.storage.tables import ApiKey, utcnow

INVALID = {"detail": "Invalid or expired API key."}


def test_bearer_and_x_api_key_accepted(client: TestClient) -> None:
    _, key = make_key(client)
    for headers in ({"Authorization": f"Bearer {key}"}, {"X-API-Key": key}):
        response = client.get("/api/account", headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["name"] == "acme"


@pytest.mark.parametrize(
    "make_headers",
    [
        pytest.param(lambda key: {"Authorization": key}, id="no-bearer-scheme"),
        pytest.param(lambda key: {"Authorization": f"bearer {key}"}, id="lowercase-bearer"),
        pytest.param(lambda key: {"Authorization": f"Token {key}"}, id="other-scheme"),
        pytest.param(lambda key: {"Authorization": "Bearer "}, id="empty-bearer"),
        pytest.param(lambda key: {"Authorization": f"Bearer {key}x"}, id="altered-key"),
        pytest.param(lambda key: {"X-API-Key": key[:-1]}, id="truncated-key"),
        pytest.param(lambda key: {"X-API-Key": "ng_" + "A" * 40}, id="unknown-key"),
        pytest.param(lambda key: {"Authorization": "Bearer not.a.jwt"}, id="garbage-token"),
        pytest.param(lambda key: {}, id="missing"),
    ],
)
def test_bad_credentials_get_exact_401(client: TestClient, make_headers: object) -> None:
    _, key = make_key(client)
    headers = make_headers(key)  # type: ignore[operator]  # parametrized lambdas
    response = client.get("/api/account", headers=headers)
    assert response.status_code == 401
    assert response.json() == INVALID


def test_authorization_without_bearer_wins_over_valid_x_api_key(client: TestClient) -> None:
    """A malformed Authorization header is an error even if X-API-Key would be valid."""
    _, key = make_key(client)
    response = client.get("/api/account", headers={"Authorization": key, "X-API-Key": key})
    assert response.status_code == 401
    assert response.json() == INVALID


def test_revoked_key_gets_401(client: TestClient) -> None:
    account_id, key = make_key(client)
    headers = {"X-API-Key": key}
    assert client.get("/api/account", headers=headers).status_code == 200
    keys = client.get(f"/admin/accounts/{account_id}/keys", headers=ADMIN_HEADERS).json()["data"]
    revoked = client.post(f"/admin/keys/{keys[0]['id']}/revoke", headers=ADMIN_HEADERS)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    response = client.get("/api/account", headers=headers)
    assert response.status_code == 401
    assert response.json() == INVALID


def test_expired_key_gets_401(client: TestClient) -> None:
    _, key = make_key(client, expires="30d")
    context: AppContext = client.app.state.context  # type: ignore[attr-defined]
    with context.db.session() as session:
        record = session.query(ApiKey).one()
        record.expires_at = utcnow() - timedelta(seconds=1)
    response = client.get("/api/account", headers={"X-API-Key": key})
    assert response.status_code == 401
    assert response.json() == INVALID


def test_last_used_recorded(client: TestClient) -> None:
    account_id, key = make_key(client)
    listed = client.get(f"/admin/accounts/{account_id}/keys", headers=ADMIN_HEADERS).json()
    assert listed["data"][0]["last_used_at"] is None
    client.get("/api/account", headers={"X-API-Key": key})
    listed = client.get(f"/admin/accounts/{account_id}/keys", headers=ADMIN_HEADERS).json()
    assert listed["data"][0]["last_used_at"] is not None
    assert "key" not in listed["data"][0]
    assert listed["data"][0]["prefix"] == key[:10]


def test_admin_routes_need_admin_token(client: TestClient) -> None:
    _, key = make_key(client)
    for headers in ({}, {"Authorization": f"Bearer {key}"}, {"Authorization": "Bearer wrong"}):
        response = client.get("/admin/accounts", headers=headers)
        assert response.status_code == 401
    assert client.get("/admin/accounts", headers=ADMIN_HEADERS).status_code == 200


def _oauth_client(client: TestClient, account_id: str) -> tuple[str, str]:
    response = client.post(
        f"/admin/accounts/{account_id}/oauth-clients", json={"name": "ci"}, headers=ADMIN_HEADERS
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return body["client_id"], body["client_secret"]


def test_oauth_client_credentials_flow(client: TestClient) -> None:
    account_id, _ = make_key(client)
    client_id, secret = _oauth_client(client, account_id)
    token = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    assert token.status_code == 200, token.text
    body = token.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    me = client.get("/api/account", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["id"] == account_id
    # HTTP Basic client authentication works too
    basic = client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )
    assert basic.status_code == 200
    # revoking the client kills its tokens at once
    client.post(f"/admin/oauth-clients/{client_id}/revoke", headers=ADMIN_HEADERS)
    after = client.get("/api/account", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert after.status_code == 401
    assert after.json() == INVALID


def test_oauth_errors(client: TestClient) -> None:
    account_id, _ = make_key(client)
    client_id, secret = _oauth_client(client, account_id)
    wrong = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": "x"},
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    grant = client.post(
        "/oauth/token",
        data={"grant_type": "password", "client_id": client_id, "client_secret": secret},
    )
    assert grant.status_code == 400
    assert grant.json()["error"] == "unsupported_grant_type"
    missing = client.post("/oauth/token", data={})
    assert missing.status_code == 400
    assert missing.json()["error"] == "invalid_request"


def test_expired_oauth_token_refused(client_factory: object, database_url: str) -> None:
    from vidlens.accounts import oauth
    from vidlens.config import DatabaseSettings

    app_client: TestClient = client_factory(  # type: ignore[operator]  # fixture factory
        database=DatabaseSettings(url=database_url)
    )
    account_id, _ = make_key(app_client)
    client_id, secret = _oauth_client(app_client, account_id)
    context: AppContext = app_client.app.state.context  # type: ignore[attr-defined]
    with context.db.read_session() as session:
        issued = oauth.issue_token(
            session=session,
            client_id=client_id,
            client_secret=secret,
            signing_key=context.signing_key,
            ttl_seconds=60,
            now=utcnow() - timedelta(minutes=5),
        )
    response = app_client.get(
        "/api/account", headers={"Authorization": f"Bearer {issued.access_token}"}
    )
    assert response.status_code == 401


def test_token_signed_by_another_server_refused(client: TestClient) -> None:
    import jwt

    account_id, _ = make_key(client)
    forged = jwt.encode(
        {"sub": account_id, "cid": "x", "aud": "vidlens", "iss": "vidlens", "exp": 4102444800},
        "some-other-secret-that-is-long-enough",
        algorithm="HS256",
    )
    response = client.get("/api/account", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
