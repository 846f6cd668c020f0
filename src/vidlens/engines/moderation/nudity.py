"""Nudity signals with NudeNet's YOLOv8 detector (``nudenet/320n.onnx``, run with
onnxruntime through :class:`vidlens.engines.vision.yolo.YoloDetector`; the ``nudenet``
package's own code is never imported).

The detector finds 18 kinds of body parts. Each frame's score for a contract label is the
best box score of the classes mapped to it:

- ``explicit_nudity``: exposed female breasts, female or male genitalia, buttocks, anus;
- ``suggestive``: covered female breasts, genitalia, buttocks or anus, and an exposed male
  chest or belly.

Faces, feet, armpits and covered bellies count towards nothing. The other contract labels
(``violence``, ``visually_disturbing``, ``hate_symbols``, ``tobacco``, ``alcohol``,
``gambling``) have no offline model here: :data:`UNDETECTABLE` lists them and
``GET /v1/providers`` says so.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, ClassVar

from vidlens.engines.base import Availability, Engine
from vidlens.engines.errors import ModelMissing
from vidlens.engines.face.frames import Frame
from vidlens.engines.moderation.settings import ModerationSettings
from vidlens.engines.packaged import PackagedFile, load_path, locate
from vidlens.engines.vision.timeline import ScoreTimeline
from vidlens.engines.vision.yolo import YoloDetector

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

NUDENET = PackagedFile(
    "nudenet",
    "nudenet/320n.onnx",
    "c15d8273adad2d0a92f014cc69ab2d6c311a06777a55545f2c4eb46f51911f0f",
    "pip install nudenet==3.4.2 (its weights are AGPL-3.0: an optional extra)",
)
LABELS: tuple[str, ...] = (
    "explicit_nudity", "suggestive", "violence", "visually_disturbing", "hate_symbols",
    "tobacco", "alcohol", "gambling",
)  # fmt: skip
"""Every moderation label of the contract."""
CLASS_LABELS: dict[str, str] = {
    "FEMALE_BREAST_EXPOSED": "explicit_nudity",
    "FEMALE_GENITALIA_EXPOSED": "explicit_nudity",
    "MALE_GENITALIA_EXPOSED": "explicit_nudity",
    "BUTTOCKS_EXPOSED": "explicit_nudity",
    "ANUS_EXPOSED": "explicit_nudity",
    "FEMALE_BREAST_COVERED": "suggestive",
    "FEMALE_GENITALIA_COVERED": "suggestive",
    "BUTTOCKS_COVERED": "suggestive",
    "ANUS_COVERED": "suggestive",
    "MALE_BREAST_EXPOSED": "suggestive",
    "BELLY_EXPOSED": "suggestive",
}
"""NudeNet class → contract label (classes not listed count towards nothing)."""
DETECTABLE: tuple[str, ...] = ("explicit_nudity", "suggestive")
UNDETECTABLE: tuple[str, ...] = tuple(label for label in LABELS if label not in DETECTABLE)
MIN_BOX_SCORE = 0.2
"""Boxes below this score are not kept at all (NudeNet's own cut-off)."""


class NudityDetector(Engine):
    """Per-frame nudity scores; the model loads on first use."""

    name: ClassVar[str] = "nudenet-320n"
    kind: ClassVar[str] = "content-moderation"

    def __init__(self, settings: ModerationSettings | None = None) -> None:
        self.settings = settings or ModerationSettings()
        self._lock = threading.Lock()
        self._detector: YoloDetector | None = None

    def availability(self) -> Availability:
        try:
            import onnxruntime  # type: ignore[import-untyped]  # noqa: F401  # no stubs
        except ImportError:
            return Availability.missing(
                "onnxruntime is not installed", hint="pip install onnxruntime"
            )
        if self.settings.model_path is not None:
            if self.settings.model_path.is_file():
                return Availability.ok()
            return Availability.missing(
                f"moderation model {self.settings.model_path.name} does not exist",
                hint="point engines.moderation.model_path at a NudeNet ONNX export",
            )
        try:
            locate(NUDENET)
        except ModelMissing as exc:
            return Availability.missing(f"nudity detector: {exc.message}", hint=exc.hint)
        return Availability.ok()

    def _model(self) -> YoloDetector:
        with self._lock:
            if self._detector is None:
                path = self.settings.model_path or load_path(NUDENET)
                self._detector = YoloDetector(path, threads=self.settings.threads)
            return self._detector

    def frame_scores(self, rgb: npt.NDArray[np.uint8]) -> dict[str, float]:
        """The best score of each detectable contract label on one RGB frame."""
        scores: dict[str, float] = {}
        for detection in self._model().detect(rgb, score_threshold=MIN_BOX_SCORE):
            label = CLASS_LABELS.get(detection.label)
            if label is not None:
                scores[label] = max(scores.get(label, 0.0), detection.score)
        return scores

    def close(self) -> None:
        with self._lock:
            self._detector = None


class ModerationFrameAnalyser:
    """Scores every sampled frame into a :class:`ScoreTimeline`."""

    def __init__(self, detector: NudityDetector) -> None:
        self.detector = detector
        self.timeline = ScoreTimeline()

    def observe(self, frame: Frame) -> None:
        self.timeline.record(frame.timestamp, self.detector.frame_scores(frame.rgb))
