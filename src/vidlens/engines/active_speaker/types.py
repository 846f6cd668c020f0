"""Typed results of the active-speaker engine, in the reframe contract's shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Mode = Literal["audio-visual", "visual-only"]


@dataclass(frozen=True, slots=True)
class SpeakingScore:
    """One face at one sampled frame: ``score`` in [0, 1], ``speaking`` when at or above
    the threshold."""

    timestamp: float
    frame_number: int
    score: float
    speaking: bool
    track_id: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "timestamp": round(self.timestamp, 4),
            "frame_number": self.frame_number,
            "score": round(self.score, 4),
            "speaking": self.speaking,
        }


@dataclass(frozen=True, slots=True)
class SpeakerTrack:
    """One person (face id): every sampled frame where the face is seen, across its tracks."""

    face_id: int
    scores: tuple[SpeakingScore, ...]
    speaker_label: str | None = None
    """The diarized speaker mapped to this face, if any."""

    @property
    def first_seen(self) -> float:
        return self.scores[0].timestamp

    @property
    def last_seen(self) -> float:
        return self.scores[-1].timestamp

    @property
    def speaking_fraction(self) -> float:
        return sum(s.speaking for s in self.scores) / len(self.scores)

    def to_dict(self) -> dict[str, Any]:
        return {
            "face_id": self.face_id,
            "first_seen": round(self.first_seen, 4),
            "last_seen": round(self.last_seen, 4),
            "speaking_fraction": round(self.speaking_fraction, 4),
            "speaker_label": self.speaker_label,
            "scores": [s.to_dict() for s in self.scores],
        }


@dataclass(frozen=True, slots=True)
class ActiveSpeakerResult:
    """Per-face speaking scores over time.

    Attributes:
        video_fps, total_frames: of the video.
        tracks: one per face id, ordered by first appearance.
        mode: ``audio-visual``, or ``visual-only`` when the video has no usable audio.
        note: why the mode was degraded (None in audio-visual mode).
        speech_seconds: seconds of voice activity found.
        used_diarization: whether diarized turns informed the scores.
    """

    video_fps: float
    total_frames: int
    tracks: tuple[SpeakerTrack, ...]
    mode: Mode
    note: str | None
    speech_seconds: float
    used_diarization: bool
    processing: dict[str, float] = field(default_factory=dict)

    def score_at(self, face_id: int, frame_number: int) -> SpeakingScore | None:
        for track in self.tracks:
            if track.face_id == face_id:
                for score in track.scores:
                    if score.frame_number == frame_number:
                        return score
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": "active_speaker",
            "video_fps": self.video_fps,
            "total_frames": self.total_frames,
            "track_count": len(self.tracks),
            "mode": self.mode,
            "note": self.note,
            "speech_seconds": round(self.speech_seconds, 3),
            "used_diarization": self.used_diarization,
            "tracks": [t.to_dict() for t in self.tracks],
            "processing": {k: round(v, 4) for k, v in self.processing.items()},
        }
