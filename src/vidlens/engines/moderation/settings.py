"""Settings of content moderation."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class ModerationSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    model_path: Path | None = None
    """A NudeNet-compatible YOLOv8 ONNX detector (the 18 NudeNet classes, e.g. NudeNet's
    640m export) used instead of the ``320n.onnx`` of the ``nudenet`` package. Empty: the
    packaged ``320n.onnx`` (sha256-checked; AGPL-3.0 weights, an optional extra that
    ``VIDLENS_WITHOUT_AGPL=1`` leaves out at set-up)."""

    threads: int = Field(default=1, ge=1, le=64)
    """onnxruntime threads of the detector."""
