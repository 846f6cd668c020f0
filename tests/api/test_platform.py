"""Health, OpenAPI, admin and self-service routes, error shapes and tenancy."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import ADMIN_HEADERS, ClientFactory, make_key


def test_health_and_ready(client: TestClient) -> None:
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "checks": {"database": "ok", "media_store": "ok"},
    }


def test_request_id_echoed(client: TestClient) -> None:
    response = client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = client.get("/health").headers["x-request-id"]
    assert len(generated) == 32


def test_openapi_and_swagger(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "vidlens"
    schemes = spec["components"]["securitySchemes"]
    assert schemes["oauth2ClientCredentials"]["flows"]["clientCredentials"]["tokenUrl"] == (
        "/oauth/token"
    )
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("description") or operation.get("summary"), (method, path)
    assert spec["paths"]["/api/account"]["get"]["security"][0] == {"bearerApiKey": []}
    assert spec["paths"]["/health"]["get"]["security"] == []
    swagger = client.get("/swagger/")
    assert swagger.status_code == 200
    assert "swagger-ui" in swagger.text


def test_unknown_route_is_clean_404(client: TestClient) -> None:
    response = client.get("/no/such/route")
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


def test_malformed_json_is_422_not_500(client: TestClient) -> None:
    response = client.post(
        "/admin/accounts",
        content=b"{not json",
        headers={**ADMIN_HEADERS, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Missing or invalid request body."


def test_admin_account_lifecycle_and_credits(client: TestClient) -> None:
    created = client.post("/admin/accounts", json={"name": "studio"}, headers=ADMIN_HEADERS)
    assert created.status_code == 201
    account_id = created.json()["id"]
    again = client.post("/admin/accounts", json={"name": "studio"}, headers=ADMIN_HEADERS)
    assert again.status_code == 409
    grant = client.post(
        f"/admin/accounts/{account_id}/credits", json={"amount": 120}, headers=ADMIN_HEADERS
    )
    assert grant.status_code == 201
    assert grant.json()["balance_after"] == 120
    bad = client.post(
        f"/admin/accounts/{account_id}/credits", json={"amount": -5}, headers=ADMIN_HEADERS
    )
    assert bad.status_code == 422
    ledger = client.get(f"/admin/accounts/{account_id}/credits", headers=ADMIN_HEADERS).json()
    assert ledger["balance"] == 120
    assert [e["kind"] for e in ledger["entries"]] == ["grant"]
    missing = client.get("/admin/accounts/nope/credits", headers=ADMIN_HEADERS)
    assert missing.status_code == 404


def test_self_service_keys_and_isolation(client: TestClient) -> None:
    _, key_a = make_key(client, "alpha")
    _, key_b = make_key(client, "beta")
    made = client.post(
        "/api/account/keys", json={"name": "second", "expires": "1y"}, headers={"X-API-Key": key_a}
    )
    assert made.status_code == 201
    new_key = made.json()["key"]
    assert client.get("/api/account", headers={"X-API-Key": new_key}).json()["name"] == "alpha"
    listing_a = client.get("/api/account/keys", headers={"X-API-Key": key_a}).json()["data"]
    assert len(listing_a) == 2
    listing_b = client.get("/api/account/keys", headers={"X-API-Key": key_b}).json()["data"]
    assert len(listing_b) == 1
    # beta cannot revoke alpha's key: 404, exactly like a missing id
    foreign = client.post(
        f"/api/account/keys/{listing_a[0]['id']}/revoke", headers={"X-API-Key": key_b}
    )
    missing = client.post("/api/account/keys/does-not-exist/revoke", headers={"X-API-Key": key_b})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    assert client.get("/api/account", headers={"X-API-Key": key_a}).status_code == 200


def test_webhook_secret_is_standard_webhooks_format(client: TestClient) -> None:
    import base64

    _, key = make_key(client)
    secret = client.get("/api/account/webhook-secret", headers={"X-API-Key": key}).json()
    value = secret["webhook_secret"]
    assert value.startswith("whsec_")
    assert len(base64.b64decode(value[len("whsec_") :])) == 24


def test_generated_dev_secrets_persist(client_factory: ClientFactory, tmp_path: object) -> None:
    from vidlens.config import AuthSettings

    first = client_factory(auth=AuthSettings())
    context = first.app.state.context  # type: ignore[attr-defined]
    second = client_factory(auth=AuthSettings())
    assert context.admin_token == second.app.state.context.admin_token  # type: ignore[attr-defined]
    assert len(context.admin_token) >= 32
    token_file = context.settings.data_dir / "admin_token"
    assert token_file.read_text() == context.admin_token
    assert token_file.stat().st_mode & 0o777 == 0o600
