"""Coaching face metrics from a sequence of samples (ours or a client's ``mediapipeSamples``).

:func:`face_metrics` applies the per-sample rules (:mod:`.gaze`, :mod:`.blinks`,
:mod:`.expression`, :mod:`.framing`) to the primary (largest) face of each sample, then
aggregates. Ratios are weighted by time: each sample stands for the time until the next one
(capped at ``max_gap_seconds``; the last sample gets the median interval), so irregular
client sampling does not skew them. Ratios about the face (eye contact, smile, expression,
framing) are over the time a face is visible; ``face_presence_ratio`` is over all the time.

Windows (``window_seconds`` long, from 0) repeat the same measurements for the time series;
moments are stretches where eye contact was lost for at least ``look_away_moment_seconds``
(``looked_away``) or no face was seen for at least ``face_missing_moment_seconds``
(``face_missing``).
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vidlens.engines.face.blinks import (
    DENSE_RATE,
    Blink,
    blink_score,
    eyes_closed_flags,
    find_blinks,
)
from vidlens.engines.face.errors import InvalidFaceSamples
from vidlens.engines.face.expression import METHOD, classify_expression
from vidlens.engines.face.framing import ISSUES, framing_issues
from vidlens.engines.face.gaze import eye_contact
from vidlens.engines.face.settings import FaceMetricSettings
from vidlens.engines.face.types import (
    BlinkStats,
    FaceMetrics,
    FaceMoment,
    FaceObservation,
    FaceSample,
    FaceWindow,
    FramingStats,
    HeadPoseStats,
    SampleAssessment,
)


@dataclass(frozen=True, slots=True)
class _Row:
    """Everything the aggregations need about one sample."""

    time: float
    weight: float
    face: FaceObservation | None
    assessment: SampleAssessment
    smile: float | None
    blink: float | None


def face_metrics(
    samples: Sequence[FaceSample],
    settings: FaceMetricSettings | None = None,
    *,
    source: str = "client",
) -> FaceMetrics:
    """Coaching metrics of time-ordered samples.

    Arguments:
        samples: strictly increasing timestamps; the largest face of each sample is used.
        settings: thresholds of the rules (defaults documented in docs/face.md).
        source: ``video`` or ``client``, echoed in the result.

    Raises:
        InvalidFaceSamples: timestamps not finite, negative or not strictly increasing.
    """
    settings = settings or FaceMetricSettings()
    times = [s.timestamp for s in samples]
    for i, time in enumerate(times):
        if not math.isfinite(time) or time < 0 or (i and time <= times[i - 1]):
            raise InvalidFaceSamples(
                f"sample {i}: timestamps must be finite, >= 0 and strictly increasing",
                field=f"samples[{i}].timestamp",
            )
    rows = _rows(samples, settings)
    unavailable: dict[str, str] = {}
    if not rows:
        unavailable["all"] = "no samples"
    elif not any(r.face for r in rows):
        unavailable["face"] = "no face was found in any sample"
    if not settings.expressions:
        unavailable["expression"] = "expression reading is switched off by the settings"
    intervals = [b - a for a, b in itertools.pairwise(times)]
    rate = 1.0 / statistics.median(intervals) if intervals else None
    blinks = find_blinks(times, [r.blink for r in rows], settings)
    overall = _summarise(rows, blinks, settings, rate, unavailable)
    face_rows = [r for r in rows if r.face]
    span = sum(r.weight for r in rows)
    return FaceMetrics(
        source=source,
        sample_count=len(rows),
        samples_with_face=len(face_rows),
        duration_seconds=(times[-1] - times[0] + rows[-1].weight) if rows else 0.0,
        sample_rate=rate,
        face_presence_ratio=_ratio(rows, lambda r: r.face is not None) if rows else None,
        eye_contact_ratio=overall.eye_contact,
        head_pose=_head_pose(face_rows, settings, unavailable),
        smile_ratio=overall.smile_ratio,
        mean_smile=overall.mean_smile,
        blinks=overall.blinks,
        expression_distribution=overall.expressions,
        dominant_expression=_dominant(overall.expressions),
        expression_method=METHOD,
        framing=_framing(face_rows),
        windows=_windows(rows, blinks, settings, rate) if span > 0 else (),
        moments=_moments(rows, settings),
        timeline=tuple(r.assessment for r in rows),
        unavailable=unavailable,
    )


def _rows(samples: Sequence[FaceSample], settings: FaceMetricSettings) -> list[_Row]:
    times = [s.timestamp for s in samples]
    intervals = [b - a for a, b in itertools.pairwise(times)]
    last = min(statistics.median(intervals), settings.max_gap_seconds) if intervals else 1.0
    weights = [min(d, settings.max_gap_seconds) for d in intervals] + [last] if samples else []
    faces = [s.primary for s in samples]
    blinks = [blink_score(f.blendshapes) if f else None for f in faces]
    closed = eyes_closed_flags(blinks, settings)
    rows: list[_Row] = []
    for sample, weight, face, blink, shut in zip(
        samples, weights, faces, blinks, closed, strict=True
    ):
        if face is None:
            rows.append(
                _Row(
                    sample.timestamp,
                    weight,
                    None,
                    SampleAssessment(sample.timestamp, False),
                    None,
                    None,
                )
            )
            continue
        smile = _smile(face)
        expression = (
            classify_expression(face.blendshapes, settings.expression_threshold)
            if settings.expressions
            else None
        )
        assessment = SampleAssessment(
            timestamp=sample.timestamp,
            face_present=True,
            eye_contact=eye_contact(face, settings, eyes_closed=bool(shut)),
            smiling=None if smile is None else smile >= settings.smile_threshold,
            eyes_closed=shut,
            expression=expression[0] if expression else None,
            expression_confidence=expression[1] if expression else None,
            framing=framing_issues(face.bbox, settings),
        )
        rows.append(_Row(sample.timestamp, weight, face, assessment, smile, blink))
    return rows


def _smile(face: FaceObservation) -> float | None:
    left, right = face.blendshapes.get("mouthSmileLeft"), face.blendshapes.get("mouthSmileRight")
    return None if left is None or right is None else (left + right) / 2


def _ratio(rows: Sequence[_Row], test: Callable[[_Row], bool | None]) -> float | None:
    """Time-weighted share of rows where ``test`` is True, among rows where it is not None."""
    judged = [(r.weight, test(r)) for r in rows]
    total = sum(w for w, v in judged if v is not None)
    if total <= 0:
        return None
    return sum(w for w, v in judged if v) / total


@dataclass(frozen=True, slots=True)
class _Summary:
    eye_contact: float | None
    smile_ratio: float | None
    mean_smile: float | None
    blinks: BlinkStats | None
    expressions: dict[str, float] | None
    movement: float | None
    well_framed: float | None


def _summarise(
    rows: Sequence[_Row],
    blinks: Sequence[Blink],
    settings: FaceMetricSettings,
    rate: float | None,
    unavailable: dict[str, str] | None = None,
) -> _Summary:
    notes: dict[str, str] = unavailable if unavailable is not None else {}
    face_rows = [r for r in rows if r.face]
    eye = _ratio(face_rows, lambda r: r.assessment.eye_contact)
    if eye is None and face_rows:
        notes["eye_contact_ratio"] = "no head pose in the samples (no transformation matrix)"
    smile_rows = [r for r in face_rows if r.smile is not None]
    smile_ratio = _ratio(smile_rows, lambda r: r.assessment.smiling)
    mean_smile = _weighted_mean([(r.weight, r.smile) for r in smile_rows])
    blink_rows = [r for r in face_rows if r.blink is not None]
    blink_stats: BlinkStats | None = None
    if blink_rows:
        seen = sum(r.weight for r in blink_rows)
        durations = [b.end - b.start for b in blinks]
        blink_stats = BlinkStats(
            count=len(blinks),
            rate_per_minute=len(blinks) / seen * 60.0 if seen > 0 else 0.0,
            mean_duration_seconds=statistics.fmean(durations) if durations else None,
            lower_bound=rate is None or rate < DENSE_RATE * 0.99,  # 1 % for rounding
        )
    elif face_rows:
        for name in ("smile_ratio", "blinks", "expression"):
            notes[name] = "the samples carry no blendshapes"
    labelled = [(r.weight, r.assessment.expression) for r in face_rows if r.assessment.expression]
    expressions: dict[str, float] | None = None
    total = sum(w for w, _ in labelled)
    if total > 0:
        shares: dict[str, float] = {}
        for weight, label in labelled:
            shares[label] = shares.get(label, 0.0) + weight
        expressions = {label: shares[label] / total for label in sorted(shares)}
    well_framed = _ratio(face_rows, lambda r: not r.assessment.framing)
    return _Summary(
        eye,
        smile_ratio,
        mean_smile,
        blink_stats,
        expressions,
        _movement(face_rows, settings),
        well_framed,
    )


def _weighted_mean(pairs: Sequence[tuple[float, float | None]]) -> float | None:
    total = sum(w for w, v in pairs if v is not None)
    if total <= 0:
        return None
    return sum(w * v for w, v in pairs if v is not None) / total


def _movement(face_rows: Sequence[_Row], settings: FaceMetricSettings) -> float | None:
    """Mean angular speed of the head in degrees per second (consecutive samples only)."""
    angle = 0.0
    covered = 0.0
    posed = [r for r in face_rows if r.face and r.face.yaw is not None]
    for a, b in itertools.pairwise(posed):
        gap = b.time - a.time
        if gap > settings.max_gap_seconds or a.face is None or b.face is None:
            continue
        deltas = [
            (getattr(b.face, name) or 0.0) - (getattr(a.face, name) or 0.0)
            for name in ("yaw", "pitch", "roll")
        ]
        angle += math.sqrt(sum(d * d for d in deltas))
        covered += gap
    return angle / covered if covered > 0 else None


def _head_pose(
    face_rows: Sequence[_Row], settings: FaceMetricSettings, notes: dict[str, str]
) -> HeadPoseStats | None:
    posed = [r.face for r in face_rows if r.face and r.face.yaw is not None]
    if not posed:
        if face_rows:
            notes["head_pose"] = "no head pose in the samples (no transformation matrix)"
        return None
    yaw = [f.yaw or 0.0 for f in posed]
    pitch = [f.pitch or 0.0 for f in posed]
    roll = [f.roll or 0.0 for f in posed]
    return HeadPoseStats(
        yaw_mean=statistics.fmean(yaw),
        yaw_std=statistics.pstdev(yaw),
        pitch_mean=statistics.fmean(pitch),
        pitch_std=statistics.pstdev(pitch),
        roll_mean=statistics.fmean(roll),
        roll_std=statistics.pstdev(roll),
        movement_deg_per_second=_movement(face_rows, settings),
    )


def _dominant(shares: dict[str, float] | None) -> str | None:
    return max(shares.items(), key=lambda item: item[1])[0] if shares else None


def _framing(face_rows: Sequence[_Row]) -> FramingStats | None:
    if not face_rows:
        return None
    total = sum(r.weight for r in face_rows)
    ratios = {
        issue: sum(r.weight for r in face_rows if issue in r.assessment.framing) / total
        for issue in ISSUES
    }
    well = sum(r.weight for r in face_rows if not r.assessment.framing) / total
    worst = max(ratios.items(), key=lambda item: item[1])
    heights = [(r.weight, r.face.bbox.height) for r in face_rows if r.face]
    xs = [(r.weight, r.face.bbox.centre[0]) for r in face_rows if r.face]
    ys = [(r.weight, r.face.bbox.centre[1]) for r in face_rows if r.face]
    return FramingStats(
        overall="well_framed" if well >= 0.5 or worst[1] == 0 else worst[0],
        well_framed_ratio=well,
        issue_ratios=ratios,
        mean_face_height=_weighted_mean(heights) or 0.0,
        mean_centre=(_weighted_mean(xs) or 0.0, _weighted_mean(ys) or 0.0),
    )


def _windows(
    rows: Sequence[_Row], blinks: Sequence[Blink], settings: FaceMetricSettings, rate: float | None
) -> tuple[FaceWindow, ...]:
    size = settings.window_seconds
    end = rows[-1].time + rows[-1].weight
    count = max(1, math.ceil(end / size - 1e-9))
    windows: list[FaceWindow] = []
    for k in range(count):
        start, stop = k * size, min((k + 1) * size, end)
        inside = [r for r in rows if start <= r.time < stop]
        if not inside:
            continue
        summary = _summarise(inside, [b for b in blinks if start <= b.start < stop], settings, rate)
        blink_stats = summary.blinks
        shares = summary.expressions
        dominant = _dominant(shares)
        windows.append(
            FaceWindow(
                start=start,
                end=stop,
                sample_count=len(inside),
                face_presence_ratio=_ratio(inside, lambda r: r.face is not None) or 0.0,
                eye_contact_ratio=summary.eye_contact,
                smile_ratio=summary.smile_ratio,
                mean_smile=summary.mean_smile,
                head_movement_deg_per_second=summary.movement,
                blink_count=blink_stats.count if blink_stats else None,
                blink_rate_per_minute=blink_stats.rate_per_minute if blink_stats else None,
                dominant_expression=dominant,
                dominant_expression_share=shares[dominant] if shares and dominant else None,
                well_framed_ratio=summary.well_framed,
            )
        )
    return tuple(windows)


def _runs(rows: Sequence[_Row], test: Callable[[_Row], bool]) -> list[tuple[float, float]]:
    """``(start, end)`` of maximal runs of consecutive rows passing ``test``."""
    runs: list[tuple[float, float]] = []
    start: float | None = None
    for i, row in enumerate(rows):
        if test(row):
            if start is None:
                start = row.time
            if i == len(rows) - 1 or not test(rows[i + 1]):
                runs.append((start, row.time + row.weight))
                start = None
    return runs


def _moments(rows: Sequence[_Row], settings: FaceMetricSettings) -> tuple[FaceMoment, ...]:
    moments: list[FaceMoment] = []
    for start, end in _runs(rows, lambda r: r.assessment.eye_contact is False):
        if end - start >= settings.look_away_moment_seconds:
            moments.append(
                FaceMoment(
                    start, end, "looked_away", "looked away",
                    f"no eye contact with the camera for {end - start:.1f} s "
                    f"({_clock(start)}-{_clock(end)})",
                )
            )  # fmt: skip
    for start, end in _runs(rows, lambda r: r.face is None):
        if end - start >= settings.face_missing_moment_seconds:
            moments.append(
                FaceMoment(
                    start, end, "face_missing", "face left the frame",
                    f"no face visible for {end - start:.1f} s ({_clock(start)}-{_clock(end)})",
                )
            )  # fmt: skip
    return tuple(sorted(moments, key=lambda m: m.start))


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60.0)
    return f"{int(minutes)}:{rest:04.1f}"
