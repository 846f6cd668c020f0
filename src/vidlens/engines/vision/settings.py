"""Settings of video analysis: how frames are sampled for the visual features."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class VideoAnalysisSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    sample_fps: float = Field(default=1.0, gt=0, le=30)
    """Frames a second looked at by OCR, moderation and labels (one decode serves all):
    text or an object on screen for less than about one interval may be missed."""

    max_side: int = Field(default=1280, ge=160, le=4096)
    """Sampled frames are scaled down so that their longer side fits this many pixels."""

    max_duration_seconds: float = Field(default=4 * 3600.0, gt=0)
    """Longest video accepted for analysis."""

    brand_file: Path | None = None
    """Extra brands for the ``brands`` feature: one a line, aliases after ``|``
    (``Coca-Cola|Coke``); added to the built-in list."""

    topics: int = Field(default=10, ge=1, le=100)
    """Most key phrases returned by ``topics``."""
