"""Strict validation of client-supplied ``mediapipeSamples`` (no model, no media)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from tests.engines.face.factories import client_sample, rotation_y
from vidlens.engines.face.engine import face_metrics_from_client
from vidlens.engines.face.errors import InvalidFaceSamples
from vidlens.engines.face.samples import parse_face_samples
from vidlens.engines.face.settings import FaceSettings

Document = list[dict[str, Any]]


def good(count: int = 10) -> Document:
    return [client_sample(i * 200.0) for i in range(count)]


def test_a_valid_document_becomes_samples_in_seconds() -> None:
    samples = parse_face_samples(json.dumps(good()))
    assert [s.timestamp for s in samples[:3]] == pytest.approx([0.0, 0.2, 0.4])
    face = samples[0].primary
    assert face is not None
    assert face.yaw == pytest.approx(0.0, abs=1e-9)
    assert face.mouth_open == pytest.approx(0.2, abs=1e-5)
    assert len(face.blendshapes) == 52
    assert 0.3 < face.bbox.x < 0.4


def test_metrics_from_client_samples() -> None:
    document = good(20) + [
        client_sample(4000.0 + i * 200.0, yaw=40.0, mouthSmileLeft=0.9, mouthSmileRight=0.9)
        for i in range(10)
    ]
    document.append({"timestampMs": 6000.0, "faceLandmarks": []})
    metrics = face_metrics_from_client(json.dumps(document).encode())
    assert metrics.source == "client"
    assert metrics.sample_count == 31
    assert metrics.face_presence_ratio == pytest.approx(30 / 31)
    assert metrics.eye_contact_ratio == pytest.approx(20 / 30)
    assert metrics.smile_ratio == pytest.approx(10 / 30)
    assert metrics.head_pose is not None
    assert metrics.head_pose.yaw_mean == pytest.approx(40 / 3)


def test_snake_case_column_major_and_optional_parts() -> None:
    sample = client_sample(0.0, yaw=30.0)
    columns = [[row[c] for row in rotation_y(30.0)] for c in range(4)]
    converted = {
        "timestamp_ms": 0,
        "face_landmarks": sample["faceLandmarks"],
        "facial_transformation_matrixes": [{"data": [v for col in columns for v in col]}],
        "image_width": 1280,
        "image_height": 720,
    }
    samples = parse_face_samples([converted])
    face = samples[0].primary
    assert face is not None
    assert face.yaw == pytest.approx(30.0)
    assert face.blendshapes == {}
    metrics = face_metrics_from_client([converted])
    assert metrics.smile_ratio is None
    assert "smile_ratio" in metrics.unavailable


def test_468_point_mesh_without_irises_is_accepted() -> None:
    sample = client_sample(0.0)
    sample["faceLandmarks"][0] = sample["faceLandmarks"][0][:468]
    assert parse_face_samples([sample])[0].face_present


def _broken(path: str, value: Any) -> Document:
    """``good()`` with the item at a dotted path (list indices as numbers) replaced."""
    document = copy.deepcopy(good(3))
    parts = [int(p) if p.isdigit() else p for p in path.split(".")]
    target: Any = document
    for part in parts[:-1]:
        target = target[part]
    if value is _DELETE:
        del target[parts[-1]]
    else:
        target[parts[-1]] = value
    return document


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("1.timestampMs", 0.0, r"mediapipeSamples\[1\]\.timestampMs .*increase strictly"),
        ("2.timestampMs", 100.0, r"must be greater than the previous"),
        ("0.timestampMs", -5.0, r"mediapipeSamples\[0\]\.timestampMs: Input should be greater"),
        ("0.timestampMs", "12", r"timestampMs: Input should be a valid number"),
        ("0.timestampMs", True, r"timestampMs: Input should be a valid number"),
        ("0.timestampMs", _DELETE, r"mediapipeSamples\[0\]\.timestampMs: Field required"),
        ("0.faceLandmarks.0.5.x", float("nan"), r"\[0\]\[5\]\.x: Input should be a finite"),
        ("0.faceLandmarks.0.5.y", 7.0, r"faceLandmarks\[0\]\[5\]\.y: Input should be less"),
        ("0.faceLandmarks.0.5.x", None, r"faceLandmarks\[0\]\[5\]\.x"),
        ("0.faceLandmarks.0.5.w", 1.0, r"faceLandmarks\[0\]\[5\]\.w: Extra inputs"),
        ("1.faceBlendshapes.0.categories.3.score", 1.5, r"\[3\]\.score: Input should be less"),
        ("1.faceBlendshapes.0.categories.3.score", float("inf"), r"categories\[3\]\.score"),
        ("1.faceBlendshapes.0.categories.3.categoryName", "eyeRoll", r"unknown .*: eyeRoll"),
        ("1.faceBlendshapes.0.categories.3.categoryName", "eyeBlinkLeft", r"more than once"),
        ("2.faceBlendshapes.0.categories.9", _DELETE, r"missing: eyeBlinkLeft"),
        ("0.facialTransformationMatrixes.0.data.0", 3.0, r"not a rigid transform"),
        ("0.facialTransformationMatrixes.0.data", [1.0] * 9, r"4x4 with 16 values"),
        ("0.faceBlendshapes", [], r"faceBlendshapes has 0 entries for 1 faces"),
        ("0.imageWidth", 640, r"both imageWidth and imageHeight"),
        ("0.frame", 12, r"mediapipeSamples\[0\]\.frame: Extra inputs"),
    ],
)  # fmt: skip
def test_malformed_documents_are_refused_with_the_place(
    path: str, value: Any, message: str
) -> None:
    with pytest.raises(InvalidFaceSamples, match=message) as caught:
        parse_face_samples(_broken(path, value))
    assert caught.value.status == 422
    assert str(caught.value.fields["field"]).startswith("mediapipeSamples")


def test_wrong_landmark_count_and_too_many_faces() -> None:
    short = client_sample(0.0)
    short["faceLandmarks"][0] = short["faceLandmarks"][0][:100]
    with pytest.raises(InvalidFaceSamples, match="has 100 points"):
        parse_face_samples([short])
    with pytest.raises(InvalidFaceSamples, match="at most 10 items"):
        parse_face_samples([client_sample(0.0, faces=11)])


def test_mirrored_matrix_is_not_a_rotation() -> None:
    sample = client_sample(0.0)
    data = sample["facialTransformationMatrixes"][0]["data"]
    data[0] = -1.0  # x axis flipped: determinant -1
    with pytest.raises(InvalidFaceSamples, match="not a rigid transform"):
        parse_face_samples([sample])


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[{", "not valid JSON"),
        ('[{"timestampMs": NaN, "faceLandmarks": []}]', r"\[0\]\.timestampMs: .*finite number"),
        ('{"samples": []}', "must be a JSON array"),
        ("[]", "is empty"),
        ('["x"]', r"mediapipeSamples\[0\]: Input should be an object"),
    ],
)
def test_documents_that_are_not_sample_arrays(document: str, message: str) -> None:
    with pytest.raises(InvalidFaceSamples, match=message):
        parse_face_samples(document)


def test_size_limits() -> None:
    settings = FaceSettings(max_samples=5, max_samples_json_bytes=2048)
    no_faces = [{"timestampMs": i * 100, "faceLandmarks": []} for i in range(6)]
    with pytest.raises(InvalidFaceSamples, match="more than 5 samples; at most 5"):
        parse_face_samples(no_faces, settings)
    with pytest.raises(InvalidFaceSamples, match="bytes; at most 2048"):
        parse_face_samples(json.dumps(good(1)), settings)
