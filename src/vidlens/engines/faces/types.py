"""Typed results of the face tracker.

Conventions: boxes are normalised to the displayed frame (x right, y down, 0-1; a face cut
by an edge may reach slightly past it); times are seconds from the first frame; ``frame``
is the 0-based index of the video frame the observation was made on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vidlens.engines.face.types import BoundingBox


def iou(a: BoundingBox, b: BoundingBox) -> float:
    """Intersection over union of two boxes (0 when they do not overlap)."""
    left, top = max(a.x, b.x), max(a.y, b.y)
    right = min(a.x + a.width, b.x + b.width)
    bottom = min(a.y + a.height, b.y + b.height)
    if right <= left or bottom <= top:
        return 0.0
    inter = (right - left) * (bottom - top)
    union = a.area + b.area - inter
    return inter / union if union > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Detection:
    """One face found in one frame.

    Attributes:
        box: the detector's box (brows to chin, cheek to cheek).
        score: detector confidence in [0, 1].
        keypoints: BlazeFace's six points (the subject's right eye, left eye, nose tip,
            mouth centre, right ear, left ear), normalised.
    """

    box: BoundingBox
    score: float
    keypoints: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class TrackPoint:
    """A tracked face in one sampled frame.

    Attributes:
        time: seconds.
        frame: video frame index.
        box: the face box.
        score: detector confidence.
        mouth_open: inner-lip gap over mouth width from the 68 landmarks (≈0 closed,
            0.3+ wide open), or None when the landmarks could not be placed.
    """

    time: float
    frame: int
    box: BoundingBox
    score: float
    mouth_open: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "timestamp": round(self.time, 4),
            "frame_number": self.frame,
            "box": {
                "x": round(self.box.x, 5),
                "y": round(self.box.y, 5),
                "width": round(self.box.width, 5),
                "height": round(self.box.height, 5),
            },
            "confidence": round(self.score, 4),
            "mouth_open": None if self.mouth_open is None else round(self.mouth_open, 4),
        }


@dataclass(frozen=True, slots=True)
class FaceTrack:
    """One face followed through one scene.

    Attributes:
        track_id: unique in the video, never reused; a track never crosses a scene boundary.
        face_id: the person: tracks re-identified as the same face (by embedding) share it.
        scene_index: the scene the track lies in.
        points: the face in each sampled frame where it was detected, in time order.
        embedding: the mean of its 128-d face embeddings, or None when none was computed.
    """

    track_id: int
    face_id: int
    scene_index: int
    points: tuple[TrackPoint, ...]
    embedding: tuple[float, ...] | None = None

    @property
    def first_seen(self) -> float:
        return self.points[0].time

    @property
    def last_seen(self) -> float:
        return self.points[-1].time

    @property
    def mean_score(self) -> float:
        return sum(p.score for p in self.points) / len(self.points)

    def to_dict(self, *, include_points: bool = True) -> dict[str, Any]:
        from vidlens.engines.face_id.fingerprint import encode_fingerprint

        return {
            "track_id": self.track_id,
            "face_id": self.face_id,
            "scene_index": self.scene_index,
            "first_seen": round(self.first_seen, 4),
            "last_seen": round(self.last_seen, 4),
            "confidence": round(self.mean_score, 4),
            "detections": len(self.points),
            "fingerprint": encode_fingerprint(self.embedding) if self.embedding else None,
            "boxes": [p.to_dict() for p in self.points] if include_points else None,
        }


@dataclass(frozen=True, slots=True)
class FaceTrackingResult:
    """The face tracks of one video.

    Attributes:
        video_fps: the video's frame rate.
        total_frames: frames in the video (decoded).
        sample_fps: frames analysed per second.
        width, height: displayed frame size in pixels.
        duration: seconds.
        tracks: every track, ordered by first appearance.
        scene_count: scenes the tracks were cut at (1 when no scenes were given).
        detector: the face detector's name.
        embedder: the face embedding model's name, or None when re-identification was off.
        processing: timings in seconds.
    """

    video_fps: float
    total_frames: int
    sample_fps: float
    width: int
    height: int
    duration: float
    tracks: tuple[FaceTrack, ...]
    scene_count: int
    detector: str
    embedder: str | None
    processing: dict[str, float] = field(default_factory=dict)

    @property
    def face_ids(self) -> list[int]:
        """Distinct people, in order of first appearance."""
        seen: list[int] = []
        for track in self.tracks:
            if track.face_id not in seen:
                seen.append(track.face_id)
        return seen

    def to_dict(self, *, include_points: bool = True) -> dict[str, Any]:
        return {
            "model": "face_tracking_yolov8",
            "detector": self.detector,
            "embedder": self.embedder,
            "video_fps": self.video_fps,
            "total_frames": self.total_frames,
            "sample_fps": self.sample_fps,
            "width": self.width,
            "height": self.height,
            "duration": round(self.duration, 4),
            "scene_count": self.scene_count,
            "track_count": len(self.tracks),
            "face_count": len(self.face_ids),
            "tracks": [t.to_dict(include_points=include_points) for t in self.tracks],
            "processing": {k: round(v, 4) for k, v in self.processing.items()},
        }
