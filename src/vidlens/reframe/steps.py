"""The pipeline's steps: names, prerequisites, and one runner per step.

A runner takes the source video, the stored results of earlier steps and the step's
parameters, and returns its JSON result (and, for transforms, writes the output video).
Job handlers (:mod:`vidlens.reframe.jobs`) and ``vidlens reframe`` both call
:func:`run_step`, so the server and the CLI produce the same results.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidlens.config import Settings
from vidlens.engines.active_speaker.engine import ActiveSpeakerDetector
from vidlens.engines.base import ProgressHook
from vidlens.engines.faces.engine import FaceTracker
from vidlens.engines.reframe.aspect import parse_aspect
from vidlens.engines.reframe.camera import plan_camera
from vidlens.engines.reframe.render import render
from vidlens.engines.reframe.settings import ReframeMode
from vidlens.engines.reframe.targets import Directive
from vidlens.engines.scenes.engine import SceneDetector
from vidlens.engines.speech.diarization import SpeakerDiarizer, assign_speakers
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
from vidlens.engines.speech.formats import to_json
from vidlens.engines.speech.pipeline import split_at_speaker_changes
from vidlens.engines.speech.types import TranscribeOptions
from vidlens.engines.video.decode import probe
from vidlens.errors import InvalidInput
from vidlens.reframe import llm
from vidlens.reframe.results import (
    faces_from_dict,
    scenes_from_dict,
    speakers_from_dict,
    turns_from_dict,
)

INGEST = "ingest"
ANALYSES = (
    "scene_detection",
    "face_tracking_yolov8",
    "active_speaker",
    "transcription",
    "diarization",
)
TRANSFORMS = ("reframe", "reframe_llm")
STEPS = (INGEST, *ANALYSES, *TRANSFORMS)
PREREQUISITES: dict[str, tuple[str, ...]] = {
    "scene_detection": (INGEST,),
    "face_tracking_yolov8": ("scene_detection",),
    "active_speaker": ("face_tracking_yolov8",),
    "transcription": (INGEST,),
    "diarization": (INGEST,),
    "reframe": ("active_speaker",),
    "reframe_llm": ("active_speaker",),
}
"""Each step's steps that must have completed first (transitively: active_speaker needs
face tracking, which needs scene detection, which needs the ingested video)."""
OPTIONAL_INPUTS: dict[str, tuple[str, ...]] = {
    "active_speaker": ("diarization",),
    "transcription": ("diarization",),
    "reframe_llm": ("transcription",),
}
"""Results a step uses when they exist (diarized turns sharpen the active speaker)."""
SUFFIXES = {"_reframe": "reframe", "_reframe_llm": "reframe_llm"}
"""``GET /api/v2/download/{id}?suffix=`` → the transform whose output it serves."""
PIPELINE = (
    "scene_detection",
    "face_tracking_yolov8",
    "diarization",
    "active_speaker",
    "transcription",
    "reframe",
)
"""The one-call chain (after ingest), in order."""


class PipelineEngines:
    """The engines of one process, built on first use from settings and kept (models stay
    loaded between jobs)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: dict[str, tuple[object, object]] = {}

    def get(self, name: str, config: object, factory: Callable[[Any], Any]) -> Any:
        with self._lock:
            cached = self._built.get(name)
            if cached is None or cached[0] != config:
                if cached is not None:
                    close = getattr(cached[1], "close", None)
                    if callable(close):
                        close()
                cached = (config, factory(config))
                self._built[name] = cached
            return cached[1]


ENGINES = PipelineEngines()


@dataclass(frozen=True)
class StepOutcome:
    """A step's JSON result and, for transforms, the video it wrote."""

    result: dict[str, Any]
    output: Path | None = None


@dataclass(frozen=True)
class StepInput:
    """Everything a runner needs."""

    video: Path
    settings: Settings
    results: dict[str, dict[str, Any]]
    parameters: dict[str, Any]
    output: Path | None
    progress: ProgressHook
    engines: PipelineEngines = ENGINES


def _scenes(step: StepInput) -> StepOutcome:
    config = step.settings.reframe.scenes
    detector: SceneDetector = step.engines.get("scenes", config, SceneDetector)
    return StepOutcome(detector.detect(step.video, step.progress).to_dict())


def _faces(step: StepInput) -> StepOutcome:
    config = step.settings.reframe.faces
    tracker: FaceTracker = step.engines.get("faces", config, FaceTracker)
    scenes = scenes_from_dict(step.results["scene_detection"])
    return StepOutcome(tracker.track(step.video, scenes, step.progress).to_dict())


def run_scenes_and_faces(step: StepInput, faces_progress: ProgressHook) -> list[StepOutcome]:
    """``scene_detection`` and ``face_tracking_yolov8`` from one decoding pass (the
    one-call pipeline runs them back to back): the same two results as :func:`run_step`
    on each, for the CPU of the face tracking alone. ``step.progress`` hears the start and
    the end of the shot detection, ``faces_progress`` the rest."""
    settings = step.settings.reframe
    detector: SceneDetector = step.engines.get("scenes", settings.scenes, SceneDetector)
    tracker: FaceTracker = step.engines.get("faces", settings.faces, FaceTracker)
    step.progress(0.0, "decoding with the face tracking")
    scenes, faces = tracker.track_with_scenes(step.video, detector, faces_progress)
    step.progress(1.0, None)
    return [StepOutcome(scenes.to_dict()), StepOutcome(faces.to_dict())]


def _speaker(step: StepInput) -> StepOutcome:
    config = step.settings.reframe.active_speaker
    detector: ActiveSpeakerDetector = step.engines.get("speaker", config, ActiveSpeakerDetector)
    faces = faces_from_dict(step.results["face_tracking_yolov8"])
    diarized = step.results.get("diarization")
    turns = turns_from_dict(diarized) if diarized else None
    return StepOutcome(detector.detect(step.video, faces, turns, step.progress).to_dict())


def _diarization(step: StepInput) -> StepOutcome:
    config = step.settings.engines.diarization
    diarizer: SpeakerDiarizer = step.engines.get("diarizer", config, SpeakerDiarizer)
    if not probe(step.video).has_audio:
        return StepOutcome(_empty_diarization("The video has no audio track."))
    result = diarizer.diarize(step.video, progress=step.progress)
    ids = {label: i for i, label in enumerate(result.speakers)}
    return StepOutcome(
        {
            "model": "diarization",
            "mode": result.mode,
            "duration": round(result.duration, 3),
            "speakers": list(result.speakers),
            "segments": [
                {
                    "start": round(t.start, 3),
                    "end": round(t.end, 3),
                    "speaker": t.speaker,
                    "speaker_id": ids[t.speaker],
                }
                for t in result.turns
            ],
            "no_speech_reason": None if result.turns else "No speech was found.",
        }
    )


def _empty_diarization(reason: str) -> dict[str, Any]:
    return {
        "model": "diarization",
        "mode": None,
        "duration": 0.0,
        "speakers": [],
        "segments": [],
        "no_speech_reason": reason,
    }


def _transcription(step: StepInput) -> StepOutcome:
    config = step.settings.engines.whisper
    beam = step.settings.reframe.transcription_beam_size
    if beam is not None and beam != config.beam_size:
        config = config.model_copy(update={"beam_size": beam})
    stt: FasterWhisperEngine = step.engines.get("whisper", config, FasterWhisperEngine)
    if not probe(step.video).has_audio:
        return StepOutcome(
            {
                "model": "transcription",
                "language": None,
                "duration": 0.0,
                "text": "",
                "segments": [],
                "speakers": [],
                "no_speech_reason": "The video has no audio track.",
            }
        )
    language = str(step.parameters.get("language", "auto"))
    transcript = stt.transcribe(step.video, TranscribeOptions(language=language), step.progress)
    diarized = step.results.get("diarization")
    if diarized and diarized.get("segments"):
        transcript = split_at_speaker_changes(
            assign_speakers(transcript, turns_from_dict(diarized))
        )
    return StepOutcome({"model": "transcription", **to_json(transcript)})


def _reframe(step: StepInput, directives: list[Directive] | None = None) -> StepOutcome:
    if step.output is None:
        raise ValueError("a transform needs an output path")
    camera = step.settings.reframe.camera
    parameters = step.parameters
    mode = parameters.get("mode") or camera.mode
    if mode not in ("auto", "center", "blur_pad"):
        raise InvalidInput("mode must be auto, center or blur_pad.", field="mode")
    mode_value: ReframeMode = mode
    aspect = parse_aspect(str(parameters.get("aspect_ratio") or camera.aspect_ratio))
    height = parameters.get("output_height")
    scenes = scenes_from_dict(step.results["scene_detection"])
    faces = faces_from_dict(step.results["face_tracking_yolov8"])
    speakers = speakers_from_dict(step.results["active_speaker"])
    plan = plan_camera(
        scenes=scenes,
        faces=faces,
        speakers=speakers,
        aspect=aspect,
        settings=camera,
        mode=mode_value,
        output_height=int(height) if height else None,
        directives=directives or (),
    )
    info = probe(step.video)
    timing = render(
        step.video,
        plan,
        step.output,
        settings=camera,
        rotation=info.rotation,
        progress=step.progress,
    )
    return StepOutcome(
        {
            "transform": "reframe",
            "aspect_ratio": str(aspect),
            "mode": mode_value,
            "output": {
                "width": plan.output_width,
                "height": plan.output_height,
                "frames": int(timing["frames"]),
                "duration": round(plan.frame_count / plan.fps, 4),
                "size_bytes": step.output.stat().st_size,
                "video_codec": "h264",
                "audio_codec": "aac" if info.has_audio else None,
            },
            "notes": list(plan.notes),
            "crop_path": plan.to_dict(),
            "processing": {k: round(v, 4) for k, v in timing.items()},
        },
        step.output,
    )


def _reframe_llm(step: StepInput) -> StepOutcome:
    instruction = str(step.parameters.get("instruction") or "").strip()
    if not instruction:
        raise InvalidInput(
            "reframe_llm needs parameters.instruction (whom to follow).",
            field="parameters.instruction",
        )
    faces = faces_from_dict(step.results["face_tracking_yolov8"])
    speakers = speakers_from_dict(step.results["active_speaker"])
    people = llm.describe_people(faces, speakers, step.results.get("transcription"))
    step.progress(0.02, "asking the language model")
    directives, reason = llm.ask_directives(
        instruction, people, faces.duration, step.settings.reframe
    )
    outcome = _reframe(step, directives)
    result = dict(
        outcome.result,
        transform="reframe_llm",
        instruction=instruction,
        llm={
            "model": step.settings.reframe.llm_model,
            "reason": reason,
            "follow": [dataclasses.asdict(d) for d in directives],
        },
    )
    return StepOutcome(result, outcome.output)


RUNNERS: dict[str, Callable[[StepInput], StepOutcome]] = {
    "scene_detection": _scenes,
    "face_tracking_yolov8": _faces,
    "active_speaker": _speaker,
    "diarization": _diarization,
    "transcription": _transcription,
    "reframe": _reframe,
    "reframe_llm": _reframe_llm,
}


def run_step(step: str, job: StepInput) -> StepOutcome:
    """Run one step (its prerequisites' results must be in ``job.results``).

    Raises:
        InvalidInput: bad parameters.
        KeyError: a prerequisite result is missing (a caller bug: the service checks them).
        Whatever the engines raise (``VideoUnreadable``, ``EngineUnavailable``...).
    """
    return RUNNERS[step](job)
