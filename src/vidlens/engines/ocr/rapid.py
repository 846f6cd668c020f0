"""RapidOCR (PP-OCRv6 detection + recognition ONNX models inside the ``rapidocr`` wheel) on
onnxruntime.

The three model files are located in the installed wheel and checked against the sha256
recorded below before RapidOCR loads them; RapidOCR is given their paths, so it never looks
for (or downloads) anything else. Its OpenCV calls run on the project's single cv2 build
(opencv-contrib-python 5.1).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from vidlens.engines.base import Availability
from vidlens.engines.errors import ModelMissing
from vidlens.engines.ocr.settings import OcrSettings
from vidlens.engines.ocr.types import OcrEngine, Quad, TextLine
from vidlens.engines.packaged import PackagedFile, load_path, locate
from vidlens.errors import EngineUnavailable

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

HINT = "pip install rapidocr==3.10.0 onnxruntime"
MODELS: dict[str, PackagedFile] = {
    "Det": PackagedFile(
        "rapidocr",
        "rapidocr/models/PP-OCRv6_det_small.onnx",
        "090f04abcd9d9a7498bc4ebf677e4cb9bdce1fe4197ddb7e529f1ef44e1ff94f",
        HINT,
    ),
    "Cls": PackagedFile(
        "rapidocr",
        "rapidocr/models/ch_ppocr_mobile_v2.0_cls_mobile.onnx",
        "e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c",
        HINT,
    ),
    "Rec": PackagedFile(
        "rapidocr",
        "rapidocr/models/PP-OCRv6_rec_small.onnx",
        "6f327246b50388f3c176ae304bd95767ea6dc0c9ae92153ef8cbe210b3c14884",
        HINT,
    ),
}
"""The wheel's models, by RapidOCR config section, with their recorded sha256."""
MODEL_ID = "rapidocr-3.10:PP-OCRv6-small"


class RapidOcrEngine(OcrEngine):
    """OCR with RapidOCR; the models load on first use and stay loaded until :meth:`close`."""

    name: ClassVar[str] = "rapidocr"

    def __init__(self, settings: OcrSettings | None = None) -> None:
        self.settings = settings or OcrSettings()
        self._lock = threading.Lock()
        self._ocr: Any = None

    def availability(self) -> Availability:
        try:
            import onnxruntime  # type: ignore[import-untyped]  # noqa: F401  # no stubs
        except ImportError:
            return Availability.missing("onnxruntime is not installed", hint=HINT)
        try:
            for spec in MODELS.values():
                locate(spec)
        except ModelMissing as exc:
            return Availability.missing(exc.message, hint=exc.hint)
        return Availability.ok()

    def _load(self) -> Any:
        try:
            from rapidocr import RapidOCR
        except ImportError:
            raise EngineUnavailable("rapidocr is not installed", hint=HINT) from None
        params: dict[str, Any] = {
            "Global.log_level": "error",
            "Global.text_score": self.settings.min_line_score,
            "Global.max_side_len": self.settings.max_side,
            "EngineConfig.onnxruntime.intra_op_num_threads": self.settings.threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        for section, spec in MODELS.items():
            params[f"{section}.model_path"] = str(load_path(spec))
        return RapidOCR(params=params)

    def read(self, rgb: npt.NDArray[np.uint8]) -> list[TextLine]:
        import numpy as np

        bgr = np.ascontiguousarray(rgb[:, :, ::-1])  # RapidOCR takes arrays as OpenCV BGR
        with self._lock:
            if self._ocr is None:
                self._ocr = self._load()
            output = self._ocr(bgr)
        if output.txts is None or output.boxes is None or output.scores is None:
            return []
        lines = [
            TextLine(text=str(text).strip(), confidence=float(score), quad=_quad(box))
            for text, score, box in zip(output.txts, output.scores, output.boxes, strict=True)
            if str(text).strip()
        ]
        return sorted(lines, key=lambda line: (line.quad[0][1], line.quad[0][0]))

    def recognize(self, rgb: npt.NDArray[np.uint8]) -> TextLine | None:
        """Recognition only, for an image that is already one cropped line or word (no
        detection): its text and score, or None when nothing is read."""
        import numpy as np

        bgr = np.ascontiguousarray(rgb[:, :, ::-1])
        with self._lock:
            if self._ocr is None:
                self._ocr = self._load()
            output = self._ocr(bgr, use_det=False, use_cls=False)
        texts: tuple[Any, ...] = tuple(getattr(output, "txts", None) or ())
        scores: tuple[Any, ...] = tuple(getattr(output, "scores", None) or ())
        if not texts or not scores or not str(texts[0]).strip():
            return None
        height, width = rgb.shape[:2]
        quad = (
            (0.0, 0.0),
            (float(width), 0.0),
            (float(width), float(height)),
            (0.0, float(height)),
        )
        return TextLine(str(texts[0]).strip(), float(scores[0]), quad)

    def close(self) -> None:
        with self._lock:
            self._ocr = None


def _quad(box: Any) -> Quad:
    points = [(float(x), float(y)) for x, y in box]
    return (points[0], points[1], points[2], points[3])


def model_paths() -> list[Path]:
    """The verified model files (for benchmarks and ``vidlens doctor``).

    Raises:
        ModelMissing, ModelIntegrityError: see :func:`vidlens.engines.packaged.load_path`.
    """
    return [load_path(spec) for spec in MODELS.values()]
