"""``GET /v1/providers``: what each backend can do, computed from what is installed and
configured right now.

This server has one provider, :data:`~vidlens.gateway.schemas.PROVIDER_ID`, backed by the
local engines. A resource type appears under ``resources`` only when this server offers it
and its engine can run; a feature appears only when the engine behind it can run. What is
missing is listed in the resource's ``meta.unavailable`` with the reason and what to install,
so a client (or an operator) sees why a feature is absent instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vidlens.config import Settings
from vidlens.engines.base import Availability
from vidlens.engines.speech.diarization import SpeakerDiarizer
from vidlens.engines.speech.faster_whisper_engine import BUNDLED_MODEL_ID, FasterWhisperEngine
from vidlens.gateway.schemas import PROVIDER_ID

PROVIDER_NAME = "vidlens (local CPU)"


@dataclass(frozen=True, slots=True)
class Feature:
    """One feature of one resource type and whether it can run here."""

    resource: str
    name: str
    availability: Availability


def features(settings: Settings) -> list[Feature]:
    """Every feature this server knows, with its availability now (cheap: no model is
    loaded, only installed packages and model files are checked)."""
    whisper = FasterWhisperEngine(settings.engines.whisper).availability()
    speakers = SpeakerDiarizer(settings.engines.diarization).availability()
    if not whisper.available:
        # Diarization only labels a transcript: without speech-to-text it cannot run either.
        speakers = whisper
    return [
        Feature("transcriptions", "language_detection", whisper),
        Feature("transcriptions", "timestamps", whisper),
        Feature("transcriptions", "diarization", speakers),
        *reframe_features(settings),
    ]


def reframe_features(settings: Settings) -> list[Feature]:
    """The reframe pipeline's transforms (``/api/v2``): ``reframe_llm`` needs a chat
    endpoint in settings."""
    from vidlens.engines.faces.engine import FaceTracker
    from vidlens.reframe.llm import llm_availability

    tracker = FaceTracker(settings.reframe.faces).availability()
    llm = llm_availability(settings.reframe)
    return [
        Feature("reframe", "reframe", tracker),
        Feature("reframe", "reframe_llm", llm if tracker.available else tracker),
    ]


def supports(settings: Settings, resource: str, feature: str) -> Availability:
    """Whether ``feature`` of ``resource`` can run now (unknown features cannot)."""
    for known in features(settings):
        if known.resource == resource and known.name == feature:
            return known.availability
    return Availability.missing(f"{resource} feature {feature!r} is not offered by this server")


def provider_document(settings: Settings) -> dict[str, Any]:
    """The JSON:API document of ``GET /v1/providers``."""
    resources: dict[str, dict[str, Any]] = {}
    unavailable: dict[str, list[dict[str, Any]]] = {}
    for feature in features(settings):
        if feature.availability.available:
            entry = resources.setdefault(feature.resource, {"features": []})
            entry["features"].append(feature.name)
        else:
            unavailable.setdefault(feature.resource, []).append(
                {
                    "feature": feature.name,
                    "reason": feature.availability.reason,
                    "hint": feature.availability.hint,
                }
            )
    provider: dict[str, Any] = {
        "id": PROVIDER_ID,
        "type": "provider",
        "attributes": {"name": PROVIDER_NAME, "resources": resources},
        "meta": {
            "models": {"speech_to_text": _whisper_model(settings)},
            "unavailable": unavailable,
        },
    }
    return {"data": [provider]}


def _whisper_model(settings: Settings) -> str:
    """The speech model's name: the bundled id, or the configured folder's name (never the
    server's path)."""
    model_dir = settings.engines.whisper.model_dir
    return model_dir.name if model_dir is not None else BUNDLED_MODEL_ID
