"""docs/gateway.md's features-by-providers table is generated from ``GET /v1/providers``
(``python -m vidlens.gateway.provider_table``) and must be current."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import REPO, ClientFactory, make_key
from vidlens.config import Settings
from vidlens.engines.moderation.nudity import NudityDetector
from vidlens.gateway.provider_table import section

SettingsMaker = Callable[..., Settings]


@pytest.mark.usefixtures("speech_available")
def test_docs_table_matches_get_providers(
    client_factory: ClientFactory, gateway_settings: SettingsMaker
) -> None:
    if not NudityDetector().availability().available:
        pytest.skip("the documented table is for the full install (nudenet present)")
    client = client_factory(gateway_settings(workers=0))
    _, key = make_key(client)
    document = client.get("/v1/providers", headers={"X-API-Key": key}).json()
    docs = (REPO / "docs" / "gateway.md").read_text()
    assert section(document) in docs, (
        "docs/gateway.md is stale: run .venv/bin/python -m vidlens.gateway.provider_table "
        "and paste the output over the table"
    )
