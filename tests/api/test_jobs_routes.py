"""The /api/jobs routes end to end through the app: submit, poll, list, cancel, tenancy and
what may be submitted."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ClientFactory, make_key
from tests.jobs.handlers_for_tests import MODULE
from tests.media.media_testing import CLIPS
from vidlens.config import DatabaseSettings, JobSettings


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _submit(client: TestClient, key: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/jobs", json=body, headers=_auth(key))
    assert response.status_code == 202, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture
def mp4_clip(tmp_path: Path) -> Path:
    """A 1-second lavfi clip (see tests/media/media_testing.py)."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    suffix, args = CLIPS["mp4"]
    path = tmp_path / f"clip{suffix}"
    command = ["ffmpeg", "-v", "error", "-y", *args, "-t", "1", str(path)]
    subprocess.run(command, check=True, timeout=60)
    return path


def test_media_verify_runs_to_completion(
    client_factory: ClientFactory, database_url: str, mp4_clip: Path
) -> None:
    client = client_factory(
        database=DatabaseSettings(url=database_url),
        jobs=JobSettings(
            plugins=[MODULE], workers=1, use_processes=False, poll_interval_seconds=0.05
        ),
    )
    _, key = make_key(client)
    data = mp4_clip.read_bytes()
    upload = client.post(
        "/api/media", files={"file": ("clip.mp4", data, "video/mp4")}, headers=_auth(key)
    )
    assert upload.status_code == 201, upload.text
    media = upload.json()
    job = _submit(
        client,
        key,
        {"kind": "media.verify", "params": {"media_id": media["id"]}, "priority": "high"},
    )
    assert (job["kind"], job["status"], job["priority"]) == ("media.verify", "pending", "high")
    deadline = time.monotonic() + 20
    while job["status"] not in ("completed", "failed", "cancelled"):
        assert time.monotonic() < deadline, job
        time.sleep(0.05)
        job = client.get(f"/api/jobs/{job['id']}", headers=_auth(key)).json()
    assert job["status"] == "completed", job
    assert (job["progress"], job["phase"], job["attempts"]) == (100.0, "hashing", 1)
    sha256 = hashlib.sha256(data).hexdigest()
    assert media["sha256"] == sha256
    assert job["result"] == {"sha256": sha256, "matches": True, "size_bytes": len(data)}


def test_another_accounts_job_is_not_found_exactly_like_a_missing_one(client: TestClient) -> None:
    _, owner = make_key(client, "owner")
    _, stranger = make_key(client, "stranger")
    job = _submit(client, owner, {"kind": "media.verify", "params": {"media_id": "m"}})
    missing = "00000000-0000-0000-0000-000000000000"
    for method, suffix in (("GET", ""), ("POST", "/cancel")):
        for job_id in (job["id"], missing):
            response = client.request(
                method, f"/api/jobs/{job_id}{suffix}", headers=_auth(stranger)
            )
            assert response.status_code == 404
            assert response.json() == {
                "detail": "Job not found.",
                "code": "NOT_FOUND",
                "job_id": job_id,
            }
    assert client.get("/api/jobs", headers=_auth(stranger)).json() == {"data": []}
    owned = client.get(f"/api/jobs/{job['id']}", headers=_auth(owner)).json()
    assert owned["status"] == "pending"  # the stranger's cancel changed nothing


def test_cancel_a_pending_job_and_list_by_status(client: TestClient) -> None:
    _, key = make_key(client)
    first = _submit(client, key, {"kind": "media.verify", "params": {"media_id": "a"}})
    second = _submit(client, key, {"kind": "media.verify", "params": {"media_id": "b"}})
    cancelled = client.post(f"/api/jobs/{first['id']}/cancel", headers=_auth(key))
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["finished_at"] is not None

    def ids(query: str) -> list[str]:
        response = client.get(f"/api/jobs{query}", headers=_auth(key))
        assert response.status_code == 200, response.text
        return [job["id"] for job in response.json()["data"]]

    assert ids("?status=cancelled") == [first["id"]]
    assert ids("?status=pending") == [second["id"]]
    assert ids("?status=completed") == []
    assert set(ids("")) == {first["id"], second["id"]}
    assert client.get("/api/jobs?status=bogus", headers=_auth(key)).status_code == 422


@pytest.mark.parametrize(
    "kind", ["test.echo", "no.such.kind", ""], ids=["internal", "unknown", "empty"]
)
def test_only_public_kinds_may_be_submitted(client_factory: ClientFactory, kind: str) -> None:
    client = client_factory(jobs=JobSettings(plugins=[MODULE], workers=0))
    _, key = make_key(client)
    response = client.post("/api/jobs", json={"kind": kind, "params": {}}, headers=_auth(key))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "UNKNOWN_JOB_KIND"
    assert body["kinds"] == ["media.verify", "test.steps", "test.until_cancelled"]
    assert body["detail"] == (
        f"Unknown job kind {kind!r}. Kinds you may submit: "
        "media.verify, test.steps, test.until_cancelled."
    )
    assert client.get("/api/jobs", headers=_auth(key)).json() == {"data": []}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param(
            {"params": {"blob": "x" * (64 * 1024)}},
            "params must be at most 64 KiB",
            id="big-params",
        ),
        pytest.param(
            {"params": {}, "webhook_headers": {f"X-H{i}": "v" for i in range(21)}},
            "At most 20 webhook headers",
            id="too-many-headers",
        ),
        pytest.param({"params": ["not", "an", "object"]}, "Missing or invalid", id="params-list"),
        pytest.param({"params": {}, "priority": "urgent"}, "Missing or invalid", id="priority"),
    ],
)
def test_submissions_are_validated(
    client_factory: ClientFactory, extra: dict[str, Any], message: str
) -> None:
    client = client_factory()  # route validation: one database backend is enough
    _, key = make_key(client)
    body = {"kind": "media.verify", **extra}
    response = client.post("/api/jobs", json=body, headers=_auth(key))
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith(message)
    assert client.get("/api/jobs", headers=_auth(key)).json() == {"data": []}


def test_params_up_to_the_limit_are_accepted(client_factory: ClientFactory) -> None:
    client = client_factory()
    _, key = make_key(client)
    filler = "x" * (64 * 1024 - len('{"media_id":"m","blob":""}'))
    job = _submit(
        client, key, {"kind": "media.verify", "params": {"media_id": "m", "blob": filler}}
    )
    assert job["status"] == "pending"
