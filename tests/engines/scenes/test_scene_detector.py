"""Shot detection on the shared scene clips (ground truth in ../shared/media/scenes), on
clips generated with ffmpeg, and on bad input."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import media_file
from vidlens.engines.face.errors import VideoUnreadable
from vidlens.engines.scenes.detector import dark_runs, enforce_min_length, find_boundaries
from vidlens.engines.scenes.engine import SceneDetector
from vidlens.engines.scenes.settings import SceneSettings
from vidlens.engines.scenes.types import Boundary, SceneResult
from vidlens.errors import MediaRejected, NotFound


def _ffmpeg(target: Path, *args: str) -> Path:
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    command = ["ffmpeg", "-nostdin", "-v", "error", "-y", *args, str(target)]
    subprocess.run(command, check=True, timeout=60)
    return target


@pytest.fixture(scope="module")
def detector() -> SceneDetector:
    return SceneDetector()


@pytest.fixture(scope="module")
def shared(detector: SceneDetector) -> dict[str, SceneResult]:
    """Each shared clip detected once."""
    names = ("counter", "fades", "testvideo")
    return {name: detector.detect(media_file(f"scenes/pyscenedetect_{name}.mp4")) for name in names}


@pytest.mark.media
def test_counter_cuts_are_frame_exact(shared: dict[str, SceneResult]) -> None:
    # By construction: the background colour changes at frames #11 and #21 (0-based 10, 20).
    result = shared["counter"]
    assert [(b.frame, b.kind) for b in result.boundaries] == [(10, "cut"), (20, "cut")]
    assert result.frame_count == 30
    assert result.fps == pytest.approx(10.0)
    assert [(s.start_frame, s.end_frame) for s in result.scenes] == [(0, 10), (10, 20), (20, 30)]
    # frame #k has PTS (k-1) * 0.1 s
    assert [s.start for s in result.scenes] == pytest.approx([0.0, 1.0, 2.0], abs=1e-6)
    assert result.scenes[-1].end == pytest.approx(3.0, abs=1e-6)
    assert [s.transition for s in result.scenes] == ["start", "cut", "cut"]


@pytest.mark.media
def test_fades_through_black_without_cuts(shared: dict[str, SceneResult]) -> None:
    result = shared["fades"]
    # groundtruth: scene starts [0, 84, 167]; hard-cut detectors must find nothing
    assert [b.kind for b in result.boundaries] == ["fade", "fade"]
    assert [b.frame for b in result.boundaries] == pytest.approx([84, 167], abs=1)
    first, last = result.boundaries[0].span
    assert first < 84 < last  # the boundary sits inside the dark frames
    assert result.frame_count == 250
    assert result.duration == pytest.approx(10.0, abs=0.05)


@pytest.mark.media
def test_testvideo_transitions(shared: dict[str, SceneResult]) -> None:
    # groundtruth: content cuts [30, 180, 394], fade boundaries [15, 198, 377]: one
    # detection per transition, within 1 frame of either detector family's frame.
    result = shared["testvideo"]
    transitions = [(30, 15), (180, 198), (394, 377)]
    frames = [b.frame for b in result.boundaries]
    assert len(frames) == 3
    for frame, truth in zip(frames, transitions, strict=True):
        assert min(abs(frame - t) for t in truth) <= 1, (frame, truth)
    assert [b.kind for b in result.boundaries] == ["cut", "cut", "fade"]
    assert result.frame_count == 720
    assert result.scenes[1].start == pytest.approx(30 * 1001 / 30000, abs=0.002)
    document = result.to_dict()
    assert document["scene_count"] == 4
    assert document["total_frames"] == 720
    assert document["scenes"][1]["start_frame"] == 30


@pytest.fixture(scope="module")
def colour_cuts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three 1 s colour shots at 25 fps with moving noise on top: cuts at 25 and 50."""
    folder = tmp_path_factory.mktemp("scenes")
    return _ffmpeg(
        folder / "cuts.mp4",
        "-f", "lavfi", "-i", "color=c=red:s=320x180:r=25:d=1",
        "-f", "lavfi", "-i", "color=c=blue:s=320x180:r=25:d=1",
        "-f", "lavfi", "-i", "color=c=0x40a040:s=320x180:r=25:d=1",
        "-filter_complex", "[0][1][2]concat=n=3:v=1,noise=alls=20:allf=t,format=yuv420p",
        "-c:v", "libx264", "-preset", "ultrafast",
    )  # fmt: skip


def test_generated_colour_cuts(detector: SceneDetector, colour_cuts: Path) -> None:
    result = detector.detect(colour_cuts)
    assert [(b.frame, b.kind) for b in result.boundaries] == [(25, "cut"), (50, "cut")]
    assert [s.start for s in result.scenes] == pytest.approx([0.0, 1.0, 2.0], abs=1e-3)


def test_motion_and_a_flash_are_not_cuts(detector: SceneDetector, tmp_path: Path) -> None:
    # testsrc2 moves every frame; one white frame at 1.0 s is a flash, not a shot change.
    clip = _ffmpeg(
        tmp_path / "motion.mp4",
        "-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=3",
        "-vf", "drawbox=c=white:t=fill:enable='eq(n,25)',format=yuv420p",
        "-c:v", "libx264", "-preset", "ultrafast",
    )  # fmt: skip
    result = detector.detect(clip)
    assert result.boundaries == ()
    assert len(result.scenes) == 1
    assert result.frame_count == 75


def test_progress_is_reported(detector: SceneDetector, colour_cuts: Path) -> None:
    seen: list[tuple[float, str | None]] = []
    detector.detect(colour_cuts, progress=lambda f, p: seen.append((f, p)))
    assert seen[0] == (0.0, "detecting scenes")
    assert seen[-1] == (1.0, None)


def test_bad_input(detector: SceneDetector, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(VideoUnreadable):
        detector.detect(garbage)
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(VideoUnreadable):
        detector.detect(empty)
    with pytest.raises(NotFound):
        detector.detect(tmp_path / "missing.mp4")
    tone = _ffmpeg(tmp_path / "tone.wav", "-f", "lavfi", "-i", "sine=d=1")
    with pytest.raises(VideoUnreadable, match="no video stream"):
        detector.detect(tone)


def test_too_long_is_rejected(colour_cuts: Path) -> None:
    short = SceneDetector(SceneSettings(max_duration_seconds=1.0))
    with pytest.raises(MediaRejected, match="at most 1 s"):
        short.detect(colour_cuts)


def test_rules_on_features() -> None:
    settings = SceneSettings()
    changes = [0.0, 1.0, 1.2, 1.0, 0.8, 1.0, 30.0, 1.1, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0]
    luma = [100.0] * len(changes)
    assert [b.frame for b in find_boundaries(changes, luma, 10.0, settings)] == [6]
    # the same change is a flash when the picture of frame 5 is back at frame 7
    skips = [0.0, 0.0] + [30.0] * 12
    assert find_boundaries(changes, luma, 10.0, settings, skips) != []
    skips[7] = 1.0
    assert find_boundaries(changes, luma, 10.0, settings, skips) == []
    # ... and a boundary closer to the start than min_scene_seconds is dropped
    assert find_boundaries(changes[3:], luma[3:], 10.0, settings) == []
    # a cut under the absolute threshold, or one among equally large changes, is not a cut
    assert find_boundaries([0.0, 1.0, 8.0, 1.0], [100.0] * 4, 10.0, settings) == []
    busy = [0.0, 20.0, 22.0, 30.0, 21.0, 20.0]
    assert find_boundaries(busy, [100.0] * 6, 10.0, settings) == []


def test_dark_runs_and_fade_placement() -> None:
    settings = SceneSettings()
    luma = [120.0] * 10 + [5.0] * 6 + [120.0] * 10
    assert dark_runs(luma, 12.0) == [(10, 15)]
    boundaries = find_boundaries([0.5] * len(luma), luma, 10.0, settings)
    assert [(b.frame, b.kind, b.span) for b in boundaries] == [(13, "fade", (10, 15))]
    # dark runs at the very start or end separate nothing
    edges = [5.0] * 5 + [120.0] * 10 + [5.0] * 5
    assert find_boundaries([0.5] * 20, edges, 10.0, settings) == []


def test_min_length_keeps_the_stronger_boundary() -> None:
    weak = Boundary(frame=12, kind="cut", score=15.0, span=(12, 12))
    strong = Boundary(frame=14, kind="cut", score=40.0, span=(14, 14))
    fade = Boundary(frame=30, kind="fade", score=5.0, span=(28, 32))
    early = Boundary(frame=1, kind="cut", score=90.0, span=(1, 1))
    assert enforce_min_length([weak, strong, fade, early], 4) == [strong, fade]


@pytest.mark.parametrize("chunk", [1, 7, 256])
def test_chunked_decoding_gives_the_per_frame_pictures_and_scores(chunk: int) -> None:
    """The chunked reader the detector uses returns the same small pictures and times as
    the per-frame one of the joint scenes-and-faces pass, and the chunk-wise scores equal
    frame-by-frame differences."""
    import numpy as np

    from vidlens.engines.scenes.engine import ShotFeatures
    from vidlens.engines.video.decode import iter_analysis_frames, iter_small_yuv_chunks

    clip = media_file("scenes/pyscenedetect_fades.mp4")
    single = [
        (time, small)
        for _, time, small, _ in iter_analysis_frames(
            clip, small_width=128, width=64, height=64, sample_fps=0.001
        )
    ]
    pictures = np.stack([small for _, small in single]).astype(np.int16)
    features, times, chunks = ShotFeatures(), [], []
    for chunk_times, frames in iter_small_yuv_chunks(clip, width=128, chunk=chunk):
        chunks.append(frames.copy())
        times.extend(chunk_times)
        features.add(frames)
    assert times == [time for time, _ in single]
    assert np.array_equal(np.concatenate(chunks), pictures)
    changes, luma, skips = features.finish()
    one = np.abs(pictures[1:] - pictures[:-1]).mean(axis=(1, 2, 3))
    two = np.abs(pictures[2:] - pictures[:-2]).mean(axis=(1, 2, 3))
    assert changes == pytest.approx([0.0, *one.tolist()], abs=1e-9)
    assert skips == pytest.approx([0.0, 0.0, *two.tolist()], abs=1e-9)
    y = pictures[:, 0].mean(axis=(1, 2))
    assert luma == pytest.approx(np.clip((y - 16.0) * 255.0 / 219.0, 0, 255).tolist(), abs=1e-9)
