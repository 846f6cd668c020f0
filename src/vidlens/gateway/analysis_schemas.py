"""Request models of ``POST /v1/video-analyses`` (contract schemas
``video-analysis_CreateRequest``, ``video-analysis_AttributesCreate``, ``video-analysis_Input``,
``video-analysis_Options``) and their checks."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from vidlens.gateway.schemas import (
    MetaIn,
    PriorityName,
    WebhookIn,
    auto_or_language_tag,
    check_client_meta,
    client_meta,
    invalid,
    validate_envelope,
)

ANALYSIS_TYPE = "video-analysis-job"
Feature = Literal[
    "labels",
    "scenes",
    "faces",
    "speech_to_text",
    "ocr",
    "content_moderation",
    "sentiment",
    "topics",
    "brands",
    "summary",
]
FEATURES: tuple[str, ...] = (
    "labels", "scenes", "faces", "speech_to_text", "ocr", "content_moderation", "sentiment",
    "topics", "brands", "summary",
)  # fmt: skip
"""Every feature of the contract, in its order."""


class AnalysisInputIn(BaseModel):
    """``video-analysis_Input``."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=1,
        max_length=8192,
        description="http(s) URL of the video, downloaded inside the job (SSRF rules apply).",
    )
    features: list[Feature] = Field(
        min_length=1, max_length=len(FEATURES), description="Analyses to run (at least one)."
    )
    audio_track: int | None = Field(
        default=None, ge=0, le=63, description="Zero-based audio stream for speech features."
    )

    @field_validator("features")
    @classmethod
    def _unique(cls, value: list[Feature]) -> list[Feature]:
        if len(set(value)) != len(value):
            raise ValueError("each feature may be listed once")
        return value


class AnalysisOptionsIn(BaseModel):
    """``video-analysis_Options``."""

    model_config = ConfigDict(extra="forbid")

    language: str = Field(
        default="auto",
        max_length=35,
        description="auto (detected from the speech) or a BCP 47 tag for speech and text.",
    )
    confidence_threshold: float = Field(
        default=0.5, ge=0, le=1, allow_inf_nan=False, description="Detections below are left out."
    )
    priority: PriorityName = "standard"

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        return auto_or_language_tag(value)


class AnalysisAttributesIn(BaseModel):
    """``video-analysis_AttributesCreate``."""

    model_config = ConfigDict(extra="forbid")

    input: AnalysisInputIn
    options: AnalysisOptionsIn = Field(default_factory=AnalysisOptionsIn)
    webhook: WebhookIn | None = None
    provider: str | None = Field(default=None, max_length=100)


class AnalysisDataIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str
    attributes: AnalysisAttributesIn
    meta: MetaIn | None = None


class AnalysisCreateRequest(BaseModel):
    """``video-analysis_CreateRequest`` (``meta`` in ``data.meta`` or at the top level)."""

    model_config = ConfigDict(extra="ignore")

    data: AnalysisDataIn
    meta: MetaIn | None = None

    @property
    def client_meta(self) -> dict[str, Any]:
        return client_meta(self.data.meta, self.meta)


def parse_analysis(body: Any) -> AnalysisCreateRequest:
    """Validate a create body against the contract.

    Raises:
        InvalidInput: JSON:API errors with pointers (wrong ``type``, empty or unknown
            features, bad URL length, bad language, threshold out of range, ...).
    """
    request = validate_envelope(body, AnalysisCreateRequest)
    if request.data.type != ANALYSIS_TYPE:
        raise invalid("/data/type", f"type must be exactly {ANALYSIS_TYPE!r}.")
    check_client_meta(request.client_meta)
    return request


def analysis_params(request: AnalysisCreateRequest, provider: str) -> dict[str, Any]:
    """The job's params: input and options as echoed (defaults filled in), the chosen
    provider and ``meta.client``."""
    attributes = request.data.attributes
    source: dict[str, Any] = {
        "url": attributes.input.url,
        "features": list(attributes.input.features),
    }
    if attributes.input.audio_track is not None:
        source["audio_track"] = attributes.input.audio_track
    return {
        "input": source,
        "options": attributes.options.model_dump(),
        "provider": provider,
        "client": request.client_meta,
    }
