"""The features-by-providers table of docs/gateway.md, rendered from a ``GET /v1/providers``
document. ``python -m vidlens.gateway.provider_table`` prints it for the settings of the
environment (tests/gateway/test_provider_table.py checks that the docs are current)."""

from __future__ import annotations

from typing import Any

from vidlens.gateway.analysis_schemas import FEATURES

START = "<!-- providers-table:start -->"
END = "<!-- providers-table:end -->"
ROWS: tuple[tuple[str, str], ...] = (
    *(("transcriptions", f) for f in ("language_detection", "timestamps", "diarization")),
    *(("translations", f) for f in ("language_detection", "formality")),
    *(("video-analyses", f) for f in FEATURES),
)


def _cell(provider: dict[str, Any], resource: str, feature: str) -> str:
    offered = provider["attributes"]["resources"].get(resource, {}).get("features", [])
    if feature in offered:
        return "yes"
    for missing in provider.get("meta", {}).get("unavailable", {}).get(resource, []):
        if missing["feature"] == feature:
            return f"no: {missing['reason']}"
    return "no"


def render(document: dict[str, Any]) -> str:
    """The Markdown table (one column per provider)."""
    providers = document["data"]
    header = "| resource | feature | " + " | ".join(f"`{p['id']}`" for p in providers) + " |"
    lines = [header, "|---|---|" + "---|" * len(providers)]
    for resource, feature in ROWS:
        cells = " | ".join(_cell(p, resource, feature) for p in providers)
        lines.append(f"| {resource} | `{feature}` | {cells} |")
    return "\n".join(lines)


def section(document: dict[str, Any]) -> str:
    """The table between its markers, as it stands in docs/gateway.md."""
    return f"{START}\n{render(document)}\n{END}"


def main() -> None:
    from vidlens.config import load_settings
    from vidlens.gateway.providers import provider_document

    print(section(provider_document(load_settings())))


if __name__ == "__main__":
    main()
