"""The crop path: per scene, whom to follow (:mod:`.targets`) and how the crop moves.

Only one axis of the crop is ever free: the crop is the largest window of the target aspect
inside the frame, so it spans the full height (a landscape source made portrait: it moves
left-right) or the full width (a portrait source made square: it moves up-down).

For each stretch that follows one face:

* **still** when one crop position keeps the face at least ``margin_ratio`` of the crop
  inside both edges at every sample (the position closest to centring the face's mean
  position among those that do): a speaker who barely moves gets a locked-off shot;
* **pan** otherwise: the face-centring positions smoothed with a Gaussian of
  ``pan_smoothing_seconds``, then clamped so the face stays inside the crop at every sample.

Between stretches of one scene the camera cuts (the speaker changed); scenes without a face
are blur-padded (``auto``) or centre-cropped (``center``); ``blur_pad`` never crops.
Along the vertical axis the face is placed at 40 % of the crop's height (headroom).
"""

from __future__ import annotations

from collections.abc import Sequence

from vidlens.engines.active_speaker.types import ActiveSpeakerResult
from vidlens.engines.faces.types import FaceTrackingResult
from vidlens.engines.reframe.aspect import Aspect, crop_size, output_size
from vidlens.engines.reframe.settings import ReframeMode, ReframeSettings
from vidlens.engines.reframe.targets import Directive, Run, Sample, follow_runs
from vidlens.engines.reframe.types import CameraShot, CropPlan, Keyframe
from vidlens.engines.scenes.types import Scene, SceneResult

_VERTICAL_PLACEMENT = 0.4


def scene_samples(
    scenes: SceneResult, faces: FaceTrackingResult, speakers: ActiveSpeakerResult | None
) -> list[list[Sample]]:
    """The sampled frames with at least one face, grouped by scene."""
    boxes: dict[int, dict[int, object]] = {}
    times: dict[int, float] = {}
    for track in faces.tracks:
        for point in track.points:
            boxes.setdefault(point.frame, {})[track.face_id] = point.box
            times[point.frame] = point.time
    scores: dict[int, dict[int, float]] = {}
    if speakers is not None:
        for person in speakers.tracks:
            for score in person.scores:
                scores.setdefault(score.frame_number, {})[person.face_id] = score.score
    grouped: list[list[Sample]] = [[] for _ in scenes.scenes]
    for frame in sorted(boxes):
        scene = scenes.scene_at(frame)
        grouped[scene.index].append(
            Sample(frame, times[frame], dict(boxes[frame]), scores.get(frame, {}))  # type: ignore[arg-type]
        )
    return grouped


def plan_camera(
    *,
    scenes: SceneResult,
    faces: FaceTrackingResult,
    speakers: ActiveSpeakerResult | None,
    aspect: Aspect,
    settings: ReframeSettings,
    mode: ReframeMode | None = None,
    output_height: int | None = None,
    directives: Sequence[Directive] = (),
    threshold: float = 0.5,
) -> CropPlan:
    """The crop plan of a whole video (see the module docstring for the rules)."""
    mode = mode or settings.mode
    width, height = faces.width, faces.height
    crop = crop_size(width, height, aspect)
    out = output_size(crop, aspect, output_height or settings.output_height)
    notes = _notes(width, height, crop, faces, speakers)
    shots: list[CameraShot] = []
    for scene, samples in zip(scenes.scenes, scene_samples(scenes, faces, speakers), strict=True):
        if mode == "blur_pad" or not samples:
            kind = "center" if mode == "center" else "blur_pad"
            shots.append(_fixed(scene, kind, width, height, crop))
            continue
        runs = follow_runs(
            samples,
            threshold=threshold,
            switch_seconds=settings.switch_seconds,
            lost_seconds=settings.lost_seconds,
            directives=directives,
        )
        shots.extend(_follow(scene, samples, runs, width, height, crop, settings, scenes.fps))
    return CropPlan(
        source_width=width,
        source_height=height,
        fps=scenes.fps,
        frame_count=scenes.frame_count,
        crop_width=crop[0],
        crop_height=crop[1],
        output_width=out[0],
        output_height=out[1],
        aspect=str(aspect),
        mode=mode,
        shots=tuple(shots),
        notes=tuple(notes),
    )


def _notes(
    width: int,
    height: int,
    crop: tuple[int, int],
    faces: FaceTrackingResult,
    speakers: ActiveSpeakerResult | None,
) -> list[str]:
    notes = []
    if crop[0] >= width - 2 and crop[1] >= height - 2:
        notes.append("The video is already at the requested aspect ratio: nothing is cropped.")
    if not faces.tracks:
        notes.append("No face was found: every scene is blur-padded or centre-cropped.")
    if speakers is not None and speakers.note:
        notes.append(speakers.note)
    return notes


def _fixed(scene: Scene, kind: str, width: int, height: int, crop: tuple[int, int]) -> CameraShot:
    keyframes: tuple[Keyframe, ...] = ()
    if kind == "center":
        keyframes = (Keyframe(scene.start_frame, (width - crop[0]) / 2, (height - crop[1]) / 2),)
    return CameraShot(scene.start_frame, scene.end_frame, scene.index, kind, None, keyframes)  # type: ignore[arg-type]


def _follow(
    scene: Scene,
    samples: Sequence[Sample],
    runs: Sequence[Run],
    width: int,
    height: int,
    crop: tuple[int, int],
    settings: ReframeSettings,
    fps: float,
) -> list[CameraShot]:
    shots = []
    for k, run in enumerate(runs):
        start = scene.start_frame if k == 0 else samples[run.first].frame
        end = samples[runs[k + 1].first].frame if k + 1 < len(runs) else scene.end_frame
        own = [s for s in samples[run.first : run.last + 1] if run.face_id in s.boxes]
        if not own:
            own = [next(s for s in samples if run.face_id in s.boxes)]
        shots.append(
            _path(scene.index, start, end, run.face_id, own, width, height, crop, settings)
        )
    return shots


def _path(
    scene_index: int,
    start: int,
    end: int,
    face_id: int,
    samples: Sequence[Sample],
    width: int,
    height: int,
    crop: tuple[int, int],
    settings: ReframeSettings,
) -> CameraShot:
    xs = _axis(
        [(s.boxes[face_id].x, s.boxes[face_id].width) for s in samples],
        width, crop[0], 0.5, settings, samples,
    )  # fmt: skip
    ys = _axis(
        [(s.boxes[face_id].y, s.boxes[face_id].height) for s in samples],
        height, crop[1], _VERTICAL_PLACEMENT, settings, samples,
    )  # fmt: skip
    if len(set(xs)) == 1 and len(set(ys)) == 1:
        return CameraShot(
            start, end, scene_index, "still", face_id, (Keyframe(start, xs[0], ys[0]),)
        )
    keyframes = [Keyframe(start, xs[0], ys[0])]
    keyframes += [
        Keyframe(s.frame, x, y)
        for s, x, y in zip(samples, xs, ys, strict=True)
        if start < s.frame < end
    ]
    return CameraShot(start, end, scene_index, "pan", face_id, tuple(keyframes))


def _axis(
    spans: list[tuple[float, float]],
    size: int,
    crop: int,
    placement: float,
    settings: ReframeSettings,
    samples: Sequence[Sample],
) -> list[float]:
    """Crop offsets along one axis for normalised face spans ``(start, length)``."""
    room = size - crop
    if room <= 1:
        return [room / 2] * len(spans)
    starts = [a * size for a, _ in spans]
    ends = [(a + b) * size for a, b in spans]
    wanted = [(s + e) / 2 - placement * crop for s, e in zip(starts, ends, strict=True)]
    margin = settings.margin_ratio * crop
    low = max(0.0, max(ends) + margin - crop)
    high = min(float(room), min(starts) - margin)
    if low <= high:
        mean = sum(wanted) / len(wanted)
        return [min(max(mean, low), high)] * len(spans)
    smoothed = _smooth(wanted, [s.time for s in samples], settings.pan_smoothing_seconds)
    result = []
    for value, s, e in zip(smoothed, starts, ends, strict=True):
        inside_low, inside_high = max(0.0, e - crop), min(float(room), s)
        if inside_low <= inside_high:
            value = min(max(value, inside_low), inside_high)
        result.append(min(max(value, 0.0), float(room)))
    return result


def _smooth(values: list[float], times: list[float], sigma: float) -> list[float]:
    """Gaussian smoothing in time (irregular samples allowed; weights beyond 3 sigma are
    dropped, so the cost stays linear in the number of samples)."""
    import numpy as np

    t = np.asarray(times, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    lows = np.searchsorted(t, t - 3 * sigma, side="left")
    highs = np.searchsorted(t, t + 3 * sigma, side="right")
    smoothed = []
    for centre, low, high in zip(t, lows, highs, strict=True):
        weights = np.exp(-0.5 * ((t[low:high] - centre) / sigma) ** 2)
        smoothed.append(float((weights * v[low:high]).sum() / weights.sum()))
    return smoothed
