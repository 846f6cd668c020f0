"""The virtual camera and the renderer on real media (side-by-side speakers, the hamilton
clip's cuts), without faces, on an already vertical video, and the rules on hand-made
samples."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import media_file
from tests.engines.active_speaker.media import LISTENER, SPEAKER, side_by_side
from vidlens.engines.active_speaker.engine import ActiveSpeakerDetector
from vidlens.engines.face.types import BoundingBox
from vidlens.engines.faces.engine import FaceTracker
from vidlens.engines.faces.types import FaceTrackingResult
from vidlens.engines.reframe.aspect import crop_size, parse_aspect
from vidlens.engines.reframe.camera import plan_camera
from vidlens.engines.reframe.render import render
from vidlens.engines.reframe.settings import ReframeSettings
from vidlens.engines.reframe.targets import Directive, Sample, follow_runs
from vidlens.engines.reframe.types import CropPlan
from vidlens.engines.scenes.engine import SceneDetector
from vidlens.errors import InvalidInput


def probe(path: Path) -> dict[str, dict[str, str]]:
    """codec_type → stream fields of ``path`` (ffprobe)."""
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries",
         "stream=codec_type,codec_name,width,height,nb_frames,duration", "-of", "json", str(path)],
        capture_output=True, check=True, timeout=30,
    )  # fmt: skip
    return {s["codec_type"]: s for s in json.loads(done.stdout)["streams"]}


def inside_ratio(plan: CropPlan, faces: FaceTrackingResult, face_id: int | None = None) -> float:
    """Share of samples of the followed face (or of ``face_id``) whose box lies inside the
    crop (2 px tolerance). Faces wider than the crop are left out: no crop can hold them
    (the hamilton clip's profile close-up is 213-241 px wide for a 202 px crop)."""
    inside = total = 0
    for track in faces.tracks:
        for point in track.points:
            shot = plan.shot_at(point.frame)
            wanted = face_id if face_id is not None else shot.face_id
            window = plan.window_at(point.frame)
            if track.face_id != wanted or window is None:
                continue
            x, _, w, _ = window
            left = point.box.x * plan.source_width
            right = (point.box.x + point.box.width) * plan.source_width
            if right - left > w:
                continue
            total += 1
            inside += left >= x - 2 and right <= x + w + 2
    return inside / total if total else 0.0


@pytest.fixture(scope="module")
def tracker() -> FaceTracker:
    return FaceTracker()


@pytest.fixture(scope="module")
def two_people(
    tmp_path_factory: pytest.TempPathFactory, tracker: FaceTracker
) -> tuple[Path, FaceTrackingResult, CropPlan, Path]:
    """Speaker heard on the right, moving listener on the left; planned and rendered."""
    folder = tmp_path_factory.mktemp("reframe")
    clip = side_by_side(folder / "sbs.mp4", left=LISTENER, right=SPEAKER, audio_from=SPEAKER)
    scenes = SceneDetector().detect(clip)
    faces = tracker.track(clip, scenes)
    speakers = ActiveSpeakerDetector().detect(clip, faces)
    plan = plan_camera(
        scenes=scenes, faces=faces, speakers=speakers, aspect=parse_aspect("9:16"),
        settings=ReframeSettings(),
    )  # fmt: skip
    output = folder / "out.mp4"
    render(clip, plan, output)
    return clip, faces, plan, output


@pytest.mark.media
def test_output_is_vertical_with_audio_and_the_same_duration(
    two_people: tuple[Path, FaceTrackingResult, CropPlan, Path],
) -> None:
    source, _, plan, output = two_people
    streams, original = probe(output), probe(source)
    video = streams["video"]
    assert video["codec_name"] == "h264"
    assert int(video["width"]) / int(video["height"]) == pytest.approx(9 / 16, abs=0.01)
    assert (int(video["width"]), int(video["height"])) == (304, 540)
    assert streams["audio"]["codec_name"] == "aac"
    frame = 1 / plan.fps
    assert float(video["duration"]) == pytest.approx(
        float(original["video"]["duration"]), abs=frame
    )
    assert int(video["nb_frames"]) == plan.frame_count == int(original["video"]["nb_frames"])


@pytest.mark.media
def test_camera_follows_the_speaker_and_keeps_the_face_in(
    two_people: tuple[Path, FaceTrackingResult, CropPlan, Path],
) -> None:
    _, faces, plan, _ = two_people
    right = next(t.face_id for t in faces.tracks if t.points[0].box.centre[0] > 0.5)
    followed = [s for s in plan.shots if s.face_id is not None]
    frames = sum(s.end_frame - s.start_frame for s in followed if s.face_id == right)
    assert frames >= 0.9 * plan.frame_count
    assert inside_ratio(plan, faces) >= 0.95
    assert inside_ratio(plan, faces, face_id=right) >= 0.95
    # a seated speaker: one still shot, no jitter
    assert [s.kind for s in plan.shots] == ["still"]
    document = plan.to_dict(per_frame=True)
    assert len(document["frames"]) == plan.frame_count
    assert document["crop"] == {"width": 304, "height": 540}


@pytest.mark.media
def test_hamilton_cuts_keep_the_followed_face_inside(tracker: FaceTracker, tmp_path: Path) -> None:
    clip = media_file("talking/facerec_short_hamilton_clip.mp4")
    scenes = SceneDetector().detect(clip)
    faces = tracker.track(clip, scenes)
    speakers = ActiveSpeakerDetector().detect(clip, faces)
    plan = plan_camera(
        scenes=scenes, faces=faces, speakers=speakers, aspect=parse_aspect("9:16"),
        settings=ReframeSettings(),
    )  # fmt: skip
    assert inside_ratio(plan, faces) >= 0.95
    # camera shots never span a cut
    for shot in plan.shots:
        scene = scenes.scenes[shot.scene_index]
        assert scene.start_frame <= shot.start_frame < shot.end_frame <= scene.end_frame
    starts = [s.start_frame for s in plan.shots]
    assert starts == sorted(starts)
    assert starts[0] == 0
    assert plan.shots[-1].end_frame == plan.frame_count


def _ffmpeg(target: Path, *args: str) -> Path:
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", *args, str(target)], check=True, timeout=60
    )
    return target


def test_no_faces_is_blur_padded(tracker: FaceTracker, tmp_path: Path) -> None:
    clip = _ffmpeg(
        tmp_path / "pattern.mp4",
        "-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=2", "-f", "lavfi", "-i", "sine=d=2",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
    )  # fmt: skip
    scenes = SceneDetector().detect(clip)
    faces = tracker.track(clip, scenes)
    plan = plan_camera(
        scenes=scenes, faces=faces, speakers=None, aspect=parse_aspect("9:16"),
        settings=ReframeSettings(), output_height=640,
    )  # fmt: skip
    assert [s.kind for s in plan.shots] == ["blur_pad"]
    assert any("No face" in note for note in plan.notes)
    output = tmp_path / "out.mp4"
    render(clip, plan, output)
    streams = probe(output)
    assert (int(streams["video"]["width"]), int(streams["video"]["height"])) == (360, 640)
    assert "audio" in streams
    centre = plan_camera(
        scenes=scenes, faces=faces, speakers=None, aspect=parse_aspect("1:1"),
        settings=ReframeSettings(), mode="center",
    )  # fmt: skip
    assert [s.kind for s in centre.shots] == ["center"]
    assert centre.window_at(10) == (140, 0, 360, 360)


def test_an_already_vertical_video_is_not_cropped(tracker: FaceTracker, tmp_path: Path) -> None:
    clip = _ffmpeg(
        tmp_path / "vertical.mp4",
        "-f", "lavfi", "-i", "testsrc2=s=360x640:r=25:d=1", "-pix_fmt", "yuv420p",
    )  # fmt: skip
    scenes = SceneDetector().detect(clip)
    faces = tracker.track(clip, scenes)
    plan = plan_camera(
        scenes=scenes, faces=faces, speakers=None, aspect=parse_aspect("9:16"),
        settings=ReframeSettings(), mode="center",
    )  # fmt: skip
    assert (plan.crop_width, plan.crop_height) == (360, 640)
    assert plan.window_at(0) == (0, 0, 360, 640)
    assert any("already at the requested aspect" in note for note in plan.notes)
    output = tmp_path / "out.mp4"
    render(clip, plan, output)
    video = probe(output)["video"]
    assert (int(video["width"]), int(video["height"])) == (360, 640)
    assert "audio" not in probe(output)


def test_aspect_ratios() -> None:
    assert str(parse_aspect("9:16")) == "9:16"
    assert parse_aspect("4x5").value == pytest.approx(0.8)
    assert crop_size(1920, 1080, parse_aspect("9:16")) == (608, 1080)
    assert crop_size(1920, 1080, parse_aspect("1:1")) == (1080, 1080)
    assert crop_size(1080, 1920, parse_aspect("4:5")) == (1080, 1350)
    for bad in ("", "16", "0:9", "a:b", "1:9"):
        with pytest.raises(InvalidInput):
            parse_aspect(bad)


def _sample(i: int, scores: dict[int, float], faces: tuple[int, ...] = (1, 2)) -> Sample:
    boxes = {f: BoundingBox(0.1 + 0.5 * (f - 1), 0.3, 0.1, 0.2) for f in faces}
    return Sample(frame=i, time=i * 0.1, boxes=boxes, scores=scores)


def test_follow_runs_hysteresis_and_cut_placement() -> None:
    # face 1 speaks for 2 s, face 2 takes over at 2.0 s; a 0.3 s blip of face 2 at 0.5 s
    samples = []
    for i in range(50):
        t = i * 0.1
        blip = 0.5 <= t < 0.8
        first = t < 2.0 and not blip
        samples.append(_sample(i, {1: 0.9 if first else 0.1, 2: 0.1 if first else 0.9}))
    runs = follow_runs(samples, threshold=0.5, switch_seconds=1.0, lost_seconds=0.5)
    assert [(r.first, r.face_id) for r in runs] == [(0, 1), (20, 2)]  # cut where 2 began
    # a directive wins while its face is visible
    directed = follow_runs(
        samples, threshold=0.5, switch_seconds=1.0, lost_seconds=0.5,
        directives=[Directive(0.0, 10.0, 2)],
    )  # fmt: skip
    assert [(r.first, r.face_id) for r in directed] == [(0, 2)]
    # the followed face leaves: the camera takes the face on screen
    gone = [_sample(i, {}, faces=(1,) if i < 10 else (2,)) for i in range(20)]
    runs = follow_runs(gone, threshold=0.5, switch_seconds=1.0, lost_seconds=0.5)
    assert [(r.first, r.face_id) for r in runs] == [(0, 1), (14, 2)]


def test_a_rotated_phone_video_is_reframed_upright(tracker: FaceTracker, tmp_path: Path) -> None:
    # stored 320x240 with a 90-degree display matrix: displayed 240x320, as ffmpeg shows it
    stored = _ffmpeg(
        tmp_path / "stored.mp4",
        "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=1", "-pix_fmt", "yuv420p",
    )  # fmt: skip
    clip = _ffmpeg(tmp_path / "rotated.mp4", "-i", str(stored), "-c", "copy",
                   "-metadata:s:v:0", "rotate=90")  # fmt: skip
    scenes = SceneDetector().detect(clip)
    faces = tracker.track(clip, scenes)
    assert (faces.width, faces.height) == (240, 320)
    plan = plan_camera(
        scenes=scenes, faces=faces, speakers=None, aspect=parse_aspect("1:1"),
        settings=ReframeSettings(), mode="center",
    )  # fmt: skip
    assert (plan.crop_width, plan.crop_height) == (240, 240)
    output = tmp_path / "out.mp4"
    from vidlens.engines.video.decode import probe as probe_video

    render(clip, plan, output, rotation=probe_video(clip).rotation)
    video = probe(output)["video"]
    assert (int(video["width"]), int(video["height"])) == (240, 240)
