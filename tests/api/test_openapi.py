"""The OpenAPI spec documents every route with a description and examples."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import ClientFactory


def _has_example(schema: dict[str, Any], schemas: dict[str, Any]) -> bool:
    if "examples" in schema or "example" in schema:
        return True
    if "$ref" in schema:
        return _has_example(schemas[schema["$ref"].rsplit("/", 1)[-1]], schemas)
    properties = schema.get("properties")
    if properties:
        return all("examples" in p or "example" in p or "default" in p for p in properties.values())
    return False


def _content_has_example(content: dict[str, Any], schemas: dict[str, Any]) -> bool:
    return bool(
        content.get("example")
        or content.get("examples")
        or _has_example(content.get("schema", {}), schemas)
    )


def test_every_operation_has_examples_and_text(client_factory: ClientFactory) -> None:
    client: TestClient = client_factory()
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    missing = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            if not operation.get("description"):
                missing.append(f"{where}: description")
            for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
                if not _content_has_example(content, schemas):
                    missing.append(f"{where}: request {media_type}")
            for status, response in operation.get("responses", {}).items():
                if not status.startswith("2"):
                    continue
                for media_type, content in response.get("content", {}).items():
                    if media_type == "application/json" and not _content_has_example(
                        content, schemas
                    ):
                        missing.append(f"{where}: response {status}")
    assert missing == []
