"""Settings of the OCR engine and of on-screen text in videos."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OcrSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    min_line_score: float = Field(default=0.5, ge=0, le=1)
    """Text lines the recogniser scores below this are dropped (RapidOCR's ``text_score``)."""

    threads: int = Field(default=2, ge=1, le=64)
    """onnxruntime threads of the detection and recognition models."""

    max_side: int = Field(default=1280, ge=320, le=4096)
    """Frames are scaled down so that their longer side is at most this many pixels."""

    merge_similarity: float = Field(default=0.8, gt=0, le=1)
    """Two readings are the same on-screen text when their normalised strings are at least
    this similar (difflib ratio): OCR misreads a letter here and there between frames."""
