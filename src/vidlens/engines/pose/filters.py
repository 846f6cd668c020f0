"""Trajectory clean-up: left/right swap repair, short-gap filling, zero-phase smoothing.

Swap repair: MediaPipe sometimes exchanges the labels of the two legs (or arms) for a few
frames. For each frame the positions of each limb group are compared with a constant-velocity
prediction from the two previous (repaired) frames; when the parts are well apart (more than
20 % of the shoulder-to-ankle size, so that a real crossing is never mistaken for a swap) and
the crossed assignment is clearly cheaper (less than half the cost and by more than 2 % of the
body's size per point), the left and right labels of that group are exchanged.

Spike removal: a Hampel filter (window of 7 frames) marks a coordinate as an outlier when it
lies more than 3 scaled median absolute deviations (and at least 2 % of the frame) from the
window's median; outliers are dropped and filled like gaps.

Smoothing: a 2nd-order Butterworth low-pass run forwards and backwards (``filtfilt``: no
phase lag, so event timing is not shifted) over each run of valid frames, with the cut-off
capped at 0.4 x the frame rate. Gaps of up to ``max_gap`` frames are filled by linear
interpolation first; longer gaps stay NaN and split the runs.
"""

from __future__ import annotations

import warnings

import numpy as np

from vidlens.engines.pose.types import INDEX, LEFT_RIGHT_PAIRS, FloatArray

_GROUPS: dict[str, tuple[str, ...]] = {
    "feet": ("ankle", "heel", "foot_index"),
    "knees": ("knee",),
    "hands": ("wrist", "pinky", "index", "thumb"),
    "elbows": ("elbow",),
}
"""Limb parts whose labels are checked independently (MediaPipe often swaps only the feet)."""
_COST_POINTS = {
    "feet": ("ankle", "heel", "foot_index"),
    "knees": ("knee",),
    "hands": ("wrist",),
    "elbows": ("elbow",),
}


def _pairs(names: tuple[str, ...]) -> tuple[list[int], list[int]]:
    return [INDEX["left_" + n] for n in names], [INDEX["right_" + n] for n in names]


def repair_swaps(
    image: FloatArray, arrays: list[FloatArray], *, aspect: float = 1.0
) -> tuple[int, FloatArray]:
    """Swap back left/right labels that jump between frames (in place).

    Arguments:
        image: normalised image coordinates (N, 33, 3); x, y drive the decision.
        arrays: other per-landmark arrays indexed (N, 33, ...) swapped along with ``image``
            (world coordinates, visibility).
        aspect: width / height of the frame, so that x and y distances are comparable.

    Returns:
        (frames with at least one group swapped, boolean mask (N,) of those frames).
    """
    count = image.shape[0]
    swapped = np.zeros(count, dtype=bool)
    scale = np.array([aspect, 1.0])
    for group, names in _GROUPS.items():
        left_all, right_all = _pairs(names)
        left_cost, right_cost = _pairs(_COST_POINTS[group])
        previous: list[tuple[FloatArray, FloatArray]] = []
        for t in range(count):
            left = image[t, left_cost, :2] * scale
            right = image[t, right_cost, :2] * scale
            if not (np.isfinite(left).all() and np.isfinite(right).all()):
                previous = []
                continue
            if previous:
                if len(previous) >= 2:
                    pl = 2 * previous[-1][0] - previous[-2][0]
                    pr = 2 * previous[-1][1] - previous[-2][1]
                else:
                    pl, pr = previous[-1]
                keep = _cost(left, pl) + _cost(right, pr)
                cross = _cost(left, pr) + _cost(right, pl)
                size = _body_size(image[t], scale)
                apart = float(np.linalg.norm(left - right, axis=1).mean()) > 0.2 * size
                if apart and cross < 0.5 * keep and keep - cross > 0.02 * size * len(left_cost):
                    for target in (image, *arrays):
                        target[t, left_all], target[t, right_all] = (
                            target[t, right_all].copy(),
                            target[t, left_all].copy(),
                        )
                    swapped[t] = True
                    left, right = right, left
            previous = [*previous[-1:], (left, right)]
    return int(swapped.sum()), swapped


def _cost(points: FloatArray, predicted: FloatArray) -> float:
    return float(np.linalg.norm(points - predicted, axis=1).sum())


def _body_size(frame: FloatArray, scale: FloatArray) -> float:
    shoulders = (frame[INDEX["left_shoulder"], :2] + frame[INDEX["right_shoulder"], :2]) / 2
    ankles = (frame[INDEX["left_ankle"], :2] + frame[INDEX["right_ankle"], :2]) / 2
    size = float(np.linalg.norm((shoulders - ankles) * scale))
    return size if np.isfinite(size) and size > 0 else 0.5


def repair_handedness(image: FloatArray, arrays: list[FloatArray], *, window: int = 15) -> int:
    """Side views: make the labels agree with the side facing the camera (in place).

    A runner seen from the side shows the camera the side they face: facing image-left
    (nose left of the ears) the left limbs are the near ones. MediaPipe tends to call the
    near leg "left" whatever the direction, so on side-view frames (shoulders less than 35 %
    of the torso length apart horizontally) where the near limbs (smaller z) are not the
    ones on the facing side, every left/right pair is exchanged. The decision is a running
    majority over ``2 * window + 1`` frames, so single noisy frames do not flip it.

    Returns:
        The number of frames relabelled.
    """
    count = image.shape[0]
    if count == 0:
        return 0
    window = min(window, (count - 1) // 2)
    nose = image[:, INDEX["nose"], 0]
    ears = (image[:, INDEX["left_ear"], 0] + image[:, INDEX["right_ear"], 0]) / 2
    left_ids, right_ids = _pairs(("hip", "knee", "ankle", "shoulder", "elbow"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        depth = np.nanmean(image[:, left_ids, 2] - image[:, right_ids, 2], axis=1)
    shoulders = np.abs(image[:, INDEX["left_shoulder"], 0] - image[:, INDEX["right_shoulder"], 0])
    torso = np.linalg.norm(
        (image[:, INDEX["left_shoulder"], :2] + image[:, INDEX["right_shoulder"], :2]) / 2
        - (image[:, INDEX["left_hip"], :2] + image[:, INDEX["right_hip"], :2]) / 2,
        axis=1,
    )
    with np.errstate(invalid="ignore"):
        side = shoulders < 0.35 * torso
        vote = np.where(side, np.sign(nose - ears) * np.sign(depth), 0.0)
    vote = np.nan_to_num(vote)
    kernel = np.ones(2 * window + 1)
    majority = np.convolve(vote, kernel, mode="same")
    flip = (majority < 0) & np.isfinite(image[:, 0, 0])
    left_all = np.array([i for i, _ in LEFT_RIGHT_PAIRS])
    right_all = np.array([j for _, j in LEFT_RIGHT_PAIRS])
    for target in (image, *arrays):
        left_values = target[flip][:, left_all].copy()
        right_values = target[flip][:, right_all].copy()
        rows = np.flatnonzero(flip)
        target[np.ix_(rows, left_all)] = right_values
        target[np.ix_(rows, right_all)] = left_values
    return int(flip.sum())


def drop_spikes(series: FloatArray, *, window: int = 3, floor: float = 0.02) -> FloatArray:
    """Hampel filter along axis 0: values further than 3 scaled MADs (and ``floor``) from the
    median of the ``2 * window + 1`` frames around them become NaN."""
    out = series.copy()
    count = out.shape[0]
    if count < 2 * window + 1:
        return out
    padded = np.pad(out, [(window, window)] + [(0, 0)] * (out.ndim - 1), mode="edge")
    stack = np.stack([padded[i : i + count] for i in range(2 * window + 1)])
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        median = np.nanmedian(stack, axis=0)
        mad = 1.4826 * np.nanmedian(np.abs(stack - median), axis=0)
    limit = np.maximum(3.0 * mad, floor)
    outliers = np.abs(out - median) > limit
    out[outliers] = np.nan
    return out


def fill_gaps(series: FloatArray, max_gap: int) -> FloatArray:
    """Linear interpolation over interior NaN runs of at most ``max_gap`` samples (axis 0)."""
    out = series.copy()
    flat = out.reshape(out.shape[0], -1)
    index = np.arange(flat.shape[0])
    for column in range(flat.shape[1]):
        values = flat[:, column]
        valid = np.isfinite(values)
        if valid.all() or valid.sum() < 2:
            continue
        missing = np.flatnonzero(~valid)
        runs = np.split(missing, np.flatnonzero(np.diff(missing) > 1) + 1)
        for run in runs:
            if len(run) == 0 or len(run) > max_gap or run[0] == 0 or run[-1] == len(values) - 1:
                continue
            a, b = run[0] - 1, run[-1] + 1
            values[run] = np.interp(index[run], [a, b], [values[a], values[b]])
    return out


def valid_runs(valid: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of every run of True values."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, flag in enumerate(valid.tolist()):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(valid)))
    return runs


def smooth(series: FloatArray, fps: float, cutoff_hz: float) -> FloatArray:
    """Zero-phase Butterworth low-pass along axis 0 over each finite run (NaN kept)."""
    from scipy.signal import butter, filtfilt  # type: ignore[import-untyped]  # no stubs

    cutoff = min(cutoff_hz, 0.4 * fps)
    b, a = butter(2, cutoff / (fps / 2.0))
    out = series.copy()
    flat = out.reshape(out.shape[0], -1)
    finite = np.asarray(np.isfinite(flat).all(axis=1), dtype=bool)
    for start, end in valid_runs(finite):
        if end - start > 9:
            flat[start:end] = filtfilt(b, a, flat[start:end], axis=0)
    return out


def describe_smoothing(fps: float, cutoff_hz: float, max_gap: int) -> dict[str, object]:
    """The smoothing applied, as data (for reports and raw data)."""
    return {
        "filter": "butterworth",
        "order": 2,
        "zero_phase": True,
        "cutoff_hz": round(min(cutoff_hz, 0.4 * fps), 2),
        "max_gap_frames": max_gap,
    }
