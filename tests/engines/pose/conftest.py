"""Pose engine fixtures: clips made from the shared gait media with ffmpeg, and the engine run
once per session on the real side-view clip."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests import pose_media
from tests.conftest import media_file
from tests.pose_media import DEMO, WALK
from vidlens.engines.pose import MediaPipePoseEngine, PoseSequence


def ffmpeg(*args: str) -> None:
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True, timeout=120)


@pytest.fixture(scope="session")
def pose_engine() -> MediaPipePoseEngine:
    return pose_media.pose_engine()


@pytest.fixture(scope="session")
def demo_sequence() -> PoseSequence:
    """The shared two-person clip (woman walking laterally, man on a box), analysed once."""
    return pose_media.pose_sequence(DEMO)


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Short derived clips: portrait (rotation metadata), variable frame rate, empty scene,
    garbage bytes."""
    folder = tmp_path_factory.mktemp("pose-clips")
    walk = media_file(WALK)
    # A phone held upright: the sensor stores the picture sideways (coded 720x540) and the
    # display matrix says to turn it; the displayed video is a 540x720 portrait.
    sideways = folder / "sideways.mp4"
    ffmpeg("-ss", "2", "-i", str(walk), "-t", "2.5", "-an",
           "-vf", "crop=540:720:380:0,transpose=1", "-c:v", "libx264", "-preset", "ultrafast",
           str(sideways))  # fmt: skip
    rotated = folder / "portrait.mp4"
    ffmpeg("-i", str(sideways), "-c", "copy", "-metadata:s:v:0", "rotate=90",
           str(rotated))  # fmt: skip
    vfr = folder / "vfr.mp4"
    # Drop two frames out of three after the first second: timestamps become irregular.
    ffmpeg("-ss", "2", "-i", str(walk), "-t", "3", "-an",
           "-vf", "select='lt(t\\,1)+not(mod(n\\,3))',setpts=PTS", "-fps_mode", "vfr",
           "-c:v", "libx264", "-preset", "ultrafast", str(vfr))  # fmt: skip
    empty = folder / "empty.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=15", "-t", "1.5",
           "-pix_fmt", "yuv420p", str(empty))  # fmt: skip
    garbage = folder / "garbage.mp4"
    garbage.write_bytes(bytes(range(256)) * 100)
    return {"portrait": rotated, "vfr": vfr, "empty": empty, "garbage": garbage}
