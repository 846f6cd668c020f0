"""Shared fixtures: settings and app factories, databases on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from vidlens.config import AuthSettings, JobSettings, Settings
from vidlens.storage.db import Database
from vidlens.storage.migrate import upgrade

REPO = Path(__file__).resolve().parent.parent
SHARED_MEDIA = REPO.parent / "shared" / "media"
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
ADMIN_TOKEN = "test-admin-token-" + "x" * 32
SECRET_KEY = "test-secret-key-" + "y" * 32

SettingsFactory = Callable[..., Settings]


def media_file(relative: str) -> Path:
    """A file from ../shared/media, or skip the test with the reason."""
    path = SHARED_MEDIA / relative
    if not path.exists():
        pytest.skip(f"needs ../shared/media/{relative} (shared media folder absent)")
    return path


def _postgres_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    return _postgres_available()


@pytest.fixture
def postgres_url(postgres_available: bool) -> Iterator[str]:
    """A fresh PostgreSQL database, dropped after the test."""
    if not postgres_available:
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    name = f"vidlens_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both supported databases, one test run each."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A migrated database on each backend."""
    database = Database.from_url(database_url)
    upgrade(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def settings_factory(tmp_path: Path) -> SettingsFactory:
    """Build settings rooted in tmp_path; keyword overrides go on top."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "data_dir": tmp_path / "data",
            "auth": AuthSettings(
                secret_key=SecretStr(SECRET_KEY), admin_token=SecretStr(ADMIN_TOKEN)
            ),
            "jobs": JobSettings(workers=0),
        }
        values.update(overrides)
        return Settings(**values)

    return make


ClientFactory = Callable[..., TestClient]


@pytest.fixture
def client_factory(settings_factory: SettingsFactory) -> Iterator[ClientFactory]:
    """Start an app (lifespan included) for given settings; stopped after the test."""
    from vidlens.app import create_app

    clients: list[TestClient] = []

    def make(settings: Settings | None = None, **overrides: Any) -> TestClient:
        app = create_app(settings or settings_factory(**overrides))
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(client_factory: ClientFactory, database_url: str) -> TestClient:
    """An app on each database backend."""
    from vidlens.config import DatabaseSettings

    return client_factory(database=DatabaseSettings(url=database_url))


ADMIN_HEADERS = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def make_key(client: TestClient, account: str = "acme", expires: str = "never") -> tuple[str, str]:
    """Create an account (if needed) and a key through the admin API: (account_id, key)."""
    response = client.post("/admin/accounts", json={"name": account}, headers=ADMIN_HEADERS)
    if response.status_code == 409:
        listing = client.get("/admin/accounts", headers=ADMIN_HEADERS).json()["data"]
        account_id = next(a["id"] for a in listing if a["name"] == account)
    else:
        assert response.status_code == 201, response.text
        account_id = response.json()["id"]
    created = client.post(
        f"/admin/accounts/{account_id}/keys",
        json={"name": "test", "expires": expires},
        headers=ADMIN_HEADERS,
    )
    assert created.status_code == 201, created.text
    return account_id, created.json()["key"]


@pytest.fixture(autouse=True)
def _no_error_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail any test during which vidlens logged at ERROR or above (unless it opts out)."""
    yield
    errors = [
        r
        for r in caplog.get_records("call")
        if r.levelno >= logging.ERROR
        and r.name.startswith("vidlens")
        and not getattr(r, "expected", False)
    ]
    if errors:
        pytest.fail("vidlens logged errors: " + "; ".join(r.getMessage() for r in errors))
