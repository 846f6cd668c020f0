"""``scenes`` and ``faces`` of ``/v1/video-analyses``: the reframe surface's shot detector
(:mod:`vidlens.engines.scenes`) and face tracker (:mod:`vidlens.engines.faces`, BlazeFace on
tiles, with dlib face embeddings from :mod:`vidlens.engines.face_id`).

Each engine decodes the video itself: the shot detector needs every frame (small YUV
planes), the face tracker decodes every frame and converts its own samples
(``reframe.faces.sample_fps``). ``faces`` also runs the shot detector (about 1 CPU
second per minute of 720p): a track never crosses a cut, so two people filmed at the same
spot on either side of a cut are not one track. Engines are built once per worker process
from ``reframe.scenes`` / ``reframe.faces`` and stay loaded between jobs.

Result shapes (the contract's ``SceneDetection`` and ``FaceDetection``):

* a scene is ``{index, start, end}``: seconds of its first frame and of the frame after its
  last (the video's end for the last scene);
* a face is one person of the video: ``track_id`` numbers people 1, 2, ... in order of first
  appearance (the engine's tracks, cut at shots, grouped into people by their embeddings);
  ``instances`` are the person's tracks (first to last sighting, confidence = mean BlazeFace
  score), those below ``confidence_threshold`` left out, and a person with none left is
  left out; ``fingerprint`` is described in :func:`fingerprint`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidlens.engines.base import ProgressHook
from vidlens.engines.face_id.fingerprint import DIMENSIONS, encode_fingerprint
from vidlens.engines.faces.engine import FaceTracker
from vidlens.engines.faces.settings import FaceTrackingSettings
from vidlens.engines.faces.types import FaceTrack, FaceTrackingResult
from vidlens.engines.scenes.engine import SceneDetector
from vidlens.engines.scenes.settings import SceneSettings
from vidlens.engines.scenes.types import SceneResult
from vidlens.gateway.jobs import EngineCache

if TYPE_CHECKING:
    from vidlens.config import Settings

SCENES: EngineCache[SceneSettings, SceneDetector] = EngineCache(SceneDetector)
"""The shot detector of this process."""
FACES: EngineCache[FaceTrackingSettings, FaceTracker] = EngineCache(FaceTracker)
"""The face tracker of this process (BlazeFace, dlib landmarks and embeddings loaded on
first use)."""

FINGERPRINT_ENCODING = (
    "base64 (standard alphabet, padded) of 128 float32 values, little-endian (512 bytes): "
    "the L2-normalised mean of the person's dlib ResNet face embeddings "
    "(dlib_face_recognition_resnet_model_v1, faces aligned by the 5-point predictor; each "
    "track's mean embedding normalised, averaged over the person's tracks, normalised again). "
    "Compare two fingerprints by Euclidean distance (or cosine similarity, their dot "
    "product): measured on the face_recognition stills, the same person 0.27-0.30 apart "
    "across videos, different people 0.47 and more."
)
"""How ``fingerprint`` is encoded (docs/gateway.md and the OpenAPI description say the same)."""


def detect_scenes(path: Path, settings: Settings, progress: ProgressHook) -> SceneResult:
    """The shots of ``path`` (one full-rate decoding pass).

    Raises:
        VideoUnreadable: no video stream, or nothing decodes.
        MediaRejected: longer than ``reframe.scenes.max_duration_seconds``.
    """
    return SCENES.get(settings.reframe.scenes).detect(path, progress)


def track_faces(
    path: Path, settings: Settings, scenes: SceneResult | None, progress: ProgressHook
) -> FaceTrackingResult:
    """The face tracks of ``path``, cut at ``scenes``' boundaries.

    Raises:
        VideoUnreadable, MediaRejected: as :func:`detect_scenes`.
        EngineUnavailable: a face model is missing or altered.
    """
    return FACES.get(settings.reframe.faces).track(path, scenes, progress)


def scene_items(result: SceneResult) -> list[dict[str, Any]]:
    """``SceneDetection`` items, in order."""
    return [
        {"index": s.index, "start": round(s.start, 3), "end": round(s.end, 3)}
        for s in result.scenes
    ]


def face_items(result: FaceTrackingResult, threshold: float) -> list[dict[str, Any]]:
    """``FaceDetection`` items: one per person with a track at or above ``threshold``."""
    people: dict[int, list[FaceTrack]] = {}
    for track in result.tracks:
        if track.mean_score >= threshold:
            people.setdefault(track.face_id, []).append(track)
    ordered = sorted(people.values(), key=lambda tracks: min(t.first_seen for t in tracks))
    items = []
    for number, tracks in enumerate(ordered, start=1):
        tracks.sort(key=lambda t: t.first_seen)
        item: dict[str, Any] = {"track_id": number}
        vector = fingerprint([t.embedding for t in tracks if t.embedding])
        if vector is not None:
            item["fingerprint"] = vector
        item["instances"] = [
            {
                "start": round(t.first_seen, 3),
                "end": round(_end(t, result.sample_fps, result.duration), 3),
                "confidence": round(t.mean_score, 4),
            }
            for t in tracks
        ]
        items.append(item)
    return items


def _end(track: FaceTrack, sample_fps: float, duration: float) -> float:
    """A track is visible until the next sample after its last sighting (within the video)."""
    step = 1.0 / sample_fps if sample_fps > 0 else 0.0
    end = track.last_seen + step
    return min(end, duration) if duration > 0 else end


def fingerprint(embeddings: Sequence[Sequence[float]]) -> str | None:
    """The base64 fingerprint of one person from their tracks' mean embeddings (see
    :data:`FINGERPRINT_ENCODING`), or None when no track was embedded."""
    import numpy as np

    vectors = [np.asarray(e, dtype=np.float64) for e in embeddings if len(e) == DIMENSIONS]
    units = [v / n for v in vectors if (n := float(np.linalg.norm(v))) > 0]
    if not units:
        return None
    mean = np.mean(units, axis=0)
    norm = float(np.linalg.norm(mean))
    if norm == 0:
        return None
    return encode_fingerprint([float(x) for x in mean / norm])
