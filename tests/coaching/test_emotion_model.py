"""The packaged 7-class FER model: integrity check, crops, and stills with known smiles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import media_file
from vidlens.coaching import emotion_model
from vidlens.coaching.emotion_model import FER_LABELS, EmotionModel, face_crop, fer_availability
from vidlens.engines.errors import ModelIntegrityError
from vidlens.engines.face.engine import FaceAnalyzer
from vidlens.engines.face.types import BoundingBox


@pytest.fixture(scope="module")
def model() -> EmotionModel:
    availability = fer_availability()
    if not availability.available:
        pytest.skip(f"FER model unavailable: {availability.reason} ({availability.hint})")
    return EmotionModel()


def test_crop_is_square_grey_and_scaled() -> None:
    rgb = np.zeros((100, 200, 3), dtype=np.uint8)
    rgb[:, 100:] = 255  # right half white
    crop = face_crop(rgb, BoundingBox(0.4, 0.1, 0.2, 0.5))  # 40 x 50 px: a 50 px square
    assert crop.shape == (1, 64, 64, 1)
    assert crop.min() == -1.0
    assert crop.max() == 1.0
    assert crop[0, :, :20, 0].max() == -1.0
    assert crop[0, :, -20:, 0].min() == 1.0
    edge = face_crop(rgb, BoundingBox(0.9, -0.2, 0.3, 0.6))  # leaves the frame: edges repeated
    assert edge.shape == (1, 64, 64, 1)
    assert edge.min() >= -1.0
    assert edge.max() <= 1.0


def test_a_tampered_model_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not fer_availability().available:
        pytest.skip("FER model unavailable")
    data = bytearray(emotion_model.fer_model_path().read_bytes())
    data[100] ^= 0xFF
    tampered = tmp_path / "emotion_model_quantized.tflite"
    tampered.write_bytes(bytes(data))
    monkeypatch.setattr(emotion_model, "fer_model_path", lambda: tampered)
    with pytest.raises(ModelIntegrityError, match="does not match the recorded"):
        EmotionModel()


@pytest.mark.media
@pytest.mark.parametrize(
    ("still", "happy"),
    [
        ("talking/facerec_obama.jpg", True),  # a broad smile (mouthSmile 0.94)
        ("talking/facerec_alex-lacamoire.png", True),  # smiling (0.92)
        ("talking/facerec_lin-manuel-miranda.png", False),  # not smiling (0.00)
    ],
)
def test_smiles_on_stills(model: EmotionModel, still: str, happy: bool) -> None:
    import cv2

    image = cv2.imread(str(media_file(still)))
    assert image is not None
    scale = 640 / max(image.shape[:2])
    rgb = np.ascontiguousarray(
        cv2.cvtColor(cv2.resize(image, None, fx=scale, fy=scale), cv2.COLOR_BGR2RGB),
        dtype=np.uint8,
    )
    face = FaceAnalyzer().analyze_image(rgb).primary
    assert face is not None
    probabilities = model.classify(rgb, face.bbox)
    assert probabilities.shape == (7,)
    assert float(probabilities.sum()) == pytest.approx(1.0, abs=0.01)
    top = FER_LABELS[int(probabilities.argmax())]
    if happy:
        assert top == "happy"
        assert probabilities.max() >= 0.9
    else:
        assert top != "happy"  # measured neutral 0.38
