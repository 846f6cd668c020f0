"""Object labels from a COCO-style YOLO ONNX model named in settings.

No general object model ships inside a registry package, so labels are available only when
``engines.labels.model_path`` names one (an Ultralytics YOLOv5/v8/v11 ONNX export, class
names from its metadata or from ``engines.labels.names``; its sha256 is checked when
``engines.labels.sha256`` is set). Each sampled frame's score for a label is the best box
score of that class; time ranges follow :mod:`vidlens.engines.vision.timeline`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from vidlens.engines.base import Availability, Engine
from vidlens.engines.face.frames import Frame
from vidlens.engines.packaged import verified
from vidlens.engines.vision.timeline import ScoreTimeline
from vidlens.engines.vision.yolo import YoloDetector

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

HINT = (
    "set VIDLENS_ENGINES__LABELS__MODEL_PATH to a COCO-style YOLO ONNX export "
    "(e.g. yolov8n.onnx from `yolo export format=onnx`)"
)


class LabelSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    model_path: Path | None = None
    """A YOLO ONNX object detector (Ultralytics export, e.g. COCO's 80 classes). Empty: no
    labels (none ships offline)."""

    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    """The model file's sha256; when set, a file with another hash is refused."""

    names: list[str] | None = None
    """Class names in class-id order, when the model's metadata has none."""

    min_box_score: float = Field(default=0.25, ge=0, le=1)
    """Boxes below this score are dropped before the request's confidence threshold."""

    threads: int = Field(default=1, ge=1, le=64)
    """onnxruntime threads of the detector."""


class YoloLabelEngine(Engine):
    """Labels per frame from the configured YOLO model (loaded on first use)."""

    name: ClassVar[str] = "yolo-onnx"
    kind: ClassVar[str] = "labels"

    def __init__(self, settings: LabelSettings | None = None) -> None:
        self.settings = settings or LabelSettings()
        self._lock = threading.Lock()
        self._detector: YoloDetector | None = None

    def availability(self) -> Availability:
        path = self.settings.model_path
        if path is None:
            return Availability.missing("no object-label model is configured", hint=HINT)
        if not path.is_file():
            return Availability.missing(f"label model {path.name} does not exist", hint=HINT)
        try:
            import onnxruntime  # type: ignore[import-untyped]  # noqa: F401  # no stubs
        except ImportError:
            return Availability.missing(
                "onnxruntime is not installed", hint="pip install onnxruntime"
            )
        return Availability.ok()

    def model_name(self) -> str | None:
        """The configured model's file name (never the server's path)."""
        return self.settings.model_path.name if self.settings.model_path else None

    def _model(self) -> YoloDetector:
        with self._lock:
            if self._detector is None:
                path = self.settings.model_path
                if path is None:
                    from vidlens.errors import EngineUnavailable

                    raise EngineUnavailable("no object-label model is configured", hint=HINT)
                if self.settings.sha256:
                    path = verified(path, self.settings.sha256, hint=HINT)
                self._detector = YoloDetector(
                    path, names=self.settings.names, threads=self.settings.threads
                )
            return self._detector

    def frame_scores(self, rgb: npt.NDArray[np.uint8]) -> dict[str, float]:
        """The best box score of each class seen on one RGB frame."""
        scores: dict[str, float] = {}
        for detection in self._model().detect(rgb, score_threshold=self.settings.min_box_score):
            scores[detection.label] = max(scores.get(detection.label, 0.0), detection.score)
        return scores

    def close(self) -> None:
        with self._lock:
            self._detector = None


class LabelFrameAnalyser:
    """Scores every sampled frame into a :class:`ScoreTimeline`."""

    def __init__(self, engine: YoloLabelEngine) -> None:
        self.engine = engine
        self.timeline = ScoreTimeline()

    def observe(self, frame: Frame) -> None:
        self.timeline.record(frame.timestamp, self.engine.frame_scores(frame.rgb))
