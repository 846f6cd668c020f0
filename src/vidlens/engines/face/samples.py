"""The client-supplied ``mediapipeSamples`` schema, validated strictly.

A client that runs MediaPipe's face landmarker itself (e.g. ``@mediapipe/tasks-vision`` in a
browser) may send its results instead of the video's faces being decoded here. The accepted
document is a JSON array of samples, each MediaPipe's own ``FaceLandmarkerResult`` for one
frame plus its time::

    [
      {
        "timestampMs": 0,
        "faceLandmarks": [[{"x": 0.51, "y": 0.32, "z": -0.04}, ...478 points]],
        "faceBlendshapes": [{"categories": [{"categoryName": "eyeBlinkLeft", "score": 0.12},
                                              ...all 52]}],
        "facialTransformationMatrixes": [{"rows": 4, "columns": 4, "data": [...16]}],
        "imageWidth": 1280, "imageHeight": 720
      },
      ...
    ]

Rules (any break rejects the whole document with :class:`InvalidFaceSamples` naming the
place, e.g. ``mediapipeSamples[3].faceLandmarks[0][12].x``):

- ``timestampMs`` (or ``timestamp_ms``): required, finite, >= 0, strictly increasing.
- ``faceLandmarks``: one list per face (at most 10 faces; ``[]`` = no face in the frame),
  each of exactly 478 points (or 468, MediaPipe's older mesh without irises); ``x``, ``y``
  normalised in [-1, 2] (faces cut by an edge reach a little past [0, 1]), ``z`` in [-5, 5];
  ``visibility`` and ``presence`` may be present (ignored).
- ``faceBlendshapes`` (optional): one entry per face, each with the 52 MediaPipe categories
  exactly once (``_neutral`` may be left out), scores in [0, 1]; ``index`` and
  ``displayName`` may be present (ignored).
- ``facialTransformationMatrixes`` (optional): one 4x4 matrix per face, ``data`` in row-
  or column-major order (told apart by where ``0, 0, 0, 1`` sits), whose 3x3 part must be a
  rotation (orthonormal within 2 %, no mirror).
- ``imageWidth`` / ``imageHeight`` (optional, both or neither): the frame size in pixels.
- No other keys, no NaN or infinities, numbers as JSON numbers (not strings or booleans),
  at most ``FaceSettings.max_samples`` samples and ``max_samples_json_bytes`` of JSON.

snake_case names (``face_landmarks``, ``face_blendshapes``, ``facial_transformation_matrixes``,
``category_name``, ``image_width``...) are accepted as well. Without blendshapes, the smile,
blink, gaze-from-eyes and expression metrics are unavailable; without matrices, head pose is.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Annotated, Any, NotRequired

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from typing_extensions import TypedDict  # pydantic needs it on Python < 3.12

from vidlens.engines.face.errors import InvalidFaceSamples
from vidlens.engines.face.pose import build_observation
from vidlens.engines.face.settings import FaceSettings
from vidlens.engines.face.types import FaceSample

FIELD = "mediapipeSamples"
MAX_FACES = 10

BLENDSHAPE_NAMES: tuple[str, ...] = (
    "_neutral", "browDownLeft", "browDownRight", "browInnerUp", "browOuterUpLeft",
    "browOuterUpRight", "cheekPuff", "cheekSquintLeft", "cheekSquintRight", "eyeBlinkLeft",
    "eyeBlinkRight", "eyeLookDownLeft", "eyeLookDownRight", "eyeLookInLeft", "eyeLookInRight",
    "eyeLookOutLeft", "eyeLookOutRight", "eyeLookUpLeft", "eyeLookUpRight", "eyeSquintLeft",
    "eyeSquintRight", "eyeWideLeft", "eyeWideRight", "jawForward", "jawLeft", "jawOpen",
    "jawRight", "mouthClose", "mouthDimpleLeft", "mouthDimpleRight", "mouthFrownLeft",
    "mouthFrownRight", "mouthFunnel", "mouthLeft", "mouthLowerDownLeft", "mouthLowerDownRight",
    "mouthPressLeft", "mouthPressRight", "mouthPucker", "mouthRight", "mouthRollLower",
    "mouthRollUpper", "mouthShrugLower", "mouthShrugUpper", "mouthSmileLeft", "mouthSmileRight",
    "mouthStretchLeft", "mouthStretchRight", "mouthUpperUpLeft", "mouthUpperUpRight",
    "noseSneerLeft", "noseSneerRight",
)  # fmt: skip
"""The 52 categories of MediaPipe's face blendshapes model, in its order."""

_KNOWN = frozenset(BLENDSHAPE_NAMES)
_REQUIRED = _KNOWN - {"_neutral"}
_STRICT = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)


class _Landmark(TypedDict):
    """A TypedDict, not a model: 478 per face, validated ~5x faster than models."""

    __pydantic_config__ = _STRICT  # type: ignore[misc]  # pydantic reads it

    x: Annotated[float, Field(ge=-1.0, le=2.0)]
    y: Annotated[float, Field(ge=-1.0, le=2.0)]
    z: NotRequired[Annotated[float, Field(ge=-5.0, le=5.0)]]
    visibility: NotRequired[float | None]
    presence: NotRequired[float | None]


class _Category(BaseModel):
    model_config = _STRICT

    category_name: str = Field(validation_alias=AliasChoices("categoryName", "category_name"))
    score: Annotated[float, Field(ge=0.0, le=1.0)]
    index: int | None = None
    display_name: str | None = Field(
        default=None, validation_alias=AliasChoices("displayName", "display_name")
    )


class _Blendshapes(BaseModel):
    model_config = _STRICT

    categories: list[_Category]

    @model_validator(mode="after")
    def _complete(self) -> _Blendshapes:
        names = [c.category_name for c in self.categories]
        unknown = sorted(set(names) - _KNOWN)
        if unknown:
            raise ValueError(f"unknown blendshape categories: {', '.join(unknown[:5])}")
        if len(names) != len(set(names)):
            raise ValueError("a blendshape category appears more than once")
        missing = sorted(_REQUIRED - set(names))
        if missing:
            raise ValueError(
                f"blendshapes must list all 52 MediaPipe categories; missing: "
                f"{', '.join(missing[:5])}{'...' if len(missing) > 5 else ''}"
            )
        return self


class _Matrix(BaseModel):
    model_config = _STRICT

    rows: int = 4
    columns: int = 4
    data: list[Annotated[float, Field(ge=-1e6, le=1e6)]]

    @model_validator(mode="after")
    def _rigid(self) -> _Matrix:
        if self.rows != 4 or self.columns != 4 or len(self.data) != 16:
            raise ValueError("the transformation matrix must be 4x4 with 16 values")
        if _rows(self.data) is None:
            raise ValueError(
                "not a rigid transform: the 3x3 part must be a rotation and one row or column "
                "must be 0, 0, 0, 1"
            )
        return self


class _Sample(BaseModel):
    model_config = _STRICT

    timestamp_ms: Annotated[float, Field(ge=0.0, le=1e10)] = Field(
        validation_alias=AliasChoices("timestampMs", "timestamp_ms")
    )
    face_landmarks: Annotated[list[list[_Landmark]], Field(max_length=MAX_FACES)] = Field(
        validation_alias=AliasChoices("faceLandmarks", "face_landmarks")
    )
    face_blendshapes: list[_Blendshapes] | None = Field(
        default=None, validation_alias=AliasChoices("faceBlendshapes", "face_blendshapes")
    )
    facial_transformation_matrixes: list[_Matrix] | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "facialTransformationMatrixes", "facial_transformation_matrixes"
        ),
    )
    image_width: Annotated[int, Field(ge=1, le=100_000)] | None = Field(
        default=None, validation_alias=AliasChoices("imageWidth", "image_width")
    )
    image_height: Annotated[int, Field(ge=1, le=100_000)] | None = Field(
        default=None, validation_alias=AliasChoices("imageHeight", "image_height")
    )

    @model_validator(mode="after")
    def _consistent(self) -> _Sample:
        for i, face in enumerate(self.face_landmarks):
            if len(face) not in (468, 478):
                raise ValueError(
                    f"faceLandmarks[{i}] has {len(face)} points; MediaPipe's face mesh has 478 "
                    "(or 468 without irises)"
                )
        faces = len(self.face_landmarks)
        for name, values in (
            ("faceBlendshapes", self.face_blendshapes),
            ("facialTransformationMatrixes", self.facial_transformation_matrixes),
        ):
            if values is not None and len(values) != faces:
                raise ValueError(f"{name} has {len(values)} entries for {faces} faces")
        if (self.image_width is None) != (self.image_height is None):
            raise ValueError("give both imageWidth and imageHeight, or neither")
        return self


@functools.lru_cache(maxsize=8)
def _adapter(max_samples: int) -> TypeAdapter[list[_Sample]]:
    return TypeAdapter(Annotated[list[_Sample], Field(min_length=1, max_length=max_samples)])


def parse_face_samples(
    document: str | bytes | Sequence[Any], settings: FaceSettings | None = None
) -> list[FaceSample]:
    """Validate a ``mediapipeSamples`` document (JSON text or already-parsed list) and turn it
    into :class:`FaceSample` s (timestamps in seconds).

    Raises:
        InvalidFaceSamples: anything outside the schema above; the message names the place.
    """
    settings = settings or FaceSettings()
    adapter = _adapter(settings.max_samples)
    try:
        if isinstance(document, (str, bytes)):
            size = len(document.encode() if isinstance(document, str) else document)
            if size > settings.max_samples_json_bytes:
                raise InvalidFaceSamples(
                    f"{FIELD} is {size} bytes; at most {settings.max_samples_json_bytes} accepted",
                    field=FIELD,
                )
            parsed = adapter.validate_json(document)
        else:
            parsed = adapter.validate_python(document)
    except ValidationError as exc:
        raise _describe(exc, settings.max_samples) from None
    previous = -1.0
    for i, sample in enumerate(parsed):
        if sample.timestamp_ms <= previous:
            raise InvalidFaceSamples(
                f"{FIELD}[{i}].timestampMs ({sample.timestamp_ms:g}) must be greater than the "
                f"previous sample's ({previous:g}): timestamps must increase strictly",
                field=f"{FIELD}[{i}].timestampMs",
            )
        previous = sample.timestamp_ms
    return [_to_sample(sample) for sample in parsed]


def _describe(exc: ValidationError, max_samples: int) -> InvalidFaceSamples:
    errors = exc.errors(include_url=False, include_input=False)
    first = errors[0]
    if not first["loc"]:  # the document as a whole
        kind = first["type"]
        if kind == "json_invalid":
            message = f"{FIELD} is not valid JSON: {first['msg']}"
        elif kind == "list_type":
            message = f"{FIELD} must be a JSON array of samples"
        elif kind == "too_short":
            message = f"{FIELD} is empty: send at least one sample"
        elif kind == "too_long":
            message = f"{FIELD} has more than {max_samples} samples; at most {max_samples} accepted"
        else:
            message = f"{FIELD}: {first['msg']}"
        return InvalidFaceSamples(message, field=FIELD)
    where = FIELD + "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]
    )
    more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
    message = str(first["msg"]).removeprefix("Value error, ")
    return InvalidFaceSamples(f"{where}: {message}{more}", field=where)


def _rows(data: Sequence[float]) -> list[list[float]] | None:
    """The matrix as rows if ``data`` is a rigid transform in row- or column-major order."""
    row_major = [list(data[r * 4 : r * 4 + 4]) for r in range(4)]
    column_major = [[data[c * 4 + r] for c in range(4)] for r in range(4)]
    for rows in (row_major, column_major):
        if _is_rigid(rows):
            return rows
    return None


def _is_rigid(rows: list[list[float]]) -> bool:
    if any(abs(a - b) > 1e-3 for a, b in zip(rows[3], (0.0, 0.0, 0.0, 1.0), strict=True)):
        return False
    columns = [[rows[r][c] for r in range(3)] for c in range(3)]
    norms = [math.sqrt(sum(v * v for v in col)) for col in columns]
    if any(abs(n - 1.0) > 0.02 for n in norms):
        return False
    for first in range(3):
        for second in range(first + 1, 3):
            pairs = zip(columns[first], columns[second], strict=True)
            if abs(sum(x * y for x, y in pairs)) > 0.02:
                return False
    (a, b, c), (d, e, f), (g, h, k) = (rows[r][:3] for r in range(3))
    determinant = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g)
    return determinant > 0


def _to_sample(sample: _Sample) -> FaceSample:
    import numpy as np

    aspect = 1.0
    if sample.image_width is not None and sample.image_height is not None:
        aspect = sample.image_width / sample.image_height
    faces = []
    for i, face in enumerate(sample.face_landmarks):
        points = np.array([(p["x"], p["y"], p.get("z", 0.0)) for p in face], dtype=np.float32)
        scores: dict[str, float] = {}
        if sample.face_blendshapes is not None:
            scores = {c.category_name: c.score for c in sample.face_blendshapes[i].categories}
        matrix = None
        if sample.facial_transformation_matrixes is not None:
            rows = _rows(sample.facial_transformation_matrixes[i].data)
            matrix = np.array(rows, dtype=np.float64)
        faces.append(build_observation(points, scores, matrix, aspect=aspect))
    return FaceSample(timestamp=sample.timestamp_ms / 1000.0, faces=tuple(faces))
