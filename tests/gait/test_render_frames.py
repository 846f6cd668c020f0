"""The annotated video drawn on the pose pass's stored frames, and with the store off (the clip
decoded again): same pose, same video length and size, nearly the same pictures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tests import pose_media
from tests.conftest import media_file
from vidlens.engines.pose import PoseSettings
from vidlens.gait.options import GaitOptions
from vidlens.gait.pipeline import GaitRun, run
from vidlens.gait.render import VideoSettings

pytestmark = pytest.mark.media


def _frames(video: Path) -> np.ndarray:
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(video), "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return np.frombuffer(done.stdout, dtype=np.uint8)


def _run(clip: Path, folder: Path, store_bytes: int) -> GaitRun:
    folder.mkdir()
    video = VideoSettings(max_side=640, frame_store_bytes=store_bytes)
    return run(
        clip, GaitOptions(), pose=PoseSettings(max_side_pixels=640), video=video, folder=folder
    )


def test_stored_frames_give_the_same_video_as_decoding_again(tmp_path: Path) -> None:
    pose_media.pose_engine()
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    clip = tmp_path / "walk.mp4"
    source = str(media_file(pose_media.WALK))
    subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", "1", "-i", source, "-t", "3", "-an",
         "-vf", "scale=960:540", "-c:v", "libx264", "-preset", "ultrafast", str(clip)],
        check=True,
        timeout=120,
    )  # fmt: skip
    stored = _run(clip, tmp_path / "stored", 64 * 1024 * 1024)
    again = _run(clip, tmp_path / "again", 0)
    # The store only keeps copies: the pose and the analysis are the same.
    np.testing.assert_array_equal(stored.sequence.image, again.sequence.image)
    assert stored.analysis.events == again.analysis.events
    assert (stored.rendered.width, stored.rendered.height) == (640, 360)
    assert (again.rendered.width, again.rendered.height) == (640, 360)
    a, b = _frames(stored.rendered.video), _frames(again.rendered.video)
    assert a.size == b.size == 640 * 360 * stored.sequence.frame_count
    # Same pictures but for the encoder and swscale's RGB (the pose's), about 1.6 levels
    # darker than OpenCV's exact YUV round trip.
    assert np.abs(a.astype(np.int16) - b.astype(np.int16)).mean() < 4.0
    assert stored.rendered.thumbnail.stat().st_size > 1000
