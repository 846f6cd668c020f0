"""Face embeddings as compact strings: base64 of the little-endian float32 vector.

Fingerprints are comparable only when produced by the same model (:data:`MODEL_ID`).
"""

from __future__ import annotations

import base64
import math
import struct
from collections.abc import Sequence

MODEL_ID = "dlib-resnet-v1-128d"
DIMENSIONS = 128


def encode_fingerprint(vector: Sequence[float]) -> str:
    """Base64 of the float32 little-endian vector."""
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")


def decode_fingerprint(text: str) -> tuple[float, ...]:
    """The vector of a fingerprint.

    Raises:
        ValueError: not base64, or not a whole number of float32 values.
    """
    raw = base64.b64decode(text, validate=True)
    if len(raw) % 4:
        raise ValueError("a fingerprint is a whole number of float32 values")
    return struct.unpack(f"<{len(raw) // 4}f", raw)


def distance(a: Sequence[float], b: Sequence[float]) -> float:
    """Euclidean distance between two embeddings (dlib's metric; < 0.6: same person)."""
    if len(a) != len(b):
        raise ValueError("embeddings of different sizes are not comparable")
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)))
