"""The text fields of ``video_analysis``: strengths, areas for improvement, detailed
feedback, session summary and recommendation.

Deterministic templates over this talk's measurements: each sentence carries a number
measured here and, where there is one, the moment and words it comes from. A component is a
**strength** when its component score is at least 0.75 and an **area** when below 0.6
(ranked by how much it moves the overall score: its importance is
``Σ_categories W_c · wᵢ / Σ w``); when nothing is below 0.6 the weakest component under 0.85
is offered as the one thing to polish.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vidlens.coaching.moments import Moment
from vidlens.coaching.phrasing import LABELS, TalkFacts, area, strength
from vidlens.coaching.profiles import ContextProfile
from vidlens.coaching.scoring import CATEGORY_COMPONENTS, Scores
from vidlens.coaching.text import clock, duration_words, first_sentence

STRENGTH_SCORE = 0.75
AREA_SCORE = 0.6
POLISH_SCORE = 0.85
MAX_ITEMS = 3


@dataclass(frozen=True, slots=True)
class Ranked:
    name: str
    value: float
    score: float
    importance: float


def importance(profile: ContextProfile) -> dict[str, float]:
    """How much each component can move the overall score (category weight * its share)."""
    out: dict[str, float] = {}
    for category, components in CATEGORY_COMPONENTS.items():
        weights = {n: w * profile.component_weights.get(n, 1.0) for n, w in components.items()}
        total = sum(weights.values())
        for name, weight in weights.items():
            out[name] = out.get(name, 0.0) + profile.category_weights[category] * weight / total
    return out


def ranked_components(scores: Scores, profile: ContextProfile) -> list[Ranked]:
    """Every measured component once, with its value, score and importance."""
    weights = importance(profile)
    seen: dict[str, Ranked] = {}
    for category in scores.categories.values():
        for c in category.measured:
            if c.name not in seen and c.measurement.value is not None and c.score is not None:
                seen[c.name] = Ranked(c.name, c.measurement.value, c.score, weights[c.name])
    return list(seen.values())


def strengths_and_areas(
    scores: Scores, facts: TalkFacts
) -> tuple[list[str], list[str], list[Ranked]]:
    """The strength and area sentences, and the areas ranked (for the recommendation)."""
    ranked = ranked_components(scores, facts.profile)
    good = sorted(
        (r for r in ranked if r.score >= STRENGTH_SCORE), key=lambda r: -r.importance * r.score
    )
    weak = sorted(
        (r for r in ranked if r.score < AREA_SCORE), key=lambda r: -r.importance * (1 - r.score)
    )
    if not weak:
        polish = sorted((r for r in ranked if r.score < POLISH_SCORE), key=lambda r: r.score)
        weak = polish[:1]
    strengths = [strength(r.name, r.value, facts) for r in good[:MAX_ITEMS]]
    areas = [area(r.name, r.value, facts) for r in weak[:MAX_ITEMS]]
    return strengths, areas, weak


def _filler_drill(v: float, f: TalkFacts) -> str:
    cluster = f.longest("filler_cluster")
    where = f" (start with {clock(cluster.start)}-{clock(cluster.end)})" if cluster else ""
    word = f.top_filler() or "filler word"
    return (
        f"Record one more take and replace each “{word}” with a silent breath{where}; aim for "
        f"under 3 filler words per minute (now {v:.1f})."
    )


def _pace_drill(v: float, f: TalkFacts) -> str:
    target = sum(f.profile.pace_range) / 2
    return (
        f"Rehearse at about {target:.0f} words per minute (now {v:.0f}): mark a pause after "
        "each sentence of your notes and keep it."
    )


DRILLS: dict[str, Callable[[float, TalkFacts], str]] = {
    "filler_rate": _filler_drill,
    "pace": _pace_drill,
    "eye_contact": lambda v, f: (
        "Put the camera at eye level with your notes right beside it, "
        "and look into the lens at the end of each sentence; aim for over 80 % eye contact "
        f"(now {v:.0%})."
    ),
    "hedge_rate": lambda v, f: (
        "Rewrite the sentences with hedges (“I think”, “maybe”, “sort "
        "of”) as direct statements and say them aloud before the next take "
        f"(now {v:.1f} a minute)."
    ),
    "pitch_variation": lambda v, f: (
        "Mark the one word to stress in each sentence and lift your "
        f"pitch on it; your pitch now varies by {v:.1f} semitones (aim for 2.5-7)."
    ),
    "smile": lambda v, f: (
        f"Open and close with a genuine smile towards {f.profile.audience}; "
        f"you smiled {v:.0%} of the time."
    ),
}
"""The drill recommended when a component is the top area (others: its area sentence)."""


def recommendation(
    weak: Sequence[Ranked],
    facts: TalkFacts,
    transcript: str | None,
    scored: bool,
    first_action: str | None,
) -> str:
    """One concrete drill for the weakest important component (when nothing could be
    scored: the first recommended action, e.g. re-record with the face in frame)."""
    if not scored:
        return first_action or "Record the talk again: nothing in this video could be measured."
    if not weak:
        opening = first_sentence(transcript or "")
        start = f" that starts “{opening}”" if opening else ""
        return (
            f"Keep this delivery: record the same {facts.profile.name}{start} once more and "
            "check that the scores hold on a second take."
        )
    top = weak[0]
    drill = DRILLS.get(top.name)
    if drill is not None:
        return drill(top.value, facts)
    return f"Work on {LABELS[top.name]}: {area(top.name, top.value, facts)}"


def session_summary(
    *,
    duration: float,
    profile: ContextProfile,
    facts: TalkFacts,
    transcript: str | None,
    topics: Sequence[str],
    overall: int | None,
    triage: str,
) -> str:
    """What was said and how it went, in two or three sentences."""
    report = facts.report
    parts = [f"A {duration_words(duration)} {profile.name}"]
    if report is not None and report.pace is not None and report.pace.word_count:
        pace = report.pace.words_per_minute
        at = f" at {pace:.0f} words per minute" if pace else ""
        parts[0] += f" of {report.pace.word_count} words{at}"
    if topics:
        parts[0] += f" about {', '.join(topics)}"
    parts[0] += "."
    opening = first_sentence(transcript or "")
    if opening:
        parts.append(f"It opens with “{opening}”")
    else:
        parts.append("No speech was recognised")
    score = f"Overall {overall}/100" if overall is not None else "No overall score"
    parts.append(f"{score} ({triage.replace('_', ' ')}).")
    return " ".join(p if p.endswith(".") else p + "." for p in parts)


def detailed_feedback(
    scores: Scores, facts: TalkFacts, moments: Sequence[Moment], notes: Sequence[str]
) -> str:
    """A paragraph per category (heaviest first): score, what helped, what held it back,
    and a moment; then the notes that limit the reading."""
    order = sorted(scores.categories, key=lambda n: -facts.profile.category_weights[n])
    paragraphs = []
    for name in order:
        category = scores.categories[name]
        if category.score is None:
            paragraphs.append(f"{name.capitalize()}: not scored (nothing it uses was measured).")
            continue
        measured = sorted(category.measured, key=lambda c: -c.weight)
        best = max(measured, key=lambda c: c.weight * (c.score or 0.0))
        worst = min(measured, key=lambda c: (c.score or 0.0) - 0.001 * c.weight)
        text = (
            f"{name.capitalize()} {category.score:.1f}/10: helped most by "
            f"{LABELS[best.name]} ({_value(best.name, best.measurement.value)})"
        )
        if worst.name != best.name and (worst.score or 0.0) < STRENGTH_SCORE:
            text += (
                f", held back by {LABELS[worst.name]} "
                f"({_value(worst.name, worst.measurement.value)})"
            )
        paragraphs.append(text + ".")
    key = [m for m in moments if m.polarity != "neutral"][:3]
    if key:
        paragraphs.append(
            "Moments to review: "
            + "; ".join(f"{clock(m.start)} {m.label} ({m.description})" for m in key)
            + "."
        )
    paragraphs.extend(
        note[0].upper() + note[1:] + ("" if note.endswith(".") else ".") for note in notes
    )
    return "\n\n".join(paragraphs)


def _value(name: str, value: float | None) -> str:
    if value is None:
        return "not measured"
    if name in ("eye_contact", "smile", "pause_ratio", "intelligibility"):
        return f"{value:.0%}"
    if name == "sentiment":
        return f"{value:+.2f}"
    if name == "facial_expressiveness":
        return f"{value:.3f}"
    if name in ("lexical_variety",):
        return f"{value:.2f}"
    units = {
        "pace": " words per minute",
        "filler_rate": " per minute",
        "disfluency_rate": " per minute",
        "long_pauses": " per minute",
        "long_monologue": " s",
        "hedge_rate": " per minute",
        "pitch_variation": " semitones",
        "loudness_variation": " dB",
        "head_stability": "°/s",
    }
    return f"{value:.1f}{units.get(name, '')}"


def topics(text: str | None, language: str) -> list[str]:
    """Up to three key phrases of the transcript (YAKE), when it has at least 20 words."""
    if not text or len(text.split()) < 20:
        return []
    import yake  # type: ignore[import-untyped]  # no stubs

    extractor = yake.KeywordExtractor(lan=language or "en", n=2, top=8, dedupLim=0.6)
    chosen: list[str] = []
    for phrase, _ in extractor.extract_keywords(text):
        lowered = phrase.lower()
        if any(lowered in c or c in lowered for c in chosen):
            continue
        chosen.append(lowered)
        if len(chosen) == 3:
            break
    return chosen
