"""Face embeddings on the face_recognition stills: the same person is closer than different
people; re-identification rules on hand-made embeddings."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import media_file
from vidlens.engines.face_id.embedder import FaceEmbedder
from vidlens.engines.face_id.fingerprint import decode_fingerprint, distance, encode_fingerprint
from vidlens.engines.face_id.reid import TrackSummary, assign_face_ids
from vidlens.engines.faces.detector import BlazeFaceDetector


@pytest.fixture(scope="module")
def embeddings() -> dict[str, tuple[float, ...]]:
    """Each face of the stills, left to right: ``name#index``."""
    import cv2

    names = ["obama.jpg", "biden.jpg", "obama_and_biden.jpg", "lin-manuel-miranda.png",
             "alex-lacamoire.png"]  # fmt: skip
    found: dict[str, tuple[float, ...]] = {}
    embedder = FaceEmbedder()
    with BlazeFaceDetector() as detector:
        for name in names:
            image = cv2.imread(str(media_file(f"talking/facerec_{name}")))
            assert image is not None
            rgb = np.ascontiguousarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), dtype=np.uint8)
            faces = sorted(detector.detect(rgb), key=lambda f: f.box.x)
            for i, face in enumerate(faces):
                found[f"{name}#{i}"] = embedder.embed(rgb, face.box)
    return found


@pytest.mark.media
def test_same_person_closer_than_different_people(
    embeddings: dict[str, tuple[float, ...]],
) -> None:
    # obama_and_biden.jpg: Biden on the left (#0), Obama on the right (#1)
    assert set(embeddings) == {
        "obama.jpg#0", "biden.jpg#0", "obama_and_biden.jpg#0", "obama_and_biden.jpg#1",
        "lin-manuel-miranda.png#0", "alex-lacamoire.png#0",
    }  # fmt: skip
    obama, biden = embeddings["obama.jpg#0"], embeddings["biden.jpg#0"]
    pair_biden, pair_obama = (
        embeddings["obama_and_biden.jpg#0"],
        embeddings["obama_and_biden.jpg#1"],
    )
    same = [distance(obama, pair_obama), distance(biden, pair_biden)]
    different = [
        distance(a, b)
        for i, a in enumerate(embeddings.values())
        for j, b in enumerate(embeddings.values())
        if i < j and {a, b} not in ({obama, pair_obama}, {biden, pair_biden})
    ]
    assert max(same) < 0.5 < 0.6 < min(different)
    assert len(obama) == 128


def test_fingerprint_round_trip() -> None:
    vector = tuple(float(i) / 7 for i in range(128))
    text = encode_fingerprint(vector)
    assert decode_fingerprint(text) == pytest.approx(vector, abs=1e-6)
    with pytest.raises(ValueError, match="float32"):
        decode_fingerprint("AAA=")


def test_reid_groups_close_tracks_that_never_overlap() -> None:
    a = tuple([0.0] * 128)
    a2 = tuple([0.02] * 128)  # 0.23 from a
    b = tuple([0.1] * 128)  # 1.13 from a
    near_a = tuple([0.0] * 127 + [0.3])  # 0.3 from a, 0.36 from a2
    tracks = [
        TrackSummary(0.0, 2.0, a),
        TrackSummary(2.5, 4.0, b),
        TrackSummary(5.0, 6.0, a2),  # the first person again, after a cut
        TrackSummary(5.0, 6.0, b),  # at the same time as a2
        TrackSummary(1.0, 1.5, near_a),  # close to a but on screen with it: someone else
        TrackSummary(7.0, 8.0, None),  # no embedding: alone
    ]
    assert assign_face_ids(tracks, 0.55) == [1, 3, 1, 3, 2, 4]
    assert assign_face_ids([], 0.55) == []
