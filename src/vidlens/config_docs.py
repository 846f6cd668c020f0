"""Render the configuration reference (docs/configuration.md) from the Settings class."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from vidlens.config import Settings

HEADER = """\
# Configuration reference

Generated from `vidlens.config.Settings` by `python -m vidlens.config_docs > docs/configuration.md`
(a test fails when this file is stale). Every setting is an environment variable with the
`VIDLENS_` prefix; nested sections use `__`, e.g. `VIDLENS_JOBS__WORKERS=4`.
"""


def _default(info: FieldInfo) -> str:
    if info.default_factory is not None:
        value: Any = info.default_factory()  # type: ignore[call-arg]  # no-arg factories here
    elif info.default is PydanticUndefined:
        return "required"
    else:
        value = info.default
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, list) and not value:
        return "[]"
    return f"`{value}`"


def _constraints(info: FieldInfo) -> str:
    parts = []
    for item in info.metadata:
        for name, symbol in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            bound = getattr(item, name, None)
            if bound is not None:
                parts.append(f"{symbol} {bound}")
    return ", ".join(parts)


def _rows(model: type[BaseModel], prefix: str) -> list[str]:
    rows = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            continue
        env = f"{prefix}{name.upper()}"
        description = " ".join((info.description or "").split())
        description = description.replace("``", "`").replace("|", "\\|")
        limits = _constraints(info)
        if limits:
            description += f" ({limits})"
        rows.append(f"| `{env}` | {_default(info)} | {description} |")
    return rows


def _sections(model: type[BaseModel], prefix: str, title: str) -> list[str]:
    lines: list[str] = []
    rows = _rows(model, prefix)
    if rows:
        lines += ["", f"## {title}", "", "| variable | default | meaning |", "|---|---|---|"]
        lines += rows
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            lines += _sections(annotation, f"{prefix}{name.upper()}__", f"{title}.{name}")
    return lines


def render_config_reference() -> str:
    lines = _sections(Settings, "VIDLENS_", "settings")
    lines[1] = "## General"
    return HEADER + "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_config_reference(), end="")
