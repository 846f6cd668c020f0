"""One sentence per measured component, as a strength or as an area to improve.

Each template quotes the measured value and, where one exists, the moment of the talk it
comes from. :func:`strength` and :func:`area` return ``None`` when a component has nothing to
say (not measured).
"""

from __future__ import annotations

from collections import Counter
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


def strength(name: str, value: float, facts: TalkFacts) -> str:
    """A sentence praising one component, with its number."""
    low, high = facts.profile.pace_range
    report = facts.report
    if name == "pace":
        return (
            f"Comfortable pace: {value:.0f} words per minute, inside the {low:.0f}-{high:.0f} "
            f"target for a {facts.profile.name}."
        )
    if name == "filler_rate":
        count = facts.filler_count()
        if count == 0:
            return f"No filler words in {facts.span_words()} of speech."
        return f"Few filler words: {count} in {facts.span_words()} ({value:.1f} per minute)."
    if name == "disfluency_rate" and report and report.disfluencies:
        d = report.disfluencies
        return (
            f"Fluent delivery: {plural(d.repetition_count, 'repetition')} and "
            f"{plural(d.self_correction_count, 'self-correction')} in {facts.span_words()}."
        )
    if name == "pause_ratio":
        return f"Well-placed pauses: {value:.0%} of the speech span, a natural rhythm."
    if name == "long_pauses":
        return "No awkward silences: no pause reached 2 s."
    if name == "long_monologue":
        return f"Breathing room: the longest stretch without a 1 s pause lasted {value:.0f} s."
    if name == "hedge_rate":
        count = report.hedges.count if report and report.hedges else 0
        return f"Direct wording: {plural(count, 'hedging phrase')} ({value:.1f} per minute)."
    if name == "intelligibility":
        return f"Clear articulation: the speech recogniser was {value:.0%} sure of your words."
    if name == "lexical_variety":
        return f"Varied vocabulary: a moving type-token ratio of {value:.2f}."
    if name == "pitch_variation":
        return f"Lively intonation: your pitch varied by {value:.1f} semitones."
    if name == "loudness_variation":
        return f"Dynamic voice: your level varied by {value:.1f} dB across the talk."
    if name == "sentiment":
        return f"Positive framing: overall sentiment {value:+.2f} (VADER, -1 to +1)" + (
            _at(facts.first("positive_statement"), "e.g. at {t}: {m.description}") + "."
        )
    if name == "eye_contact":
        return (
            f"Steady eye contact: you looked at the camera {value:.0%} of the time your face "
            "was visible."
        )
    if name == "head_stability":
        return f"Composed posture: your head moved {value:.0f}° per second on average."
    if name == "smile":
        return f"Warm expression: smiling {value:.0%} of the time" + (
            _at(facts.first("smile"), "first at {t}") + "."
        )
    return f"Expressive face: brows, eyes and smile moved naturally (variation {value:.3f})."


def area(name: str, value: float, facts: TalkFacts) -> str:
    """A sentence naming what to improve in one component, with its number and moment."""
    low, high = facts.profile.pace_range
    report = facts.report
    if name == "pace":
        rushed = facts.first("rushed")
        if value > high:
            return (
                f"Slow down: {value:.0f} words per minute is above the {low:.0f}-{high:.0f} "
                f"target for a {facts.profile.name}"
                + _at(rushed, "fastest {t}-" + (clock(rushed.end) if rushed else ""))
                + "."
            )
        return (
            f"Pick up the pace: {value:.0f} words per minute is below the {low:.0f}-{high:.0f} "
            f"target for a {facts.profile.name}."
        )
    if name == "filler_rate":
        top = facts.top_filler()
        most = f", most often “{top}”" if top else ""
        return (
            f"Reduce filler words: {facts.filler_count()} ({value:.1f} per minute){most}"
            + _at(facts.longest("filler_cluster"), "densest at {m.description}")
            + "."
        )
    if name == "disfluency_rate" and report and report.disfluencies:
        d = report.disfluencies
        example = d.self_corrections[0].text if d.self_corrections else None
        return (
            f"Fewer restarts: {plural(d.repetition_count, 'repetition')} and "
            f"{plural(d.self_correction_count, 'self-correction')} ({value:.1f} per minute)"
            + (f", e.g. “{example}”" if example else "")
            + "."
        )
    if name == "pause_ratio":
        if value > facts.profile.pause_ratio_range[1]:
            return (
                f"Shorten the silences: pauses took {value:.0%} of the speech span"
                + _at(facts.longest("long_pause"), "the longest was {m.description}")
                + "."
            )
        return f"Pause more: only {value:.0%} of the speech span was pauses; let key points land."
    if name == "long_pauses":
        return f"Long silences: {value:.1f} pauses of 2 s or more per minute" + (
            _at(facts.longest("long_pause"), "the longest was {m.description}") + "."
        )
    if name == "long_monologue":
        return f"Break up long stretches: {value:.0f} s without a 1 s pause" + (
            _at(facts.first("long_monologue"), "{m.description}") + "."
        )
    if name == "hedge_rate":
        kinds = sorted((report.hedges.by_kind if report and report.hedges else {}).keys())
        example = f", e.g. “{'”, “'.join(kinds[:3])}”" if kinds else ""
        return f"Sound more certain: {value:.1f} hedging phrases per minute{example}."
    if name == "intelligibility":
        return (
            f"Articulate more clearly: the speech recogniser was only {value:.0%} sure of your "
            "words."
        )
    if name == "lexical_variety":
        return f"Vary your wording: a moving type-token ratio of {value:.2f}."
    if name == "pitch_variation":
        if value < 2.5:
            return (
                f"Vary your intonation: your pitch varied by only {value:.1f} semitones"
                + _at(facts.first("flat_intonation"), "flattest {m.description}")
                + "."
            )
        return f"Steady your pitch: it swung by {value:.1f} semitones."
    if name == "loudness_variation":
        if value < 4.0:
            return f"Add vocal energy: your level varied by only {value:.1f} dB."
        return f"Keep your volume steady: it varied by {value:.1f} dB."
    if name == "sentiment":
        return f"Frame points more positively: overall sentiment {value:+.2f}" + (
            _at(facts.first("negative_statement"), "e.g. {m.description}") + "."
        )
    if name == "eye_contact":
        return f"Look at the camera more: eye contact {value:.0%} of the time" + (
            _at(facts.longest("looked_away"), "{m.description}") + "."
        )
    if name == "head_stability":
        return f"Keep your head steadier: it moved {value:.0f}° per second on average."
    if name == "smile":
        return f"Smile where it fits: smiling only {value:.0%} of the time."
    return f"Let your face move: brows, eyes and smile varied little ({value:.3f})."
