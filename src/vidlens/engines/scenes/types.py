"""Typed results of the shot detector. Frames are 0-based indexes in presentation order;
times are seconds from the first frame."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Transition = Literal["start", "cut", "fade"]


@dataclass(frozen=True, slots=True)
class Boundary:
    """Where one shot ends and the next begins.

    Attributes:
        frame: first frame of the new shot.
        kind: ``cut`` (abrupt change) or ``fade`` (through black; ``frame`` is the middle
            of the dark frames).
        score: the change at ``frame`` (cut) or the darkness depth (fade), 0-255 scale.
        span: first and last frame of the transition (equal for a cut; the dark run for a
            fade).
    """

    frame: int
    kind: Transition
    score: float
    span: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Scene:
    """One shot: frames ``[start_frame, end_frame)`` and times ``[start, end)``.

    ``transition`` says how it began: ``start`` (first scene), ``cut`` or ``fade``.
    """

    index: int
    start_frame: int
    end_frame: int
    start: float
    end: float
    transition: Transition

    @property
    def frame_count(self) -> int:
        return self.end_frame - self.start_frame

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "start": round(self.start, 4),
            "end": round(self.end, 4),
            "start_frame": self.start_frame,
            "end_frame": self.end_frame,
            "frame_count": self.frame_count,
            "transition": self.transition,
        }


@dataclass(frozen=True, slots=True)
class SceneResult:
    """The shots of one video.

    Attributes:
        fps: average frame rate of the stream.
        frame_count: frames decoded.
        duration: seconds (last frame's time plus one frame).
        width, height: coded frame size in pixels.
        scenes: the shots in order, covering every frame.
        boundaries: the detected boundaries (one per scene after the first).
        processing: ``processing_seconds``, ``frames_per_second``.
    """

    fps: float
    frame_count: int
    duration: float
    width: int
    height: int
    scenes: tuple[Scene, ...]
    boundaries: tuple[Boundary, ...]
    method: str = "vidlens-shots-v1"
    processing: dict[str, float] = field(default_factory=dict)

    def scene_at(self, frame: int) -> Scene:
        """The scene holding ``frame`` (the last one for frames past the end)."""
        for scene in self.scenes:
            if frame < scene.end_frame:
                return scene
        return self.scenes[-1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": "scene_detection",
            "method": self.method,
            "video_fps": self.fps,
            "total_frames": self.frame_count,
            "duration": round(self.duration, 4),
            "width": self.width,
            "height": self.height,
            "scene_count": len(self.scenes),
            "scenes": [scene.to_dict() for scene in self.scenes],
            "boundaries": [
                {"frame": b.frame, "kind": b.kind, "score": round(b.score, 3), "span": list(b.span)}
                for b in self.boundaries
            ],
            "processing": {k: round(v, 4) for k, v in self.processing.items()},
        }
