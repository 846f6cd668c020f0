"""Pose data types: the 33 MediaPipe landmarks and a per-frame sequence for one person."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

LANDMARK_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
"""MediaPipe BlazePose landmark order (index = position in this tuple)."""

INDEX: dict[str, int] = {name: i for i, name in enumerate(LANDMARK_NAMES)}

LEFT_RIGHT_PAIRS: tuple[tuple[int, int], ...] = tuple(
    (INDEX[name], INDEX["right_" + name.removeprefix("left_")])
    for name in LANDMARK_NAMES
    if name.startswith("left_")
)
"""(left index, right index) of every paired landmark."""

SKELETON: tuple[tuple[str, str], ...] = (
    ("left_shoulder", "right_shoulder"),
    ("left_shoulder", "left_elbow"),
    ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"),
    ("right_elbow", "right_wrist"),
    ("left_shoulder", "left_hip"),
    ("right_shoulder", "right_hip"),
    ("left_hip", "right_hip"),
    ("left_hip", "left_knee"),
    ("left_knee", "left_ankle"),
    ("left_ankle", "left_heel"),
    ("left_heel", "left_foot_index"),
    ("left_ankle", "left_foot_index"),
    ("right_hip", "right_knee"),
    ("right_knee", "right_ankle"),
    ("right_ankle", "right_heel"),
    ("right_heel", "right_foot_index"),
    ("right_ankle", "right_foot_index"),
)
"""Bones drawn on annotated frames."""


@dataclass(frozen=True)
class VideoInfo:
    """The decoded stream as the analysis sees it (after rotation).

    Attributes:
        width, height: displayed frame size in pixels (rotation metadata applied).
        fps: frames per second derived from the frame timestamps (median interval).
        nominal_fps: the stream's declared rate (``r_frame_rate``), or None.
        duration_seconds: time of the last frame minus the first, plus one frame.
        rotation: rotation applied from the stream's display matrix, degrees.
        frame_count: frames decoded.
        variable_frame_rate: frame intervals vary by more than 10 %.
    """

    width: int
    height: int
    fps: float
    nominal_fps: float | None
    duration_seconds: float
    rotation: int
    frame_count: int
    variable_frame_rate: bool


@dataclass
class PoseSequence:
    """One person's pose on every decoded frame (NaN where not detected).

    Attributes:
        video: the stream's geometry and timing.
        times: presentation time of each frame in seconds, from the stream's timestamps
            (first frame at 0), shape (N,).
        image: normalised image coordinates (x, y in [0, 1] of width/height; z relative depth
            in the same scale as x, smaller is nearer the camera), shape (N, 33, 3).
        world: metric coordinates in metres centred between the hips, shape (N, 33, 3).
        visibility: per-landmark visibility 0-1, shape (N, 33).
        detected: the person was detected on the frame, shape (N,).
        people_max: most people seen on one frame.
        swaps_repaired: frames whose left/right labels were swapped back.
        smoothing: the smoothing applied (filter, order, cut-off, gap filling), as data.
        camera_shift: cumulative global image motion (background) in pixels per frame,
            shape (N, 2) (dx, dy relative to the first frame), used to tell a panning camera.
    """

    video: VideoInfo
    times: FloatArray
    image: FloatArray
    world: FloatArray
    visibility: FloatArray
    detected: npt.NDArray[np.bool_]
    people_max: int = 1
    swaps_repaired: int = 0
    smoothing: dict[str, object] = field(default_factory=dict)
    camera_shift: FloatArray = field(default_factory=lambda: np.zeros((0, 2)))

    @property
    def frame_count(self) -> int:
        return int(self.times.shape[0])

    def pixels(self, landmark: str) -> FloatArray:
        """Image coordinates of one landmark in pixels, shape (N, 2)."""
        i = INDEX[landmark]
        scale = np.array([self.video.width, self.video.height], dtype=np.float64)
        return self.image[:, i, :2] * scale
