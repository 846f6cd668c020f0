"""Body-pose engine: MediaPipe pose landmarker over decoded frames (33 landmarks, image and
world coordinates, visibility), with subject selection, left/right swap repair and
smoothing. See docs/gait.md."""

from vidlens.engines.pose.landmarker import MediaPipePoseEngine
from vidlens.engines.pose.settings import PoseSettings
from vidlens.engines.pose.types import LANDMARK_NAMES, PoseSequence, VideoInfo

__all__ = ["LANDMARK_NAMES", "MediaPipePoseEngine", "PoseSequence", "PoseSettings", "VideoInfo"]
