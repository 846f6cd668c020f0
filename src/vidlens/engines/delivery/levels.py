"""Frame levels of the audio (RMS in dB full scale) and the silence threshold derived from
them, shared by the pause, loudness and pitch measurements."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

HOP_SECONDS = 0.01
"""Frame step of every frame-based measurement."""
FRAME_HOPS = 3
"""A level frame is 3 hops (30 ms) long."""
DB_FLOOR = -100.0
"""Levels are clamped here (digital silence)."""
ABSOLUTE_SILENCE_DBFS = -70.0
"""Frames below this level are always silent."""
_CHUNK = 160_000  # samples squared at once (10 s at 16 kHz): bounds the memory used


@dataclass(frozen=True, slots=True)
class Levels:
    """RMS level of 30 ms frames every 10 ms; frame ``i`` covers
    ``[i * hop, i * hop + frame)`` seconds."""

    db: FloatArray
    hop_seconds: float
    frame_seconds: float
    noise_floor_dbfs: float
    """10th percentile of the frame levels (assumes pauses fill at least a tenth of the
    audio; the speech level otherwise, which makes the SNR estimate conservative)."""
    speech_level_dbfs: float
    """90th percentile of the frame levels."""
    threshold_dbfs: float
    """Frames below this are silent: ``floor + max(6, 0.3 * (speech - floor))`` dB, or
    3 dB under the speech level for a steady signal (less than 6 dB between the two
    percentiles), and never below -70 dBFS."""

    def times(self, frames: npt.NDArray[np.intp] | None = None) -> FloatArray:
        """Centre time of the frames (all frames by default), in seconds."""
        index = np.arange(self.db.size) if frames is None else frames
        times: FloatArray = (index * self.hop_seconds + self.frame_seconds / 2).astype(np.float64)
        return times


def frame_levels(samples: npt.NDArray[np.float32], sample_rate: int) -> Levels:
    """Levels of ``samples`` (mono, float in [-1, 1])."""
    hop = max(1, round(HOP_SECONDS * sample_rate))
    n_hops = samples.size // hop
    energy = np.empty(n_hops, dtype=np.float64)
    for first in range(0, n_hops, _CHUNK // hop or 1):
        last = min(n_hops, first + (_CHUNK // hop or 1))
        block = samples[first * hop : last * hop].astype(np.float64).reshape(last - first, hop)
        energy[first:last] = np.einsum("ij,ij->i", block, block)
    if n_hops >= FRAME_HOPS:
        kernel = np.ones(FRAME_HOPS)
        frames = np.convolve(energy, kernel, mode="valid") / (FRAME_HOPS * hop)
    else:
        frames = np.array([energy.sum() / max(1, n_hops * hop)]) if n_hops else np.zeros(0)
    db = 10.0 * np.log10(np.maximum(frames, 10 ** (DB_FLOOR / 10)))
    if db.size:
        floor, speech = (float(v) for v in np.percentile(db, [10, 90]))
    else:
        floor = speech = DB_FLOOR
    steady = speech - floor < 6.0  # a tone, constant noise, silence: no pauses to separate
    threshold = speech - 3.0 if steady else floor + max(6.0, 0.3 * (speech - floor))
    threshold = max(threshold, ABSOLUTE_SILENCE_DBFS)
    return Levels(
        db=db,
        hop_seconds=hop / sample_rate,
        frame_seconds=FRAME_HOPS * hop / sample_rate,
        noise_floor_dbfs=floor,
        speech_level_dbfs=speech,
        threshold_dbfs=threshold,
    )


def silent_runs(
    levels: Levels, min_seconds: float, start: float = 0.0, end: float | None = None
) -> list[tuple[float, float]]:
    """Runs of silent frames at least ``min_seconds`` long inside ``[start, end]``, as
    ``(start, end)`` seconds (frame centres ± half a hop)."""
    quiet = levels.db < levels.threshold_dbfs
    if not quiet.any():
        return []
    edges = np.diff(np.concatenate(([0], quiet.astype(np.int8), [0])))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    hop, half = levels.hop_seconds, levels.frame_seconds / 2
    limit = float(levels.db.size * hop + levels.frame_seconds) if end is None else end
    runs = []
    for a, b in zip(starts, stops, strict=True):
        s = max(start, float(a) * hop + half - hop / 2)
        e = min(limit, float(b - 1) * hop + half + hop / 2)
        if e - s >= min_seconds:
            runs.append((round(s, 3), round(e, 3)))
    return runs


def active_span(levels: Levels) -> tuple[float, float] | None:
    """First and last non-silent moments, or ``None`` when every frame is silent."""
    loud = np.flatnonzero(levels.db >= levels.threshold_dbfs)
    if loud.size == 0:
        return None
    return (
        float(loud[0] * levels.hop_seconds),
        float(loud[-1] * levels.hop_seconds + levels.frame_seconds),
    )


def interval_mask(
    n_frames: int, hop: float, frame: float, intervals: list[tuple[float, float]]
) -> npt.NDArray[np.bool_]:
    """Frames whose centre lies inside one of ``intervals`` (seconds)."""
    mask = np.zeros(n_frames, dtype=bool)
    for s, e in intervals:
        first = max(0, int(np.ceil((s - frame / 2) / hop)))
        last = min(n_frames, int(np.floor((e - frame / 2) / hop)) + 1)
        if last > first:
            mask[first:last] = True
    return mask
