"""Tracking back started on a guess while the last piece still runs gives exactly the result
of tracking back afterwards."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import media_file
from tests.engines.pose.conftest import ffmpeg
from tests.pose_media import DEMO
from vidlens.engines.pose import MediaPipePoseEngine, PoseSequence
from vidlens.engines.pose import landmarker as pose_landmarker

pytestmark = pytest.mark.media


def _run(
    engine: MediaPipePoseEngine, clip: Path, monkeypatch: pytest.MonkeyPatch, guesses: int
) -> tuple[PoseSequence, list[str]]:
    calls: list[str] = []
    backward = pose_landmarker.MediaPipePoseEngine._backward_poses
    run_piece = pose_landmarker.MediaPipePoseEngine._run_piece

    def spy(self: MediaPipePoseEngine, *args: Any) -> Any:
        calls.append(threading.current_thread().name)
        return backward(self, *args)

    def late(self: MediaPipePoseEngine, path: Path, geometry: Any, size: Any, piece: Any,
             *rest: Any) -> None:  # fmt: skip
        if piece.start > 0:
            time.sleep(1.5)  # the first piece ends first, as on an idle machine
        run_piece(self, path, geometry, size, piece, *rest)

    with monkeypatch.context() as patch:
        patch.setattr(pose_landmarker, "GUESSES", guesses)
        patch.setattr(pose_landmarker.MediaPipePoseEngine, "_backward_poses", spy)
        patch.setattr(pose_landmarker.MediaPipePoseEngine, "_run_piece", late)
        return engine.estimate(clip), calls


def test_guessed_backward_tracking_is_the_same_as_afterwards(
    pose_engine: MediaPipePoseEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo's walker emerges from behind a tree after a second; a man is on his box.
    clip = tmp_path / "demo6s.mp4"
    ffmpeg("-i", str(media_file(DEMO)), "-t", "6", "-an", "-vf", "scale=640:-2",
           "-c:v", "libx264", "-preset", "ultrafast", str(clip))  # fmt: skip
    guessed, guess_calls = _run(pose_engine, clip, monkeypatch, 2)
    after, after_calls = _run(pose_engine, clip, monkeypatch, 0)
    assert after_calls == ["MainThread"]
    # The guess ran in a worker thread and was used (no second backward pass afterwards).
    assert guess_calls
    assert "MainThread" not in guess_calls
    for a, b in (
        (guessed.image, after.image),
        (guessed.world, after.world),
        (guessed.detected, after.detected),
    ):
        np.testing.assert_array_equal(a, b)
    first = int(np.flatnonzero(after.detected)[0])
    assert 0 < first <= 45
