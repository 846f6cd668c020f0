"""Which leg is which on every frame, anchored on the footprints.

Seen from the side, MediaPipe often swaps the left/right labels of the feet for a few frames
where the legs cross, so per-label angle curves zigzag between the legs. The footprints know
better: a foot that stands on a footprint is that footprint's foot. So, on each frame where a
stance is under way, the label whose heel or toe is nearer to the stance's heel is that
stance's foot; when it is the other label, the feet (ankle, heel, toe) of that frame are
swapped. Frames with no stance under way (flight, swing of both) keep the decision of the
nearest decided frame. Knees then follow the ankles: on each frame the knee labels are
swapped when that makes the two shanks (knee to ankle) closer to their median lengths.
"""

from __future__ import annotations

import copy

import numpy as np

from vidlens.engines.pose.types import INDEX, FloatArray, PoseSequence
from vidlens.gait.steps import Stance

FEET_PARTS = ("ankle", "heel", "foot_index")


def _indices(parts: tuple[str, ...]) -> tuple[list[int], list[int]]:
    return [INDEX[f"left_{p}"] for p in parts], [INDEX[f"right_{p}"] for p in parts]


def _votes(seq: PoseSequence, stances: list[Stance]) -> FloatArray:
    """+1 keep / -1 swap / 0 undecided, per frame."""
    votes = np.zeros(seq.frame_count)
    strength = np.zeros(seq.frame_count)
    width, height = seq.video.width, seq.video.height
    scale = np.array([width, height], dtype=np.float64)
    for stance in stances:
        if stance.heel is None:
            continue
        home = np.asarray(stance.heel)
        for t in range(stance.contact, stance.toe_off + 1):
            distances = []
            for side in ("left", "right"):
                points = seq.image[t, [INDEX[f"{side}_heel"], INDEX[f"{side}_foot_index"]], :2]
                gaps = np.linalg.norm(points * scale - home, axis=1)
                gaps = gaps[np.isfinite(gaps)]
                distances.append(float(gaps.min()) if gaps.size else np.inf)
            if not all(np.isfinite(distances)):
                continue
            nearer = "left" if distances[0] < distances[1] else "right"
            margin = abs(distances[0] - distances[1])
            if margin > strength[t]:
                strength[t] = margin
                votes[t] = 1.0 if nearer == stance.foot else -1.0
    return votes


def _fill(votes: FloatArray) -> FloatArray:
    decided = np.flatnonzero(votes != 0)
    if decided.size == 0:
        return np.ones_like(votes)
    nearest = decided[np.clip(np.searchsorted(decided, np.arange(len(votes))), 0, decided.size - 1)]
    before = decided[
        np.clip(np.searchsorted(decided, np.arange(len(votes))) - 1, 0, decided.size - 1)
    ]
    index = np.arange(len(votes))
    pick = np.where(np.abs(before - index) < np.abs(nearest - index), before, nearest)
    return np.asarray(np.where(votes != 0, votes, votes[pick]), dtype=np.float64)


def _swap(
    arrays: list[FloatArray], rows: np.ndarray, left_ids: list[int], right_ids: list[int]
) -> None:
    if not rows.size:
        return
    left, right = np.asarray(left_ids), np.asarray(right_ids)
    for target in arrays:
        left_values = target[np.ix_(rows, left)].copy()
        target[np.ix_(rows, left)] = target[np.ix_(rows, right)]
        target[np.ix_(rows, right)] = left_values


def _knees(seq: PoseSequence, arrays: list[FloatArray]) -> int:
    image = seq.image
    lk, rk, la, ra = (INDEX[n] for n in ("left_knee", "right_knee", "left_ankle", "right_ankle"))
    if not seq.detected.any():
        return 0
    keep = np.linalg.norm(image[:, lk, :2] - image[:, la, :2], axis=1)
    keep_r = np.linalg.norm(image[:, rk, :2] - image[:, ra, :2], axis=1)
    cross = np.linalg.norm(image[:, rk, :2] - image[:, la, :2], axis=1)
    cross_r = np.linalg.norm(image[:, lk, :2] - image[:, ra, :2], axis=1)
    lengths = np.concatenate([keep, keep_r])
    lengths = lengths[np.isfinite(lengths)]
    if not lengths.size:
        return 0
    median = float(np.median(lengths))
    straight = np.abs(keep - median) + np.abs(keep_r - median)
    crossed = np.abs(cross - median) + np.abs(cross_r - median)
    with np.errstate(invalid="ignore"):
        rows = np.flatnonzero(crossed < straight)
    _swap(arrays, rows, [lk], [rk])
    return int(rows.size)


def anchored(seq: PoseSequence, stances: list[Stance]) -> tuple[PoseSequence, int]:
    """A copy of ``seq`` with feet (and knees) relabelled after the footprints, and how many
    frames changed."""
    out = copy.copy(seq)
    out.image, out.world, out.visibility = seq.image.copy(), seq.world.copy(), seq.visibility.copy()
    arrays = [out.image, out.world, out.visibility]
    decisions = _fill(_votes(seq, stances))
    rows = np.flatnonzero((decisions < 0) & seq.detected)
    left, right = _indices(FEET_PARTS)
    _swap(arrays, rows, left, right)
    knees = _knees(out, arrays)
    return out, int(rows.size) + knees
