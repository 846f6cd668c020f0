"""How well one face's mouth follows the audio over a stretch of time ("synchrony").

Two measures, both Pearson correlations over the face's samples inside the stretch:

* **coarse**: mouth *activity* (standard deviation of mouth openness over
  ``± activity_half_window`` s) against audio *loudness* (mean RMS over the same window):
  a speaker's mouth moves while the voice is loud and rests in its pauses; a listener's
  mouth (even one that moves: chewing, smiling, silently mouthing) does not keep that time;
* **fine**: mouth *openness* against the RMS of the 100 ms around each sample, at the best
  lag in -100..+200 ms (the mouth opens slightly before the sound it makes).

``evidence = coarse_weight x coarse + (1 - coarse_weight) x fine``, in [-1, 1].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vidlens.engines.active_speaker.audio import AudioSignals
from vidlens.engines.active_speaker.settings import ActiveSpeakerSettings

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

LAGS = (-0.1, -0.05, 0.0, 0.05, 0.1, 0.15, 0.2)
"""Audio lags (seconds after the mouth sample) tried by the fine synchrony."""


@dataclass(frozen=True)
class MouthSeries:
    """One face track's samples: times (s), frame numbers, mouth openness and activity."""

    track_id: int
    face_id: int
    times: npt.NDArray[np.float64]
    frames: npt.NDArray[np.int64]
    openness: npt.NDArray[np.float64]
    activity: npt.NDArray[np.float64]


def mouth_series(
    track_id: int,
    face_id: int,
    points: Sequence[tuple[float, int, float | None]],
    half_window: float,
) -> MouthSeries:
    """A track's ``(time, frame, mouth_open)`` points as arrays; missing openness is
    filled from the nearest measured sample (0 when none was measured)."""
    import numpy as np

    times = np.array([p[0] for p in points], dtype=np.float64)
    frames = np.array([p[1] for p in points], dtype=np.int64)
    raw = np.array([np.nan if p[2] is None else p[2] for p in points], dtype=np.float64)
    known = ~np.isnan(raw)
    raw = np.interp(times, times[known], raw[known]) if known.any() else np.zeros_like(times)
    activity = np.array(
        [raw[(times >= t - half_window) & (times <= t + half_window)].std() for t in times]
    )
    return MouthSeries(track_id, face_id, times, frames, raw, activity)


def pearson(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> float:
    """Correlation of two equal-length series (0 when either is constant)."""
    import numpy as np

    if a.size < 3 or a.std() < 1e-9 or b.std() < 1e-9:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def synchrony(
    series: MouthSeries,
    audio: AudioSignals,
    start: float,
    end: float,
    settings: ActiveSpeakerSettings,
) -> float | None:
    """The evidence that ``series`` is the voice heard in ``[start, end]`` (None when the
    face has fewer than ``min_segment_samples`` samples there)."""
    import numpy as np

    pad = settings.context_seconds
    mask = (series.times >= start - pad) & (series.times <= end + pad)
    if int(mask.sum()) < settings.min_segment_samples:
        return None
    times = series.times[mask]
    half = settings.activity_half_window
    loud = np.array([audio.loudness(t, half) for t in times])
    coarse = pearson(series.activity[mask], loud)
    fine = max(
        pearson(series.openness[mask], np.array([audio.loudness(t + lag, 0.05) for t in times]))
        for lag in LAGS
    )
    return settings.coarse_weight * coarse + (1.0 - settings.coarse_weight) * fine
