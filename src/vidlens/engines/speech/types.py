"""Typed request and result of speech-to-text, and the engine protocol."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

from vidlens.engines.base import Engine, ProgressHook


@dataclass(frozen=True, slots=True)
class TranscribeOptions:
    """What to transcribe and how.

    Attributes:
        language: ``"auto"`` to detect it, or an ISO 639-1 code Whisper knows (``"en"``).
        audio_track: index of the audio stream, counted from 0 among audio streams only.
        word_timestamps: compute per-word start/end times and probabilities.
        vad: skip silence with the bundled Silero voice-activity detector first.
        keep_fillers: prompt the decoder with a disfluent sentence so that filler words
            ("um", "uh") are written out more often; ``None`` takes the engine's setting.
        initial_prompt: a custom prompt (overrides the filler prompt when given).
    """

    language: str = "auto"
    audio_track: int = 0
    word_timestamps: bool = True
    vad: bool = True
    keep_fillers: bool | None = None
    initial_prompt: str | None = None


@dataclass(frozen=True, slots=True)
class Word:
    """One word, times in seconds from the start of the media."""

    start: float
    end: float
    text: str
    """The word as decoded, with its leading space removed."""
    probability: float
    """Decoder probability of the word's tokens, in [0, 1]."""
    speaker: str | None = None
    """Speaker label once diarization has run; ``None`` until then."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One decoded segment, times in seconds from the start of the media."""

    start: float
    end: float
    text: str
    confidence: float
    """``exp(avg_logprob)``: the geometric mean of the token probabilities, in [0, 1]."""
    no_speech_probability: float
    """Whisper's probability that the window holds no speech, in [0, 1]."""
    words: tuple[Word, ...] = ()
    speaker: str | None = None
    """Speaker label once diarization has run; ``None`` until then."""


@dataclass(frozen=True, slots=True)
class Transcript:
    """The result of one transcription.

    ``language`` is the detected (or requested) code; ``language_probability`` is the
    detector's probability, ``None`` when the language was given. When no speech was found,
    ``segments`` is empty and ``no_speech_reason`` says why.
    """

    language: str
    language_probability: float | None
    duration: float
    """Duration of the extracted audio track, in seconds."""
    speech_duration: float
    """Seconds kept by the voice-activity detector (the whole track without VAD)."""
    segments: tuple[Segment, ...]
    model: str
    engine: str
    options: TranscribeOptions
    no_speech_reason: str | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    """Measurements of the run (``processing_seconds``, ``real_time_factor``)."""

    @property
    def text(self) -> str:
        """The whole transcript as one string."""
        return " ".join(segment.text for segment in self.segments if segment.text)


class SpeechToTextEngine(Engine):
    """A speech-to-text implementation."""

    kind = "speech-to-text"

    @abstractmethod
    def transcribe(
        self, audio_path: Path, options: TranscribeOptions, progress: ProgressHook | None = None
    ) -> Transcript:
        """Transcribe one audio track of a media file.

        Arguments:
            audio_path: any media file ffmpeg reads (audio only or a video container).
            options: language, track and decoding options.
            progress: called with the fraction of the audio processed, in [0, 1].

        Returns:
            The transcript, with word timings when requested.

        Raises:
            vidlens.engines.errors.AudioUnreadable: no decodable audio at that track.
            vidlens.errors.InvalidInput: an unknown language code or a negative track.
            vidlens.errors.EngineUnavailable: the model or ffmpeg is missing.
        """
