"""A YOLO (v5/v8 family, Ultralytics ONNX export) object detector on onnxruntime.

The model takes a ``(1, 3, S, S)`` float RGB image in [0, 1] and returns one tensor of
candidates, ``(1, 4 + C, N)`` (YOLOv8 and later: box centre x/y, width, height in input
pixels, then C class scores) or ``(1, N, 5 + C)`` (YOLOv5: the same with an objectness score
before the class scores). Frames are letterboxed into the square input (scaled to fit, grey
padding of value 114 on the short side, as Ultralytics trains), decoded, filtered by score
and thinned by per-class non-maximum suppression; boxes are mapped back to frame pixels.

Class names come from the model's ``names`` metadata (which Ultralytics writes into every
export) unless the caller gives them; the input size from the model's input shape, its
``imgsz`` metadata, or 640.
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidlens.engines.errors import ModelMissing

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

PAD_VALUE = 114
"""Grey of the letterbox padding (Ultralytics' value)."""


@dataclass(frozen=True, slots=True)
class Detection:
    """One detected object, in frame pixels."""

    label: str
    class_id: int
    score: float
    """Class score in [0, 1] (times objectness for YOLOv5 outputs)."""
    box: tuple[float, float, float, float]
    """``(x1, y1, x2, y2)`` in pixels of the frame given to :meth:`YoloDetector.detect`."""


@dataclass(frozen=True, slots=True)
class Letterbox:
    """How a frame was fitted into the square input."""

    scale: float
    pad_x: float
    pad_y: float


def letterbox(rgb: npt.NDArray[np.uint8], size: int) -> tuple[npt.NDArray[np.float32], Letterbox]:
    """Fit ``rgb`` (H, W, 3) into a ``size`` square: the model input ``(1, 3, size, size)``
    in [0, 1] and the transform to undo."""
    import cv2
    import numpy as np

    height, width = rgb.shape[:2]
    scale = min(size / width, size / height)
    new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
    resized = cv2.resize(rgb, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    canvas = np.full((size, size, 3), PAD_VALUE, dtype=np.uint8)
    pad_x, pad_y = (size - new_w) // 2, (size - new_h) // 2
    canvas[pad_y : pad_y + new_h, pad_x : pad_x + new_w] = resized
    tensor = canvas.astype(np.float32).transpose(2, 0, 1)[None] / 255.0
    return np.ascontiguousarray(tensor), Letterbox(scale, float(pad_x), float(pad_y))


def candidates(
    output: npt.NDArray[np.float32], num_classes: int
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Split a raw output into boxes ``(N, 4)`` (cx, cy, w, h) and class scores ``(N, C)``.

    Accepts ``(1, 4 + C, N)`` (v8), ``(1, N, 4 + C)`` and ``(1, N, 5 + C)`` (v5, objectness
    multiplied into the class scores).

    Raises:
        ValueError: a shape that matches none of these for ``num_classes``.
    """
    array = output[0] if output.ndim == 3 else output
    if array.ndim != 2:
        raise ValueError(f"unexpected YOLO output shape {output.shape}")
    if array.shape[0] == 4 + num_classes and array.shape[1] != 4 + num_classes:
        array = array.T
    if array.shape[1] == 4 + num_classes:
        return array[:, :4], array[:, 4:]
    if array.shape[1] == 5 + num_classes:
        return array[:, :4], array[:, 5:] * array[:, 4:5]
    raise ValueError(f"YOLO output shape {output.shape} does not fit {num_classes} classes")


def nms(
    boxes: npt.NDArray[np.float32], scores: npt.NDArray[np.float32], iou_threshold: float
) -> list[int]:
    """Greedy non-maximum suppression: indices kept, best score first.

    Arguments:
        boxes: ``(N, 4)`` as x1, y1, x2, y2.
        scores: ``(N,)``.
        iou_threshold: a box overlapping a kept one by more than this is dropped.
    """
    import numpy as np

    order = np.argsort(-scores, kind="stable")
    areas = np.clip(boxes[:, 2] - boxes[:, 0], 0, None) * np.clip(
        boxes[:, 3] - boxes[:, 1], 0, None
    )
    kept: list[int] = []
    while order.size:
        best = int(order[0])
        kept.append(best)
        rest = order[1:]
        x1 = np.maximum(boxes[best, 0], boxes[rest, 0])
        y1 = np.maximum(boxes[best, 1], boxes[rest, 1])
        x2 = np.minimum(boxes[best, 2], boxes[rest, 2])
        y2 = np.minimum(boxes[best, 3], boxes[rest, 3])
        inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
        union = areas[best] + areas[rest] - inter
        iou = np.where(union > 0, inter / np.maximum(union, 1e-9), 0.0)
        order = rest[iou <= iou_threshold]
    return kept


def decode(
    output: npt.NDArray[np.float32],
    names: Sequence[str],
    transform: Letterbox,
    frame_size: tuple[int, int],
    *,
    score_threshold: float,
    iou_threshold: float,
    max_detections: int = 300,
) -> list[Detection]:
    """Raw output → detections in frame pixels (best first).

    Arguments:
        output: the model's output tensor.
        names: class names, index = class id.
        transform: the letterbox used to build the input.
        frame_size: ``(width, height)`` of the frame, to clip boxes.
        score_threshold: candidates scoring below this are dropped before NMS.
        iou_threshold: per-class NMS overlap limit.
        max_detections: at most this many detections are returned.
    """
    import numpy as np

    xywh, scores = candidates(output, len(names))
    class_ids = scores.argmax(axis=1)
    best = scores[np.arange(scores.shape[0]), class_ids]
    keep = best >= score_threshold
    xywh, class_ids, best = xywh[keep], class_ids[keep], best[keep]
    if not best.size:
        return []
    boxes = np.empty_like(xywh)
    boxes[:, 0] = xywh[:, 0] - xywh[:, 2] / 2
    boxes[:, 1] = xywh[:, 1] - xywh[:, 3] / 2
    boxes[:, 2] = xywh[:, 0] + xywh[:, 2] / 2
    boxes[:, 3] = xywh[:, 1] + xywh[:, 3] / 2
    boxes[:, [0, 2]] = (boxes[:, [0, 2]] - transform.pad_x) / transform.scale
    boxes[:, [1, 3]] = (boxes[:, [1, 3]] - transform.pad_y) / transform.scale
    width, height = frame_size
    boxes[:, [0, 2]] = boxes[:, [0, 2]].clip(0, width)
    boxes[:, [1, 3]] = boxes[:, [1, 3]].clip(0, height)
    # Per-class NMS in one pass: shift each class's boxes apart so they never overlap.
    offset = class_ids[:, None].astype(np.float32) * (max(width, height) + 1.0)
    kept = nms(boxes + offset, best, iou_threshold)[:max_detections]
    return [
        Detection(
            label=names[int(class_ids[i])],
            class_id=int(class_ids[i]),
            score=float(best[i]),
            box=(float(boxes[i, 0]), float(boxes[i, 1]), float(boxes[i, 2]), float(boxes[i, 3])),
        )
        for i in kept
    ]


def metadata_names(metadata: dict[str, str]) -> list[str] | None:
    """Class names from Ultralytics' ``names`` metadata (``"{0: 'person', ...}"``)."""
    raw = metadata.get("names")
    if not raw:
        return None
    try:
        parsed = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return None
    if isinstance(parsed, dict):
        return [str(parsed[key]) for key in sorted(parsed)]
    if isinstance(parsed, list):
        return [str(name) for name in parsed]
    return None


class YoloDetector:
    """A loaded YOLO ONNX model (thread-safe: one ``run`` at a time).

    Arguments:
        model_path: the ``.onnx`` file (already verified by the caller when it ships a hash).
        names: class names; default: the model's ``names`` metadata.
        threads: onnxruntime intra-op threads.

    Raises:
        ModelMissing: the file does not load, or has no class names anywhere.
    """

    def __init__(
        self, model_path: Path, *, names: Sequence[str] | None = None, threads: int = 1
    ) -> None:
        import onnxruntime as ort  # type: ignore[import-untyped]  # no stubs

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(
                str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own types for bad files
            raise ModelMissing(f"{model_path.name} is not a loadable ONNX model: {exc}") from None
        metadata: dict[str, str] = dict(self._session.get_modelmeta().custom_metadata_map)
        found = list(names) if names else metadata_names(metadata)
        if not found:
            raise ModelMissing(
                f"{model_path.name} carries no class names",
                hint="give the class names in the engine's settings",
            )
        self.names: list[str] = found
        self.input_name: str = self._session.get_inputs()[0].name
        self.size = _input_size(self._session.get_inputs()[0].shape, metadata)
        self._lock = threading.Lock()

    def detect(
        self, rgb: npt.NDArray[np.uint8], *, score_threshold: float, iou_threshold: float = 0.45
    ) -> list[Detection]:
        """Detect objects in one RGB frame ``(H, W, 3)``."""
        tensor, transform = letterbox(rgb, self.size)
        with self._lock:
            (output,) = self._session.run(None, {self.input_name: tensor})[:1]
        height, width = rgb.shape[:2]
        return decode(
            output,
            self.names,
            transform,
            (width, height),
            score_threshold=score_threshold,
            iou_threshold=iou_threshold,
        )


def _input_size(shape: Sequence[Any], metadata: dict[str, str]) -> int:
    if len(shape) == 4 and isinstance(shape[2], int) and shape[2] > 0:
        return int(shape[2])
    try:
        imgsz = ast.literal_eval(metadata.get("imgsz", ""))
    except (ValueError, SyntaxError):
        imgsz = None
    if isinstance(imgsz, list | tuple) and imgsz and isinstance(imgsz[0], int):
        return int(imgsz[0])
    return 640
