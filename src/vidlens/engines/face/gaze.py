"""Eye contact: is the speaker looking at the camera in one sample?

Rule (thresholds in :class:`~vidlens.engines.face.settings.FaceMetricSettings`):

1. the head faces the camera: ``|yaw| <= eye_contact_max_yaw`` and
   ``|pitch| <= eye_contact_max_pitch`` (degrees, from the transformation matrix);
2. the eyes do not look aside: with blendshapes, the horizontal gaze scores
   ``(eyeLookOutLeft + eyeLookInRight) / 2`` (towards the subject's left) and
   ``(eyeLookInLeft + eyeLookOutRight) / 2`` (towards their right) and the vertical ones
   ``(eyeLookUpLeft + eyeLookUpRight) / 2`` and ``(eyeLookDownLeft + eyeLookDownRight) / 2``
   all stay at or below ``gaze_away_threshold``. While the eyes are closed (a blink) the eye
   scores are meaningless and only the head counts.

Without a head pose the sample is undecided (``None``); without blendshapes only the head
counts. This is gaze *towards the camera* estimated from pose and eye-region shape, not eye
tracking: a webcam above a screen makes a speaker who reads the screen look slightly down.
"""

from __future__ import annotations

from collections.abc import Mapping

from vidlens.engines.face.settings import FaceMetricSettings
from vidlens.engines.face.types import FaceObservation


def gaze_scores(blendshapes: Mapping[str, float]) -> dict[str, float] | None:
    """``left``, ``right``, ``up``, ``down`` gaze scores (the subject's directions), or None
    without blendshapes."""
    try:
        return {
            "left": (blendshapes["eyeLookOutLeft"] + blendshapes["eyeLookInRight"]) / 2,
            "right": (blendshapes["eyeLookInLeft"] + blendshapes["eyeLookOutRight"]) / 2,
            "up": (blendshapes["eyeLookUpLeft"] + blendshapes["eyeLookUpRight"]) / 2,
            "down": (blendshapes["eyeLookDownLeft"] + blendshapes["eyeLookDownRight"]) / 2,
        }
    except KeyError:
        return None


def eye_contact(
    face: FaceObservation, settings: FaceMetricSettings, *, eyes_closed: bool = False
) -> bool | None:
    """Whether ``face`` looks towards the camera (None: no head pose to judge by)."""
    if face.yaw is None or face.pitch is None:
        return None
    if abs(face.yaw) > settings.eye_contact_max_yaw:
        return False
    if abs(face.pitch) > settings.eye_contact_max_pitch:
        return False
    scores = gaze_scores(face.blendshapes)
    if scores is None or eyes_closed:
        return True
    return max(scores.values()) <= settings.gaze_away_threshold
