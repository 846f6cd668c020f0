"""The shot-boundary algorithm, on per-frame features (no decoding here).

Inputs, one value per frame ``i`` (0-based):

* ``changes[i]``: mean absolute difference between frame ``i - 1`` and frame ``i`` over the
  Y, U and V planes of the small analysis frames, averaged (0-255; ``changes[0] = 0``);
* ``luma[i]``: mean full-range luma of frame ``i`` (0-255);
* ``skips[i]`` (optional): the same difference between frames ``i - 2`` and ``i``.

**Hard cuts.** Frame ``i`` starts a new shot when ``changes[i] >= cut_threshold`` and
``changes[i] >= cut_ratio x`` the mean change of the ``window_frames`` frames on each side
(the adaptive rule of PySceneDetect's AdaptiveDetector: camera motion raises the neighbours as
well, a cut stands alone). A flash (two large changes in a row) fails the ratio on both
frames and is not a cut.

**Fades through black.** A run of dark frames (``luma < dark_threshold``) with picture on
both sides is one transition; its boundary is the middle frame of the run, as
PySceneDetect's ThresholdDetector places it. When a hard cut already opens or closes the run
(a cut to black, then a fade in), the cut is the boundary and the run adds none. Dark runs
at the very start or end of the video are not boundaries (there is no shot on one side).

**Minimum length.** Boundaries closer than ``min_scene_seconds`` (and boundaries that close
to the start) are one event; the strongest (cuts before fades) is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from vidlens.engines.scenes.settings import SceneSettings
from vidlens.engines.scenes.types import Boundary


def find_cuts(
    changes: Sequence[float], settings: SceneSettings, skips: Sequence[float] | None = None
) -> list[Boundary]:
    """Hard-cut candidates (before the minimum-length rule)."""
    cuts: list[Boundary] = []
    n, w = len(changes), settings.window_frames
    for i in range(1, n):
        change = changes[i]
        if change < settings.cut_threshold or _flash(i, skips, settings.cut_threshold):
            continue
        neighbours = [changes[j] for j in range(max(1, i - w), min(n, i + w + 1)) if j != i]
        baseline = sum(neighbours) / len(neighbours) if neighbours else 0.0
        if change >= settings.cut_ratio * max(baseline, 1e-6):
            cuts.append(Boundary(frame=i, kind="cut", score=float(change), span=(i, i)))
    return cuts


def _flash(i: int, skips: Sequence[float] | None, threshold: float) -> bool:
    """Whether the change into frame ``i`` is undone one frame later, or undoes the change
    of the frame before (a one-frame event)."""
    if skips is None:
        return False
    after = skips[i + 1] if i + 1 < len(skips) else None
    before = skips[i] if i >= 2 else None
    return (after is not None and after < threshold) or (before is not None and before < threshold)


def dark_runs(luma: Sequence[float], threshold: float) -> list[tuple[int, int]]:
    """Maximal runs ``(first, last)`` of frames darker than ``threshold``."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, value in enumerate(luma):
        if value < threshold and start is None:
            start = i
        elif value >= threshold and start is not None:
            runs.append((start, i - 1))
            start = None
    if start is not None:
        runs.append((start, len(luma) - 1))
    return runs


def find_fades(
    luma: Sequence[float], cuts: Sequence[Boundary], settings: SceneSettings
) -> list[Boundary]:
    """One boundary per dark run between two shots that no cut already opens or closes."""
    cut_frames = {cut.frame for cut in cuts}
    fades: list[Boundary] = []
    for first, last in dark_runs(luma, settings.dark_threshold):
        if first == 0 or last == len(luma) - 1:
            continue
        near = range(first - 1, last + 3)
        if any(frame in cut_frames for frame in near):
            continue
        middle = first + (last - first + 1) // 2
        depth = settings.dark_threshold - min(luma[first : last + 1])
        fades.append(Boundary(frame=middle, kind="fade", score=float(depth), span=(first, last)))
    return fades


def enforce_min_length(boundaries: Sequence[Boundary], min_frames: int) -> list[Boundary]:
    """Keep the strongest of boundaries closer than ``min_frames`` (to each other or to
    frame 0); cuts rank before fades, then by score."""
    ranked = sorted(boundaries, key=lambda b: (b.kind != "cut", -b.score, b.frame))
    kept: list[Boundary] = []
    for boundary in ranked:
        if boundary.frame < min_frames:
            continue
        if all(abs(boundary.frame - other.frame) >= min_frames for other in kept):
            kept.append(boundary)
    return sorted(kept, key=lambda b: b.frame)


def find_boundaries(
    changes: Sequence[float],
    luma: Sequence[float],
    fps: float,
    settings: SceneSettings,
    skips: Sequence[float] | None = None,
) -> list[Boundary]:
    """Every shot boundary of a video, in frame order.

    Arguments:
        changes: per-frame change scores (see the module docstring).
        luma: per-frame mean full-range luma.
        skips: per-frame two-frame change scores (flash test); None skips the test.
        fps: frames per second (turns ``min_scene_seconds`` into frames).
        settings: thresholds.

    Raises:
        ValueError: ``changes`` and ``luma`` differ in length.
    """
    if len(changes) != len(luma) or (skips is not None and len(skips) != len(changes)):
        raise ValueError("changes, luma and skips must have one value per frame")
    cuts = find_cuts(changes, settings, skips)
    fades = find_fades(luma, cuts, settings)
    min_frames = max(1, round(settings.min_scene_seconds * fps))
    return enforce_min_length([*cuts, *fades], min_frames)
