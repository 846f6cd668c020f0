"""Settings of the reframe pipeline (``VIDLENS_REFRAME__*``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from vidlens.engines.active_speaker.settings import ActiveSpeakerSettings
from vidlens.engines.faces.settings import FaceTrackingSettings
from vidlens.engines.reframe.settings import ReframeSettings
from vidlens.engines.scenes.settings import SceneSettings


class ReframePipelineSettings(BaseModel):
    """Engines, the one-call pipeline and the optional LLM behind ``reframe_llm``."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    scenes: SceneSettings = Field(default_factory=SceneSettings)
    """Shot detection."""

    faces: FaceTrackingSettings = Field(default_factory=FaceTrackingSettings)
    """Face detection, tracking and re-identification."""

    active_speaker: ActiveSpeakerSettings = Field(default_factory=ActiveSpeakerSettings)
    """Active-speaker scores."""

    camera: ReframeSettings = Field(default_factory=ReframeSettings)
    """The virtual camera and the output encoding."""

    max_duration_seconds: float = Field(default=4 * 3600.0, gt=0)
    """Longest video accepted by ``/api/v2`` (it can only lower the media limit)."""

    pipeline_transcribe: bool = True
    """The one-call ``POST /api/v2/reframe`` also transcribes (the transcript is kept as the
    ``transcription`` step); False skips it for speed."""

    transcription_beam_size: int | None = Field(default=1, ge=1, le=20)
    """Beam width of the pipeline's ``transcription`` step (greedy by default: on the shared
    speech clips with exact text the WER was the same as with a beam of 5, 1 error in 49
    words, for 22-35 % less CPU). Empty: the speech engine's ``beam_size``."""

    llm_url: str | None = None
    """Base URL of an OpenAI-compatible chat API for ``reframe_llm`` (for example
    ``http://127.0.0.1:8080/v1``; ``/chat/completions`` is appended). Empty: ``reframe_llm``
    is unavailable."""

    llm_model: str = "default"
    """Model name sent to the chat endpoint."""

    llm_api_key: SecretStr | None = None
    """Bearer key for the chat endpoint, if it needs one."""

    llm_timeout_seconds: float = Field(default=60.0, gt=0, le=600)
    """Time allowed for one chat completion."""
