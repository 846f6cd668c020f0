"""The OpenAPI schema of ``video-analysis_Result`` (documentation only: results are built by
:mod:`vidlens.gateway.analysis_result` and :mod:`vidlens.gateway.analysis_tracks`, never
validated against these models)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from vidlens.gateway.analysis_tracks import FINGERPRINT_ENCODING


class _Doc(BaseModel):
    model_config = ConfigDict(extra="allow")


class TimedInstance(_Doc):
    """A time range of one detection."""

    start: float = Field(description="Start time of the occurrence in seconds.")
    end: float = Field(description="End time of the occurrence in seconds.")
    confidence: float = Field(ge=0, le=1, description="Confidence of this occurrence.")


class VideoMetadata(_Doc):
    duration: float | None = Field(default=None, description="Seconds.")
    width: int | None = None
    height: int | None = None
    frame_rate: float | None = None
    format: str | None = Field(default=None, description="Container format.")
    codec: str | None = Field(default=None, description="Video codec.")


class NamedDetection(_Doc):
    """``LabelDetection``, ``Topic`` and ``BrandDetection``."""

    name: str
    confidence: float = Field(ge=0, le=1)
    instances: list[TimedInstance]


class SceneDetection(_Doc):
    """One shot (the reframe surface's shot detector: hard cuts and fades through black)."""

    index: int = Field(description="Zero-based position of this scene in the video.")
    start: float = Field(description="Start time of the scene in seconds (its first frame).")
    end: float = Field(
        description="End time of the scene in seconds (the next scene's first frame, or the "
        "end of the video)."
    )


class FaceDetection(_Doc):
    """One person seen in the video (tracks cut at shots, grouped by face embedding)."""

    track_id: int = Field(
        description="Integer identifier grouping all appearances of the same face within this "
        "video: 1, 2, ... in order of first appearance."
    )
    fingerprint: str = Field(
        default_factory=str,
        description="Face embedding of this person, for comparing people across videos. "
        + FINGERPRINT_ENCODING
        + " Fingerprints are comparable only between results whose provider names the same "
        "embedder (GET /v1/providers: meta.models.faces.fingerprint, 'dlib-resnet-v1-128d'). "
        "Omitted when the server computes no embeddings.",
    )
    instances: list[TimedInstance] = Field(
        description="Time ranges in which this face is visible (one per track: first to last "
        "sighting; confidence the mean detector score)."
    )


class TranscriptSegment(_Doc):
    start: float
    end: float
    text: str
    speaker_id: int
    language: str
    confidence: float = Field(ge=0, le=1)


class OcrText(_Doc):
    text: str
    confidence: float = Field(ge=0, le=1)
    language: str
    instances: list[TimedInstance]


class ModerationSignal(_Doc):
    label: str
    confidence: float = Field(ge=0, le=1)
    instances: list[TimedInstance]


class ContentModeration(_Doc):
    is_safe: bool
    signals: list[ModerationSignal]


class SentimentInstance(_Doc):
    start: float
    end: float
    label: str
    score: float


class Sentiment(_Doc):
    overall: str
    score: float
    instances: list[SentimentInstance]


class Warning(_Doc):
    """Extension: what could not be measured."""

    feature: str
    reason: str


class AnalysisResult(_Doc):
    """``video-analysis_Result``: one member per requested feature."""

    video_metadata: VideoMetadata
    labels: list[NamedDetection] | None = None
    scenes: list[SceneDetection] | None = None
    faces: list[FaceDetection] | None = None
    speech_to_text: list[TranscriptSegment] | None = None
    ocr: list[OcrText] | None = None
    content_moderation: ContentModeration | None = None
    sentiment: Sentiment | None = None
    topics: list[NamedDetection] | None = None
    brands: list[NamedDetection] | None = None
    summary: str | None = None
    warnings: list[Warning] | None = None


def result_schema() -> dict[str, Any]:
    """The JSON schema (definitions under ``$defs``)."""
    schema: dict[str, Any] = AnalysisResult.model_json_schema()
    return schema
