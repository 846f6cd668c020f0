"""What the camera sees: side or back view, the runner's facing, near and far legs, panning.

- **Facing** (side view): +1 when the runner faces image-right, -1 image-left, per frame:
  the sign of nose minus ear midpoint (x), as a running majority over 1 s (single noisy
  frames do not flip it), carried over frames where the head is not seen.
- **Near leg**: the runner shows the camera the side they face: facing image-left, the left
  leg is the near one. (The pose engine relabels left/right so that this holds, see
  :func:`vidlens.engines.pose.filters.repair_handedness`.)
- **View**: a frame is a side view when the shoulders are less than 35 % of the torso length
  apart horizontally; the clip is a side view when at least half of its frames are.
- **Panning**: a frame whose background moved more than :data:`PAN_SHIFT` of the frame width
  (see :mod:`vidlens.engines.pose.motion`); the camera pans when more than 20 % do.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from vidlens.engines.pose.types import FloatArray, PoseSequence
from vidlens.gait.geometry import window_sum

View = Literal["side_view", "back_view"]
PAN_SHIFT = 0.0008
"""Background shift per frame, as a share of the frame width, above which a frame pans."""
PAN_SHARE = 0.2
"""Share of panning frames above which the camera is said to pan."""
SIDE_SHOULDERS = 0.35
"""Shoulders closer than this share of the torso length (horizontally): a side view."""


def camera_pans(seq: PoseSequence) -> bool:
    """More than :data:`PAN_SHARE` of frames show background motion above :data:`PAN_SHIFT`."""
    if len(seq.camera_shift) < 3:
        return False
    steps = np.linalg.norm(np.diff(seq.camera_shift, axis=0), axis=1)
    return bool(np.mean(steps > PAN_SHIFT * seq.video.width) > PAN_SHARE)


def facing(seq: PoseSequence) -> FloatArray:
    """+1 (image-right) or -1 (image-left) for every frame (see the module docstring)."""
    nose = seq.pixels("nose")[:, 0]
    ears = (seq.pixels("left_ear")[:, 0] + seq.pixels("right_ear")[:, 0]) / 2
    vote = np.nan_to_num(np.sign(nose - ears))
    out = np.sign(window_sum(vote, max(1, round(seq.video.fps / 2))))
    known = np.flatnonzero(out != 0)
    if known.size == 0:
        return np.full(len(vote), -1.0)
    nearest = known[np.clip(np.searchsorted(known, np.arange(len(out))), 0, known.size - 1)]
    out[out == 0] = out[nearest[out == 0]]
    return np.asarray(out, dtype=np.float64)


def side_view_share(seq: PoseSequence) -> float:
    """Share of the runner's frames that look like a side view."""
    shoulders = np.abs(seq.pixels("left_shoulder")[:, 0] - seq.pixels("right_shoulder")[:, 0])
    mid_s = (seq.pixels("left_shoulder") + seq.pixels("right_shoulder")) / 2
    mid_h = (seq.pixels("left_hip") + seq.pixels("right_hip")) / 2
    torso = np.linalg.norm(mid_s - mid_h, axis=1)
    valid = np.isfinite(shoulders) & np.isfinite(torso)
    if not valid.any():
        return 0.0
    return float(np.mean(shoulders[valid] < SIDE_SHOULDERS * torso[valid]))


def detected_view(seq: PoseSequence) -> View:
    return "side_view" if side_view_share(seq) >= 0.5 else "back_view"


def side_view_leg(foot: str, frame: int, facing_by_frame: FloatArray) -> Literal["near", "far"]:
    """``near`` when ``foot`` is on the side the runner shows the camera at ``frame``."""
    left_near = facing_by_frame[frame] < 0
    return "near" if (foot == "left") == left_near else "far"
