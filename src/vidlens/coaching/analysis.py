"""Run one coaching analysis: speech and face side by side, then the scores and texts.

The speech pass (faster-whisper on ``speech_threads`` threads, then the delivery
measurements) and the face pass (ffmpeg decoding + MediaPipe, one thread each) run in two
threads, so that a 2-core machine keeps both cores busy. Progress from both is merged into
one hook; when one side fails, the other stops at its next progress report.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from vidlens.coaching.assemble import CoachingResult, build_result
from vidlens.coaching.emotion_model import EmotionModel
from vidlens.coaching.face_pass import FacePass, client_face_pass, run_face_pass
from vidlens.coaching.profiles import resolve_profile
from vidlens.coaching.speech_pass import SpeechPass, run_speech_pass
from vidlens.config import Settings
from vidlens.engines.base import ProgressHook, no_progress
from vidlens.engines.delivery.settings import DeliveryOptions
from vidlens.engines.face.settings import FaceSettings
from vidlens.engines.face.types import FaceSample
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
from vidlens.engines.speech.settings import WhisperSettings
from vidlens.errors import InvalidInput

SPEECH_SHARE = 0.6
"""Share of the progress bar given to the speech pass (the rest to the face pass)."""


@dataclass(frozen=True, slots=True)
class CoachingRequest:
    """What a client sends besides the video."""

    context_phrase: str | None = None
    transcript: str | None = None
    face_samples: Sequence[FaceSample] | None = None
    """Already validated client ``mediapipeSamples`` (used instead of decoding faces)."""


class CoachingEngines:
    """Engines kept warm across the analyses of one process (the Whisper model, the FER
    model), rebuilt only when their settings change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._whisper: FasterWhisperEngine | None = None
        self._emotion: EmotionModel | None = None

    def whisper(self, settings: WhisperSettings) -> FasterWhisperEngine:
        with self._lock:
            if self._whisper is None or self._whisper.settings != settings:
                if self._whisper is not None:
                    self._whisper.close()
                self._whisper = FasterWhisperEngine(settings)
            return self._whisper

    def emotion_model(self) -> EmotionModel:
        """The FER model (loaded and verified on first use).

        Raises:
            ModelMissing, ModelIntegrityError: see :class:`EmotionModel`.
        """
        with self._lock:
            if self._emotion is None:
                self._emotion = EmotionModel()
            return self._emotion

    def close(self) -> None:
        with self._lock:
            if self._whisper is not None:
                self._whisper.close()
            self._whisper = self._emotion = None


class _Stopped(Exception):
    """Raised inside one pass when the other one failed."""


class _Progress:
    """Merges the two passes' progress into one hook, thread-safely."""

    def __init__(self, hook: ProgressHook) -> None:
        self._hook = hook
        self._lock = threading.Lock()
        self._done = {"speech": 0.0, "face": 0.0}
        self._phase = {"speech": "starting", "face": "starting"}
        self.stop = threading.Event()

    def part(self, name: str) -> ProgressHook:
        share = SPEECH_SHARE if name == "speech" else 1.0 - SPEECH_SHARE

        def report(fraction: float, phase: str | None) -> None:
            if self.stop.is_set():
                raise _Stopped(name)
            with self._lock:
                self._done[name] = max(0.0, min(1.0, fraction)) * share
                if phase:
                    self._phase[name] = phase
                total = 0.9 * (self._done["speech"] + self._done["face"])
                label = f"{self._phase['speech']} + {self._phase['face']}"
                self._hook(total, label)

        return report


def _face_settings(settings: Settings) -> FaceSettings:
    coaching = settings.coaching
    metrics = coaching.face.metrics.model_copy(
        update={
            "window_seconds": coaching.window_seconds,
            "expressions": coaching.emotion_inference,
        }
    )
    return coaching.face.model_copy(update={"metrics": metrics})


def analyze_talk(
    video: Path,
    request: CoachingRequest,
    settings: Settings,
    engines: CoachingEngines,
    progress: ProgressHook | None = None,
) -> CoachingResult:
    """Analyse one recorded talk.

    Arguments:
        video: the stored file (already probed and accepted by the surface).
        request: context phrase, supplied transcript, client face samples.
        settings: the process's settings (``coaching``, ``engines.whisper``).
        engines: warm engines of this process.
        progress: ``(fraction, phase)``.

    Raises:
        InvalidInput: a context phrase longer than 500 characters.
        VideoUnreadable: the video stream does not decode.
        EngineUnavailable: faster-whisper, mediapipe, ffmpeg or their weights are missing.
    """
    report = progress or no_progress
    try:
        context = resolve_profile(request.context_phrase)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="contextPhrase") from None
    coaching = settings.coaching
    whisper = engines.whisper(
        settings.engines.whisper.model_copy(update={"cpu_threads": coaching.speech_threads})
    )
    face_settings = _face_settings(settings)
    model: Callable[[], EmotionModel] | None = None
    if coaching.emotion_inference and coaching.emotion_method in ("model", "both"):
        model = engines.emotion_model
    merged = _Progress(report)

    def speech() -> SpeechPass:
        return run_speech_pass(
            video,
            whisper,
            DeliveryOptions(window_seconds=coaching.window_seconds),
            supplied=request.transcript,
            progress=merged.part("speech"),
        )

    def face() -> FacePass:
        if request.face_samples is not None:
            return client_face_pass(request.face_samples, face_settings)
        return run_face_pass(video, face_settings, model=model, progress=merged.part("face"))

    speech_result, face_result = _both(speech, face, merged.stop)
    report(0.92, "scoring")
    duration = _duration(speech_result, face_result)
    result = build_result(speech_result, face_result, context, coaching, duration=duration)
    report(1.0, "done")
    return result


def _both(
    first: Callable[[], SpeechPass], second: Callable[[], FacePass], stop: threading.Event
) -> tuple[SpeechPass, FacePass]:
    """Run both passes; the first real failure stops the other one and is re-raised."""
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="coaching") as pool:
        speech, face = pool.submit(first), pool.submit(second)
        errors: list[BaseException] = []
        for future in as_completed((speech, face)):
            error = future.exception()
            if error is not None:
                stop.set()
                errors.append(error)
    real = [e for e in errors if not isinstance(e, _Stopped)]
    if real:
        raise real[0]
    return speech.result(), face.result()


def _duration(speech: SpeechPass, face: FacePass) -> float:
    candidates = [face.duration]
    if speech.delivery is not None:
        candidates.append(speech.delivery.duration_seconds)
    return max(candidates)
