"""Shared aliases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

Priority = Literal["low", "standard", "high"]
JobStatus = Literal["pending", "processing", "completed", "failed", "cancelled"]
ProgressHook = Callable[[float, str | None], None]
"""``progress(percent 0-100, phase or None)``."""

PRIORITY_RANK: dict[str, int] = {"high": 0, "standard": 1, "low": 2}
