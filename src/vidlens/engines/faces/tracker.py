"""Tracks with stable ids inside each scene, from per-frame detections.

Each sampled frame's detections are matched to the open tracks greedily, best first: a
pair qualifies when the boxes overlap by at least ``match_iou`` (intersection over union),
or, for a face that moved fast, when its centre moved less than 60 % of the box width and
its size changed less than 2x. Unmatched detections open new tracks; a track unmatched for
more than ``max_gap_seconds`` closes. At a scene boundary every track closes: ids never
cross a cut (re-identification across cuts is done later, by face embeddings). Tracks with
fewer than ``min_track_samples`` detections are dropped as false detections.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from vidlens.engines.faces.settings import FaceTrackingSettings
from vidlens.engines.faces.types import Detection, TrackPoint, iou


@dataclass
class OpenTrack:
    """A track being built: its id, scene and points so far."""

    track_id: int
    scene_index: int
    points: list[TrackPoint] = field(default_factory=list)


def _affinity(track: OpenTrack, detection: Detection, match_iou: float) -> float | None:
    """How well ``detection`` continues ``track`` (higher is better), or None."""
    last = track.points[-1].box
    overlap = iou(last, detection.box)
    if overlap >= match_iou:
        return 1.0 + overlap
    (ax, ay), (bx, by) = last.centre, detection.box.centre
    width = (last.width + detection.box.width) / 2
    ratio = detection.box.area / last.area if last.area > 0 else math.inf
    if math.hypot(ax - bx, ay - by) < 0.6 * width and 0.5 < ratio < 2.0:
        return 1.0 - math.hypot(ax - bx, ay - by) / width
    return None


class SceneTracker:
    """Feeds on one sampled frame at a time (:meth:`update`), in time order."""

    def __init__(self, settings: FaceTrackingSettings | None = None) -> None:
        self.settings = settings or FaceTrackingSettings()
        self._open: list[OpenTrack] = []
        self._closed: list[OpenTrack] = []
        self._next_id = 1
        self._scene = -1

    def update(
        self,
        *,
        time: float,
        frame: int,
        scene_index: int,
        detections: Sequence[Detection],
        mouths: Sequence[float | None] | None = None,
    ) -> list[int]:
        """Add one frame's detections; returns the track id given to each detection."""
        if scene_index != self._scene:
            self._close_all()
            self._scene = scene_index
        self._expire(time)
        pairs = []
        for t, track in enumerate(self._open):
            for d, detection in enumerate(detections):
                affinity = _affinity(track, detection, self.settings.match_iou)
                if affinity is not None:
                    pairs.append((affinity, t, d))
        assigned: dict[int, OpenTrack] = {}
        used: set[int] = set()
        for _, t, d in sorted(pairs, reverse=True):
            if d not in assigned and t not in used:
                assigned[d] = self._open[t]
                used.add(t)
        ids = []
        for d, detection in enumerate(detections):
            found = assigned.get(d)
            if found is None:
                track = OpenTrack(self._next_id, scene_index)
                self._next_id += 1
                self._open.append(track)
            else:
                track = found
            mouth = mouths[d] if mouths is not None else None
            track.points.append(TrackPoint(time, frame, detection.box, detection.score, mouth))
            ids.append(track.track_id)
        return ids

    def _expire(self, time: float) -> None:
        still = []
        for track in self._open:
            if time - track.points[-1].time > self.settings.max_gap_seconds:
                self._closed.append(track)
            else:
                still.append(track)
        self._open = still

    def _close_all(self) -> None:
        self._closed.extend(self._open)
        self._open = []

    def finish(self) -> list[OpenTrack]:
        """Close every track; the kept ones, in order of first appearance."""
        self._close_all()
        kept = [t for t in self._closed if len(t.points) >= self.settings.min_track_samples]
        return sorted(kept, key=lambda t: (t.points[0].time, t.track_id))
