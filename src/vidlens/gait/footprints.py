"""Stances found as footprints: places where a foot stays on the ground (static camera).

MediaPipe's left/right labels are not trusted here: seen from the side the two legs look
alike and the labels often swap for a few frames when the legs cross. So a footprint is found
from either label:

1. **Seeds**: frames where a label's slower foot point (heel or toe) moves less than
   :data:`STATION_SPEED` leg lengths per second (see :mod:`~vidlens.gait.kinematics`).
2. **Groups**: seeds whose heels lie within ``2 x tolerance`` of the group's median heel, at
   most 2 frames after the group's last seed, form one group (tolerance :data:`TOLERANCE` of
   the leg length, measured along the view's axis).
3. **Merge**: groups at the same place (heels within ``2 x tolerance``) that follow within
   0.4 s, or that overlap in time by half the shorter one and lie within ``3 x tolerance``,
   are one footprint (a label swap splits one stance into several groups).
4. **Extent**: the footprint's first frame (initial contact) goes back, and its last frame
   (toe-off) forward, over every frame where some label's heel is within the tolerance of the
   footprint's heel or some label's toe within the tolerance of its toe.
5. Footprints lasting less than :data:`MIN_STANCE_SECONDS` are dropped, and so are those
   inside another footprint's time span and less than half as long (a label glitch: while one
   foot stays planted, the other cannot land and leave).
6. **Feet**: footprints alternate between the feet; each run of footprints without a long
   gap takes the parity that agrees best with MediaPipe's labels on the seeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from vidlens.engines.pose.types import FloatArray
from vidlens.gait.kinematics import FEET, Foot, Kinematics

STATION_SPEED = 0.5
"""A foot point slower than this (leg lengths per second) may be on the ground."""
TOLERANCE = 0.06
"""A foot is on its footprint while heel or toe is within this share of the leg length."""
MIN_STANCE_SECONDS = 0.06
"""Shortest footprint kept, in seconds."""
MERGE_SECONDS = 0.4
"""Groups at one place up to this far apart in time are one footprint."""


@dataclass
class _Group:
    frames: list[int] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    heels: list[FloatArray] = field(default_factory=list)
    toes: list[FloatArray] = field(default_factory=list)

    @property
    def start(self) -> int:
        return min(self.frames)

    @property
    def end(self) -> int:
        return max(self.frames)

    def heel(self) -> FloatArray:
        return np.asarray(np.median(np.asarray(self.heels), axis=0), dtype=np.float64)

    def toe(self) -> FloatArray:
        toes = np.asarray(self.toes)
        if not np.isfinite(toes).any():
            return np.full(2, np.nan)
        return np.asarray(np.nanmedian(toes, axis=0), dtype=np.float64)

    def absorb(self, other: _Group) -> None:
        self.frames += other.frames
        self.labels += other.labels
        self.heels += other.heels
        self.toes += other.toes


@dataclass(frozen=True)
class Footprint:
    """A stance: a place where one foot stays on the ground.

    Attributes:
        start, end: first and last frame on the ground (initial contact, toe-off).
        foot: left or right (from the alternation of footprints and MediaPipe's labels).
        heel: heel position on the ground (x, y) in pixels.
        toe: toe position on the ground (x, y) in pixels (NaN when never seen).
        label_votes: seeds labelled left minus seeds labelled right by MediaPipe.
    """

    start: int
    end: int
    foot: Foot
    heel: tuple[float, float]
    toe: tuple[float, float]
    label_votes: int


def find_footprints(kin: Kinematics, fps: float) -> list[Footprint]:
    """The footprints of a static-camera clip, in time order (see the module docstring)."""
    tolerance = TOLERANCE * kin.leg_px
    groups = _merge(_seed_groups(kin, tolerance), kin, tolerance, fps)
    count = kin.points.shape[0]
    shortest = max(2, round(MIN_STANCE_SECONDS * fps))
    prints: list[tuple[int, int, _Group]] = []
    for group in groups:
        heel, toe = group.heel(), group.toe()
        start, end = group.start, group.end
        while start > 0 and _touches(kin, start - 1, heel, toe, tolerance):
            start -= 1
        while end < count - 1 and _touches(kin, end + 1, heel, toe, tolerance):
            end += 1
        if end - start + 1 >= shortest:
            prints.append((start, end, group))
    return _assign_feet(_drop_contained(sorted(prints, key=lambda item: item[0])), fps)


def _drop_contained(prints: list[tuple[int, int, _Group]]) -> list[tuple[int, int, _Group]]:
    """Without footprints that lie inside another's time span and last less than half of it:
    while one foot stays planted the other cannot land and leave, so such a print is a label
    glitch (both labels on one foot, or the swinging foot passing the planted one)."""
    kept = []
    for a in prints:
        inside = any(
            b is not a and b[0] <= a[0] and a[1] <= b[1] and (a[1] - a[0]) < 0.5 * (b[1] - b[0])
            for b in prints
        )
        if not inside:
            kept.append(a)
    return kept


def _seed_groups(kin: Kinematics, tolerance: float) -> list[_Group]:
    speeds = np.stack([kin.foot_speed[f] for f in FEET], axis=1)
    stationary = np.nan_to_num(speeds, nan=np.inf) < STATION_SPEED
    groups: list[_Group] = []
    for t in range(kin.points.shape[0]):
        for label in (0, 1):
            heel = kin.points[t, label, 0]
            if not stationary[t, label] or not np.isfinite(heel).all():
                continue
            home = next(
                (
                    g
                    for g in groups
                    if t - g.end <= 2 and float(kin.distance(heel, g.heel())) <= 2 * tolerance
                ),
                None,
            )
            if home is None:
                home = _Group()
                groups.append(home)
            home.frames.append(t)
            home.labels.append(label)
            home.heels.append(heel)
            home.toes.append(kin.points[t, label, 1])
    return groups


def _merge(groups: list[_Group], kin: Kinematics, tolerance: float, fps: float) -> list[_Group]:
    merged: list[_Group] = []
    for group in sorted(groups, key=lambda g: g.start):
        target = next((m for m in merged if _same_stance(m, group, kin, tolerance, fps)), None)
        if target is None:
            merged.append(group)
        else:
            target.absorb(group)
    return merged


def _same_stance(a: _Group, b: _Group, kin: Kinematics, tolerance: float, fps: float) -> bool:
    distance = float(kin.distance(a.heel(), b.heel()))
    overlap = min(a.end, b.end) - max(a.start, b.start) + 1
    shorter = min(a.end - a.start, b.end - b.start) + 1
    if overlap > 0 and overlap >= 0.5 * shorter and distance <= 3 * tolerance:
        return True
    follows = b.start <= a.end + MERGE_SECONDS * fps and a.start <= b.end + MERGE_SECONDS * fps
    return follows and distance <= 3 * tolerance


def _touches(kin: Kinematics, frame: int, heel: FloatArray, toe: FloatArray, tol: float) -> bool:
    """Some label's heel is within ``tol`` of the footprint's heel, or its toe of the toe."""
    for label in (0, 1):
        for point, home in (
            (kin.points[frame, label, 0], heel),
            (kin.points[frame, label, 1], toe),
        ):
            usable = np.isfinite(point).all() and np.isfinite(home).all()
            if usable and float(kin.distance(point, home)) <= tol:
                return True
    return False


def _runs(prints: list[tuple[int, int, _Group]], fps: float) -> list[list[int]]:
    """Indices of the footprints cut into runs of steady steps: a run ends before a gap
    longer than 1.8 x the typical one (a missed stance, the runner out of sight) and where
    the direction of travel reverses (a turn)."""
    starts = np.array([p[0] for p in prints], dtype=np.float64)
    gaps = np.diff(starts)
    typical = float(np.median(gaps)) if gaps.size else fps
    heels = [float(p[2].heel()[0]) for p in prints]
    runs: list[list[int]] = [[0]]
    heading = 0.0
    for i in range(1, len(prints)):
        step = float(np.sign(heels[i] - heels[i - 1]))
        turned = heading != 0 and step != 0 and step != heading
        if gaps[i - 1] > 1.8 * typical or turned:
            runs.append([i])
            heading = 0.0
        else:
            runs[-1].append(i)
            heading = step or heading
    return runs


def _assign_feet(prints: list[tuple[int, int, _Group]], fps: float) -> list[Footprint]:
    """Feet alternate from one footprint to the next; each run (:func:`_runs`) takes the
    parity that agrees best with MediaPipe's labels on the seeds."""
    if not prints:
        return []
    runs = _runs(prints, fps)
    votes = [sum(1 if label == 0 else -1 for label in p[2].labels) for p in prints]
    feet: dict[int, Foot] = {}
    for run in runs:
        score = sum(votes[i] * (1 if k % 2 == 0 else -1) for k, i in enumerate(run))
        first: Foot = "left" if score >= 0 else "right"
        other: Foot = "right" if first == "left" else "left"
        for k, i in enumerate(run):
            feet[i] = first if k % 2 == 0 else other
    footprints = []
    for i, (start, end, group) in enumerate(prints):
        heel, toe = group.heel(), group.toe()
        footprints.append(
            Footprint(
                start=start,
                end=end,
                foot=feet[i],
                heel=(float(heel[0]), float(heel[1])),
                toe=(float(toe[0]), float(toe[1])),
                label_votes=votes[i],
            )
        )
    return footprints
