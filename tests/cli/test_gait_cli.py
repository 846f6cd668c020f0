"""``vidlens gait``: a local video to metrics, an annotated video and a joint-angle plot."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests import pose_media
from tests.conftest import media_file
from vidlens.cli import cli

pytestmark = pytest.mark.media


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("VIDLENS_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def test_side_view_walk_prints_metrics_and_writes_pictures(
    runner: CliRunner, tmp_path: Path
) -> None:
    pose_media.pose_engine()
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    clip = tmp_path / "walk.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", "2", "-i", str(media_file(pose_media.WALK)), "-t", "4",
         "-an", "-vf", "scale=640:360", "-c:v", "libx264", "-preset", "ultrafast", str(clip)],
        check=True,
        timeout=120,
    )  # fmt: skip
    out = tmp_path / "out"
    report = tmp_path / "walk.json"
    result = runner.invoke(
        cli,
        ["gait", str(clip), "--view", "side", "--height", "172", "-o", str(out),
         "--json", str(report), "--quiet"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Walking at" in result.stdout
    assert "Cadence" in result.stdout
    assert "steps/min" in result.stdout
    for name in ("walk.gait.mp4", "walk.gait.jpg", "walk.angles.png"):
        assert (out / name).stat().st_size > 1000
    assert (out / "walk.angles.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
         "-of", "csv=p=0", str(out / "walk.gait.mp4")],
        capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip
    assert probe.stdout.strip() == "h264,640,360"
    analysis = json.loads(report.read_text())
    assert analysis["input"]["height_cm"] == 172
    assert analysis["gait_type"] == "walking"


def test_bad_options_are_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    clip = tmp_path / "any.mp4"
    clip.write_bytes(b"x")
    treadmill = runner.invoke(cli, ["gait", str(clip), "--treadmill"])
    assert treadmill.exit_code == 2
    assert "pace" in treadmill.output
    tall = runner.invoke(cli, ["gait", str(clip), "--height", "400"])
    assert tall.exit_code == 2
    assert "height" in tall.output
