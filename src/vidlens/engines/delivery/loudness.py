"""Loudness of the speech (RMS dB over speech frames) and signs of poor audio.

Speech frames are the 30 ms level frames inside word timings and above the silence
threshold (or, without word timings, every frame above the threshold). Flags:
``clipping`` (a fraction of samples at full scale above ``clipping_fraction``),
``very_low_level`` (mean speech level under ``low_level_dbfs``), ``low_snr`` (speech level
over the noise floor, the 10th percentile of all frames, under ``low_snr_db``), ``silent``
(no frame above the silence threshold).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from vidlens.engines.delivery.levels import Levels
from vidlens.engines.delivery.settings import DeliveryOptions
from vidlens.engines.delivery.types import Loudness

CLIP_LEVEL = 0.999


def power_mean_db(db: npt.NDArray[np.float64]) -> float:
    """Level of the mean power of frames given in dB."""
    return float(10.0 * np.log10(np.mean(10.0 ** (db / 10.0))))


def measure_loudness(
    samples: npt.NDArray[np.float32],
    levels: Levels,
    speech: npt.NDArray[np.bool_],
    speech_basis: str,
    options: DeliveryOptions,
) -> Loudness:
    """Loudness statistics over the frames flagged in ``speech`` (one flag per level
    frame, already restricted to frames above the silence threshold)."""
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    clipped = float(np.count_nonzero(np.abs(samples) >= CLIP_LEVEL) / max(1, samples.size))
    voiced = levels.db[speech]
    flags: list[str] = []
    if clipped >= options.clipping_fraction:
        flags.append("clipping")
    if voiced.size == 0:
        flags.append("silent")
        mean = std = p10 = p90 = snr = None
    else:
        mean = power_mean_db(voiced)
        std = float(np.std(voiced))
        p10, p90 = (float(v) for v in np.percentile(voiced, [10, 90]))
        snr = mean - levels.noise_floor_dbfs
        if mean < options.low_level_dbfs:
            flags.append("very_low_level")
        if snr < options.low_snr_db:
            flags.append("low_snr")
    return Loudness(
        frame_seconds=round(levels.frame_seconds, 4),
        speech_basis=speech_basis,
        speech_seconds=round(voiced.size * levels.hop_seconds, 2),
        mean_dbfs=_r(mean),
        std_db=_r(std),
        p10_dbfs=_r(p10),
        p90_dbfs=_r(p90),
        range_db=_r(p90 - p10) if p10 is not None and p90 is not None else None,
        peak_dbfs=round(20.0 * np.log10(max(peak, 1e-5)), 2),
        clipping_fraction=round(clipped, 6),
        noise_floor_dbfs=round(levels.noise_floor_dbfs, 2),
        snr_db=_r(snr),
        low_quality=bool(flags),
        flags=tuple(flags),
    )


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
