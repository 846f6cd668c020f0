"""Typed results of the face engine: per-sample observations, metrics, the video report.

Every result is a frozen dataclass with ``to_dict()`` returning plain JSON types (lists,
dicts, floats, strings, ``None``).

Conventions: times in seconds from the start of the video; boxes and points normalised to
the frame (x to the right, y down, 0-1 inside the frame; a face cut by an edge may extend
slightly past it); angles in degrees: ``yaw`` > 0 when the face turns towards the image's
right, ``pitch`` > 0 when it tilts up, ``roll`` > 0 when it tilts counter-clockwise as
displayed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Point3 = tuple[float, float, float]


def to_jsonable(value: Any) -> Any:
    """Dataclasses, mappings and sequences converted recursively to JSON types."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class BoundingBox:
    """A normalised box: top-left ``(x, y)``, ``width`` and ``height`` (fractions of the
    frame's width and height)."""

    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2

    @property
    def area(self) -> float:
        return self.width * self.height


@dataclass(frozen=True, slots=True)
class FaceObservation:
    """One face in one sample.

    Attributes:
        bbox: the box around the 478 landmarks (forehead to chin, cheek to cheek).
        yaw: head yaw in degrees (from the facial transformation matrix), or None.
        pitch: head pitch in degrees, or None.
        roll: head roll in degrees, or None.
        blendshapes: the 52 ARKit-style expression scores in [0, 1] by name (empty when the
            source had none).
        mouth_open: inner-lip gap divided by mouth width (≈0 closed, ≈0.5-0.8 wide open).
        key_points: named landmarks (x, y, z normalised; z relative depth): ``nose_tip``,
            ``right_eye``/``left_eye`` (the subject's; iris centres when present),
            ``mouth_right``/``mouth_left``, ``upper_lip``/``lower_lip`` (inner),
            ``forehead``, ``chin``.
        landmarks: all landmarks when kept (``keep_all_landmarks``), else None.
    """

    bbox: BoundingBox
    yaw: float | None
    pitch: float | None
    roll: float | None
    blendshapes: Mapping[str, float]
    mouth_open: float | None
    key_points: Mapping[str, Point3]
    landmarks: tuple[Point3, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = to_jsonable(self)
        return result


@dataclass(frozen=True, slots=True)
class FaceSample:
    """The faces seen at one instant (``faces`` empty when none)."""

    timestamp: float
    faces: tuple[FaceObservation, ...] = ()

    @property
    def face_present(self) -> bool:
        return bool(self.faces)

    @property
    def primary(self) -> FaceObservation | None:
        """The largest face (the speaker, for coaching), or None."""
        return max(self.faces, key=lambda face: face.bbox.area) if self.faces else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "timestamp": self.timestamp,
            "face_present": self.face_present,
            "faces": [face.to_dict() for face in self.faces],
        }


@dataclass(frozen=True, slots=True)
class SampleAssessment:
    """What the metric rules concluded about one sample (``None``: could not tell).

    ``framing`` holds the framing issues (``off_centre``, ``too_close``, ``too_far``,
    ``cut_off_left`` / ``_right`` / ``_top`` / ``_bottom``); empty means well framed.
    """

    timestamp: float
    face_present: bool
    eye_contact: bool | None = None
    smiling: bool | None = None
    eyes_closed: bool | None = None
    expression: str | None = None
    expression_confidence: float | None = None
    framing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HeadPoseStats:
    """Head pose over the samples with a face and a pose, in degrees.

    ``movement_deg_per_second``: summed angular change between consecutive samples (not
    across gaps) divided by the time covered: a restless head scores high.
    """

    yaw_mean: float
    yaw_std: float
    pitch_mean: float
    pitch_std: float
    roll_mean: float
    roll_std: float
    movement_deg_per_second: float | None


@dataclass(frozen=True, slots=True)
class BlinkStats:
    """Blinks found with hysteresis on the mean eyeBlink score."""

    count: int
    rate_per_minute: float
    """Blinks per minute of time with a visible face."""
    mean_duration_seconds: float | None
    lower_bound: bool
    """True when the sampling is too sparse (< 10 samples/s) to see every blink: short
    blinks can fall between samples, so the rate is a lower bound."""


@dataclass(frozen=True, slots=True)
class FramingStats:
    """Framing over the samples with a face."""

    overall: str
    """``well_framed`` when most samples have no issue, else the most frequent issue."""
    well_framed_ratio: float
    issue_ratios: Mapping[str, float]
    """Fraction of face samples with each issue."""
    mean_face_height: float
    mean_centre: tuple[float, float]


@dataclass(frozen=True, slots=True)
class FaceWindow:
    """Metrics of one time window (``None`` where the window has no face to measure)."""

    start: float
    end: float
    sample_count: int
    face_presence_ratio: float
    eye_contact_ratio: float | None
    smile_ratio: float | None
    mean_smile: float | None
    head_movement_deg_per_second: float | None
    blink_count: int | None
    blink_rate_per_minute: float | None
    dominant_expression: str | None
    dominant_expression_share: float | None
    well_framed_ratio: float | None


@dataclass(frozen=True, slots=True)
class FaceMoment:
    """A notable stretch of time: ``kind`` is ``looked_away`` or ``face_missing``."""

    start: float
    end: float
    kind: str
    label: str
    description: str


@dataclass(frozen=True, slots=True)
class FaceMetrics:
    """Coaching face metrics of one sequence of samples.

    A metric is ``None`` when it cannot be measured; ``unavailable`` then says why, by metric
    name. ``expression_*`` come from a documented rule-based mapping of blendshapes (a
    heuristic, not a trained emotion model: see docs/face.md).
    """

    source: str
    """``video`` (decoded by vidlens) or ``client`` (``mediapipeSamples``)."""
    sample_count: int
    samples_with_face: int
    duration_seconds: float
    """Time spanned by the samples (last - first timestamp + one sampling interval)."""
    sample_rate: float | None
    """Median samples per second."""
    face_presence_ratio: float | None
    eye_contact_ratio: float | None
    head_pose: HeadPoseStats | None
    smile_ratio: float | None
    mean_smile: float | None
    blinks: BlinkStats | None
    expression_distribution: Mapping[str, float] | None
    """Share of face time per expression label (heuristic)."""
    dominant_expression: str | None
    expression_method: str
    framing: FramingStats | None
    windows: tuple[FaceWindow, ...]
    moments: tuple[FaceMoment, ...]
    timeline: tuple[SampleAssessment, ...]
    unavailable: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = to_jsonable(self)
        return result


@dataclass(frozen=True, slots=True)
class FaceReport:
    """The result of :func:`vidlens.engines.face.engine.analyze_faces` on one video.

    Attributes:
        width: displayed frame width in pixels.
        height: displayed frame height in pixels.
        duration: video duration in seconds (from ffprobe).
        sample_fps: frames analysed per second.
        samples: one per analysed frame, in time order.
        metrics: the coaching metrics of ``samples``.
        model: the landmarker model id.
        processing: ``processing_seconds``, ``ms_per_frame``, ``real_time_factor``,
            ``decode_wait_seconds``.
    """

    width: int
    height: int
    duration: float
    sample_fps: float
    samples: tuple[FaceSample, ...]
    metrics: FaceMetrics
    model: str
    processing: Mapping[str, float]

    def to_dict(self, *, include_samples: bool = True) -> dict[str, Any]:
        return {
            "width": self.width,
            "height": self.height,
            "duration": self.duration,
            "sample_fps": self.sample_fps,
            "model": self.model,
            "processing": dict(self.processing),
            "metrics": self.metrics.to_dict(),
            "samples": [s.to_dict() for s in self.samples] if include_samples else None,
        }
