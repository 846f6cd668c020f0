"""Diarization with local speaker activity (:mod:`vidlens.engines.speech.segmentation`).

Two ways of telling speakers apart, each failing differently, are combined:

* **Window clustering** (the engine's base pipeline): 1.6 s resemblyzer windows inside VAD
  speech, clustered, one speaker per instant. It separates voices that the segmentation
  model merges into one local speaker (measured: the two far-field speakers of
  ``pyannote_tests_dev00`` are one local speaker in every chunk), but its short windows do
  not separate the four far-field voices of ``pyannote_tests_tst00``.
* **Local-speaker clustering** (pyannote 3.1's design, with resemblyzer instead of WeSpeaker):
  each local speaker of each chunk is embedded on the audio where it speaks alone (where it
  speaks at all, when that is too short), the embeddings are clustered, and every chunk's
  local speakers are mapped to distinct clusters (Hungarian assignment: two people heard at
  once in a chunk are never one speaker). Speech is then rebuilt frame by frame: each frame
  keeps the ``count`` most active clusters, ``count`` being the model's number of people
  speaking there, so overlapped speech gets two or three speakers.

The engine (``SpeakerDiarizer._segmented``) keeps the local-speaker result when it finds
more speakers than the window clustering (each method under-splits in its own way, so the
larger count is the better evidence), and otherwise keeps the window clustering's speakers
and adds from the model only
what that pipeline cannot say: silence (no speaker where the model hears nobody) and
overlap (a second speaker where the model hears two: the cluster the overlapping local
speaker was mapped to, by the frames where it speaks alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from vidlens.engines.speech._audio import SAMPLE_RATE
from vidlens.engines.speech.segmentation import (
    FRAME_DURATION,
    FRAME_STEP,
    LocalActivity,
    frame_time,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from vidlens.engines.speech.diarization import SpeakerTurn

    BoolArray = npt.NDArray[np.bool_]
    FloatArray = npt.NDArray[np.float32]

MIN_EMBED_SECONDS = 0.6
"""A local speaker with less speech than this in a chunk is not embedded."""
MIN_ALONE_FRAMES = 10
"""Frames (about 0.17 s) a local speaker must speak alone to be mapped to a base speaker."""


def local_embeddings(encoder: Any, samples: FloatArray, activity: LocalActivity) -> FloatArray:
    """One L2-normalised resemblyzer embedding per (chunk, local speaker), NaN when the local
    speaker has under :data:`MIN_EMBED_SECONDS` of speech in the chunk. Shape
    ``(chunks, 3, 256)``."""
    import numpy as np
    from resemblyzer.audio import normalize_volume  # type: ignore[import-untyped]  # no stubs

    chunks, _, speakers = activity.active.shape
    out = np.full((chunks, speakers, 256), np.nan, dtype=np.float32)
    for c in range(chunks):
        frames = activity.active[c]
        alone = frames.sum(axis=1) == 1
        for k in range(speakers):
            mask = frames[:, k] & alone
            if mask.sum() * FRAME_STEP < MIN_EMBED_SECONDS:
                mask = frames[:, k]
            wav = _masked_audio(samples, float(activity.starts[c]), mask)
            if wav.size < MIN_EMBED_SECONDS * SAMPLE_RATE:
                continue
            wav = normalize_volume(wav, -30, increase_only=True).astype(np.float32)
            out[c, k] = encoder.embed_utterance(wav)
    return out


def _masked_audio(samples: FloatArray, start: float, mask: BoolArray) -> FloatArray:
    """The samples under the frames of ``mask`` (a chunk starting at ``start`` s), joined."""
    import numpy as np

    frames = np.flatnonzero(mask)
    if frames.size == 0:
        return np.zeros(0, dtype=np.float32)
    runs = np.split(frames, np.flatnonzero(np.diff(frames) > 1) + 1)
    offset = round(start * SAMPLE_RATE)
    step, width = round(FRAME_STEP * SAMPLE_RATE), round(FRAME_DURATION * SAMPLE_RATE)
    pieces = [samples[offset + run[0] * step : offset + run[-1] * step + width] for run in runs]
    return np.concatenate(pieces)


def assign_local(embeddings: FloatArray, labels: Sequence[int]) -> npt.NDArray[np.int_]:
    """Map every embedded local speaker to a cluster, distinct within each chunk.

    Arguments:
        embeddings: ``(chunks, 3, 256)`` with NaN rows for local speakers not embedded.
        labels: the cluster of each embedded row, in row-major order of the non-NaN rows.

    Returns:
        ``(chunks, 3)`` cluster indices, -1 where not embedded.
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]  # no stubs

    valid = ~np.isnan(embeddings[..., 0])
    rows = embeddings[valid]
    label_array = np.asarray(labels)
    clusters = int(label_array.max()) + 1
    centroids = np.stack([rows[label_array == j].mean(axis=0) for j in range(clusters)])
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    out = np.full(valid.shape, -1, dtype=int)
    for c in range(valid.shape[0]):
        speakers = np.flatnonzero(valid[c])
        if speakers.size == 0:
            continue
        similarity = embeddings[c, speakers] @ centroids.T
        if speakers.size <= clusters:
            chosen_rows, chosen = linear_sum_assignment(-similarity)
            out[c, speakers[chosen_rows]] = chosen
        else:  # more local speakers than clusters: each takes its nearest
            out[c, speakers] = similarity.argmax(axis=1)
    return out


def reconstruct(
    activity: LocalActivity, assignment: npt.NDArray[np.int_], clusters: int
) -> BoolArray:
    """Global ``(frames, clusters)`` activity: each frame keeps its ``count`` most active
    clusters (activity averaged over the chunks covering the frame)."""
    import numpy as np

    total = activity.total_frames
    score = np.zeros((total, clusters))
    covered = np.zeros(total)
    for c in range(activity.active.shape[0]):
        offset, n = activity.span(c)
        covered[offset : offset + n] += 1
        for k in np.flatnonzero(assignment[c] >= 0):
            score[offset : offset + n, assignment[c, k]] += activity.active[c, :n, k]
    score /= np.maximum(covered, 1)[:, None]
    count = np.minimum(activity.speaker_count(), clusters)
    ranked = np.argsort(-score, axis=1, kind="stable")
    out = np.zeros((total, clusters), dtype=bool)
    for rank in range(clusters):
        rows = np.flatnonzero(count > rank)
        out[rows, ranked[rows, rank]] = score[rows, ranked[rows, rank]] > 0
    return out


def add_overlap(base: BoolArray, activity: LocalActivity) -> BoolArray:
    """``base`` (one speaker per frame, from window clustering) with the model's silence and
    overlap: frames where nobody speaks are cleared, and where two or more speak, the base
    speakers that the active local speakers map to (by the frames each speaks alone) are
    added, most active first, up to the model's count."""
    import numpy as np

    total, speakers = base.shape
    vote = np.zeros((total, speakers))
    for c in range(activity.active.shape[0]):
        offset, n = activity.span(c)
        frames = activity.active[c, :n]
        alone = frames.sum(axis=1) == 1
        for k in range(frames.shape[1]):
            mine = frames[:, k] & alone
            if mine.sum() < MIN_ALONE_FRAMES:
                continue
            heard = base[offset : offset + n][mine].sum(axis=0)
            if heard.sum() > 0:
                vote[offset : offset + n, int(heard.argmax())] += frames[:, k]
    count = activity.speaker_count()
    out = base.copy()
    out[count == 0] = False
    for f in np.flatnonzero(count >= 2):
        for speaker in np.argsort(-vote[f], kind="stable"):
            if out[f].sum() >= min(int(count[f]), speakers) or vote[f, speaker] <= 0:
                break
            out[f, speaker] = True
    return out


def frames_from_turns(turns: Sequence[SpeakerTurn], speakers: Sequence[str], total: int) -> Any:
    """``(total, len(speakers))`` booleans: frame ``f`` (centred at :func:`frame_time`) is
    True for a speaker whose turn covers that time."""
    import numpy as np

    index = {speaker: i for i, speaker in enumerate(speakers)}
    out = np.zeros((total, len(speakers)), dtype=bool)
    for turn in turns:
        first = max(0, int(np.ceil((turn.start - FRAME_DURATION / 2) / FRAME_STEP)))
        last = min(total, int(np.floor((turn.end - FRAME_DURATION / 2) / FRAME_STEP)) + 1)
        out[first:last, index[turn.speaker]] = True
    return out


def turns_from_frames(active: BoolArray, duration: float) -> list[SpeakerTurn]:
    """Turns from ``(frames, speakers)`` booleans, labelled ``SPEAKER_<column>``; a run of
    frames ``a..b`` covers ``frame_time(a) - FRAME_STEP / 2`` to ``frame_time(b) +
    FRAME_STEP / 2``, clipped to the audio."""
    import numpy as np

    from vidlens.engines.speech.diarization import SpeakerTurn

    turns = []
    for column in range(active.shape[1]):
        edges = np.diff(np.concatenate([[0], active[:, column].astype(np.int8), [0]]))
        for first, stop in zip(
            np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True
        ):
            start = max(0.0, frame_time(int(first)) - FRAME_STEP / 2)
            end = min(duration, frame_time(int(stop) - 1) + FRAME_STEP / 2)
            if end > start:
                turns.append(SpeakerTurn(round(start, 3), round(end, 3), f"SPEAKER_{column:02d}"))
    return turns
