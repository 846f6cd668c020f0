"""Face tracking on the shared talking clips and the hamilton clip (hard cuts), on
generated videos, and the tracker's rules on hand-made detections."""

from __future__ import annotations

import shutil
import subprocess
from itertools import combinations
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from tests.conftest import media_file
from vidlens.engines.face.types import BoundingBox
from vidlens.engines.face_id.embedder import FaceEmbedder
from vidlens.engines.face_id.fingerprint import decode_fingerprint, distance
from vidlens.engines.faces.detector import BlazeFaceDetector, suppress, tiles
from vidlens.engines.faces.engine import FaceTracker
from vidlens.engines.faces.settings import FaceTrackingSettings
from vidlens.engines.faces.tracker import SceneTracker
from vidlens.engines.faces.types import Detection, FaceTrackingResult
from vidlens.engines.scenes.engine import SceneDetector
from vidlens.engines.scenes.types import SceneResult


def _still(relative: str) -> npt.NDArray[np.uint8]:
    import cv2

    image = cv2.imread(str(media_file(relative)))
    assert image is not None
    return np.ascontiguousarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), dtype=np.uint8)


@pytest.fixture(scope="module")
def tracker() -> FaceTracker:
    engine = FaceTracker()
    availability = engine.availability()
    if not availability.available:
        pytest.skip(f"face tracker unavailable: {availability.reason} ({availability.hint})")
    return engine


@pytest.fixture(scope="module")
def hamilton(tracker: FaceTracker) -> tuple[SceneResult, FaceTrackingResult]:
    path = media_file("talking/facerec_short_hamilton_clip.mp4")
    scenes = SceneDetector().detect(path)
    return scenes, tracker.track(path, scenes)


@pytest.fixture(scope="module")
def lin_manuel() -> tuple[float, ...]:
    rgb = _still("talking/facerec_lin-manuel-miranda.png")
    with BlazeFaceDetector() as detector:
        (face,) = detector.detect(rgb)
    return FaceEmbedder().embed(rgb, face.box)


pytestmark = pytest.mark.media


def test_hamilton_track_ids_never_cross_a_cut(
    hamilton: tuple[SceneResult, FaceTrackingResult],
) -> None:
    scenes, result = hamilton
    assert len(scenes.boundaries) >= 3  # several hard cuts
    assert result.scene_count == len(scenes.scenes)
    ids = [t.track_id for t in result.tracks]
    assert len(ids) == len(set(ids))
    for track in result.tracks:
        scene = scenes.scenes[track.scene_index]
        assert all(scene.start_frame <= p.frame < scene.end_frame for p in track.points)
        assert [p.time for p in track.points] == sorted(p.time for p in track.points)


def test_hamilton_reidentifies_the_performer_across_cuts(
    hamilton: tuple[SceneResult, FaceTrackingResult], lin_manuel: tuple[float, ...]
) -> None:
    _, result = hamilton
    performer = [
        t
        for t in result.tracks
        if t.embedding is not None and distance(t.embedding, lin_manuel) < 0.6
    ]
    # seen on stage in the first shot and close up after the second cut: one person
    assert len({t.scene_index for t in performer}) >= 2
    assert len({t.face_id for t in performer}) == 1
    others = [t for t in result.tracks if t not in performer]
    assert all(t.face_id != performer[0].face_id for t in others)
    # the audience shot: several different people at once
    last_scene = max(t.scene_index for t in result.tracks)
    audience = {t.face_id for t in result.tracks if t.scene_index == last_scene}
    assert len(audience) >= 3


def test_simultaneous_tracks_are_different_people(
    hamilton: tuple[SceneResult, FaceTrackingResult],
) -> None:
    _, result = hamilton
    for a, b in combinations(result.tracks, 2):
        if a.first_seen <= b.last_seen and b.first_seen <= a.last_seen:
            assert a.face_id != b.face_id


def test_hamilton_result_document(hamilton: tuple[SceneResult, FaceTrackingResult]) -> None:
    _, result = hamilton
    document = result.to_dict()
    assert document["model"] == "face_tracking_yolov8"
    assert document["track_count"] == len(result.tracks)
    assert document["face_count"] == len(result.face_ids) >= 4
    first = document["tracks"][0]
    assert len(decode_fingerprint(first["fingerprint"])) == 128
    box = first["boxes"][0]
    assert 0.0 <= box["box"]["x"] <= 1.0
    assert box["timestamp"] == pytest.approx(first["first_seen"])
    assert (document["width"], document["height"]) == (640, 360)


@pytest.mark.parametrize(
    "clip",
    ["videoretalking_face1.mp4", "sadtalker_WDA_AlexandriaOcasioCortez_000.mp4"],
)
def test_talking_clip_is_one_track_with_a_moving_mouth(tracker: FaceTracker, clip: str) -> None:
    result = tracker.track(media_file(f"talking/{clip}"))
    samples = round(result.duration * result.sample_fps)
    assert len(result.face_ids) == 1
    main = max(result.tracks, key=lambda t: len(t.points))
    assert len(main.points) >= 0.95 * samples
    mouths = [p.mouth_open for p in main.points if p.mouth_open is not None]
    assert len(mouths) == len(main.points)
    # talking: the mouth opens (> 0.2) and closes (< 0.06) within the clip
    assert max(mouths) > 0.2
    assert min(mouths) < 0.06
    centre_x = [p.box.centre[0] for p in main.points]
    assert 0.3 < float(np.median(centre_x)) < 0.7  # face-centred clips


def test_no_faces_in_a_test_pattern(tracker: FaceTracker, tmp_path: Path) -> None:
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    clip = tmp_path / "pattern.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=2",
         "-pix_fmt", "yuv420p", str(clip)],
        check=True, timeout=60,
    )  # fmt: skip
    result = tracker.track(clip)
    assert result.tracks == ()
    assert result.total_frames == 50


def test_still_with_two_faces_uses_tiles() -> None:
    rgb = _still("talking/facerec_obama_and_biden.jpg")
    height, width = rgb.shape[:2]
    assert tiles(width, height, 1.15) == [(0, 0, 1428), (286, 0, 1428), (572, 0, 1428)]
    assert tiles(1000, 1000, 1.15) == []
    assert tiles(360, 640, 1.15) == [(0, 0, 360), (0, 140, 360), (0, 280, 360)]
    with BlazeFaceDetector() as detector:
        faces = detector.detect(rgb)
    assert len(faces) == 2
    assert all(f.score > 0.6 for f in faces)


def _det(x: float, y: float = 0.3, size: float = 0.1, score: float = 0.9) -> Detection:
    return Detection(BoundingBox(x, y, size, size), score)


def test_tracker_rules() -> None:
    tracker = SceneTracker(FaceTrackingSettings(max_gap_seconds=0.5, min_track_samples=2))
    for i in range(5):  # two faces moving right; ids stay
        ids = tracker.update(
            time=i * 0.1, frame=i, scene_index=0, detections=[_det(0.1 + 0.01 * i), _det(0.6)]
        )
        assert ids == [1, 2]
    # a new scene: new ids even for the same boxes
    assert tracker.update(time=0.5, frame=5, scene_index=1, detections=[_det(0.14)]) == [3]
    assert tracker.update(time=0.6, frame=6, scene_index=1, detections=[_det(0.15)]) == [3]
    # a gap longer than max_gap_seconds ends a track
    assert tracker.update(time=1.3, frame=13, scene_index=1, detections=[_det(0.15)]) == [4]
    assert tracker.update(time=1.4, frame=14, scene_index=1, detections=[_det(0.8)]) == [5]
    kept = tracker.finish()
    assert [t.track_id for t in kept] == [1, 2, 3]  # 4 and 5 had one detection each
    assert [len(t.points) for t in kept] == [5, 5, 2]


def test_suppression_keeps_the_best_of_overlapping_boxes() -> None:
    a, b, c = _det(0.10, score=0.7), _det(0.11, score=0.9), _det(0.5, score=0.8)
    assert suppress([a, b, c], 0.3) == [b, c]


def _without_timing(document: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in document.items() if k != "processing"}


def test_one_pass_with_scenes_equals_the_two_steps(
    tracker: FaceTracker, hamilton: tuple[SceneResult, FaceTrackingResult]
) -> None:
    """track_with_scenes (one decode for shots and faces) gives exactly the scenes and the
    tracks of detect() then track() on the hamilton clip's hard cuts."""
    scenes, faces = hamilton
    joint_scenes, joint_faces = tracker.track_with_scenes(
        media_file("talking/facerec_short_hamilton_clip.mp4")
    )
    assert joint_scenes.processing["decoded_with_faces"] == 1.0
    assert _without_timing(joint_scenes.to_dict()) == _without_timing(scenes.to_dict())
    assert _without_timing(joint_faces.to_dict()) == _without_timing(faces.to_dict())


def test_one_pass_falls_back_when_a_boundary_needs_more_look_ahead(
    tracker: FaceTracker,
    hamilton: tuple[SceneResult, FaceTrackingResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With no look-ahead the provisional cuts are wrong (a cut is only known 2 frames
    later); the check at the end sees it and tracks again: the results stay exact."""
    import vidlens.engines.faces.engine as engine

    monkeypatch.setattr(engine, "_LAG_SECONDS", 0.0)
    monkeypatch.setattr(engine, "_BACK_SECONDS", 0.0)
    scenes, faces = hamilton
    calls: list[int] = []
    original = FaceTracker.track

    def counted(self: FaceTracker, *args: object, **kwargs: object) -> FaceTrackingResult:
        calls.append(1)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(FaceTracker, "track", counted)
    joint_scenes, joint_faces = tracker.track_with_scenes(
        media_file("talking/facerec_short_hamilton_clip.mp4")
    )
    assert calls == [1]
    assert _without_timing(joint_scenes.to_dict()) == _without_timing(scenes.to_dict())
    assert _without_timing(joint_faces.to_dict()) == _without_timing(faces.to_dict())
