"""Grouping face tracks into people by their embeddings.

Average-linkage agglomerative clustering (UPGMA) on the Euclidean distance between the
tracks' mean embeddings, stopped when the closest two groups are ``threshold`` or more
apart, with one constraint: two tracks on screen at the same time are never the same
person (a group containing one may not merge with a group containing the other). Tracks
without an embedding stay alone. Face ids are numbered 1, 2, ... in order of first
appearance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class TrackSummary:
    """What re-identification needs of a track: its time span and mean embedding."""

    first_seen: float
    last_seen: float
    embedding: tuple[float, ...] | None


def assign_face_ids(tracks: Sequence[TrackSummary], threshold: float) -> list[int]:
    """A face id per track (same id: same person), in the order of ``tracks``."""
    import numpy as np

    n = len(tracks)
    if n == 0:
        return []
    gaps, blocked = _pairwise(tracks)
    members: list[list[int]] = [[i] for i in range(n)]
    alive = np.ones(n, dtype=bool)
    while True:
        candidates = np.where(blocked | ~alive[:, None] | ~alive[None, :], np.inf, gaps)
        flat = int(np.argmin(candidates))
        a, b = divmod(flat, n)
        if not np.isfinite(candidates[a, b]) or candidates[a, b] >= threshold:
            break
        size_a, size_b = len(members[a]), len(members[b])
        gaps[a, :] = (size_a * gaps[a, :] + size_b * gaps[b, :]) / (size_a + size_b)
        gaps[:, a] = gaps[a, :]
        blocked[a, :] |= blocked[b, :]
        blocked[:, a] = blocked[a, :]
        blocked[a, a] = True
        members[a].extend(members[b])
        members[b] = []
        alive[b] = False
    groups = [m for m in members if m]
    groups.sort(key=lambda group: min(tracks[i].first_seen for i in group))
    ids = [0] * n
    for number, group in enumerate(groups, start=1):
        for i in group:
            ids[i] = number
    return ids


def _pairwise(
    tracks: Sequence[TrackSummary],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Distances between tracks' embeddings, and which pairs may never merge."""
    import numpy as np

    n = len(tracks)
    vectors = np.zeros((n, 128), dtype=np.float64)
    missing = np.zeros(n, dtype=bool)
    for i, track in enumerate(tracks):
        if track.embedding is None:
            missing[i] = True
        else:
            vectors[i, : len(track.embedding)] = track.embedding
    diff = vectors[:, None, :] - vectors[None, :, :]
    gaps = np.sqrt((diff**2).sum(axis=2))
    first = np.array([t.first_seen for t in tracks])
    last = np.array([t.last_seen for t in tracks])
    overlap = (first[:, None] <= last[None, :]) & (first[None, :] <= last[:, None])
    blocked = overlap | missing[:, None] | missing[None, :]
    np.fill_diagonal(blocked, True)
    return gaps, blocked
