"""Angles and scale from 2-D landmark positions (pixels of the displayed frame)."""

from __future__ import annotations

import math
import warnings

import numpy as np

from vidlens.engines.pose.types import FloatArray, PoseSequence

SEGMENT_RATIOS = {"shank": 0.246, "thigh": 0.245, "trunk": 0.288}
"""Segment lengths as fractions of standing height (Drillis & Contini 1966): knee-to-ankle,
hip-to-knee, hip-to-shoulder."""


def angle_between(a: FloatArray, b: FloatArray) -> FloatArray:
    """Unsigned angle in degrees between vectors ``a`` and ``b`` (…, 2)."""
    dot = np.sum(a * b, axis=-1)
    norm = np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cosine = np.clip(dot / norm, -1.0, 1.0)
    return np.asarray(np.degrees(np.arccos(cosine)), dtype=np.float64)


def joint_angle(a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    """Angle ABC in degrees (at b) for arrays of points (N, 2)."""
    return angle_between(a - b, c - b)


def signed_from_vertical(
    top: FloatArray, bottom: FloatArray, forward: FloatArray | float
) -> FloatArray:
    """Angle in degrees of the segment top→bottom from the downward vertical; positive when
    ``bottom`` lies ahead of ``top`` in the ``forward`` direction (+1 image-right; a scalar
    or one value per row)."""
    dx = (bottom[:, 0] - top[:, 0]) * forward
    dy = bottom[:, 1] - top[:, 1]
    return np.asarray(np.degrees(np.arctan2(dx, dy)), dtype=np.float64)


def signed_between(
    reference: FloatArray, vector: FloatArray, forward: FloatArray | float
) -> FloatArray:
    """Angle in degrees from ``reference`` to ``vector``, positive when ``vector`` points
    further in the ``forward`` direction."""
    ref = np.degrees(np.arctan2(reference[:, 0] * forward, reference[:, 1]))
    vec = np.degrees(np.arctan2(vector[:, 0] * forward, vector[:, 1]))
    diff = (vec - ref + 180.0) % 360.0 - 180.0
    return np.asarray(diff, dtype=np.float64)


def nanmedian(values: FloatArray | list[float]) -> float | None:
    array = np.asarray(values, dtype=np.float64)
    array = array[np.isfinite(array)]
    return float(np.median(array)) if array.size else None


def nanmean(values: FloatArray | list[float]) -> float | None:
    array = np.asarray(values, dtype=np.float64)
    array = array[np.isfinite(array)]
    return float(np.mean(array)) if array.size else None


def pixels_per_metre(seq: PoseSequence, height_m: float) -> float | None:
    """Image scale from the runner's height: the 90th percentile (the most extended, least
    foreshortened frames) of shank + thigh + trunk lengths in pixels, divided by their share
    of standing height (:data:`SEGMENT_RATIOS`). None when the legs were never visible."""
    lengths = []
    for side in ("left", "right"):
        hip, knee, ankle = (seq.pixels(f"{side}_{n}") for n in ("hip", "knee", "ankle"))
        shoulder = seq.pixels(f"{side}_shoulder")
        shank = np.linalg.norm(knee - ankle, axis=1)
        thigh = np.linalg.norm(hip - knee, axis=1)
        trunk = np.linalg.norm(shoulder - hip, axis=1)
        lengths.append(np.stack([shank, thigh, trunk], axis=1))
    stacked = np.fmax(lengths[0], lengths[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        per_segment = np.nanpercentile(stacked, 90, axis=0)
    if not np.isfinite(per_segment).all():
        return None
    share = sum(SEGMENT_RATIOS.values())
    stature_px = float(per_segment.sum()) / share
    if stature_px <= 10 or not math.isfinite(stature_px):
        return None
    return stature_px / height_m


def window_sum(values: FloatArray, half: int) -> FloatArray:
    """Sum of ``values`` over the ``2 * half + 1`` samples centred on each one (fewer at the
    ends), same length as ``values``."""
    count = len(values)
    totals = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
    index = np.arange(count)
    low = np.clip(index - half, 0, count)
    high = np.clip(index + half + 1, 0, count)
    return np.asarray(totals[high] - totals[low], dtype=np.float64)
