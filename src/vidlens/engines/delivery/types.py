"""Typed results of the speech-delivery measurements.

Every result is a frozen dataclass; :meth:`DeliveryReport.to_dict` gives plain JSON types.
Units are in the field names (``_seconds``, ``_hz``, ``_semitones``, ``_dbfs``, ``_db``,
``per_minute``); times are seconds from the start of the media. A value is ``None`` when
it cannot be measured, and :attr:`DeliveryReport.unavailable` says why.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


class _Serialisable:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types (tuples become lists when dumped)."""
        data: dict[str, Any] = dataclasses.asdict(self)  # type: ignore[call-overload]
        return data


@dataclass(frozen=True, slots=True)
class Pace(_Serialisable):
    """Speaking pace.

    ``words_per_minute`` is the headline figure: words over the speech span (first word's
    start to last word's end: pauses inside the talk count, silence before the first and
    after the last word does not). ``words_per_minute_total`` divides by the whole duration;
    ``articulation_words_per_minute`` by the speaking time (span minus pauses).
    """

    word_count: int
    """Every spoken word, filler words included."""
    total_seconds: float
    speech_span_seconds: float | None
    speaking_seconds: float | None
    words_per_minute: float | None
    words_per_minute_total: float | None
    articulation_words_per_minute: float | None
    basis: str
    """How the figures were obtained (timed words, or word count over the duration)."""


@dataclass(frozen=True, slots=True)
class Pause(_Serialisable):
    """A silence between two words."""

    start: float
    end: float
    duration_seconds: float
    long: bool
    after_word: int
    """Index (in :attr:`DeliveryReport.words`) of the word before the pause; ``-1`` when
    the words have no timings."""
    source: str
    """``"word_gap"`` (between word timings), ``"audio"`` (a silent run found in the audio
    inside a word's timing), or ``"both"``."""


@dataclass(frozen=True, slots=True)
class Pauses(_Serialisable):
    """Silences between words, inside the speech span."""

    min_pause_seconds: float
    long_pause_seconds: float
    count: int
    long_count: int
    total_seconds: float
    mean_seconds: float | None
    longest: Pause | None
    pause_ratio: float | None
    """Pause time over the speech span, in [0, 1]."""
    per_minute: float | None
    leading_silence_seconds: float | None
    trailing_silence_seconds: float | None
    items: tuple[Pause, ...]


@dataclass(frozen=True, slots=True)
class Hit(_Serialisable):
    """One filler word, hedge or editing phrase found in the words."""

    kind: str
    """The canonical phrase (``"um"``, ``"you know"``, ``"i think"``)."""
    text: str
    """The words as transcribed."""
    word_index: int
    """Index of its first word in :attr:`DeliveryReport.words`."""
    word_count: int
    start: float | None
    end: float | None
    rule: str
    """Which rule accepted it (``"always"``, ``"break"``, ``"sentence_start"``, ...)."""


@dataclass(frozen=True, slots=True)
class PhraseCounts(_Serialisable):
    """Filler words or hedging phrases: count, rate, which ones, where."""

    language: str
    count: int
    per_minute: float | None
    """Per minute of the speech span (or of the whole duration without word timings)."""
    by_kind: dict[str, int]
    items: tuple[Hit, ...]


@dataclass(frozen=True, slots=True)
class Repetition(_Serialisable):
    """The same word or phrase said again at once ("I I think", "the the")."""

    phrase: str
    repeats: int
    """Extra copies (``"I I I"`` is 2)."""
    word_index: int
    start: float | None
    end: float | None
    text: str


@dataclass(frozen=True, slots=True)
class SelfCorrection(_Serialisable):
    """A phrase abandoned and replaced ("we went, I mean, we drove")."""

    reparandum: str
    """The abandoned words."""
    editing_term: str | None
    """The words in between ("i mean", "uh"), when any."""
    repair: str
    """The replacing words."""
    word_index: int
    start: float | None
    end: float | None
    text: str


@dataclass(frozen=True, slots=True)
class Disfluencies(_Serialisable):
    repetition_count: int
    self_correction_count: int
    per_minute: float | None
    """Repetitions plus self-corrections per minute of the speech span."""
    repetitions: tuple[Repetition, ...]
    self_corrections: tuple[SelfCorrection, ...]


@dataclass(frozen=True, slots=True)
class Pitch(_Serialisable):
    """Fundamental frequency (F0) of the voiced speech."""

    method: str
    frame_seconds: float
    hop_seconds: float
    voiced_seconds: float
    voiced_fraction: float
    """Voiced frames over the frames analysed (speech frames when word timings exist)."""
    median_hz: float
    p5_hz: float
    p95_hz: float
    range_semitones: float
    """From the 5th to the 95th percentile of F0."""
    std_semitones: float
    """Standard deviation of F0 in semitones around its median."""
    monotone: bool
    monotone_threshold_semitones: float


@dataclass(frozen=True, slots=True)
class Loudness(_Serialisable):
    """Level of the speech and signs of poor audio."""

    frame_seconds: float
    speech_basis: str
    """``"word timings"`` or ``"energy"`` (frames louder than the noise floor)."""
    speech_seconds: float
    mean_dbfs: float | None
    """Mean RMS level of the speech frames (power average), in dB full scale."""
    std_db: float | None
    """Standard deviation of the speech frames' levels: the loudness variation."""
    p10_dbfs: float | None
    p90_dbfs: float | None
    range_db: float | None
    """``p90_dbfs - p10_dbfs``."""
    peak_dbfs: float
    clipping_fraction: float
    """Samples at or above 0.999 of full scale, over all samples."""
    noise_floor_dbfs: float
    snr_db: float | None
    """Mean speech level over the noise floor (estimate)."""
    low_quality: bool
    flags: tuple[str, ...]
    """``clipping``, ``very_low_level``, ``low_snr``, ``silent``."""


@dataclass(frozen=True, slots=True)
class Monologue(_Serialisable):
    """A stretch of speaking without a pause of ``break_seconds``."""

    start: float
    end: float
    duration_seconds: float
    word_count: int


@dataclass(frozen=True, slots=True)
class Monologues(_Serialisable):
    break_seconds: float
    min_seconds: float
    longest: Monologue | None
    items: tuple[Monologue, ...]
    """Stretches of at least ``min_seconds``."""


@dataclass(frozen=True, slots=True)
class Vocabulary(_Serialisable):
    """Lexical variety of the words (filler words left out)."""

    token_count: int
    type_count: int
    type_token_ratio: float
    mattr: float
    """Moving-average type-token ratio (equals the TTR when there are fewer words than the
    window)."""
    mattr_window: int


@dataclass(frozen=True, slots=True)
class SentenceSentiment(_Serialisable):
    start: float | None
    end: float | None
    text: str
    compound: float


@dataclass(frozen=True, slots=True)
class Sentiment(_Serialisable):
    """VADER sentiment (English lexicon only)."""

    method: str
    compound: float
    """Mean of the sentences' compound scores weighted by their word counts, in [-1, 1]."""
    label: str
    """``positive`` (>= 0.05), ``negative`` (<= -0.05) or ``neutral``."""
    positive_sentences: int
    negative_sentences: int
    neutral_sentences: int
    sentences: tuple[SentenceSentiment, ...]


@dataclass(frozen=True, slots=True)
class DeliveryWindow(_Serialisable):
    """One window of the time series (``None`` where the measurement is unavailable)."""

    start: float
    end: float
    word_count: int | None
    """Words whose middle falls in the window (``None`` without word timings)."""
    words_per_minute: float | None
    """``word_count`` over the window's length (clock time, pauses included)."""
    speaking_seconds: float | None
    filler_count: int | None
    hedge_count: int | None
    repetition_count: int | None
    self_correction_count: int | None
    pause_count: int | None
    pause_seconds: float | None
    longest_pause_seconds: float | None
    sentiment_compound: float | None
    pitch_median_hz: float | None
    pitch_std_semitones: float | None
    loudness_mean_dbfs: float | None
    loudness_std_db: float | None


@dataclass(frozen=True, slots=True)
class TimedWord(_Serialisable):
    """A word as measured: times are ``None`` when unknown (a supplied transcript that could
    not be aligned)."""

    text: str
    start: float | None
    end: float | None
    timing: str
    """``"recognised"``, ``"aligned"`` (a supplied word matched to a recognised one),
    ``"interpolated"`` or ``"none"``."""


@dataclass(frozen=True, slots=True)
class Alignment(_Serialisable):
    """How a supplied transcript was matched to the recognised words."""

    supplied_word_count: int
    recognised_word_count: int
    matched_word_count: int
    matched_fraction: float
    timed: bool
    note: str


@dataclass(frozen=True, slots=True)
class Kpi(_Serialisable):
    """One headline figure with its unit and a heuristic normal range."""

    name: str
    value: float | None
    unit: str
    normal_low: float
    normal_high: float
    in_range: bool | None
    note: str


@dataclass(frozen=True, slots=True)
class DeliveryReport(_Serialisable):
    """Everything measured on one talk. ``None`` sections are listed in ``unavailable``."""

    duration_seconds: float
    language: str
    transcript_source: str
    """``"recognised"`` (our transcript) or ``"supplied"``."""
    words: tuple[TimedWord, ...]
    pace: Pace | None
    pauses: Pauses | None
    fillers: PhraseCounts | None
    hedges: PhraseCounts | None
    disfluencies: Disfluencies | None
    pitch: Pitch | None
    loudness: Loudness | None
    monologues: Monologues | None
    vocabulary: Vocabulary | None
    sentiment: Sentiment | None
    windows: tuple[DeliveryWindow, ...]
    window_seconds: float
    kpis: tuple[Kpi, ...]
    alignment: Alignment | None
    unavailable: dict[str, str]
    """Section name → why it could not be measured."""
    notes: tuple[str, ...]
    options: dict[str, Any]
    metrics: dict[str, float]
    """Processing seconds per part (``pitch_seconds``, ``total_seconds``)."""
