"""Settings of the active-speaker engine (formulas in docs/reframe.md)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ActiveSpeakerSettings(BaseModel):
    """Windows, weights and thresholds of the active-speaker scores."""

    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    activity_half_window: float = Field(default=0.25, gt=0.05, le=5.0)
    """Half-length in seconds of the window over which mouth activity (the spread of mouth
    openness) and audio loudness are measured for the coarse synchrony."""

    segment_max_seconds: float = Field(default=8.0, gt=1.0, le=120.0)
    """Without diarization, speech regions are judged in pieces at most this long (the
    speaker may change inside a long region)."""

    context_seconds: float = Field(default=1.0, ge=0.0, le=10.0)
    """Seconds added on each side of a speech segment when measuring synchrony."""

    min_segment_samples: int = Field(default=8, ge=3, le=1000)
    """A face needs this many samples in a segment for its synchrony to be measured."""

    coarse_weight: float = Field(default=0.5, ge=0.0, le=1.0)
    """Weight of the coarse synchrony (mouth activity vs loudness); the fine synchrony
    (mouth openness vs loudness, best lag) gets the rest."""

    track_weight: float = Field(default=0.5, ge=0.0, le=1.0)
    """Without diarized turns: weight of the synchrony measured over the whole track (its
    scene) against the one measured in the segment alone. Segments of a few seconds give
    noisy correlations, and within one shot the voice usually keeps to one face. With
    turns, the speaker-to-face mapping pools the evidence instead (weight 0)."""

    evidence_offset: float = Field(default=0.1, ge=-1.0, le=1.0)
    """Synchrony at which a face is as likely speaking as not (score 0.5 before voice
    activity and the diarization term)."""

    evidence_slope: float = Field(default=8.0, gt=0.0, le=100.0)
    """Steepness of the logistic that turns synchrony into a probability."""

    relative_weight: float = Field(default=0.5, ge=0.0, le=1.0)
    """Weight, among faces on screen together, of how a face's synchrony ranks against the
    others' (the one whose mouth follows the voice best wins) against its absolute level."""

    diarization_weight: float = Field(default=0.4, ge=0.0, le=1.0)
    """With diarized turns: weight of "this face is the one the current speaker was mapped
    to" in the final score."""

    min_mouth_activity: float = Field(default=0.015, ge=0.0, le=1.0)
    """Mouth-openness spread below which a face is taken as silent (closed, still mouth)."""

    speaking_threshold: float = Field(default=0.5, gt=0.0, lt=1.0)
    """Score at or above which a sample is ``speaking: true``."""

    vad_threshold: float = Field(default=0.5, ge=0.01, le=0.99)
    """Silero speech probability above which audio is speech."""

    ffmpeg: str = "ffmpeg"
    """ffmpeg executable used to extract the audio."""

    extract_timeout_seconds: float = Field(default=3600.0, gt=0.0)
    """Time allowed to extract the audio track."""
