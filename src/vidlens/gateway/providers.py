"""``GET /v1/providers``: what each backend can do, computed from what is installed and
configured right now, and the choice of a backend for a job.

Providers: :data:`~vidlens.gateway.schemas.PROVIDER_ID` (the local engines: Whisper,
RapidOCR, NudeNet, VADER/YAKE/sumy, a configured YOLO model, Apertium) and
:data:`LIBRETRANSLATE_ID` (translations through the LibreTranslate-compatible server named in
``engines.libretranslate.url``; listed only when one is configured). A resource type appears
under ``resources`` only when the provider offers it and some feature of it can run; a
feature appears only when the engine behind it can run. What is missing is listed in
``meta.unavailable`` with the reason and what to install, so a client (or an operator) sees
why a feature is absent instead of guessing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from vidlens.config import Settings
from vidlens.engines.base import Availability
from vidlens.engines.speech.diarization import SpeakerDiarizer
from vidlens.engines.speech.faster_whisper_engine import BUNDLED_MODEL_ID, FasterWhisperEngine
from vidlens.gateway.provider_features import (
    analysis_features,
    libretranslate_translator,
    local_translator,
    moderation_meta,
    translation_features,
)
from vidlens.gateway.schemas import PROVIDER_ID, invalid

PROVIDER_NAME = "vidlens (local CPU)"
LIBRETRANSLATE_ID = "libretranslate"
LIBRETRANSLATE_NAME = "LibreTranslate-compatible server"
RESOURCES: tuple[str, ...] = ("transcriptions", "translations", "video-analyses")


@dataclass(frozen=True, slots=True)
class Feature:
    """One feature of one resource type and whether it can run here."""

    resource: str
    name: str
    availability: Availability


@dataclass(frozen=True)
class ProviderInfo:
    """One backend: its id, name, features and extra facts for ``meta``."""

    id: str
    name: str
    features: list[Feature]
    meta: dict[str, Any] = field(default_factory=dict)

    def supports(self, resource: str, feature: str) -> Availability:
        for known in self.features:
            if known.resource == resource and known.name == feature:
                return known.availability
        return Availability.missing(f"{resource} feature {feature!r} is not offered by {self.id}")

    def offers(self, resource: str) -> bool:
        return any(f.resource == resource and f.availability.available for f in self.features)


def features(settings: Settings) -> list[Feature]:
    """Every feature of the local provider, with its availability now (cheap: no model is
    loaded, only installed packages and model files are checked)."""
    whisper = FasterWhisperEngine(settings.engines.whisper).availability()
    speakers = SpeakerDiarizer(settings.engines.diarization).availability()
    if not whisper.available:
        # Diarization only labels a transcript: without speech-to-text it cannot run either.
        speakers = whisper
    found = [
        Feature("transcriptions", "language_detection", whisper),
        Feature("transcriptions", "timestamps", whisper),
        Feature("transcriptions", "diarization", speakers),
        *reframe_features(settings),
    ]
    translator = local_translator(settings)
    for name, availability in translation_features(translator).items():
        found.append(Feature("translations", name, availability))
    for name, availability in analysis_features(settings, whisper).items():
        found.append(Feature("video-analyses", name, availability))
    return found


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


def providers(settings: Settings) -> list[ProviderInfo]:
    """Every provider of this server (the local one first)."""
    local = ProviderInfo(
        PROVIDER_ID,
        PROVIDER_NAME,
        features(settings),
        {
            "models": _local_models(settings),
            "content_moderation": moderation_meta(settings),
            "translation_pairs": _pairs(local_translator(settings).pairs()),
        },
    )
    found = [local]
    remote = libretranslate_translator(settings)
    if remote is not None:
        found.append(
            ProviderInfo(
                LIBRETRANSLATE_ID,
                LIBRETRANSLATE_NAME,
                [
                    Feature("translations", name, availability)
                    for name, availability in translation_features(remote).items()
                ],
                {
                    "models": {"translation": remote.model_name()},
                    "translation_pairs": _pairs(remote.pairs()),
                },
            )
        )
    return found


def _pairs(pairs: Any) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for pair in sorted(pairs):
        table.setdefault(pair.source, []).append(pair.target)
    return table


def supports(settings: Settings, resource: str, feature: str) -> Availability:
    """Whether ``feature`` of ``resource`` can run now on the local provider."""
    return providers(settings)[0].supports(resource, feature)


def provider_document(settings: Settings) -> dict[str, Any]:
    """The JSON:API document of ``GET /v1/providers``."""
    return {"data": [_provider_object(p) for p in providers(settings)]}


def _provider_object(provider: ProviderInfo) -> dict[str, Any]:
    resources: dict[str, dict[str, Any]] = {}
    unavailable: dict[str, list[dict[str, Any]]] = {}
    for feature in provider.features:
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
    if "translations" not in resources:
        # The translation resource itself may run without its optional features.
        translation = [f for f in provider.features if f.resource == "translations"]
        if translation and provider.meta.get("translation_pairs"):
            resources["translations"] = {"features": []}
    return {
        "id": provider.id,
        "type": "provider",
        "attributes": {"name": provider.name, "resources": resources},
        "meta": {**provider.meta, "unavailable": unavailable},
    }


def choose_provider(
    settings: Settings,
    resource: str,
    wanted: Sequence[str],
    requested: str | None,
    *,
    pointer: str = "/data/attributes/input/features",
    usable: Any = None,
) -> ProviderInfo:
    """The provider for a job: ``requested`` if it supports every wanted feature, else the
    first provider that does.

    Arguments:
        usable: an optional ``(provider) -> str | None`` check beyond features (e.g. a
            language pair); it returns why the provider cannot take the job, or None.

    Raises:
        InvalidInput: ``UNSUPPORTED_PROVIDER`` for an unknown id; ``UNSUPPORTED_FEATURE``
            naming the features the requested provider lacks, or those no provider has.
    """
    known = providers(settings)
    if requested is not None:
        chosen = next((p for p in known if p.id == requested), None)
        if chosen is None:
            raise invalid(
                "/data/attributes/provider",
                f"Unknown provider {requested!r}; this server offers: "
                + ", ".join(p.id for p in known)
                + ".",
                code="UNSUPPORTED_PROVIDER",
            )
        _require(chosen, resource, wanted, pointer)
        return chosen
    fitting = [p for p in known if all(p.supports(resource, f).available for f in wanted)]
    if usable is not None:
        fitting = [p for p in fitting if usable(p) is None]
    if fitting:
        return fitting[0]
    nobody = [f for f in wanted if not any(p.supports(resource, f).available for p in known)]
    if nobody:
        raise _unsupported(known[0], resource, nobody, pointer, anywhere=True)
    raise invalid(
        pointer,
        f"No single provider supports all of {', '.join(wanted)} for {resource}: "
        + "; ".join(_offer(p, resource) for p in known)
        + ". Split the request or pick a provider.",
        code="UNSUPPORTED_FEATURE",
    )


def _require(provider: ProviderInfo, resource: str, wanted: Sequence[str], pointer: str) -> None:
    missing = [f for f in wanted if not provider.supports(resource, f).available]
    if missing:
        raise _unsupported(provider, resource, missing, pointer, anywhere=False)


def _unsupported(
    provider: ProviderInfo, resource: str, missing: Sequence[str], pointer: str, *, anywhere: bool
) -> Exception:
    reasons = []
    for name in missing:
        availability = provider.supports(resource, name)
        reason = f"{name} ({availability.reason}"
        reasons.append(reason + (f"; {availability.hint})" if availability.hint else ")"))
    who = "any provider of this server" if anywhere else f"provider {provider.id}"
    return invalid(
        pointer,
        f"Not supported by {who}: " + ", ".join(reasons) + ". " + _offer(provider, resource) + ".",
        code="UNSUPPORTED_FEATURE",
    )


def _offer(provider: ProviderInfo, resource: str) -> str:
    names = [
        f.name for f in provider.features if f.resource == resource and f.availability.available
    ]
    return f"{provider.id} supports {', '.join(names) or 'nothing'} for {resource}"


def _local_models(settings: Settings) -> dict[str, Any]:
    """Model names of the local provider (never the server's paths)."""
    from vidlens.engines.face_id.fingerprint import MODEL_ID as FACE_EMBEDDER
    from vidlens.engines.faces.detector import DETECTOR_NAME
    from vidlens.engines.ocr.rapid import MODEL_ID as OCR_MODEL
    from vidlens.engines.scenes.engine import SceneDetector
    from vidlens.engines.vision.labels import YoloLabelEngine

    model_dir = settings.engines.whisper.model_dir
    moderation = settings.engines.moderation.model_path
    return {
        "speech_to_text": model_dir.name if model_dir is not None else BUNDLED_MODEL_ID,
        "ocr": OCR_MODEL,
        "content_moderation": moderation.name if moderation else "nudenet:320n.onnx",
        "labels": YoloLabelEngine(settings.engines.labels).model_name(),
        "scenes": SceneDetector.name,
        # fingerprints are comparable only between videos analysed with the same embedder
        "faces": {
            "detector": DETECTOR_NAME,
            "fingerprint": FACE_EMBEDDER if settings.reframe.faces.embeddings_per_track else None,
        },
        "translation": local_translator(settings).model_name(),
    }
