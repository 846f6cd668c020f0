"""``vidlens reframe``: a local video to a vertical one following the speaker, no server."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.engines.active_speaker.media import LISTENER, SPEAKER, side_by_side
from vidlens.cli import cli


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("VIDLENS_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


@pytest.mark.media
def test_reframe_follows_the_heard_speaker(runner: CliRunner, tmp_path: Path) -> None:
    clip = side_by_side(tmp_path / "sbs.mp4", left=SPEAKER, right=LISTENER, audio_from=SPEAKER)
    out, path = tmp_path / "out" / "vertical.mp4", tmp_path / "path.json"
    result = runner.invoke(
        cli,
        ["reframe", str(clip), "-o", str(out), "--aspect", "9:16", "--no-diarize",
         "--crop-path", str(path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stderr
    assert "304x540" in result.stderr
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,width,height",
         "-of", "json", str(out)],
        capture_output=True, check=True, timeout=30,
    )  # fmt: skip
    streams = {s["codec_type"]: s for s in json.loads(probe.stdout)["streams"]}
    assert (streams["video"]["width"], streams["video"]["height"]) == (304, 540)
    assert "audio" in streams
    plan = json.loads(path.read_text())
    assert plan["aspect_ratio"] == "9:16"
    (shot,) = plan["shots"]
    # the speaker is on the left half: the crop sits there
    assert shot["keyframes"][0]["x"] + 152 < 540


def test_bad_aspect_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    clip = tmp_path / "a.mp4"
    clip.write_bytes(b"x")
    result = runner.invoke(
        cli, ["reframe", str(clip), "-o", str(tmp_path / "b.mp4"), "--aspect", "wide"]
    )
    assert result.exit_code == 2
    assert "--aspect" in result.output


def test_unreadable_input_fails_cleanly(runner: CliRunner, tmp_path: Path) -> None:
    clip = tmp_path / "garbage.mp4"
    clip.write_bytes(bytes(range(256)) * 16)
    result = runner.invoke(cli, ["reframe", str(clip), "-o", str(tmp_path / "b.mp4"), "--quiet"])
    assert result.exit_code == 1
    assert "not readable media" in result.output
