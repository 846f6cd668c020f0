"""``labeled_moments`` and ``key_moments``: where something notable happened, and what.

Every moment is found by a rule on the measurements (thresholds below and in
docs/coaching.md) and described with this video's own times, numbers and words.
``labeled_moments`` lists them all (time order, at most :data:`MAX_MOMENTS`);
``key_moments`` keeps the :data:`KEY_MOMENTS` most salient (at least one positive one when
there is any), in time order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vidlens.coaching.face_pass import FacePass
from vidlens.coaching.profiles import ContextProfile
from vidlens.coaching.speech_pass import SpeechPass
from vidlens.coaching.text import clock, quote_before, quote_between, shorten
from vidlens.coaching.timeseries import WindowScores
from vidlens.engines.delivery.types import DeliveryReport, Hit

CLUSTER_GAP_SECONDS = 8.0
"""Fillers at most this far apart belong to one cluster."""
CLUSTER_MIN_FILLERS = 3
SMILE_MIN_SECONDS = 1.5
RUSHED_MARGIN_WPM = 30.0
MONOTONE_SEMITONES = 1.7
STRONG_SCORE = 7.0
MAX_MOMENTS = 300
KEY_MOMENTS = 8
PER_KIND = 2


@dataclass(frozen=True, slots=True)
class Moment:
    start: float
    end: float
    kind: str
    label: str
    polarity: str
    """``positive``, ``negative`` or ``neutral``."""
    description: str
    source: str
    salience: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "time": round(self.start, 2),
            "end": round(self.end, 2),
            "timestamp": clock(self.start),
            "kind": self.kind,
            "label": self.label,
            "polarity": self.polarity,
            "description": self.description,
            "source": self.source,
        }


def find_moments(
    speech: SpeechPass, face: FacePass, windows: Sequence[WindowScores], profile: ContextProfile
) -> list[Moment]:
    """Every moment of the talk, in time order."""
    found: list[Moment] = []
    report = speech.delivery
    if report is not None and report.words and speech.source != "supplied_untimed":
        found += _filler_clusters(report)
        found += _pauses(report)
        found += _speech_events(report)
    found += _windows(windows, profile)
    found += _face(face, report)
    return sorted(found, key=lambda m: (m.start, m.kind))[:MAX_MOMENTS]


def key_moments(moments: Sequence[Moment]) -> list[Moment]:
    """The most salient moments (at most :data:`PER_KIND` of a kind, one positive kept when
    there is any), in time order."""
    ranked = sorted(moments, key=lambda m: (-m.salience, m.start))
    chosen: list[Moment] = []
    for moment in ranked:
        if sum(1 for c in chosen if c.kind == moment.kind) < PER_KIND:
            chosen.append(moment)
        if len(chosen) == KEY_MOMENTS:
            break
    if chosen and not any(m.polarity == "positive" for m in chosen):
        positive = next((m for m in ranked if m.polarity == "positive"), None)
        if positive is not None:
            chosen = [*chosen[: KEY_MOMENTS - 1], positive]
    return sorted(chosen, key=lambda m: m.start)


def _clusters(hits: Sequence[Hit]) -> list[list[Hit]]:
    timed = [h for h in hits if h.start is not None]
    groups: list[list[Hit]] = []
    for hit in timed:
        last = groups[-1][-1] if groups else None
        if last is not None and (hit.start or 0.0) - (last.end or last.start or 0.0) <= (
            CLUSTER_GAP_SECONDS
        ):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    return [g for g in groups if len(g) >= CLUSTER_MIN_FILLERS]


def _filler_clusters(report: DeliveryReport) -> list[Moment]:
    if report.fillers is None:
        return []
    out = []
    for group in _clusters(report.fillers.items):
        start, end = group[0].start or 0.0, group[-1].end or group[-1].start or 0.0
        kinds = sorted({h.kind for h in group})
        out.append(
            Moment(
                start,
                end,
                "filler_cluster",
                "filler cluster",
                "negative",
                f"{len(group)} filler words ({', '.join(kinds)}) in {end - start:.1f} s, "
                f"{clock(start)}-{clock(end)}: “{quote_between(report.words, start, end)}”",
                "speech",
                min(1.0, 0.45 + 0.05 * len(group)),
            )
        )
    return out


def _pauses(report: DeliveryReport) -> list[Moment]:
    if report.pauses is None:
        return []
    out = []
    for pause in report.pauses.items:
        if not pause.long:
            continue
        before = quote_before(report.words, pause.start)
        after = f" after “{before}”" if before else ""
        out.append(
            Moment(
                pause.start,
                pause.end,
                "long_pause",
                "long pause",
                "negative",
                f"{pause.duration_seconds:.1f} s of silence at {clock(pause.start)}{after}",
                "speech",
                min(1.0, 0.35 + 0.1 * pause.duration_seconds),
            )
        )
    return out


def _speech_events(report: DeliveryReport) -> list[Moment]:
    out = []
    if report.monologues is not None:
        for stretch in report.monologues.items:
            out.append(
                Moment(
                    stretch.start,
                    stretch.end,
                    "long_monologue",
                    "long monologue",
                    "negative",
                    f"{stretch.duration_seconds:.0f} s ({stretch.word_count} words) without a "
                    f"pause of {report.monologues.break_seconds:g} s, "
                    f"{clock(stretch.start)}-{clock(stretch.end)}",
                    "speech",
                    0.6,
                )
            )
    if report.disfluencies is not None:
        for fix in report.disfluencies.self_corrections:
            if fix.start is not None:
                out.append(
                    Moment(
                        fix.start,
                        fix.end or fix.start,
                        "self_correction",
                        "self-correction",
                        "neutral",
                        f"restarted a phrase at {clock(fix.start)}: “{fix.text}”",
                        "speech",
                        0.3,
                    )
                )
    if report.sentiment is not None:
        for sentence in report.sentiment.sentences:
            if sentence.start is None or abs(sentence.compound) < 0.6:
                continue
            positive = sentence.compound > 0
            out.append(
                Moment(
                    sentence.start,
                    sentence.end or sentence.start,
                    "positive_statement" if positive else "negative_statement",
                    "positive statement" if positive else "negative statement",
                    "positive" if positive else "neutral",
                    f"{'upbeat' if positive else 'negative'} wording (VADER "
                    f"{sentence.compound:+.2f}) at {clock(sentence.start)}: "
                    f"“{shorten(sentence.text)}”",
                    "speech",
                    0.25,
                )
            )
    return out


def _windows(windows: Sequence[WindowScores], profile: ContextProfile) -> list[Moment]:
    out = []
    for index, window in enumerate(windows):
        pace = window.measurements.get("pace")
        wpm = pace.value if pace is not None else None
        if wpm is not None and wpm > profile.pace_range[1] + RUSHED_MARGIN_WPM:
            out.append(
                Moment(
                    window.start,
                    window.end,
                    "rushed",
                    "rushed stretch",
                    "negative",
                    f"{wpm:.0f} words per minute between {clock(window.start)} and "
                    f"{clock(window.end)} (target {profile.pace_range[0]:.0f}-"
                    f"{profile.pace_range[1]:.0f})",
                    "speech",
                    0.55,
                )
            )
        pitch = window.measurements.get("pitch_variation")
        if pitch is not None and pitch.value is not None and pitch.value < MONOTONE_SEMITONES:
            out.append(
                Moment(
                    window.start,
                    window.end,
                    "flat_intonation",
                    "flat intonation",
                    "negative",
                    f"pitch varied by only {pitch.value:.1f} semitones between "
                    f"{clock(window.start)} and {clock(window.end)}",
                    "speech",
                    0.4,
                )
            )
        if index in (0, len(windows) - 1):
            out += _edge(window, opening=index == 0, only=len(windows) == 1)
    return out


def _edge(window: WindowScores, *, opening: bool, only: bool) -> list[Moment]:
    if not opening and only:
        return []
    clarity = window.scores.categories["clarity"].score
    confidence = window.scores.categories["confidence"].score
    if clarity is None or confidence is None:
        return []
    name = "opening" if opening else "close"
    span = f"{clock(window.start)}-{clock(window.end)}"
    if clarity >= STRONG_SCORE and confidence >= STRONG_SCORE:
        return [
            Moment(
                window.start,
                window.end,
                f"strong_{name}",
                f"strong {name}",
                "positive",
                f"clarity {clarity:.1f} and confidence {confidence:.1f} out of 10 in the {name} "
                f"({span})",
                "speech",
                0.8 if opening else 0.7,
            )
        ]
    if opening and min(clarity, confidence) < 5.0:
        return [
            Moment(
                window.start,
                window.end,
                "hesitant_opening",
                "hesitant opening",
                "negative",
                f"clarity {clarity:.1f} and confidence {confidence:.1f} out of 10 in the "
                f"opening ({span})",
                "speech",
                0.7,
            )
        ]
    return []


def _face(face: FacePass, report: DeliveryReport | None) -> list[Moment]:
    metrics = face.metrics
    if metrics is None:
        return []
    out = []
    for moment in metrics.moments:
        missing = moment.kind == "face_missing"
        out.append(
            Moment(
                moment.start,
                moment.end,
                moment.kind,
                moment.label,
                "negative",
                moment.description,
                "face",
                min(1.0, (0.6 if missing else 0.45) + 0.03 * (moment.end - moment.start)),
            )
        )
    for start, end in _smile_runs(face):
        words = quote_between(report.words, start, end) if report is not None else ""
        saying = f" while saying “{words}”" if words else ""
        out.append(
            Moment(
                start,
                end,
                "smile",
                "smile",
                "positive",
                f"smiled for {end - start:.1f} s at {clock(start)}{saying}",
                "face",
                0.45,
            )
        )
    return out


def _smile_runs(face: FacePass) -> list[tuple[float, float]]:
    timeline = face.metrics.timeline if face.metrics else ()
    runs: list[tuple[float, float]] = []
    start: float | None = None
    for i, item in enumerate(timeline):
        if item.smiling and start is None:
            start = item.timestamp
        if start is not None and (not item.smiling or i == len(timeline) - 1):
            end = item.timestamp if not item.smiling else item.timestamp + 0.1
            if end - start >= SMILE_MIN_SECONDS:
                runs.append((start, end))
            start = None
    return runs
