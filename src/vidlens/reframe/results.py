"""Step results back from their stored JSON (``to_dict()`` of each engine's result), so a
later step (or a later process) can build on an earlier one."""

from __future__ import annotations

from typing import Any

from vidlens.engines.active_speaker.types import ActiveSpeakerResult, SpeakerTrack, SpeakingScore
from vidlens.engines.face.types import BoundingBox
from vidlens.engines.face_id.fingerprint import decode_fingerprint
from vidlens.engines.faces.types import FaceTrack, FaceTrackingResult, TrackPoint
from vidlens.engines.scenes.types import Boundary, Scene, SceneResult
from vidlens.engines.speech.diarization import SpeakerTurn


def scenes_from_dict(data: dict[str, Any]) -> SceneResult:
    """A :class:`SceneResult` from its ``to_dict()``."""
    return SceneResult(
        fps=float(data["video_fps"]),
        frame_count=int(data["total_frames"]),
        duration=float(data["duration"]),
        width=int(data["width"]),
        height=int(data["height"]),
        scenes=tuple(
            Scene(
                index=int(s["index"]),
                start_frame=int(s["start_frame"]),
                end_frame=int(s["end_frame"]),
                start=float(s["start"]),
                end=float(s["end"]),
                transition=s["transition"],
            )
            for s in data["scenes"]
        ),
        boundaries=tuple(
            Boundary(int(b["frame"]), b["kind"], float(b["score"]), (b["span"][0], b["span"][1]))
            for b in data.get("boundaries", [])
        ),
        method=str(data.get("method", "")),
    )


def _point(data: dict[str, Any]) -> TrackPoint:
    box = data["box"]
    return TrackPoint(
        time=float(data["timestamp"]),
        frame=int(data["frame_number"]),
        box=BoundingBox(
            float(box["x"]), float(box["y"]), float(box["width"]), float(box["height"])
        ),
        score=float(data["confidence"]),
        mouth_open=None if data.get("mouth_open") is None else float(data["mouth_open"]),
    )


def faces_from_dict(data: dict[str, Any]) -> FaceTrackingResult:
    """A :class:`FaceTrackingResult` from its ``to_dict()`` (with boxes)."""
    tracks = tuple(
        FaceTrack(
            track_id=int(t["track_id"]),
            face_id=int(t["face_id"]),
            scene_index=int(t["scene_index"]),
            points=tuple(_point(p) for p in t["boxes"] or ()),
            embedding=decode_fingerprint(t["fingerprint"]) if t.get("fingerprint") else None,
        )
        for t in data["tracks"]
    )
    return FaceTrackingResult(
        video_fps=float(data["video_fps"]),
        total_frames=int(data["total_frames"]),
        sample_fps=float(data["sample_fps"]),
        width=int(data["width"]),
        height=int(data["height"]),
        duration=float(data["duration"]),
        tracks=tuple(t for t in tracks if t.points),
        scene_count=int(data["scene_count"]),
        detector=str(data["detector"]),
        embedder=data.get("embedder"),
    )


def speakers_from_dict(data: dict[str, Any]) -> ActiveSpeakerResult:
    """An :class:`ActiveSpeakerResult` from its ``to_dict()`` (track ids are not kept in
    the contract's shape and come back as 0)."""
    return ActiveSpeakerResult(
        video_fps=float(data["video_fps"]),
        total_frames=int(data["total_frames"]),
        tracks=tuple(
            SpeakerTrack(
                face_id=int(t["face_id"]),
                scores=tuple(
                    SpeakingScore(
                        float(s["timestamp"]),
                        int(s["frame_number"]),
                        float(s["score"]),
                        bool(s["speaking"]),
                        0,
                    )
                    for s in t["scores"]
                ),
                speaker_label=t.get("speaker_label"),
            )
            for t in data["tracks"]
            if t["scores"]
        ),
        mode=data["mode"],
        note=data.get("note"),
        speech_seconds=float(data.get("speech_seconds", 0.0)),
        used_diarization=bool(data.get("used_diarization", False)),
    )


def turns_from_dict(data: dict[str, Any]) -> list[SpeakerTurn]:
    """Speaker turns from the diarization step's result."""
    return [
        SpeakerTurn(float(s["start"]), float(s["end"]), str(s["speaker"]))
        for s in data.get("segments", [])
    ]
