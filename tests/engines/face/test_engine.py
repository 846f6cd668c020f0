"""The face engine on real media (../shared/media/talking) and on generated videos."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import media_file
from tests.engines.face.conftest import AnalyzeClip, ffmpeg_make
from vidlens.engines.face.engine import FaceAnalyzer, analyze_faces
from vidlens.engines.face.errors import VideoUnreadable
from vidlens.engines.face.settings import FaceSettings
from vidlens.errors import MediaRejected, NotFound

pytestmark = pytest.mark.media

TALKING = [
    "talking/videoretalking_face1.mp4",
    "talking/sadtalker_WDA_AlexandriaOcasioCortez_000.mp4",
]


def still(name: str) -> np.ndarray:
    image = cv2.imread(str(media_file(f"talking/{name}")))
    assert image is not None
    return np.ascontiguousarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))


@pytest.mark.parametrize("clip", TALKING)
def test_talking_head_has_a_face_in_nearly_every_sample(
    analyze_clip: AnalyzeClip, clip: str
) -> None:
    # Ground truth: one frontal speaker on screen throughout (talking/README.txt).
    report = analyze_clip(clip)
    metrics = report.metrics
    assert report.sample_fps == pytest.approx(10.0)
    assert len(report.samples) == pytest.approx(report.duration * 10, abs=2)
    times = [s.timestamp for s in report.samples]
    assert times == sorted(set(times))
    assert metrics.face_presence_ratio is not None
    assert metrics.face_presence_ratio >= 0.95
    assert metrics.unavailable == {}
    # A speaker addressing the camera: mostly eye contact, a steady head, no cut-off face.
    assert metrics.eye_contact_ratio is not None
    assert metrics.eye_contact_ratio >= 0.8
    assert metrics.head_pose is not None
    assert abs(metrics.head_pose.yaw_mean) < 20
    assert metrics.head_pose.yaw_std < 10
    assert metrics.framing is not None
    assert metrics.framing.issue_ratios["cut_off_left"] == 0.0
    assert metrics.framing.issue_ratios["cut_off_right"] == 0.0
    assert 0.2 < metrics.framing.mean_face_height < 0.8
    assert metrics.smile_ratio is not None
    assert 0.0 <= metrics.smile_ratio <= 1.0
    assert metrics.blinks is not None
    assert metrics.blinks.lower_bound is False  # 10 samples a second
    assert not [m for m in metrics.moments if m.kind == "face_missing"]
    face = report.samples[0].primary
    assert face is not None
    assert len(face.blendshapes) == 52
    assert set(face.key_points) >= {"nose_tip", "left_eye", "right_eye", "chin"}
    assert face.key_points["right_eye"][0] < face.key_points["left_eye"][0]  # subject's right
    json.dumps(report.to_dict())


def test_speaking_opens_the_mouth(analyze_clip: AnalyzeClip) -> None:
    # The speaker talks throughout: the inner lips part in some samples and close in others.
    openness = [
        s.primary.mouth_open
        for s in analyze_clip(TALKING[0]).samples
        if s.primary and s.primary.mouth_open is not None
    ]
    assert max(openness) > 0.15
    assert min(openness) < 0.05


def test_blinks_at_the_default_rate_match_the_native_frame_rate(
    analyze_clip: AnalyzeClip,
) -> None:
    # No blink ground truth ships with the clips: the reference is the same detector on
    # every frame (25 fps), which sees blinks the sparser sampling could miss.
    clip = TALKING[1]
    sampled = analyze_clip(clip).metrics.blinks
    native = FaceAnalyzer(FaceSettings(sample_fps=25.0)).analyze(media_file(clip)).metrics
    assert sampled is not None
    assert native.blinks is not None
    assert native.blinks.count >= 5  # this speaker blinks often
    assert sampled.count == pytest.approx(native.blinks.count, abs=1)


def test_black_video_has_no_face(generated: Path) -> None:
    video = ffmpeg_make(
        generated / "black.mp4",
        "-f", "lavfi", "-i", "color=c=black:s=320x240:r=25:d=3", "-pix_fmt", "yuv420p",
    )  # fmt: skip
    report = analyze_faces(video, FaceSettings(sample_fps=2.0))
    metrics = report.metrics
    assert metrics.sample_count == 6
    assert metrics.face_presence_ratio == 0.0
    assert metrics.eye_contact_ratio is None
    assert metrics.smile_ratio is None
    assert metrics.framing is None
    assert "face" in metrics.unavailable
    assert [m.kind for m in metrics.moments] == ["face_missing"]
    assert metrics.moments[0].end - metrics.moments[0].start == pytest.approx(3.0)


def test_one_frame_video(generated: Path) -> None:
    video = ffmpeg_make(
        generated / "one-frame.mp4",
        "-i", str(media_file("talking/facerec_obama.jpg")), "-frames:v", "1",
        "-vf", "scale=456:570", "-pix_fmt", "yuv420p",
    )  # fmt: skip
    report = analyze_faces(video)
    assert len(report.samples) == 1
    assert report.metrics.face_presence_ratio == 1.0


def test_progress_is_reported_up_to_one(generated: Path) -> None:
    calls: list[tuple[float, str | None]] = []
    video = ffmpeg_make(
        generated / "grey.mp4",
        "-f", "lavfi", "-i", "color=c=gray:s=160x120:r=10:d=2", "-pix_fmt", "yuv420p",
    )  # fmt: skip
    analyze_faces(video, FaceSettings(sample_fps=1.0), lambda f, m: calls.append((f, m)))
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    assert "detecting faces" in {m for _, m in calls}


def test_audio_only_file_is_refused(generated: Path) -> None:
    audio = ffmpeg_make(generated / "tone.m4a", "-f", "lavfi", "-i", "sine=d=1")
    with pytest.raises(VideoUnreadable, match="no video stream"):
        analyze_faces(audio)


def test_garbage_and_missing_files_are_refused(generated: Path) -> None:
    garbage = generated / "garbage.mp4"
    garbage.write_bytes(b"\x00\x01not a video" * 1000)
    with pytest.raises(VideoUnreadable):
        analyze_faces(garbage)
    with pytest.raises(NotFound):
        analyze_faces(generated / "absent.mp4")


def test_truncated_video_is_refused(generated: Path) -> None:
    source = media_file(TALKING[0]).read_bytes()
    cut = generated / "cut.mp4"
    cut.write_bytes(source[: len(source) // 3])  # moov at the end: nothing decodes
    with pytest.raises(VideoUnreadable):
        analyze_faces(cut)


def test_too_long_video_is_refused_before_decoding() -> None:
    with pytest.raises(MediaRejected, match="at most 2 s"):
        analyze_faces(media_file(TALKING[0]), FaceSettings(max_duration_seconds=2.0))


def test_smiling_still_scores_higher_than_a_neutral_one(face_analyzer: FaceAnalyzer) -> None:
    # Obama's portrait smiles broadly; Lin-Manuel Miranda's reference photo does not.
    smiling = face_analyzer.analyze_image(still("facerec_obama.jpg")).primary
    neutral = face_analyzer.analyze_image(still("facerec_lin-manuel-miranda.png")).primary
    assert smiling is not None
    assert neutral is not None
    smile = (smiling.blendshapes["mouthSmileLeft"] + smiling.blendshapes["mouthSmileRight"]) / 2
    plain = (neutral.blendshapes["mouthSmileLeft"] + neutral.blendshapes["mouthSmileRight"]) / 2
    assert smile > 0.7
    assert plain < 0.2


@pytest.mark.parametrize("name", ["facerec_biden.jpg", "facerec_lin-manuel-miranda.png"])
def test_mirroring_flips_the_yaw(face_analyzer: FaceAnalyzer, name: str) -> None:
    image = still(name)
    face = face_analyzer.analyze_image(image).primary
    mirrored = face_analyzer.analyze_image(np.ascontiguousarray(image[:, ::-1])).primary
    assert face is not None
    assert mirrored is not None
    assert face.yaw is not None
    assert mirrored.yaw is not None
    assert abs(face.yaw) > 5  # both portraits are turned a little
    assert mirrored.yaw == pytest.approx(-face.yaw, abs=3.0)
    assert face.roll is not None
    assert mirrored.roll is not None
    assert mirrored.roll == pytest.approx(-face.roll, abs=3.0)
    # yaw > 0: turned towards the image's right, where the nose tip then points
    nose_x = face.key_points["nose_tip"][0]
    assert (face.yaw > 0) == (nose_x > face.bbox.centre[0])


def test_two_faces_side_by_side(generated: Path) -> None:
    # Two talking clips side by side (the construction of the reframe issue's speaker test).
    second = media_file("talking/videoretalking_face2.mp4")
    video = ffmpeg_make(
        generated / "side-by-side.mp4",
        "-i", str(media_file(TALKING[0])), "-i", str(second),
        "-filter_complex", "[0:v]scale=360:360,fps=25[a];[1:v]scale=360:360,fps=25[b];"
        "[a][b]hstack=inputs=2", "-t", "2", "-an", "-pix_fmt", "yuv420p",
    )  # fmt: skip
    report = FaceAnalyzer(FaceSettings(num_faces=2, sample_fps=2.0)).analyze(video)
    counts = [len(s.faces) for s in report.samples]
    assert counts.count(2) >= len(counts) - 1
    for sample in report.samples:
        if len(sample.faces) == 2:
            centres = sorted(f.bbox.centre[0] for f in sample.faces)
            assert centres[0] < 0.5 < centres[1]  # one face in each half


def test_face_is_found_right_after_a_hard_cut(generated: Path) -> None:
    # 1 s of a speaker on the left half, then a cut to another speaker on the right half:
    # the first frame after the cut must not lose the face (VIDEO-mode tracking alone does).
    second = media_file("talking/videoretalking_face2.mp4")
    video = ffmpeg_make(
        generated / "hard-cut.mp4",
        "-i", str(media_file(TALKING[0])), "-i", str(second),
        "-filter_complex",
        "[0:v]trim=0:1,setpts=PTS-STARTPTS,scale=320:320,setsar=1,fps=25,pad=640:320:0:0[a];"
        "[1:v]trim=0:1,setpts=PTS-STARTPTS,scale=320:320,setsar=1,fps=25,pad=640:320:320:0[b];"
        "[a][b]concat=n=2:v=1:a=0", "-pix_fmt", "yuv420p",
    )  # fmt: skip
    report = analyze_faces(video)
    assert report.metrics.face_presence_ratio == 1.0
    for sample in report.samples:
        face = sample.primary
        assert face is not None
        assert (face.bbox.centre[0] > 0.5) == (sample.timestamp >= 1.0)


def test_streaming_samples_can_stop_early(face_analyzer: FaceAnalyzer) -> None:
    stream = face_analyzer.iter_samples(media_file(TALKING[1]))
    first = [next(stream) for _ in range(3)]
    stream.close()  # stops ffmpeg and closes the landmarker
    assert [s.timestamp for s in first] == pytest.approx([0.0, 0.1, 0.2])
    assert all(s.face_present for s in first)
