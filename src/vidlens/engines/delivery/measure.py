"""The entry point: :func:`measure_delivery` runs every measurement on one talk."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from vidlens.engines.base import ProgressHook, no_progress
from vidlens.engines.delivery import pitch as pitch_module
from vidlens.engines.delivery.disfluency import find_repetitions, find_self_corrections
from vidlens.engines.delivery.kpis import build_kpis
from vidlens.engines.delivery.levels import (
    HOP_SECONDS,
    Levels,
    active_span,
    frame_levels,
    interval_mask,
    silent_runs,
)
from vidlens.engines.delivery.lexicons import ENGLISH, LEXICONS, Lexicon
from vidlens.engines.delivery.loudness import measure_loudness
from vidlens.engines.delivery.phrases import find_phrases, pause_flags, summarise
from vidlens.engines.delivery.sentiment import measure_sentiment
from vidlens.engines.delivery.settings import DeliveryOptions
from vidlens.engines.delivery.timing import (
    merge_pauses,
    monologues,
    pace,
    summarise_pauses,
    word_gaps,
)
from vidlens.engines.delivery.tokens import (
    Token,
    align,
    is_timed,
    tokens_from_text,
    tokens_from_transcript,
)
from vidlens.engines.delivery.types import (
    Alignment,
    DeliveryReport,
    Disfluencies,
    Pause,
    Pitch,
    TimedWord,
)
from vidlens.engines.delivery.vocabulary import measure_vocabulary
from vidlens.engines.delivery.windows import Events, FrameSeries, build_windows
from vidlens.engines.speech.types import Transcript
from vidlens.errors import InvalidInput

FloatArray = npt.NDArray[np.float64]
_EDGE = 0.05  # seconds: a silence this close to the span's edge is leading or trailing
MAX_SECONDS = 4 * 3600.0
"""Longest audio accepted (the whole track is held in memory as float32)."""


def measure_delivery(
    transcript: Transcript | None,
    samples: npt.ArrayLike | None,
    sample_rate: int = 16_000,
    options: DeliveryOptions | None = None,
    *,
    supplied_text: str | None = None,
    progress: ProgressHook | None = None,
) -> DeliveryReport:
    """Measure the delivery of one talk.

    Arguments:
        transcript: our recognised transcript with word timings (``None`` when there is
            none, e.g. only a supplied text).
        samples: the mono audio as floats in [-1, 1] (``extract_audio`` gives 16 kHz
            float32); ``None`` skips pitch, loudness and the audio side of pauses.
        sample_rate: of ``samples``, in Hz.
        options: thresholds and windows (defaults: :class:`DeliveryOptions`).
        supplied_text: a user-supplied transcript to measure instead of the recognised
            words; it is aligned to the recognised word timings when there are any.
        progress: called with the fraction done and the phase.

    Returns:
        The report; sections that cannot be measured are ``None`` and listed with the
        reason in ``unavailable``.

    Raises:
        InvalidInput: nothing to measure, samples that are not a mono array of finite
            numbers, a non-positive sample rate, audio longer than :data:`MAX_SECONDS`.
    """
    started = time.perf_counter()
    report = progress or no_progress
    options = options or DeliveryOptions()
    audio = _check_audio(samples, sample_rate)
    text = supplied_text.strip() if supplied_text is not None else None
    if transcript is None and not text and audio is None:
        raise InvalidInput("nothing to measure: give a transcript, a text or audio samples")
    notes: list[str] = []
    unavailable: dict[str, str] = {}
    metrics: dict[str, float] = {}

    report(0.0, "words")
    language, lexicon = _language(transcript, options, notes)
    recognised = tokens_from_transcript(transcript) if transcript is not None else ()
    alignment: Alignment | None = None
    if text:
        tokens, alignment = align(
            tokens_from_text(text), recognised, options.min_alignment_fraction
        )
        source = "supplied"
        notes.append(alignment.note)
    else:
        if supplied_text is not None:
            notes.append("the supplied transcript is empty: the recognised words are measured")
        tokens, source = recognised, "recognised"
    timed = is_timed(tokens)
    if tokens and not timed and alignment is None:
        notes.append("the transcript has no word timings: time-based measurements unavailable")
    duration = _duration(transcript, audio, sample_rate, tokens)

    levels = frame_levels(audio, sample_rate) if audio is not None else None
    span = _span(tokens, timed, levels)
    gap_pauses = pause_flags(tokens, options.min_pause_seconds)

    # pauses and pace
    pauses = None
    pause_items: list[Pause] | None = None
    if span is not None and (timed or levels is not None):
        gaps = word_gaps(tokens, options.min_pause_seconds) if timed else []
        silences = (
            silent_runs(levels, options.min_pause_seconds, span[0], span[1])
            if levels is not None
            else []
        )
        pause_items = merge_pauses(
            tokens, gaps, silences, span, options.min_pause_seconds, options.long_pause_seconds
        )
        span, pause_items = _trim_edges(span, pause_items, len(tokens) - 1, timed)
        pauses = summarise_pauses(
            pause_items, span, duration, options.min_pause_seconds, options.long_pause_seconds
        )
    else:
        unavailable["pauses"] = _why_untimed(tokens, audio, alignment, transcript)
    if not tokens:
        unavailable["pace"] = _no_words(transcript, source)
        pace_result = None
    else:
        basis = (
            "timed words: word count over the speech span (first word start to last word end)"
            if timed
            else "untimed words: word count over the audible span of the audio"
            if span is not None
            else "untimed words and no audio: word count over the transcript duration only"
        )
        paused = pauses.total_seconds if pauses is not None else None
        pace_result = pace(len(tokens), duration, span, paused, basis)

    # words: fillers, hedges, disfluencies, vocabulary, sentiment
    minutes = (span[1] - span[0]) / 60 if span is not None else duration / 60
    filler_hits = find_phrases(tokens, lexicon.fillers, gap_pauses)
    hedge_hits = find_phrases(tokens, lexicon.hedges, gap_pauses)
    repetitions = find_repetitions(tokens, lexicon)
    corrections = find_self_corrections(tokens, lexicon)
    fillers = hedges = disfluencies = vocabulary = sentiment = None
    if tokens:
        fillers = summarise(filler_hits, lexicon.language, minutes or None)
        hedges = summarise(hedge_hits, lexicon.language, minutes or None)
        disfluencies = Disfluencies(
            repetition_count=len(repetitions),
            self_correction_count=len(corrections),
            per_minute=round((len(repetitions) + len(corrections)) / minutes, 3)
            if minutes
            else None,
            repetitions=tuple(repetitions),
            self_corrections=tuple(corrections),
        )
        in_fillers = {h.word_index + k for h in filler_hits for k in range(h.word_count)}
        vocabulary = measure_vocabulary(
            [t.norm for t in tokens if t.index not in in_fillers], options.mattr_window
        )
        if vocabulary is None:
            unavailable["vocabulary"] = "only filler words were spoken"
        if language == "en":
            sentiment = measure_sentiment(tokens)
        else:
            unavailable["sentiment"] = (
                f"VADER sentiment is English-only; the language is {language!r}"
            )
    else:
        why = _no_words(transcript, source)
        for section in ("fillers", "hedges", "disfluencies", "vocabulary", "sentiment"):
            unavailable[section] = why

    # audio: pitch, loudness
    report(0.3, "pitch")
    pitch_result: Pitch | None = None
    pitch_series = loud_series = None
    loudness = None
    speech_intervals = _word_intervals(tokens) if timed else None
    if audio is None or levels is None:
        for section in ("pitch", "loudness"):
            unavailable[section] = "no audio samples were given"
    else:
        pitch_started = time.perf_counter()
        pitch_result, pitch_series, reason = _pitch(
            audio, sample_rate, levels, speech_intervals, options
        )
        metrics["pitch_seconds"] = round(time.perf_counter() - pitch_started, 4)
        if reason:
            unavailable["pitch"] = reason
        report(0.8, "loudness")
        active = levels.db >= levels.threshold_dbfs
        if speech_intervals is not None:
            active &= interval_mask(
                levels.db.size, levels.hop_seconds, levels.frame_seconds, speech_intervals
            )
        loudness = measure_loudness(
            audio,
            levels,
            active,
            "word timings" if speech_intervals is not None else "energy",
            options,
        )
        frames = np.flatnonzero(active)
        loud_series = FrameSeries(levels.times(frames), levels.db[frames].astype(np.float64))

    monologue_result = None
    if span is not None and pause_items is not None:
        monologue_result = monologues(
            tokens, pause_items, span, options.monologue_break_seconds, options.monologue_seconds
        )
    else:
        unavailable["monologues"] = unavailable.get("pauses", "no speech span")

    report(0.9, "time series")
    windows = build_windows(
        duration,
        options.window_seconds,
        Events(
            tokens=tokens,
            timed=timed,
            span=span,
            pauses=pause_items,
            fillers=filler_hits,
            hedges=hedge_hits,
            repetitions=repetitions,
            corrections=corrections,
            sentiment=sentiment,
            pitch=pitch_series,
            loudness=loud_series,
        ),
    )
    kpis = build_kpis(pace_result, fillers, pauses, vocabulary, sentiment, unavailable)
    metrics["total_seconds"] = round(time.perf_counter() - started, 4)
    report(1.0, None)
    return DeliveryReport(
        duration_seconds=round(duration, 3),
        language=language,
        transcript_source=source,
        words=tuple(TimedWord(t.text, t.start, t.end, t.timing) for t in tokens),
        pace=pace_result,
        pauses=pauses,
        fillers=fillers,
        hedges=hedges,
        disfluencies=disfluencies,
        pitch=pitch_result,
        loudness=loudness,
        monologues=monologue_result,
        vocabulary=vocabulary,
        sentiment=sentiment,
        windows=windows,
        window_seconds=options.window_seconds,
        kpis=kpis,
        alignment=alignment,
        unavailable=unavailable,
        notes=tuple(notes),
        options=options.model_dump(mode="json"),
        metrics=metrics,
    )


def _check_audio(samples: npt.ArrayLike | None, sample_rate: int) -> npt.NDArray[np.float32] | None:
    if samples is None:
        return None
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, int) or sample_rate <= 0:
        raise InvalidInput("sample_rate must be a positive integer (Hz)", field="sample_rate")
    try:
        array = np.asarray(samples, dtype=np.float32)
    except (TypeError, ValueError):
        raise InvalidInput("samples must be an array of numbers", field="samples") from None
    if array.ndim == 2 and 1 in array.shape:
        array = array.reshape(-1)
    if array.ndim != 1:
        raise InvalidInput(
            f"samples must be mono (one dimension), got shape {array.shape}", field="samples"
        )
    if array.size and not np.isfinite(array).all():
        raise InvalidInput("samples contain NaN or infinite values", field="samples")
    if array.size / sample_rate > MAX_SECONDS:
        raise InvalidInput(
            f"audio longer than {MAX_SECONDS / 3600:g} h is not measured", field="samples"
        )
    return array if array.size else None


def _language(
    transcript: Transcript | None, options: DeliveryOptions, notes: list[str]
) -> tuple[str, Lexicon]:
    code = (options.language or (transcript.language if transcript else "") or "en").lower()
    code = code.split("-")[0].split("_")[0]
    lexicon = LEXICONS.get(code)
    if lexicon is None:
        notes.append(f"no filler or hedge lists for language {code!r}: the English lists were used")
        lexicon = ENGLISH
    return code, lexicon


def _duration(
    transcript: Transcript | None,
    audio: npt.NDArray[np.float32] | None,
    sample_rate: int,
    tokens: Sequence[Token],
) -> float:
    if audio is not None:
        return audio.size / sample_rate
    if transcript is not None and transcript.duration > 0:
        return float(transcript.duration)
    ends = [t.end for t in tokens if t.end is not None]
    return max(ends) if ends else 0.0


def _span(
    tokens: Sequence[Token], timed: bool, levels: Levels | None
) -> tuple[float, float] | None:
    if timed:
        starts = [t.start for t in tokens if t.start is not None]
        ends = [t.end for t in tokens if t.end is not None]
        return min(starts), max(ends)
    if levels is not None and tokens:
        return active_span(levels)
    return None


def _trim_edges(
    span: tuple[float, float], pauses: list[Pause], last_word: int, timed: bool
) -> tuple[tuple[float, float], list[Pause]]:
    """A silence before the middle of the first word or after the middle of the last one
    (inside their timings) is leading or trailing silence, not a pause: the span shrinks
    instead. Without word timings, only silences touching the span's edges are."""
    start, end = span
    kept = []
    for p in pauses:
        leading = p.after_word < 0 if timed else p.start <= start + _EDGE
        trailing = p.after_word >= last_word if timed else p.end >= end - _EDGE
        if leading:
            start = max(start, p.end)
        elif trailing:
            end = min(end, p.start)
        else:
            kept.append(p)
    return (start, max(start, end)), kept


def _word_intervals(tokens: Sequence[Token]) -> list[tuple[float, float]]:
    return [(t.start, t.end) for t in tokens if t.start is not None and t.end is not None]


def _pitch(
    audio: npt.NDArray[np.float32],
    sample_rate: int,
    levels: Levels,
    speech: list[tuple[float, float]] | None,
    options: DeliveryOptions,
) -> tuple[Pitch | None, FrameSeries | None, str | None]:
    f0, frame = pitch_module.yin_track(
        audio,
        sample_rate,
        fmin=options.pitch_min_hz,
        fmax=options.pitch_max_hz,
        threshold=options.yin_threshold,
    )
    if f0.size == 0:
        return None, None, "the audio is shorter than one pitch frame"
    inside = (
        interval_mask(f0.size, HOP_SECONDS, frame, speech)
        if speech is not None
        else np.ones(f0.size, dtype=bool)
    )
    voiced = pitch_module.plausible(f0, pitch_module.voiced_mask(f0, levels, frame, inside))
    values: FloatArray = f0[voiced]
    seconds = values.size * HOP_SECONDS
    if seconds < options.min_voiced_seconds:
        return (
            None,
            None,
            (
                f"only {seconds:.2f} s of voiced speech (at least {options.min_voiced_seconds:g} s "
                "needed for pitch statistics)"
            ),
        )
    analysed = int(np.count_nonzero(inside))
    stats = pitch_module.pitch_statistics(
        values,
        frame_seconds=frame,
        analysed=analysed,
        monotone_semitones=options.monotone_semitones,
    )
    times = (np.flatnonzero(voiced) * HOP_SECONDS + frame / 2).astype(np.float64)
    return stats, FrameSeries(times, values), None


def _no_words(transcript: Transcript | None, source: str) -> str:
    if source == "supplied":
        return "the supplied transcript has no words"
    if transcript is not None and transcript.no_speech_reason:
        return f"no words were recognised ({transcript.no_speech_reason})"
    return "no words were recognised"


def _why_untimed(
    tokens: Sequence[Token],
    audio: npt.NDArray[np.float32] | None,
    alignment: Alignment | None,
    transcript: Transcript | None,
) -> str:
    if not tokens and audio is None:
        return "no words and no audio"
    if alignment is not None and not alignment.timed:
        return alignment.note
    if not tokens:
        return _no_words(transcript, "recognised")
    return "the words have no timings and no audio was given"
