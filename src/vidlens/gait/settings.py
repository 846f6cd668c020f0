"""Settings of the running-gait surface (``/analysis``): the contract's limits, the price,
the annotated video."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class GaitSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    max_upload_bytes: int = Field(default=30_000_000, ge=1)
    """Largest video accepted by ``POST /analysis`` (the contract's 30 MB, decimal: 30,000,000
    bytes); larger uploads answer 413 ``file_too_large``."""

    max_duration_seconds: float = Field(default=10.0, gt=0, le=600)
    """Longest video accepted (the contract's 10 s); longer ones answer 400 ``video_too_long``."""

    duration_tolerance_seconds: float = Field(default=0.1, ge=0, le=2)
    """Slack on the duration limit for container rounding (an audio track a few
    milliseconds longer than the picture, say)."""

    credits_per_second: float = Field(default=1.0, ge=0)
    """Credits charged at creation per second of video (rounded down, at least 1 credit per
    analysis); refunded when the analysis fails."""

    video_max_side: int = Field(default=960, ge=320, le=3840)
    """Longest side in pixels of the annotated video (960: 960x540 for 16:9; 1280 costs about
    40 % more encoding time)."""

    video_crf: int = Field(default=23, ge=0, le=51)
    """libx264 quality of the annotated video (lower is better and larger)."""

    video_preset: str = "veryfast"
    """libx264 preset of the annotated video (``ultrafast`` … ``veryslow``)."""

    frame_store_mb: int = Field(default=320, ge=0, le=8192)
    """Memory (MB) for keeping the frames decoded for the pose, as YUV 4:2:0, so that the
    annotated video is drawn on them instead of decoding the clip again (10 s at 30 fps of a
    960x540 decoding takes 233 MB; saves about 1.4 CPU seconds for 10 s of 1080p). Used when
    the pose decodes at the video's size (``engines.pose.max_side_pixels`` equal to
    ``video_max_side``, both 960 by default) and the whole clip fits; 0 turns it off."""
