"""Settings: environment mapping and production safety."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from vidlens.config import AuthSettings, Settings


def test_nested_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIDLENS_JOBS__WORKERS", "5")
    monkeypatch.setenv("VIDLENS_URL_ALLOWLIST", "10.0.0.0/8,minio.internal")
    monkeypatch.setenv("VIDLENS_DATABASE__URL", "postgresql+psycopg://u@h/db")
    settings = Settings()
    assert settings.jobs.workers == 5
    assert settings.url_allowlist == "10.0.0.0/8,minio.internal"
    assert settings.database_url == "postgresql+psycopg://u@h/db"


def test_sqlite_default_under_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path}/vidlens.db"


def test_bounds_enforced() -> None:
    with pytest.raises(ValidationError):
        Settings(port=0)
    with pytest.raises(ValidationError):
        Settings.model_validate({"jobs": {"workers": -1}})


def test_bad_allowlist_entry_refused_at_load() -> None:
    with pytest.raises(ValidationError, match="invalid URL allow-list entry"):
        Settings(url_allowlist="10.0.0.0/8,exa mple")


def test_production_refuses_default_secrets() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production")
    with pytest.raises(ValidationError, match="ADMIN_TOKEN"):
        Settings(
            environment="production",
            auth=AuthSettings(secret_key=SecretStr("k" * 40), admin_token=SecretStr("short")),
        )
    ok = Settings(
        environment="production",
        auth=AuthSettings(secret_key=SecretStr("k" * 40), admin_token=SecretStr("a" * 40)),
    )
    assert ok.admin_token() == "a" * 40
