"""Fundamental frequency (F0) with YIN (de Cheveigné & Kawahara, 2002) in numpy.

Per 10 ms frame: the difference function over an integration window of
``max(25 ms, one period of pitch_min_hz)`` computed for all lags at once with FFTs, the
cumulative mean normalised difference (CMND), the first lag whose CMND dips under
``yin_threshold`` followed down to its local minimum, and parabolic interpolation. Frames
without such a dip, or quieter than the silence threshold, are unvoiced. No probabilistic
tracking (pYIN's HMM): statistics use percentiles, which tolerate the odd octave error.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy import fft as sfft  # type: ignore[import-untyped]  # no stubs

from vidlens.engines.delivery.levels import HOP_SECONDS, Levels
from vidlens.engines.delivery.types import Pitch

FloatArray = npt.NDArray[np.float64]
METHOD = "yin (numpy, threshold dip + parabolic interpolation), 10 ms hop"
_BLOCK = 1024  # frames per FFT batch: bounds the memory used


def yin_track(
    samples: npt.NDArray[np.float32],
    sample_rate: int,
    *,
    fmin: float,
    fmax: float,
    threshold: float,
) -> tuple[FloatArray, float]:
    """F0 in Hz per 10 ms frame (NaN when unvoiced) and the analysis frame length in seconds.

    Frame ``i`` starts at sample ``i * hop``; its centre is ``i * hop + frame / 2``.
    """
    hop = max(1, round(HOP_SECONDS * sample_rate))
    tau_max = min(math.ceil(sample_rate / fmin), max(2, samples.size // 2))
    tau_min = max(2, math.floor(sample_rate / fmax))
    window = max(round(0.025 * sample_rate), tau_max)
    frame = window + tau_max + 1
    if samples.size < frame or tau_max <= tau_min + 2:
        return np.zeros(0), frame / sample_rate
    n_frames = 1 + (samples.size - frame) // hop
    view = np.lib.stride_tricks.sliding_window_view(samples, frame)[::hop][:n_frames]
    n_fft = sfft.next_fast_len(frame + window)
    f0 = np.full(n_frames, np.nan)
    for first in range(0, n_frames, _BLOCK):
        block = view[first : first + _BLOCK].astype(np.float64)
        f0[first : first + block.shape[0]] = _block_f0(
            block, window, tau_min, tau_max, n_fft, threshold, sample_rate
        )
    return f0, frame / sample_rate


def _block_f0(
    x: FloatArray, window: int, tau_min: int, tau_max: int, n_fft: int, threshold: float,
    sample_rate: int,
) -> FloatArray:  # fmt: skip
    x = x - x.mean(axis=1, keepdims=True)
    spectrum = sfft.rfft(x, n=n_fft, axis=1)
    head = sfft.rfft(x[:, :window], n=n_fft, axis=1)
    corr = sfft.irfft(np.conj(head) * spectrum, n=n_fft, axis=1)[:, : tau_max + 1]
    squares = np.concatenate([np.zeros((x.shape[0], 1)), np.cumsum(x * x, axis=1)], axis=1)
    energy0 = squares[:, window : window + 1]
    lags = np.arange(tau_max + 1)
    energy_tau = squares[:, lags + window] - squares[:, lags]
    diff = np.maximum(energy0 + energy_tau - 2.0 * corr, 0.0)
    diff[:, 0] = 0.0
    running = np.cumsum(diff[:, 1:], axis=1)
    cmnd = np.ones_like(diff)
    with np.errstate(divide="ignore", invalid="ignore"):
        cmnd[:, 1:] = np.where(running > 0, diff[:, 1:] * lags[1:] / running, 1.0)
    search = cmnd[:, tau_min : tau_max + 1]
    below = search < threshold
    voiced = below.any(axis=1)
    tau = np.argmax(below, axis=1) + tau_min
    rows = np.arange(x.shape[0])
    for _ in range(tau_max - tau_min):  # walk down to the local minimum
        nxt = np.minimum(tau + 1, tau_max)
        step = voiced & (nxt > tau) & (cmnd[rows, nxt] < cmnd[rows, tau])
        if not step.any():
            break
        tau = np.where(step, nxt, tau)
    left = cmnd[rows, np.maximum(tau - 1, 1)]
    mid = cmnd[rows, tau]
    right = cmnd[rows, np.minimum(tau + 1, tau_max)]
    denominator = left - 2.0 * mid + right
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.where(np.abs(denominator) > 1e-12, 0.5 * (left - right) / denominator, 0.0)
    refined = tau + np.clip(shift, -1.0, 1.0)
    result: FloatArray = np.where(voiced, sample_rate / refined, np.nan)
    return result


def voiced_mask(
    f0: FloatArray, levels: Levels | None, frame_seconds: float, speech: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """Frames with an F0, loud enough (level frame at the same centre above the silence
    threshold) and inside speech (``speech``: one flag per pitch frame)."""
    mask = np.isfinite(f0) & speech
    if levels is not None and levels.db.size:
        centres = np.arange(f0.size) * HOP_SECONDS + frame_seconds / 2
        index = np.clip(
            np.round((centres - levels.frame_seconds / 2) / levels.hop_seconds).astype(np.intp),
            0,
            levels.db.size - 1,
        )
        mask &= levels.db[index] >= levels.threshold_dbfs
    return mask


MIN_RUN_FRAMES = 5
"""Voiced runs shorter than this (50 ms) are dropped: single frames over noise or
fricatives, not voice."""
MAX_OCTAVES = 1.0
"""Voiced frames further than this from the median F0 are dropped as tracking (octave)
errors."""


def plausible(f0: FloatArray, mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """``mask`` without short voiced runs and without frames more than an octave from the
    median F0 of the rest."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    kept = np.zeros_like(mask)
    for a, b in zip(starts, stops, strict=True):
        if b - a >= MIN_RUN_FRAMES:
            kept[a:b] = True
    if not kept.any():
        return kept
    median = float(np.median(f0[kept]))
    with np.errstate(invalid="ignore"):
        distance = np.abs(np.log2(np.where(kept, f0, median) / median))
    result: npt.NDArray[np.bool_] = kept & (distance <= MAX_OCTAVES)
    return result


def pitch_statistics(
    f0: FloatArray,
    *,
    frame_seconds: float,
    analysed: int,
    monotone_semitones: float,
) -> Pitch:
    """Statistics of the voiced F0 values ``f0`` (Hz, all finite); ``analysed`` is how
    many frames were looked at (for the voiced fraction)."""
    median = float(np.median(f0))
    p5, p95 = (float(v) for v in np.percentile(f0, [5, 95]))
    semitones = 12.0 * np.log2(f0 / median)
    std = float(np.sqrt(np.mean(semitones**2)))
    return Pitch(
        method=METHOD,
        frame_seconds=round(frame_seconds, 4),
        hop_seconds=HOP_SECONDS,
        voiced_seconds=round(f0.size * HOP_SECONDS, 2),
        voiced_fraction=round(f0.size / analysed, 4) if analysed else 0.0,
        median_hz=round(median, 2),
        p5_hz=round(p5, 2),
        p95_hz=round(p95, 2),
        range_semitones=round(12.0 * math.log2(p95 / p5), 3),
        std_semitones=round(std, 3),
        monotone=std < monotone_semitones,
        monotone_threshold_semitones=monotone_semitones,
    )


def semitone_spread(f0: FloatArray) -> float:
    """Standard deviation in semitones around the median (for one window)."""
    median = float(np.median(f0))
    return float(np.sqrt(np.mean((12.0 * np.log2(f0 / median)) ** 2)))
