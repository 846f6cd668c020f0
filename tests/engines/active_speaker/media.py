"""Side-by-side talking clips built with ffmpeg: two people on screen, one of them heard."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import media_file

SPEAKER = "talking/videoretalking_face2.mp4"
LISTENER = "talking/videoretalking_face3.mp4"
"""The heard speaker, and the other talker whose audio is dropped: a listener whose mouth
moves (the hardest kind of listener for a motion-only detector)."""


def side_by_side(
    target: Path, *, left: str, right: str, audio_from: str | None, height: int = 540
) -> Path:
    """``left`` and ``right`` (shared clips) scaled to ``height`` and stacked side by side at
    25 fps, with the audio of ``audio_from`` (one of the two, or None for no audio)."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    inputs = [media_file(left), media_file(right)]
    graph = (
        f"[0:v]scale={height}:{height},setsar=1,fps=25[a];"
        f"[1:v]scale={height}:{height},setsar=1,fps=25[b];"
        "[a][b]hstack=inputs=2,format=yuv420p[v]"
    )
    audio = [] if audio_from is None else ["-map", f"{[left, right].index(audio_from)}:a"]
    command = [
        "ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(inputs[0]), "-i", str(inputs[1]),
        "-filter_complex", graph, "-map", "[v]", *audio, "-c:v", "libx264",
        "-preset", "veryfast", "-c:a", "aac", "-shortest", str(target),
    ]  # fmt: skip
    subprocess.run(command, check=True, timeout=120)
    return target
