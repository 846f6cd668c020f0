"""Synthetic side-view gait with known contacts: a stick figure whose feet stand still on
footprints for a given number of frames and swing forward in between.

Foot A lands on frames ``first + 2 k period``, foot B on ``first + period + 2 k period``; each
stance lasts ``stance`` frames, so the true cadence is ``60 fps / period`` and the true contact
time ``stance / fps``. Everything is in pixels of a 1280 x 720 frame, normalised on output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vidlens.engines.pose.types import INDEX, PoseSequence, VideoInfo

WIDTH, HEIGHT = 1280, 720
GROUND = 620.0
LEG = 200.0
FOOT = 40.0


@dataclass(frozen=True)
class Walker:
    fps: float = 30.0
    frames: int = 150
    period: int = 18
    """Frames from one foot's contact to the other's."""
    stance: int = 22
    """Frames each foot stays on the ground."""
    first: int = 5
    step_px: float = 120.0
    """Distance between consecutive footprints."""
    facing: float = 1.0
    """+1 walking to image-right, -1 to the left."""
    start_x: float = 200.0
    lift_px: float = 30.0

    def contacts(self, foot: int) -> list[int]:
        start = self.first + foot * self.period
        return list(range(start, self.frames, 2 * self.period))

    def toe_offs(self, foot: int) -> list[int]:
        return [c + self.stance - 1 for c in self.contacts(foot) if c + self.stance < self.frames]


def _heel_track(walker: Walker, foot: int) -> np.ndarray:
    """Heel (x, y) on every frame: planted on each footprint, linear swing in between."""
    xy = np.zeros((walker.frames, 2))
    contacts = walker.contacts(foot)
    x_of = {
        c: walker.start_x + walker.facing * walker.step_px * (c - walker.first) / walker.period
        for c in contacts
    }
    before = contacts[0] - 2 * walker.period
    x_of[before] = x_of[contacts[0]] - walker.facing * 2 * walker.step_px
    marks = sorted(x_of)
    for t in range(walker.frames):
        previous = max(m for m in marks if m <= t) if any(m <= t for m in marks) else marks[0]
        following = [m for m in marks if m > t]
        lift_start = previous + walker.stance
        if t < lift_start or not following:
            xy[t] = (x_of[previous], GROUND)
            continue
        target = following[0]
        share = (t - lift_start + 1) / (target - lift_start + 1)
        x = x_of[previous] + share * (x_of[target] - x_of[previous])
        xy[t] = (x, GROUND - walker.lift_px * np.sin(np.pi * share))
    return xy


def sequence(walker: Walker) -> PoseSequence:
    """The walker as a :class:`PoseSequence` (foot 0 is labelled left)."""
    count = walker.frames
    image = np.zeros((count, 33, 3))
    heels = [_heel_track(walker, 0), _heel_track(walker, 1)]
    pelvis_x = (heels[0][:, 0] + heels[1][:, 0]) / 2
    hip_y = GROUND - LEG
    for name in ("left_hip", "right_hip"):
        image[:, INDEX[name], 0], image[:, INDEX[name], 1] = pelvis_x, hip_y
    for name in ("left_shoulder", "right_shoulder"):
        image[:, INDEX[name], 0], image[:, INDEX[name], 1] = (
            pelvis_x + walker.facing * 8,
            hip_y - 170,
        )
    for name in ("left_ear", "right_ear"):
        image[:, INDEX[name], 0], image[:, INDEX[name], 1] = (
            pelvis_x + walker.facing * 8,
            hip_y - 230,
        )
    image[:, INDEX["nose"], 0] = pelvis_x + walker.facing * 28
    image[:, INDEX["nose"], 1] = hip_y - 225
    for side, heel in zip(("left", "right"), heels, strict=True):
        toe = heel + np.array([walker.facing * FOOT, 0.0])
        ankle = heel + np.array([walker.facing * 8, -12.0])
        knee = (np.column_stack([pelvis_x, np.full(count, hip_y)]) + ankle) / 2
        knee[:, 0] += walker.facing * 12
        for name, xy in (("heel", heel), ("foot_index", toe), ("ankle", ankle), ("knee", knee)):
            image[:, INDEX[f"{side}_{name}"], :2] = xy
        for name, dy in (("elbow", 80.0), ("wrist", 150.0)):
            image[:, INDEX[f"{side}_{name}"], 0] = pelvis_x
            image[:, INDEX[f"{side}_{name}"], 1] = hip_y - 170 + dy
    for i in range(33):  # the left side is nearer the camera when facing left
        image[:, i, 2] = -0.1 if "left" in _name(i) and walker.facing < 0 else 0.0
    image[:, :, 0] /= WIDTH
    image[:, :, 1] /= HEIGHT
    times = np.arange(count) / walker.fps
    info = VideoInfo(WIDTH, HEIGHT, walker.fps, walker.fps, count / walker.fps, 0, count, False)
    return PoseSequence(
        video=info,
        times=times,
        image=image,
        world=np.zeros((count, 33, 3)),
        visibility=np.ones((count, 33)),
        detected=np.ones(count, dtype=bool),
    )


def _name(index: int) -> str:
    from vidlens.engines.pose.types import LANDMARK_NAMES

    return LANDMARK_NAMES[index]


def back_view_sequence(walker: Walker, pelvic_drop_deg: float, eversion_deg: float) -> PoseSequence:
    """The walker seen from behind, walking away: each foot keeps its lateral place (left at
    x = 560, right at x = 720) and its footprints climb the picture. While a foot stands, the
    other hip sits ``pelvic_drop_deg`` lower, and the standing ankle leans ``eversion_deg``
    toward the midline over its heel."""
    seq = sequence(walker)
    image = seq.image.copy()
    image[:, :, 0] *= WIDTH
    image[:, :, 1] *= HEIGHT
    lateral = {"left": 560.0, "right": 720.0}
    stance = {side: np.zeros(walker.frames, dtype=bool) for side in lateral}
    for foot, side in enumerate(("left", "right")):
        for contact in walker.contacts(foot):
            stance[side][contact : contact + walker.stance] = True
    for side, x in lateral.items():
        progress = image[:, INDEX[f"{side}_heel"], 0] - walker.start_x  # forward travel, px
        lift = GROUND - image[:, INDEX[f"{side}_heel"], 1]
        heel_y = GROUND - progress - lift
        medial = 1.0 if side == "left" else -1.0
        lean = np.where(stance[side], eversion_deg, 0.0)
        image[:, INDEX[f"{side}_heel"], :2] = np.column_stack([np.full(walker.frames, x), heel_y])
        ankle_x = x + medial * 20.0 * np.tan(np.radians(lean))
        image[:, INDEX[f"{side}_ankle"], :2] = np.column_stack([ankle_x, heel_y - 20.0])
        image[:, INDEX[f"{side}_foot_index"], :2] = np.column_stack(
            [np.full(walker.frames, x), heel_y - 6]
        )
        image[:, INDEX[f"{side}_knee"], :2] = np.column_stack(
            [np.full(walker.frames, x), heel_y - 110]
        )
    hip_y = np.minimum(image[:, INDEX["left_heel"], 1], image[:, INDEX["right_heel"], 1]) - 200
    drop = 140.0 * np.tan(np.radians(pelvic_drop_deg))  # the hips are 140 px apart
    for side, other in (("left", "right"), ("right", "left")):
        image[:, INDEX[f"{side}_hip"], 0] = lateral[side] + (10 if side == "left" else -10)
        image[:, INDEX[f"{side}_hip"], 1] = hip_y + np.where(
            stance[other] & ~stance[side], drop, 0.0
        )
        image[:, INDEX[f"{side}_shoulder"], 0] = lateral[side] - (20 if side == "left" else -20)
        image[:, INDEX[f"{side}_shoulder"], 1] = hip_y - 170
    image[:, :, 0] /= WIDTH
    image[:, :, 1] /= HEIGHT
    seq.image = image
    return seq
