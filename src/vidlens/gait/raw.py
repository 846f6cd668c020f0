"""``raw_data``: the video's geometry and every landmark on every frame.

``video_input_information``: ``resolution`` (``"1280x720"``, as displayed, rotation applied),
``width``, ``height``, ``fps`` (from the timestamps), ``duration`` (s), ``frame_count``,
``rotation``, ``variable_frame_rate``. ``frames`` is keyed by frame number (``"0"``, ``"1"``,
...); each frame has its ``time`` (s, from the stream), ``detected``, and, when the runner is
seen, ``landmarks``: the 33 MediaPipe landmarks by name, each with ``x``, ``y`` (pixels of the
displayed frame), ``z`` (MediaPipe's relative depth in the same pixel scale as ``x``, smaller is
nearer the camera), ``visibility`` (0-1) and ``world`` ([x, y, z] in metres, origin between the
hips). Positions are the smoothed ones the analysis used (``smoothing`` says how).
"""

from __future__ import annotations

import math
from typing import Any

from vidlens.engines.pose.types import LANDMARK_NAMES, PoseSequence


def video_input_information(seq: PoseSequence) -> dict[str, Any]:
    info = seq.video
    return {
        "resolution": f"{info.width}x{info.height}",
        "width": info.width,
        "height": info.height,
        "fps": round(info.fps, 3),
        "duration": round(info.duration_seconds, 3),
        "frame_count": info.frame_count,
        "rotation": info.rotation,
        "variable_frame_rate": info.variable_frame_rate,
    }


def _number(value: float, digits: int) -> float | None:
    return round(float(value), digits) if math.isfinite(value) else None


def raw_data(seq: PoseSequence) -> dict[str, Any]:
    """The ``raw_data`` document of the module docstring."""
    width, height = seq.video.width, seq.video.height
    frames: dict[str, Any] = {}
    for index in range(seq.frame_count):
        entry: dict[str, Any] = {
            "time": round(float(seq.times[index]), 4),
            "detected": bool(seq.detected[index]),
        }
        if seq.detected[index]:
            landmarks = {}
            for i, name in enumerate(LANDMARK_NAMES):
                x, y, z = seq.image[index, i]
                wx, wy, wz = seq.world[index, i]
                landmarks[name] = {
                    "x": _number(x * width, 2),
                    "y": _number(y * height, 2),
                    "z": _number(z * width, 2),
                    "visibility": _number(seq.visibility[index, i], 3),
                    "world": [_number(wx, 4), _number(wy, 4), _number(wz, 4)],
                }
            entry["landmarks"] = landmarks
        else:
            entry["landmarks"] = None
        frames[str(index)] = entry
    return {
        "video_input_information": video_input_information(seq),
        "landmark_names": list(LANDMARK_NAMES),
        "smoothing": seq.smoothing,
        "frames": frames,
    }
