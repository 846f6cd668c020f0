"""The active-speaker engine: face tracks + the video's audio (+ diarized turns) → per-face
speaking scores over time (see :mod:`.scoring` for the formulas)."""

from __future__ import annotations

import importlib.util
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from vidlens.engines.active_speaker.audio import AudioSignals, read_audio
from vidlens.engines.active_speaker.evidence import MouthSeries, mouth_series
from vidlens.engines.active_speaker.scoring import (
    local_beliefs,
    map_speakers,
    sample_scores,
    speech_segments,
    visual_scores,
)
from vidlens.engines.active_speaker.settings import ActiveSpeakerSettings
from vidlens.engines.active_speaker.types import (
    ActiveSpeakerResult,
    Mode,
    SpeakerTrack,
    SpeakingScore,
)
from vidlens.engines.base import Availability, Engine, ProgressHook, no_progress
from vidlens.engines.errors import AudioUnreadable
from vidlens.engines.faces.types import FaceTrackingResult
from vidlens.engines.speech.diarization import SpeakerTurn

NO_AUDIO_NOTE = (
    "The video has no audio track: speaking scores come from mouth movement alone "
    "(visual-only), so a listener who moves their mouth can score as speaking."
)
NO_SPEECH_NOTE = "No speech was found in the audio: every face scores 0."


class ActiveSpeakerDetector(Engine):
    """Audio-visual active-speaker detection.

    Arguments:
        settings: windows, weights and thresholds.
    """

    name = "vidlens-active-speaker"
    kind = "active-speaker"

    def __init__(self, settings: ActiveSpeakerSettings | None = None) -> None:
        self.settings = settings or ActiveSpeakerSettings()

    def availability(self) -> Availability:
        if importlib.util.find_spec("faster_whisper") is None:
            return Availability.missing(
                "faster-whisper (Silero VAD) is not installed",
                hint="pip install faster-whisper==1.2.1",
            )
        return Availability.ok()

    def detect(
        self,
        video: Path,
        faces: FaceTrackingResult,
        turns: Sequence[SpeakerTurn] | None = None,
        progress: ProgressHook | None = None,
    ) -> ActiveSpeakerResult:
        """Score every tracked face of ``video`` for speaking, at each of its samples.

        Arguments:
            video: the video the tracks come from (its audio track 0 is read).
            faces: the face tracks (with mouth openness).
            turns: diarized speaker turns of the same audio, when available.
            progress: called with ``(fraction, phase)``.

        Raises:
            vidlens.errors.EngineUnavailable: ffmpeg or the voice-activity model missing.
        """
        report = progress or no_progress
        started = time.perf_counter()
        settings = self.settings
        report(0.0, "reading audio")
        audio = self._audio(video)
        report(0.3, "measuring mouths")
        series = [
            mouth_series(
                track.track_id,
                track.face_id,
                [(p.time, p.frame, p.mouth_open) for p in track.points],
                settings.activity_half_window,
            )
            for track in faces.tracks
        ]
        mode: Mode = "audio-visual" if audio is not None else "visual-only"
        note = NO_AUDIO_NOTE if audio is None else None
        mapping: dict[str, int] = {}
        if audio is None:
            scores = {s.track_id: visual_scores(s, settings) for s in series}
        else:
            if audio.speech_seconds == 0:
                note = NO_SPEECH_NOTE
            report(0.5, "scoring speakers")
            scores, mapping = self._audio_visual(series, audio, turns)
        report(0.95, None)
        tracks = self._by_face(series, scores, mapping)
        report(1.0, None)
        return ActiveSpeakerResult(
            video_fps=faces.video_fps,
            total_frames=faces.total_frames,
            tracks=tuple(tracks),
            mode=mode,
            note=note,
            speech_seconds=audio.speech_seconds if audio is not None else 0.0,
            used_diarization=bool(mapping),
            processing={"processing_seconds": time.perf_counter() - started},
        )

    def _audio(self, video: Path) -> AudioSignals | None:
        """The audio signals, or None when the video has no (decodable) audio track."""
        try:
            return read_audio(
                video,
                vad_threshold=self.settings.vad_threshold,
                ffmpeg=self.settings.ffmpeg,
                timeout_seconds=self.settings.extract_timeout_seconds,
            )
        except AudioUnreadable:
            return None

    def _audio_visual(
        self,
        series: list[MouthSeries],
        audio: AudioSignals,
        turns: Sequence[SpeakerTurn] | None,
    ) -> tuple[dict[int, list[float]], dict[str, int]]:
        segments = speech_segments(audio, turns, self.settings)
        beliefs = local_beliefs(series, audio, segments, self.settings)
        mapping = map_speakers(series, segments, beliefs) if turns else {}
        scores = {
            s.track_id: sample_scores(s, audio, segments, beliefs, mapping, self.settings)
            for s in series
        }
        return scores, mapping

    def _by_face(
        self,
        series: list[MouthSeries],
        scores: dict[int, list[float]],
        mapping: dict[str, int],
    ) -> list[SpeakerTrack]:
        """Group track samples by face id (the contract's ``tracks`` are people)."""
        threshold = self.settings.speaking_threshold
        grouped: dict[int, list[SpeakingScore]] = defaultdict(list)
        for s in series:
            for t, frame, score in zip(s.times, s.frames, scores[s.track_id], strict=True):
                grouped[s.face_id].append(
                    SpeakingScore(float(t), int(frame), score, score >= threshold, s.track_id)
                )
        labels = {face: speaker for speaker, face in mapping.items()}
        tracks = [
            SpeakerTrack(face, tuple(sorted(items, key=lambda x: x.timestamp)), labels.get(face))
            for face, items in grouped.items()
        ]
        return sorted(tracks, key=lambda t: (t.first_seen, t.face_id))
