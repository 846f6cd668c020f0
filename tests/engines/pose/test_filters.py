"""Trajectory clean-up: swap repair, spike removal, gap filling, smoothing."""

from __future__ import annotations

import numpy as np

from vidlens.engines.pose.filters import drop_spikes, fill_gaps, repair_swaps, smooth
from vidlens.engines.pose.types import INDEX


def _walker(frames: int = 60) -> np.ndarray:
    """A synthetic side-view walker: the feet take turns moving forward."""
    image = np.zeros((frames, 33, 3))
    t = np.arange(frames) / 30.0
    image[:, :, 0] = 0.5
    image[:, :, 1] = 0.5
    for name in ("left_shoulder", "right_shoulder"):
        image[:, INDEX[name], 1] = 0.3
    for name in ("left_hip", "right_hip"):
        image[:, INDEX[name], 1] = 0.5
    for side, phase in (("left", 0.0), ("right", np.pi)):
        x = 0.5 + 0.12 * np.sin(2 * np.pi * t + phase)
        for part, y in (("knee", 0.65), ("ankle", 0.8), ("heel", 0.82), ("foot_index", 0.83)):
            image[:, INDEX[f"{side}_{part}"], 0] = x
            image[:, INDEX[f"{side}_{part}"], 1] = y
    return image


def test_swapped_feet_are_swapped_back() -> None:
    truth = _walker()
    image = truth.copy()
    left = [INDEX[f"left_{p}"] for p in ("ankle", "heel", "foot_index")]
    right = [INDEX[f"right_{p}"] for p in ("ankle", "heel", "foot_index")]
    bad = slice(20, 24)  # the feet are apart here (sin near its extremes)
    image[bad, left], image[bad, right] = truth[bad, right].copy(), truth[bad, left].copy()
    visibility = np.ones((60, 33))
    count, swapped = repair_swaps(image, [visibility])
    assert count == 4
    assert swapped[20:24].all()
    np.testing.assert_allclose(image[:, left], truth[:, left])


def test_crossing_legs_are_not_swapped() -> None:
    image = _walker()
    count, _ = repair_swaps(image, [])
    assert count == 0


def test_spikes_dropped_and_gaps_filled() -> None:
    series = np.linspace(0.0, 1.0, 40)[:, None]
    series[17, 0] = 5.0
    cleaned = drop_spikes(series)
    assert np.isnan(cleaned[17, 0])
    assert np.isfinite(np.delete(cleaned[:, 0], 17)).all()
    filled = fill_gaps(cleaned, max_gap=3)
    assert filled[17, 0] == np.float64(17 / 39)
    long_gap = series.copy()
    long_gap[5:15] = np.nan
    assert np.isnan(fill_gaps(long_gap, max_gap=3)[10, 0])


def test_smoothing_keeps_timing() -> None:
    t = np.arange(90) / 30.0
    clean = np.sin(2 * np.pi * 1.0 * t)[:, None]
    noisy = clean + np.random.default_rng(1).normal(0, 0.05, clean.shape)
    smoothed = smooth(noisy, 30.0, 6.0)
    assert np.abs(smoothed - clean).mean() < np.abs(noisy - clean).mean()
    # zero phase: the peak stays on the same frame
    assert abs(int(np.argmax(smoothed[:40])) - int(np.argmax(clean[:40]))) <= 1
