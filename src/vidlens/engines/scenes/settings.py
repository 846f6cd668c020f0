"""Settings of the shot detector (documented with their reasons in docs/reframe.md)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SceneSettings(BaseModel):
    """Thresholds of :mod:`vidlens.engines.scenes.detector`. Scores are on the 0-255 scale of
    8-bit pixel values."""

    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    analysis_width: int = Field(default=128, ge=16, le=1024)
    """Frames are decimated (every k-th pixel of every k-th row) to about this width before
    scoring; the height keeps the aspect ratio. Shot changes are large-scale events: 128
    columns are enough and keep the per-frame cost far below the decoding cost."""

    cut_threshold: float = Field(default=10.0, gt=0.0, le=255.0)
    """Smallest frame-to-frame change (mean absolute difference of Y, U and V, averaged)
    that can be a hard cut."""

    cut_ratio: float = Field(default=3.0, ge=1.0, le=100.0)
    """A cut's change must also be this many times the mean change of the neighbouring
    frames (``window_frames`` on each side): fast motion raises the neighbours too, a cut
    does not."""

    window_frames: int = Field(default=2, ge=1, le=30)
    """Frames on each side of a candidate cut that form its baseline."""

    min_scene_seconds: float = Field(default=0.4, ge=0.0, le=60.0)
    """Two boundaries closer than this are one event (a flash, a one-frame glitch): the
    stronger one is kept."""

    dark_threshold: float = Field(default=12.0, ge=0.0, le=255.0)
    """A frame whose mean luma (full-range 0-255) is below this is dark: a run of dark
    frames between two shots is a fade (or a cut) through black."""

    decode_threads: int = Field(default=1, ge=0, le=64)
    """Decoder threads. 1 (default) decodes in the calling thread: the most frames per CPU
    second, and the fastest on a busy machine (on the shared 2-core bench machine one
    thread decoded 720p H.264 at 980 frames/s, libavcodec's automatic threading at 560).
    0 lets libavcodec decide; 2+ uses that many frame threads (faster on an idle machine
    for 1080p and up)."""

    max_duration_seconds: float = Field(default=4 * 3600.0, gt=0.0)
    """Longest video analysed; longer ones are rejected before decoding."""
