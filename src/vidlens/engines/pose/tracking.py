"""People across frames: poses of one frame joined to tracks, and the subject chosen.

MediaPipe returns up to ``max_poses`` people per frame with no identity. Each detected pose is
appended to the live track whose torso centre (mean of shoulders and hips) is nearest, when
that distance is within :func:`gate` (60 % of the torso length, at least 4 % of the frame)
and its torso length is within :data:`SIZE_RATIO` of the track's; a pose with no track near
enough starts a new one. A track is live while its last pose is at
most :data:`MAX_TRACK_GAP` frames old.

MediaPipe sometimes returns one person twice on a frame (two poses whose torso centres are
within :data:`DUPLICATE_SHARE` of the torso length): the less visible copy is dropped. A track
still breaks now and then (a missed frame followed by a jump, or a new piece of the clip);
:func:`chain_tracks` joins a track to one that starts where and soon after it ends.

The subject is the chained track that crosses its legs most often (see
:meth:`PersonTrack.leg_motion`): a walker or runner scissors the legs at every step; a
bystander, a spectator or a person exercising on the spot does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vidlens.engines.pose.types import INDEX, FloatArray

Pose = tuple[FloatArray, FloatArray, FloatArray]
"""(image (33, 3), world (33, 3), visibility (33,)) of one detected person."""

TORSO = [INDEX[n] for n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip")]
MAX_TRACK_GAP = 15
"""Frames a track may go unseen and still be continued."""
MIN_TRACK_FRAMES = 3
"""Tracks seen on fewer frames are ignored (flickering false detections)."""
CROSSING_PROMINENCE = 0.25
"""Least rise (in leg lengths) of the ankle distance on both sides of a leg crossing."""
SIZE_RATIO = 1.6
"""A pose continues a track only if its torso length is within this ratio of the track's (a
misplaced skeleton on a half-hidden person is much smaller or larger)."""
DUPLICATE_SHARE = 0.3
"""Two poses of one frame closer than this share of the torso length are one person."""


@dataclass
class PersonTrack:
    """One person's poses on the frames where they were detected (frame indices ascending)."""

    frames: list[int] = field(default_factory=list)
    image: list[FloatArray] = field(default_factory=list)
    world: list[FloatArray] = field(default_factory=list)
    visibility: list[FloatArray] = field(default_factory=list)
    lengths: list[float] = field(default_factory=list)
    """Torso length of each pose (:func:`torso_length`), kept as poses are added."""

    def torso(self) -> float:
        """Median torso length of the last 10 poses (normalised image units)."""
        return float(np.median(self.lengths[-10:]))

    def accepts(self, pose: Pose, slack: float = 1.0) -> float | None:
        """Distance from the last torso centre to ``pose``'s, when ``pose`` can continue this
        track: within the gate (x ``slack``) and with a torso length within
        :data:`SIZE_RATIO` of the track's recent median; else None."""
        size, own = torso_length(pose[0]), self.torso()
        if own > 0 and not (1 / SIZE_RATIO <= size / own <= SIZE_RATIO):
            return None
        distance = float(np.linalg.norm(pose[0][TORSO, :2].mean(axis=0) - self.centre()))
        return distance if distance <= gate(self.image[-1]) * slack else None

    def centre(self, position: int = -1) -> FloatArray:
        """Torso centre (normalised image x, y) of the pose at ``position``."""
        return np.asarray(self.image[position][TORSO, :2].mean(axis=0), dtype=np.float64)

    def append(self, frame: int, pose: Pose) -> None:
        self.frames.append(frame)
        self.image.append(pose[0])
        self.lengths.append(torso_length(pose[0]))
        self.world.append(pose[1])
        self.visibility.append(pose[2])

    def prepend(self, frame: int, pose: Pose) -> None:
        self.frames.insert(0, frame)
        self.image.insert(0, pose[0])
        self.lengths.insert(0, torso_length(pose[0]))
        self.world.insert(0, pose[1])
        self.visibility.insert(0, pose[2])

    def leg_motion(self, aspect: float, fps: float) -> float:
        """How much this person walks or runs: the number of leg crossings (minima of the
        ankle-to-ankle distance, in leg lengths, with a prominence of at least
        :data:`CROSSING_PROMINENCE` and at least 0.2 s apart), plus, as a tie-break, the
        spread of that distance x frames / 1000. ``aspect`` is width / height, so that x and
        y distances compare.

        A walker or runner crosses the legs at every step; a person standing or jumping on
        the spot moves the legs apart and together, but rarely at a steady step rhythm, and a
        distance (not the left-minus-right vector) is immune to flickering left/right labels.
        """
        from scipy.signal import find_peaks  # type: ignore[import-untyped]  # no stubs

        image = np.stack(self.image)
        scale = np.array([aspect, 1.0])
        ankles = (image[:, INDEX["left_ankle"], :2] - image[:, INDEX["right_ankle"], :2]) * scale
        hips = (image[:, INDEX["left_hip"], :2] + image[:, INDEX["right_hip"], :2]) / 2
        feet = (image[:, INDEX["left_ankle"], :2] + image[:, INDEX["right_ankle"], :2]) / 2
        leg = float(np.median(np.linalg.norm((hips - feet) * scale, axis=1))) or 1.0
        distance = np.linalg.norm(ankles, axis=1) / leg
        spread = float(np.std(distance))
        crossings, _ = find_peaks(
            -distance, prominence=CROSSING_PROMINENCE, distance=max(1, round(0.2 * fps))
        )
        return float(len(crossings)) + spread * len(self.frames) / 1000.0


def poses_from_result(result: Any) -> list[Pose]:
    """(image, world, visibility) arrays of each pose of a MediaPipe landmarker result."""
    poses = []
    for lms, wlms in zip(result.pose_landmarks, result.pose_world_landmarks, strict=False):
        image = np.array([(p.x, p.y, p.z) for p in lms], dtype=np.float64)
        world = np.array([(p.x, p.y, p.z) for p in wlms], dtype=np.float64)
        vis = np.array([p.visibility or 0.0 for p in lms], dtype=np.float64)
        if image.shape == (33, 3) and world.shape == (33, 3) and np.isfinite(image).all():
            poses.append((image, world, vis))
    return poses


def gate(image: FloatArray) -> float:
    """Largest torso-centre jump between frames still taken as the same person (normalised
    image units): 60 % of the shoulder-to-hip length, at least 0.04."""
    shoulders = image[TORSO[:2], :2].mean(axis=0)
    hips = image[TORSO[2:], :2].mean(axis=0)
    return max(0.04, 0.6 * float(np.linalg.norm(shoulders - hips)))


def torso_length(image: FloatArray) -> float:
    """Shoulder-centre to hip-centre distance (normalised image units)."""
    shoulders = image[TORSO[:2], :2].mean(axis=0)
    hips = image[TORSO[2:], :2].mean(axis=0)
    return float(np.linalg.norm(shoulders - hips))


def drop_duplicates(poses: list[Pose]) -> list[Pose]:
    """The poses of one frame without second copies of one person (the more visible kept)."""
    ordered = sorted(poses, key=lambda p: -float(p[2].sum()))
    kept: list[Pose] = []
    for pose in ordered:
        centre = pose[0][TORSO, :2].mean(axis=0)
        size = torso_length(pose[0])
        if all(
            float(np.linalg.norm(centre - other[0][TORSO, :2].mean(axis=0)))
            > DUPLICATE_SHARE * max(size, torso_length(other[0]))
            for other in kept
        ):
            kept.append(pose)
    return kept


def associate(tracks: list[PersonTrack], index: int, poses: list[Pose]) -> None:
    """Append each pose of frame ``index`` to the nearest live track, or start a new track.

    Duplicates are dropped first (:func:`drop_duplicates`); then greedy matching by
    increasing distance: each track takes at most one pose per frame.
    """
    poses = drop_duplicates(poses)
    live = [t for t in tracks if index - t.frames[-1] <= MAX_TRACK_GAP]
    pairs = []
    for p, pose in enumerate(poses):
        for t, track in enumerate(live):
            distance = track.accepts(pose)
            if distance is not None:
                pairs.append((distance, p, t))
    used_poses: set[int] = set()
    used_tracks: set[int] = set()
    for _, p, t in sorted(pairs):
        if p in used_poses or t in used_tracks:
            continue
        used_poses.add(p)
        used_tracks.add(t)
        live[t].append(index, poses[p])
    for p, pose in enumerate(poses):
        if p not in used_poses:
            track = PersonTrack()
            track.append(index, pose)
            tracks.append(track)


def chain_tracks(tracks: list[PersonTrack]) -> list[PersonTrack]:
    """Tracks joined end to start: a track is continued by the nearest one that starts at
    most :data:`MAX_TRACK_GAP` frames after it ends (or overlaps its last 5 frames) with its
    first torso centre within the gate (widened by 10 % per frame of gap) of the last one.
    Frames of the continuation that overlap the first track are dropped."""
    pending = sorted(
        (t for t in tracks if len(t.frames) >= MIN_TRACK_FRAMES), key=lambda t: t.frames[0]
    )
    chains: list[PersonTrack] = []
    while pending:
        chain = pending.pop(0)
        while (follower := _follower(chain, pending)) is not None:
            pending.remove(follower)
            _extend(chain, follower)
        chains.append(chain)
    return chains


def _follower(chain: PersonTrack, pending: list[PersonTrack]) -> PersonTrack | None:
    end = chain.frames[-1]
    best: tuple[float, PersonTrack] | None = None
    for track in pending:
        gap = track.frames[0] - end
        if not -5 < gap <= MAX_TRACK_GAP or track.frames[-1] <= end:
            continue
        first = (track.image[0], track.world[0], track.visibility[0])
        distance = chain.accepts(first, slack=1 + 0.1 * max(gap, 0))
        if distance is not None and (best is None or distance < best[0]):
            best = (distance, track)
    return None if best is None else best[1]


def _extend(chain: PersonTrack, follower: PersonTrack) -> None:
    end = chain.frames[-1]
    for i, frame in enumerate(follower.frames):
        if frame > end:
            chain.append(frame, (follower.image[i], follower.world[i], follower.visibility[i]))


def choose_subject(tracks: list[PersonTrack], aspect: float, fps: float) -> PersonTrack | None:
    """The chained track (:func:`chain_tracks`) with the most leg motion among those seen on
    :data:`MIN_TRACK_FRAMES` frames or more, or None when there is none."""
    candidates = chain_tracks(tracks)
    if not candidates:
        return None
    return max(candidates, key=lambda t: t.leg_motion(aspect, fps))


def people_per_frame(tracks: list[PersonTrack], count: int) -> np.ndarray:
    """How many tracked people each of ``count`` frames shows (tracks of any length)."""
    people = np.zeros(count, dtype=np.int64)
    for track in tracks:
        for frame in track.frames:
            if frame < count:
                people[frame] += 1
    return people
