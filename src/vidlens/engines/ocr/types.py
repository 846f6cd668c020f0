"""Typed results of OCR and the engine contract."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vidlens.engines.base import Engine

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Quad = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]
"""Four corners in pixels, clockwise from top-left."""


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text read from one image."""

    text: str
    confidence: float
    """The recogniser's score in [0, 1]."""
    quad: Quad


class OcrEngine(Engine):
    """Reads text lines from one image."""

    kind = "ocr"

    @abstractmethod
    def read(self, rgb: npt.NDArray[np.uint8]) -> list[TextLine]:
        """The text lines of an RGB image ``(H, W, 3)``, top to bottom.

        Raises:
            vidlens.errors.EngineUnavailable: the runtime or the model is missing.
        """
