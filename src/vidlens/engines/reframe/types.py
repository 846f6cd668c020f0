"""The crop plan: what the virtual camera shows at every frame.

Pixels are in the source's displayed frame (x right, y down); frames are 0-based decode
indexes, as in the scene and face results.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Literal

ShotKind = Literal["still", "pan", "center", "blur_pad"]


@dataclass(frozen=True, slots=True)
class Keyframe:
    """The crop's top-left corner at one frame; positions between keyframes are linear."""

    frame: int
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class CameraShot:
    """One stretch of output with one camera behaviour.

    Attributes:
        start_frame, end_frame: frames ``[start_frame, end_frame)``.
        scene_index: the source scene it lies in.
        kind: ``still`` (fixed crop on the face), ``pan`` (smoothly following it),
            ``center`` (fixed centre crop, no face), ``blur_pad`` (whole frame over a
            blurred copy of itself, no crop).
        face_id: the face followed, or None.
        keyframes: crop positions (``still``/``center``: one; ``pan``: one per sample).
    """

    start_frame: int
    end_frame: int
    scene_index: int
    kind: ShotKind
    face_id: int | None
    keyframes: tuple[Keyframe, ...] = ()

    def position(self, frame: int) -> tuple[float, float] | None:
        """The crop's top-left at ``frame`` (None for ``blur_pad``)."""
        if not self.keyframes:
            return None
        points = self.keyframes
        if frame <= points[0].frame:
            return points[0].x, points[0].y
        for before, after in itertools.pairwise(points):
            if before.frame <= frame <= after.frame:
                span = after.frame - before.frame
                w = (frame - before.frame) / span if span else 0.0
                return before.x + w * (after.x - before.x), before.y + w * (after.y - before.y)
        return points[-1].x, points[-1].y


@dataclass(frozen=True, slots=True)
class CropPlan:
    """The virtual camera over a whole video.

    Attributes:
        source_width, source_height: displayed source size in pixels.
        fps: source frame rate; frame_count: frames in the source.
        crop_width, crop_height: size of the crop window in source pixels.
        output_width, output_height: size of the rendered video.
        aspect: the target ratio (``"9:16"``).
        mode: the reframe mode used.
        shots: consecutive, covering every frame.
        notes: what the plan had to work around (no faces, already at the aspect...).
    """

    source_width: int
    source_height: int
    fps: float
    frame_count: int
    crop_width: int
    crop_height: int
    output_width: int
    output_height: int
    aspect: str
    mode: str
    shots: tuple[CameraShot, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def shot_at(self, frame: int) -> CameraShot:
        for shot in self.shots:
            if frame < shot.end_frame:
                return shot
        return self.shots[-1]

    def window_at(self, frame: int) -> tuple[int, int, int, int] | None:
        """``(x, y, w, h)`` of the crop at ``frame`` (even x, y), or None for blur-pad."""
        position = self.shot_at(frame).position(frame)
        if position is None:
            return None
        x = min(max(0.0, position[0]), self.source_width - self.crop_width)
        y = min(max(0.0, position[1]), self.source_height - self.crop_height)
        return int(x) // 2 * 2, int(y) // 2 * 2, self.crop_width, self.crop_height

    def to_dict(self, *, per_frame: bool = False) -> dict[str, Any]:
        """The plan as JSON: shots with keyframes; ``per_frame`` adds ``frames``: one
        ``[frame, x, y]`` per source frame (``null`` x/y for blur-pad frames)."""
        document: dict[str, Any] = {
            "source": {"width": self.source_width, "height": self.source_height},
            "fps": self.fps,
            "frame_count": self.frame_count,
            "aspect_ratio": self.aspect,
            "mode": self.mode,
            "crop": {"width": self.crop_width, "height": self.crop_height},
            "output": {"width": self.output_width, "height": self.output_height},
            "notes": list(self.notes),
            "shots": [
                {
                    "start_frame": s.start_frame,
                    "end_frame": s.end_frame,
                    "start": round(s.start_frame / self.fps, 4),
                    "end": round(s.end_frame / self.fps, 4),
                    "scene_index": s.scene_index,
                    "kind": s.kind,
                    "face_id": s.face_id,
                    "keyframes": [
                        {"frame": k.frame, "x": round(k.x, 1), "y": round(k.y, 1)}
                        for k in s.keyframes
                    ],
                }
                for s in self.shots
            ],
        }
        if per_frame:
            frames = []
            for frame in range(self.frame_count):
                window = self.window_at(frame)
                frames.append([frame, *(window[:2] if window else (None, None))])
            document["frames"] = frames
        return document
