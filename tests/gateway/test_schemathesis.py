"""Property-based run of schemathesis over the gateway routes of our own ``/openapi.json``
(in-process, ASGI): whatever the generated body, path or query, no route answers 5xx.

Jobs stay pending (no worker), so this checks the HTTP layer: validation, provider choice,
SSRF checks, tenancy and error rendering. Only 127.0.0.1-free hosts are generated, so the
SSRF check refuses them without a network (name resolution fails fast offline).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from tests.conftest import make_key
from vidlens.config import JobSettings, Settings

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis not installed")
from schemathesis.checks import not_a_server_error  # noqa: E402

_STATE: dict[str, Any] = {}


def _without_lifespan(app: Any) -> Any:
    """The app for schemathesis' ASGI transport, which opens a lifespan per request: the
    real lifespan already runs inside the fixture's TestClient, so here it is acknowledged
    and skipped."""

    async def asgi(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    return asgi


@pytest.fixture(scope="module")
def gateway_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from pydantic import SecretStr

    from tests.conftest import ADMIN_TOKEN, SECRET_KEY
    from vidlens.app import create_app
    from vidlens.config import AuthSettings

    data: Path = tmp_path_factory.mktemp("schemathesis") / "data"
    app = create_app(
        Settings(
            data_dir=data,
            auth=AuthSettings(secret_key=SecretStr(SECRET_KEY), admin_token=SecretStr(ADMIN_TOKEN)),
            jobs=JobSettings(workers=0),
        )
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        _, key = make_key(client)
        _STATE["headers"] = {"Authorization": f"Bearer {key}"}
        schema = schemathesis.openapi.from_asgi("/openapi.json", _without_lifespan(app))
        yield schema.include(path_regex="^/v1/")


def test_gateway_routes_never_answer_5xx(gateway_schema: Any) -> None:
    checked = []
    for result in gateway_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: Any) -> None:
            response = case.call(headers=_STATE["headers"])
            case.validate_response(response, checks=[not_a_server_error])

        run()
        checked.append(operation.label)
    assert len(checked) >= 10, checked  # every /v1/ operation was exercised
