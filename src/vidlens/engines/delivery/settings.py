"""Options of the speech-delivery measurements (thresholds, windows, pitch range)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class DeliveryOptions(BaseModel):
    """Every threshold used by :func:`vidlens.engines.delivery.measure_delivery`.

    The defaults are documented, heuristic coaching values (see docs/delivery.md); each one is
    echoed in the report so that a score can always be traced to the threshold behind it.
    """

    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    language: str | None = None
    """ISO 639-1 code selecting the filler, hedge and editing-term lists (``en``, ``fr``,
    ``es``, ``de``). Empty: the transcript's language, else ``en``."""

    window_seconds: float = Field(default=30.0, ge=5.0, le=600.0)
    """Length of one window of the time series (the last window may be shorter)."""

    min_pause_seconds: float = Field(default=0.3, ge=0.1, le=5.0)
    """Silence between two words at least this long is a pause."""

    long_pause_seconds: float = Field(default=2.0, ge=0.2, le=30.0)
    """A pause at least this long is a long pause."""

    monologue_break_seconds: float = Field(default=1.0, ge=0.1, le=30.0)
    """A pause at least this long ends a stretch of continuous speaking."""

    monologue_seconds: float = Field(default=30.0, ge=1.0, le=3600.0)
    """Continuous speaking at least this long (no pause of ``monologue_break_seconds``) is
    reported as a long monologue stretch."""

    mattr_window: int = Field(default=50, ge=5, le=1000)
    """Window, in words, of the moving-average type-token ratio."""

    pitch_min_hz: float = Field(default=65.0, ge=30.0, le=400.0)
    """Lowest F0 searched."""

    pitch_max_hz: float = Field(default=400.0, ge=80.0, le=1000.0)
    """Highest F0 searched."""

    yin_threshold: float = Field(default=0.2, gt=0.0, lt=1.0)
    """YIN's absolute threshold on the cumulative mean normalised difference: a frame is
    voiced when its best dip is below it."""

    monotone_semitones: float = Field(default=1.7, ge=0.1, le=12.0)
    """Speech whose F0 standard deviation (in semitones) is below this is called monotone."""

    min_voiced_seconds: float = Field(default=1.0, ge=0.1, le=60.0)
    """Voiced audio needed before pitch statistics are given (else: unavailable)."""

    clipping_fraction: float = Field(default=0.001, gt=0.0, lt=1.0)
    """Fraction of samples at full scale above which the audio is flagged as clipped."""

    low_level_dbfs: float = Field(default=-40.0, ge=-90.0, le=0.0)
    """Mean speech level (dBFS) below which the audio is flagged as very quiet."""

    low_snr_db: float = Field(default=15.0, ge=0.0, le=60.0)
    """Estimated speech-to-noise ratio (dB) below which the audio is flagged as noisy."""

    min_alignment_fraction: float = Field(default=0.5, ge=0.0, le=1.0)
    """A supplied transcript whose words are found in the recognised words in a smaller
    fraction than this is taken as not matching the audio: its words get no timings."""

    @model_validator(mode="after")
    def _ordered(self) -> DeliveryOptions:
        if self.pitch_max_hz <= self.pitch_min_hz * 1.5:
            raise ValueError("pitch_max_hz must be at least 1.5 x pitch_min_hz")
        if self.long_pause_seconds < self.min_pause_seconds:
            raise ValueError("long_pause_seconds must be >= min_pause_seconds")
        return self
