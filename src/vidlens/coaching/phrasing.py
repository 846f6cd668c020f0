"""One sentence per measured component, as a strength or as an area to improve.

Each template (:data:`STRENGTHS`, :data:`AREAS`) quotes the measured value and, where one
exists, the moment of the talk it comes from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from vidlens.coaching.moments import Moment
from vidlens.coaching.profiles import ContextProfile
from vidlens.coaching.text import clock, duration_words, plural
from vidlens.engines.delivery.types import DeliveryReport

LABELS: dict[str, str] = {
    "pace": "pace",
    "filler_rate": "filler words",
    "disfluency_rate": "restarts",
    "pause_ratio": "pauses",
    "long_pauses": "long silences",
    "long_monologue": "long stretches",
    "hedge_rate": "hedging",
    "intelligibility": "articulation",
    "lexical_variety": "vocabulary",
    "pitch_variation": "intonation",
    "loudness_variation": "vocal energy",
    "sentiment": "wording",
    "eye_contact": "eye contact",
    "head_stability": "head movement",
    "smile": "smiling",
    "facial_expressiveness": "facial expressiveness",
}


@dataclass(frozen=True, slots=True)
class TalkFacts:
    """What the sentences draw on besides the component's own value."""

    profile: ContextProfile
    report: DeliveryReport | None
    moments: tuple[Moment, ...]

    def first(self, kind: str) -> Moment | None:
        return next((m for m in self.moments if m.kind == kind), None)

    def longest(self, kind: str) -> Moment | None:
        found = [m for m in self.moments if m.kind == kind]
        return max(found, key=lambda m: m.end - m.start) if found else None

    def filler_count(self) -> int:
        return self.report.fillers.count if self.report and self.report.fillers else 0

    def top_filler(self) -> str | None:
        if not self.report or not self.report.fillers or not self.report.fillers.by_kind:
            return None
        return Counter(self.report.fillers.by_kind).most_common(1)[0][0]

    def span_words(self) -> str:
        pace = self.report.pace if self.report else None
        seconds = pace.speech_span_seconds if pace and pace.speech_span_seconds else 0.0
        return duration_words(seconds) if seconds else "the talk"


def _at(moment: Moment | None, text: str) -> str:
    return f"; {text.format(m=moment, t=clock(moment.start))}" if moment is not None else ""


def _pace_strength(v: float, f: TalkFacts) -> str:
    low, high = f.profile.pace_range
    return (
        f"Comfortable pace: {v:.0f} words per minute, inside the {low:.0f}-{high:.0f} target "
        f"for a {f.profile.name}."
    )


def _filler_strength(v: float, f: TalkFacts) -> str:
    count = f.filler_count()
    if count == 0:
        return f"No filler words in {f.span_words()} of speech."
    return f"Few filler words: {count} in {f.span_words()} ({v:.1f} per minute)."


def _fluency_strength(v: float, f: TalkFacts) -> str:
    d = f.report.disfluencies if f.report else None
    repetitions, corrections = (d.repetition_count, d.self_correction_count) if d else (0, 0)
    return (
        f"Fluent delivery: {plural(repetitions, 'repetition')} and "
        f"{plural(corrections, 'self-correction')} in {f.span_words()}."
    )


def _hedge_strength(v: float, f: TalkFacts) -> str:
    count = f.report.hedges.count if f.report and f.report.hedges else 0
    return f"Direct wording: {plural(count, 'hedging phrase')} ({v:.1f} per minute)."


Template = Callable[[float, TalkFacts], str]

STRENGTHS: dict[str, Template] = {
    "pace": _pace_strength,
    "filler_rate": _filler_strength,
    "disfluency_rate": _fluency_strength,
    "pause_ratio": lambda v, f: (
        f"Well-placed pauses: {v:.0%} of the speech span, a natural rhythm."
    ),
    "long_pauses": lambda v, f: "No awkward silences: no pause reached 2 s.",
    "long_monologue": lambda v, f: (
        f"Breathing room: the longest stretch without a 1 s pause lasted {v:.0f} s."
    ),
    "hedge_rate": _hedge_strength,
    "intelligibility": lambda v, f: (
        f"Clear articulation: the speech recogniser was {v:.0%} sure of your words."
    ),
    "lexical_variety": lambda v, f: f"Varied vocabulary: a moving type-token ratio of {v:.2f}.",
    "pitch_variation": lambda v, f: f"Lively intonation: your pitch varied by {v:.1f} semitones.",
    "loudness_variation": lambda v, f: (
        f"Dynamic voice: your level varied by {v:.1f} dB across the talk."
    ),
    "sentiment": lambda v, f: (
        f"Positive framing: overall sentiment {v:+.2f} (VADER, -1 to +1)"
        + _at(f.first("positive_statement"), "e.g. at {t}: {m.description}")
        + "."
    ),
    "eye_contact": lambda v, f: (
        f"Steady eye contact: you looked at the camera {v:.0%} of the time your face was visible."
    ),
    "head_stability": lambda v, f: (
        f"Composed posture: your head moved {v:.0f}° per second on average."
    ),
    "smile": lambda v, f: (
        f"Warm expression: smiling {v:.0%} of the time"
        + _at(f.first("smile"), "first at {t}")
        + "."
    ),
    "facial_expressiveness": lambda v, f: (
        f"Expressive face: brows, eyes and smile moved naturally (variation {v:.3f})."
    ),
}
"""One template per component: the sentence when it is a strength."""


def _pace_area(v: float, f: TalkFacts) -> str:
    low, high = f.profile.pace_range
    target = f"the {low:.0f}-{high:.0f} target for a {f.profile.name}"
    if v <= high:
        return f"Pick up the pace: {v:.0f} words per minute is below {target}."
    rushed = f.first("rushed")
    where = f"; fastest {clock(rushed.start)}-{clock(rushed.end)}" if rushed else ""
    return f"Slow down: {v:.0f} words per minute is above {target}{where}."


def _filler_area(v: float, f: TalkFacts) -> str:
    top = f.top_filler()
    most = f", most often “{top}”" if top else ""
    densest = _at(f.longest("filler_cluster"), "densest at {m.description}")
    return f"Reduce filler words: {f.filler_count()} ({v:.1f} per minute){most}{densest}."


def _fluency_area(v: float, f: TalkFacts) -> str:
    d = f.report.disfluencies if f.report else None
    if d is None:
        return f"Fewer restarts: {v:.1f} repetitions and self-corrections per minute."
    example = f", e.g. “{d.self_corrections[0].text}”" if d.self_corrections else ""
    return (
        f"Fewer restarts: {plural(d.repetition_count, 'repetition')} and "
        f"{plural(d.self_correction_count, 'self-correction')} ({v:.1f} per minute){example}."
    )


def _pause_area(v: float, f: TalkFacts) -> str:
    if v > f.profile.pause_ratio_range[1]:
        longest = _at(f.longest("long_pause"), "the longest was {m.description}")
        return f"Shorten the silences: pauses took {v:.0%} of the speech span{longest}."
    return f"Pause more: only {v:.0%} of the speech span was pauses; let key points land."


def _hedge_area(v: float, f: TalkFacts) -> str:
    kinds = sorted((f.report.hedges.by_kind if f.report and f.report.hedges else {}).keys())
    example = f", e.g. “{'”, “'.join(kinds[:3])}”" if kinds else ""
    return f"Sound more certain: {v:.1f} hedging phrases per minute{example}."


def _pitch_area(v: float, f: TalkFacts) -> str:
    if v < 2.5:
        flattest = _at(f.first("flat_intonation"), "flattest {m.description}")
        return f"Vary your intonation: your pitch varied by only {v:.1f} semitones{flattest}."
    return f"Steady your pitch: it swung by {v:.1f} semitones."


def _loudness_area(v: float, f: TalkFacts) -> str:
    if v < 4.0:
        return f"Add vocal energy: your level varied by only {v:.1f} dB."
    return f"Keep your volume steady: it varied by {v:.1f} dB."


AREAS: dict[str, Template] = {
    "pace": _pace_area,
    "filler_rate": _filler_area,
    "disfluency_rate": _fluency_area,
    "pause_ratio": _pause_area,
    "long_pauses": lambda v, f: (
        f"Long silences: {v:.1f} pauses of 2 s or more per minute"
        + _at(f.longest("long_pause"), "the longest was {m.description}")
        + "."
    ),
    "long_monologue": lambda v, f: (
        f"Break up long stretches: {v:.0f} s without a 1 s pause"
        + _at(f.first("long_monologue"), "{m.description}")
        + "."
    ),
    "hedge_rate": _hedge_area,
    "intelligibility": lambda v, f: (
        f"Articulate more clearly: the speech recogniser was only {v:.0%} sure of your words."
    ),
    "lexical_variety": lambda v, f: f"Vary your wording: a moving type-token ratio of {v:.2f}.",
    "pitch_variation": _pitch_area,
    "loudness_variation": _loudness_area,
    "sentiment": lambda v, f: (
        f"Frame points more positively: overall sentiment {v:+.2f}"
        + _at(f.first("negative_statement"), "e.g. {m.description}")
        + "."
    ),
    "eye_contact": lambda v, f: (
        f"Look at the camera more: eye contact {v:.0%} of the time"
        + _at(f.longest("looked_away"), "{m.description}")
        + "."
    ),
    "head_stability": lambda v, f: (
        f"Keep your head steadier: it moved {v:.0f}° per second on average."
    ),
    "smile": lambda v, f: f"Smile where it fits: smiling only {v:.0%} of the time.",
    "facial_expressiveness": lambda v, f: (
        f"Let your face move: brows, eyes and smile varied little ({v:.3f})."
    ),
}
"""One template per component: the sentence when it needs work."""


def strength(name: str, value: float, facts: TalkFacts) -> str:
    """A sentence praising one component, with its number."""
    return STRENGTHS[name](value, facts)


def area(name: str, value: float, facts: TalkFacts) -> str:
    """A sentence naming what to improve in one component, with its number and moment."""
    return AREAS[name](value, facts)
