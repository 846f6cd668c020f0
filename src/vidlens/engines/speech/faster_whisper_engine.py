"""Speech-to-text with faster-whisper (CTranslate2) on the CPU.

Defaults: the multilingual Whisper base shipped in registry packages (see
:mod:`vidlens.engines.speech.whisper_model`), int8 on 2 threads, Silero VAD to skip silence,
word timestamps. Models are loaded on first use and shared through a
:class:`~vidlens.engines.models.ModelManager`; nothing is ever downloaded (the model is
always given to faster-whisper as a local folder).

The track is decoded by ffmpeg to a temporary file. A track longer than
``WhisperSettings.chunk_seconds`` is read and transcribed in pieces, each cut at the longest
pause the voice-activity detector finds in its last :data:`CUT_SEARCH_SECONDS` (or at the
quietest 100 ms when there is none), so memory stays flat and no word is split or decoded
twice; shorter tracks go through a single pass.
"""

from __future__ import annotations

import importlib.util
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidlens.engines.base import Availability, ProgressHook, no_progress
from vidlens.engines.errors import ModelMissing
from vidlens.engines.models import ModelManager
from vidlens.engines.speech._audio import SAMPLE_RATE, ExtractedTrack, extracted_track
from vidlens.engines.speech._skips import uncovered
from vidlens.engines.speech.settings import WhisperSettings
from vidlens.engines.speech.types import (
    Segment,
    SpeechToTextEngine,
    TranscribeOptions,
    Transcript,
    Word,
)
from vidlens.engines.speech.whisper_model import (
    INSTALL_HINT,
    assemble_whisper_base,
    bundled_weights_installed,
    check_model_folder,
    default_cache_dir,
)
from vidlens.errors import InvalidInput

if TYPE_CHECKING:  # the runtime imports are lazy: without them the engine is "unavailable"
    import numpy as np
    import numpy.typing as npt
    from faster_whisper import WhisperModel  # type: ignore[import-untyped]  # no stubs

FILLER_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking."
"""Prompt that shows the decoder a verbatim, disfluent style (used when ``keep_fillers``)."""

BUNDLED_MODEL_ID = "bundled:whisper-base"

CUT_SEARCH_SECONDS = 30.0
"""Where a piece of a long track may be cut: within its last this many seconds."""

_MIN_PAUSE_SECONDS = 0.2  # shorter silences are not trusted as a place to cut
_QUIET_FRAME_SECONDS = 0.1  # the fallback cut: the quietest frame of this length


class FasterWhisperEngine(SpeechToTextEngine):
    """faster-whisper speech-to-text.

    Arguments:
        settings: model folder, compute type, threads, cache folder.
        models: a shared model manager (default: a private one with the settings' TTL).
    """

    name = "faster-whisper"

    def __init__(
        self, settings: WhisperSettings, models: ModelManager[WhisperModel] | None = None
    ) -> None:
        self.settings = settings
        self.models: ModelManager[WhisperModel] = models or ModelManager(
            self._load_model, ttl_seconds=settings.idle_ttl_seconds
        )

    @property
    def model_id(self) -> str:
        """``bundled:whisper-base`` or the configured folder."""
        model_dir = self.settings.model_dir
        return str(model_dir) if model_dir is not None else BUNDLED_MODEL_ID

    def availability(self) -> Availability:
        if not _installed("faster_whisper"):
            return Availability.missing(
                "faster-whisper is not installed", hint="pip install faster-whisper==1.2.1"
            )
        if self.settings.model_dir is not None:
            try:
                check_model_folder(self.settings.model_dir)
            except ModelMissing as exc:
                return Availability.missing(exc.message, hint=exc.hint)
            return Availability.ok()
        reason = bundled_weights_installed()
        if reason is not None:
            return Availability.missing(reason, hint=INSTALL_HINT)
        return Availability.ok()

    def model_folder(self) -> Path:
        """The verified local model folder (joins the bundled parts on first call).

        Raises:
            ModelMissing: weights packages or configured folder absent.
            vidlens.engines.errors.ModelIntegrityError: a bundled file has the wrong sha256.
        """
        if self.settings.model_dir is not None:
            return check_model_folder(self.settings.model_dir)
        return assemble_whisper_base(self.settings.cache_dir or default_cache_dir())

    def _load_model(self, model_id: str) -> WhisperModel:
        try:
            from faster_whisper import WhisperModel
        except ImportError:
            raise ModelMissing(
                "faster-whisper is not installed", hint="pip install faster-whisper==1.2.1"
            ) from None
        folder = self.model_folder()
        # A local folder never touches the hub; local_files_only guards against a typo
        # being taken for a model name to download.
        return WhisperModel(
            str(folder),
            device="cpu",
            compute_type=self.settings.compute_type,
            cpu_threads=self.settings.cpu_threads,
            local_files_only=True,
        )

    def transcribe(
        self, audio_path: Path, options: TranscribeOptions, progress: ProgressHook | None = None
    ) -> Transcript:
        report = progress or no_progress
        language = _check_options(options)
        report(0.0, "extracting audio")
        with extracted_track(
            audio_path,
            track=options.audio_track,
            ffmpeg=self.settings.ffmpeg,
            timeout_seconds=self.settings.extract_timeout_seconds,
        ) as track:
            report(0.0, "loading model")
            chunk = self.settings.chunk_seconds
            with self.models.acquire(self.model_id) as model:
                if chunk is None or track.samples <= round(chunk * SAMPLE_RATE):
                    return self._decode(model, track.read(), language, options, report)
                return self._decode_long(
                    model, track, round(chunk * SAMPLE_RATE), language, options, report
                )

    def _decode(
        self,
        model: WhisperModel,
        samples: npt.NDArray[np.float32],
        language: str | None,
        options: TranscribeOptions,
        report: ProgressHook,
    ) -> Transcript:
        started = time.perf_counter()
        prompt = self._prompt(options)
        detected: float | None = None
        if prompt == FILLER_PROMPT and language is None:
            # The filler prompt is English; on other languages it slows decoding down (many
            # temperature fallbacks) and adds stray punctuation, so detect the language first.
            language, detected = _detect_language(model, samples, vad=options.vad)
        prompt = _usable_prompt(prompt, language, vad=options.vad)
        duration = samples.size / SAMPLE_RATE
        report(0.0, "transcribing")
        decoded, info = self._decode_piece(
            model, samples, language, prompt, options, report, total=duration
        )
        segments = tuple(decoded.segments)
        elapsed = time.perf_counter() - started
        report(1.0, None)
        if options.language == "auto" and detected is None:
            detected = float(info.language_probability)
        return Transcript(
            language=str(info.language),
            language_probability=detected,
            duration=duration,
            speech_duration=decoded.speech_seconds,
            segments=segments,
            model=self.model_id,
            engine=self.name,
            options=options,
            no_speech_reason=None
            if segments
            else _no_speech_reason(options, decoded.speech_seconds),
            metrics={
                "processing_seconds": elapsed,
                "real_time_factor": elapsed / duration if duration else 0.0,
            },
        )

    def _decode_long(
        self,
        model: WhisperModel,
        track: ExtractedTrack,
        chunk: int,
        language: str | None,
        options: TranscribeOptions,
        report: ProgressHook,
    ) -> Transcript:
        """Transcribe ``track`` in pieces of at most ``chunk`` samples, each cut in a pause
        near its end; times are shifted back to the whole track."""
        started = time.perf_counter()
        base_prompt = self._prompt(options)
        prompt = None if language is None else _usable_prompt(base_prompt, language, options.vad)
        detected: float | None = None
        duration = track.duration
        segments: list[Segment] = []
        speech_seconds = 0.0
        pieces = start = 0
        reached = 0.0  # the fraction last reported: reports never go back
        report(0.0, "transcribing")
        while start < track.samples:
            samples = track.read(start, start + chunk)
            if start + chunk < track.samples:
                search = round(CUT_SEARCH_SECONDS * SAMPLE_RATE)
                samples = samples[: chunk - search + _cut_point(samples[-search:])]
            offset = start / SAMPLE_RATE
            start += samples.size
            pieces += 1
            if language is None:  # "auto" and no speech heard yet: detect on this piece
                language, detected = _detect_language(model, samples, vad=options.vad)
                if language is None:  # the VAD found no speech in this piece: nothing to decode
                    reached = start / track.samples
                    report(reached, "transcribing")
                    continue
                prompt = _usable_prompt(base_prompt, language, options.vad)
            decoded, _ = self._decode_piece(
                model,
                samples,
                language,
                prompt,
                options,
                report,
                total=duration,
                offset=offset,
                floor=reached,
                previous=segments[-1] if segments else None,
            )
            speech_seconds += decoded.speech_seconds
            segments.extend(decoded.segments)
            reached = decoded.reached
            del samples, decoded  # free the piece before the next one is read
            reached = max(reached, start / track.samples)
            report(reached, "transcribing")
        if language is None:  # no speech anywhere: Whisper's guess on no audio, as in one pass
            language, detected = _guess_without_speech(model)
        elapsed = time.perf_counter() - started
        report(1.0, None)
        return Transcript(
            language=language,
            language_probability=detected,
            duration=duration,
            speech_duration=speech_seconds,
            segments=tuple(segments),
            model=self.model_id,
            engine=self.name,
            options=options,
            no_speech_reason=None if segments else _no_speech_reason(options, speech_seconds),
            metrics={
                "processing_seconds": elapsed,
                "real_time_factor": elapsed / duration if duration else 0.0,
                "pieces": float(pieces),
            },
        )

    def _decode_piece(
        self,
        model: WhisperModel,
        samples: npt.NDArray[np.float32],
        language: str | None,
        prompt: str | None,
        options: TranscribeOptions,
        report: ProgressHook,
        *,
        total: float,
        offset: float = 0.0,
        floor: float = 0.0,
        previous: Segment | None = None,
    ) -> tuple[_Piece, Any]:
        """Decode one piece (times shifted by ``offset``): prompt echoes and decoder loops
        dropped, and speech the decoder skipped (with VAD on) decoded again on its own,
        without a prompt."""
        raw_segments, info = model.transcribe(
            samples,
            language=language,
            beam_size=self.settings.beam_size,
            vad_filter=options.vad,
            word_timestamps=options.word_timestamps,
            initial_prompt=prompt,
        )
        collected, reached = _collect(raw_segments, report, total=total, offset=offset, floor=floor)
        kept = [s for s in collected if not (prompt and _echoes(s.text, prompt))]
        if options.vad:
            kept = self._redecode_skips(model, samples, str(info.language), options, kept, offset)
        piece = _Piece(list(_drop_repeats(kept, previous)), float(info.duration_after_vad), reached)
        return piece, info

    def _redecode_skips(
        self,
        model: WhisperModel,
        samples: npt.NDArray[np.float32],
        language: str,
        options: TranscribeOptions,
        segments: list[Segment],
        offset: float,
    ) -> list[Segment]:
        """Segments plus those of every stretch of detected speech that no segment covers
        (see :mod:`vidlens.engines.speech._skips`), decoded again without a prompt."""
        speech = [(start / SAMPLE_RATE, end / SAMPLE_RATE) for start, end in _speech(samples)]
        covered = [(s.start - offset, s.end - offset) for s in segments]
        added: list[Segment] = []
        for start, end in uncovered(speech, covered):
            piece = samples[round(start * SAMPLE_RATE) : round(end * SAMPLE_RATE)]
            raw_segments, _ = model.transcribe(
                piece,
                language=language,
                beam_size=self.settings.beam_size,
                vad_filter=True,
                word_timestamps=options.word_timestamps,
            )
            added.extend(_collect(raw_segments, no_progress, total=0.0, offset=offset + start)[0])
        if not added:
            return segments
        return sorted([*segments, *added], key=lambda s: (s.start, s.end))

    def _prompt(self, options: TranscribeOptions) -> str | None:
        if options.initial_prompt is not None:
            return options.initial_prompt
        keep = self.settings.keep_fillers if options.keep_fillers is None else options.keep_fillers
        return FILLER_PROMPT if keep else None

    def close(self) -> None:
        self.models.close()


@dataclass(frozen=True, slots=True)
class _Piece:
    """What one decoded piece gives: its segments, the seconds of speech the VAD kept, and
    the progress fraction reached."""

    segments: list[Segment]
    speech_seconds: float
    reached: float


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a broken or blocked installation
        return False


def _check_options(options: TranscribeOptions) -> str | None:
    """The language to force (``None`` for detection).

    Raises:
        InvalidInput: negative track or a language code Whisper does not know.
    """
    if options.audio_track < 0:
        raise InvalidInput("audio_track must be 0 or more", field="audio_track")
    if options.language == "auto":
        return None
    from faster_whisper.tokenizer import _LANGUAGE_CODES  # type: ignore[import-untyped]  # no stubs

    code = options.language.strip().lower()
    if code not in _LANGUAGE_CODES:
        raise InvalidInput(
            f"unknown language {options.language!r}: use 'auto' or an ISO 639-1 code",
            field="language",
        )
    return code


def _collect(
    raw_segments: Iterable[Any],
    report: ProgressHook,
    *,
    total: float,
    offset: float = 0.0,
    floor: float = 0.0,
) -> tuple[list[Segment], float]:
    """Convert faster-whisper segments (decoded lazily as this iterates), shifting their times
    by ``offset`` seconds, and report progress as the fraction of the ``total`` duration
    reached (never below ``floor`` nor below an earlier report). Returns the segments and
    the last fraction reported."""
    segments: list[Segment] = []
    reached = floor
    for raw in raw_segments:
        words = tuple(
            Word(
                start=round(float(w.start) + offset, 3),
                end=round(float(w.end) + offset, 3),
                text=str(w.word).strip(),
                probability=round(float(w.probability), 4),
            )
            for w in raw.words or ()
        )
        segments.append(
            Segment(
                start=round(float(raw.start) + offset, 3),
                end=round(float(raw.end) + offset, 3),
                text=str(raw.text).strip(),
                confidence=round(math.exp(float(raw.avg_logprob)), 4),
                no_speech_probability=round(float(raw.no_speech_prob), 4),
                words=words,
            )
        )
        if total > 0:
            reached = max(reached, min(1.0, (float(raw.end) + offset) / total))
            report(reached, "transcribing")
    return segments, reached


def _usable_prompt(prompt: str | None, language: str | None, vad: bool) -> str | None:
    """The prompt to decode with: the English filler prompt is dropped on other languages
    (it slows decoding with temperature fallbacks and adds stray punctuation) and without
    VAD (the decoder then echoes it over music and silence; both measured)."""
    if prompt == FILLER_PROMPT and (language != "en" or not vad):
        return None
    return prompt


def _cut_point(tail: npt.NDArray[np.float32]) -> int:
    """Where to end a piece inside ``tail`` (its last samples): the middle of the longest
    pause the Silero VAD finds there, or the middle of the quietest 100 ms frame when the
    tail is speech (or music) throughout."""
    import numpy as np

    stamps = _speech(tail, min_silence_duration_ms=100, speech_pad_ms=30)
    edges: list[int] = [0, *(edge for stamp in stamps for edge in stamp), tail.size]
    pauses = [(edges[i + 1] - edges[i], edges[i]) for i in range(0, len(edges), 2)]
    length, begin = max(pauses)
    if length >= _MIN_PAUSE_SECONDS * SAMPLE_RATE:
        return begin + length // 2
    frame = round(_QUIET_FRAME_SECONDS * SAMPLE_RATE)
    frames = tail[: tail.size // frame * frame].reshape(-1, frame)
    quietest = int(np.argmin(np.square(frames, dtype=np.float32).sum(axis=1)))
    return quietest * frame + frame // 2


def _speech(samples: npt.NDArray[np.float32], **vad: int) -> list[tuple[int, int]]:
    """Silero speech regions ``(start, end)`` in samples, with faster-whisper's VAD
    options (its defaults, or those given)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps  # type: ignore[import-untyped]

    return [
        (int(s["start"]), int(s["end"])) for s in get_speech_timestamps(samples, VadOptions(**vad))
    ]


def _detect_language(
    model: WhisperModel, samples: npt.NDArray[np.float32], *, vad: bool
) -> tuple[str | None, float | None]:
    """Whisper's language guess on the first 30 s (of speech, with VAD), or ``(None, None)``
    when there is no speech to guess from."""
    try:
        language, probability, _ = model.detect_language(samples, vad_filter=vad)
    except ValueError:  # VAD kept nothing: no chunk to concatenate
        return None, None
    return str(language), float(probability)


def _guess_without_speech(model: WhisperModel) -> tuple[str, float]:
    """What one pass reports when the VAD keeps nothing: the detector run on empty audio."""
    import numpy as np

    language, probability, _ = model.detect_language(audio=np.zeros(0, dtype=np.float32))
    return str(language), float(probability)


def _echoes(text: str, prompt: str) -> bool:
    """True for a segment of 4 words or more that only repeats part of the prompt: a known
    hallucination (shorter segments such as "Okay." are real speech far more often)."""
    words = _letters(text)
    return len(words.split()) >= 4 and f" {words} " in f" {_letters(prompt)} "


REPEAT_MAX_PROBABILITY = 0.3
"""A segment that repeats the one before it word for word is a decoder loop, not speech,
when its words' mean probability is under this (a real repeat is heard, so it is decoded
with the confidence of its first time)."""


def _drop_repeats(
    segments: Iterable[Segment], previous: Segment | None = None
) -> Iterable[Segment]:
    """Drop the known Whisper loop of re-emitting the previous segment's text over the
    silence after it, recognised by its very low word probabilities (measured on the stereo
    clip's right channel: 0.009 and 0.0001 on the repeat, 0.86-0.99 on the speech)."""
    for segment in segments:
        if previous is not None and _is_low_confidence_repeat(segment, previous):
            continue
        previous = segment
        yield segment


def _is_low_confidence_repeat(segment: Segment, previous: Segment) -> bool:
    if not segment.words or _letters(segment.text) != _letters(previous.text):
        return False
    mean = sum(w.probability for w in segment.words) / len(segment.words)
    return mean < REPEAT_MAX_PROBABILITY


def _letters(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace()).split())


def _no_speech_reason(options: TranscribeOptions, speech_seconds: float) -> str:
    if options.vad and speech_seconds == 0.0:
        return "the voice-activity detector found no speech"
    return "the model decoded no words"
