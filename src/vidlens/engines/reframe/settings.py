"""Settings of the virtual camera and the renderer (reasons in docs/reframe.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ReframeMode = Literal["auto", "center", "blur_pad"]


class ReframeSettings(BaseModel):
    """Camera rules and output encoding."""

    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    aspect_ratio: str = "9:16"
    """Default output aspect ratio, ``W:H`` (9:16, 1:1, 4:5, 16:9...)."""

    mode: ReframeMode = "auto"
    """``auto``: follow the active speaker, blur-pad scenes without a face; ``center``:
    follow the speaker, centre-crop scenes without a face; ``blur_pad``: never crop, fit the
    whole frame over a blurred copy of itself."""

    switch_seconds: float = Field(default=1.0, ge=0.0, le=30.0)
    """Another face must lead the speaking scores this long before the camera cuts to it
    (the cut is placed where its lead began): no flicking between speakers."""

    lost_seconds: float = Field(default=0.5, ge=0.0, le=30.0)
    """When the followed face is not seen for this long, the camera takes the best face on
    screen."""

    margin_ratio: float = Field(default=0.12, ge=0.0, le=0.45)
    """A still camera must keep the face this fraction of the crop width inside each edge;
    when no still position can, the camera pans."""

    pan_smoothing_seconds: float = Field(default=0.6, gt=0.0, le=10.0)
    """Standard deviation (s) of the Gaussian that smooths a panning camera's path."""

    output_height: int | None = Field(default=None, ge=64, le=4320)
    """Output height in pixels; empty: the crop's own height (never upscaled by default)."""

    crf: int = Field(default=21, ge=0, le=51)
    """x264 constant rate factor of the output (lower: better and larger)."""

    preset: str = "superfast"
    """x264 preset. ``superfast`` encoded the 60 s 1080p bench video's 608x1080 output with
    10.8 s of CPU against 17.1 s for ``veryfast`` (CRF keeps the quality; files are a little
    larger)."""

    audio_bitrate: str = "128k"
    """AAC bitrate of the output audio."""

    encoder_threads: int = Field(default=0, ge=0, le=64)
    """x264 threads (0: x264 decides)."""

    ffmpeg: str = "ffmpeg"
    """ffmpeg executable used to encode."""

    encode_timeout_seconds: float = Field(default=6 * 3600.0, gt=0.0)
    """Time allowed to render one video."""
