"""The operator CLI, in-process with CliRunner, against a real SQLite data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vidlens import __version__
from vidlens.cli import cli
from vidlens.config import Settings
from vidlens.storage.db import Database
from vidlens.storage.tables import ApiKey


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("VIDLENS_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_keys_create_json_creates_account(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["keys", "create", "--account", "acme", "--name", "ci", "--expires", "30d", "--json"]
    )
    assert result.exit_code == 0, result.output
    created = json.loads(result.stdout)
    assert created["key"].startswith("ng_")
    assert created["account"] == "acme"
    assert created["prefix"] == created["key"][:10]
    listed = runner.invoke(cli, ["keys", "list", "--account", "acme", "--json"])
    rows = json.loads(listed.stdout)
    assert [row["prefix"] for row in rows] == [created["prefix"]]
    assert "key" not in rows[0]
    db = Database.from_settings(Settings(data_dir=tmp_path / "data"))
    with db.read_session() as session:
        assert session.query(ApiKey).one().key_hash != created["key"]
    db.dispose()


def test_keys_revoke_by_prefix(runner: CliRunner) -> None:
    out = runner.invoke(cli, ["keys", "create", "--account", "a", "--name", "k", "--json"])
    created = json.loads(out.stdout)
    revoked = runner.invoke(cli, ["keys", "revoke", created["prefix"]])
    assert revoked.exit_code == 0, revoked.output
    rows = json.loads(runner.invoke(cli, ["keys", "list", "--account", "a", "--json"]).stdout)
    assert rows[0]["revoked_at"] is not None
    missing = runner.invoke(cli, ["keys", "revoke", "ng_nothing"])
    assert missing.exit_code != 0
    assert "no key" in missing.output


def test_credits_grant_and_show(runner: CliRunner) -> None:
    runner.invoke(cli, ["accounts", "create", "acme"])
    granted = runner.invoke(cli, ["credits", "grant", "--account", "acme", "--amount", "300"])
    assert granted.exit_code == 0, granted.output
    assert "balance 300" in granted.output
    shown = runner.invoke(cli, ["credits", "show", "--account", "acme"])
    assert "acme: 300 credits" in shown.output
    unknown = runner.invoke(cli, ["credits", "grant", "--account", "nobody", "--amount", "1"])
    assert unknown.exit_code != 0
    zero = runner.invoke(cli, ["credits", "grant", "--account", "acme", "--amount", "0"])
    assert zero.exit_code == 2


def test_accounts_create_twice_is_an_error(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["accounts", "create", "x"]).exit_code == 0
    second = runner.invoke(cli, ["accounts", "create", "x"])
    assert second.exit_code == 1
    assert "already exists" in second.output
    listed = json.loads(runner.invoke(cli, ["accounts", "list", "--json"]).stdout)
    assert [a["name"] for a in listed] == ["x"]


def test_doctor_reports_platform(runner: CliRunner) -> None:
    runner.invoke(cli, ["migrate"])
    result = runner.invoke(cli, ["doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["database"]["state"] == "ok"
    assert checks["ffprobe"]["state"] == "ok"
    assert checks["speech-to-text"]["state"] == "ok", checks["speech-to-text"]
    assert checks["speaker diarization"]["state"] == "ok", checks["speaker diarization"]
    assert checks["translation"]["state"] == "ok"
    assert " en-es " in checks["translation"]["detail"]
    features = checks["video analysis features"]
    # No YOLO model ships offline: labels are missing, and that alone is optional.
    assert features["state"] == "missing"
    assert "labels: no object-label model" in features["detail"]
    assert "ocr" in features["detail"].split("; unavailable")[0]
    assert result.exit_code == 0


def test_doctor_names_a_missing_model_folder(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VIDLENS_ENGINES__WHISPER__MODEL_DIR", str(tmp_path / "no-model"))
    result = runner.invoke(cli, ["doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["speech-to-text"]["state"] == "missing"
    assert "no-model" in checks["speech-to-text"]["detail"]
    assert result.exit_code == 1


def test_doctor_says_what_to_install(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIDLENS_MEDIA__FFPROBE", "ffprobe-that-does-not-exist")
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "apt-get install ffmpeg" in result.output
