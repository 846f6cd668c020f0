"""The speech half of a coaching analysis: transcript, then delivery measurements.

Our own transcript (faster-whisper with word timings and the filler-keeping prompt) is always
made, because every time-based measurement needs word timings. A supplied ``transcript``:

- matches the audio (at least ``min_alignment_fraction`` of its words heard): its words are
  measured, with the recognised words' timings;
- does not match (fewer of its words heard, while speech was recognised): it is **not**
  measured, because it describes another talk; our transcript is measured instead and the
  result carries ``transcript_mismatch`` with the share of its words that were heard;
- no speech was recognised at all (silent or missing audio): the supplied words are measured
  without timings (fillers, hedges, vocabulary, sentiment; no pace over time, no pauses).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from vidlens.engines.base import ProgressHook, no_progress
from vidlens.engines.delivery.settings import DeliveryOptions
from vidlens.engines.delivery.tokens import align, tokens_from_text, tokens_from_transcript
from vidlens.engines.delivery.types import Alignment, DeliveryReport
from vidlens.engines.errors import AudioUnreadable
from vidlens.engines.speech._audio import extract_audio
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
from vidlens.engines.speech.types import TranscribeOptions, Transcript

_TRANSCRIBE_SHARE = 0.85


@dataclass(frozen=True, slots=True)
class SpeechPass:
    """What the speech side measured (``delivery`` None when there is no audio)."""

    transcript: Transcript | None
    """Our recognised transcript (None without audio)."""
    delivery: DeliveryReport | None
    text: str | None
    """The transcript used for the measurements (recognised or supplied)."""
    source: str
    """``recognised``, ``supplied``, ``supplied_untimed`` or ``none``."""
    mismatch: Alignment | None
    """Set when a supplied transcript did not match the audio and was not used."""
    unavailable_reason: str | None
    word_probability: float | None
    """Mean Whisper probability of the recognised words (an intelligibility proxy)."""
    processing: dict[str, float]


def run_speech_pass(
    video: Path,
    engine: FasterWhisperEngine,
    options: DeliveryOptions,
    *,
    supplied: str | None = None,
    timeout_seconds: float = 3600.0,
    progress: ProgressHook | None = None,
) -> SpeechPass:
    """Transcribe ``video``'s first audio track and measure the delivery.

    Raises:
        EngineUnavailable: faster-whisper, its weights or ffmpeg is missing.
        InvalidInput: the delivery measurements refuse the audio (e.g. over 4 h).
    """
    from vidlens.engines.delivery.measure import measure_delivery  # numpy: loaded on use

    report = progress or no_progress
    started = time.perf_counter()
    text = supplied.strip() if supplied else None

    def hook(fraction: float, phase: str | None) -> None:
        report(_TRANSCRIBE_SHARE * fraction, phase or "transcribing")

    try:
        transcript = engine.transcribe(video, TranscribeOptions(), hook)
        report(_TRANSCRIBE_SHARE, "measuring delivery")
        samples = extract_audio(
            video, track=0, ffmpeg=engine.settings.ffmpeg, timeout_seconds=timeout_seconds
        )
    except AudioUnreadable as exc:
        return _without_audio(text, options, exc.message, started)
    used, mismatch, source = _choose_text(text, transcript, options)
    delivery = measure_delivery(
        transcript,
        samples,
        options=options,
        supplied_text=used,
        progress=lambda f, _: report(_TRANSCRIBE_SHARE + (1 - _TRANSCRIBE_SHARE) * f, None),
    )
    probabilities = [w.probability for s in transcript.segments for w in s.words]
    return SpeechPass(
        transcript=transcript,
        delivery=delivery,
        text=used if used is not None else (transcript.text.strip() or None),
        source=source,
        mismatch=mismatch,
        unavailable_reason=None,
        word_probability=sum(probabilities) / len(probabilities) if probabilities else None,
        processing={
            "transcribe_seconds": float(transcript.metrics.get("processing_seconds", 0.0)),
            "processing_seconds": time.perf_counter() - started,
        },
    )


def _choose_text(
    text: str | None, transcript: Transcript, options: DeliveryOptions
) -> tuple[str | None, Alignment | None, str]:
    """``(supplied text to measure or None, the mismatch, source)``."""
    if not text:
        return None, None, "recognised"
    recognised = tokens_from_transcript(transcript)
    if not recognised:
        return text, None, "supplied_untimed"
    _, alignment = align(tokens_from_text(text), recognised, options.min_alignment_fraction)
    if alignment.timed:
        return text, None, "supplied"
    return None, alignment, "recognised"


def _without_audio(
    text: str | None, options: DeliveryOptions, reason: str, started: float
) -> SpeechPass:
    from vidlens.engines.delivery.measure import measure_delivery

    delivery = measure_delivery(None, None, options=options, supplied_text=text) if text else None
    return SpeechPass(
        transcript=None,
        delivery=delivery,
        text=text,
        source="supplied_untimed" if text else "none",
        mismatch=None,
        unavailable_reason=f"no usable audio: {reason}",
        word_probability=None,
        processing={"processing_seconds": time.perf_counter() - started},
    )
