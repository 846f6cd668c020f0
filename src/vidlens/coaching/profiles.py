"""Context profiles: which weights, targets and advice apply to a talk.

``contextPhrase`` / ``context_phrase`` is free text ("job interview practice", "sales pitch
rehearsal"). :func:`resolve_profile` picks the profile whose keywords it contains (whole
words, case-insensitive, first match in :data:`PROFILES` order); an unknown phrase falls back
to the default profile with a note saying so. Every number here is echoed in the result's
``evidence`` block and documented in docs/coaching.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from vidlens.coaching.settings import DEFAULT_CONTEXT

CATEGORIES: tuple[str, ...] = ("likeability", "authenticity", "clarity", "confidence")

MAX_PHRASE_CHARS = 500
"""Longest context phrase accepted."""


@dataclass(frozen=True, slots=True)
class ContextProfile:
    """Weights and targets for one kind of talk.

    Attributes:
        key: stable identifier (``job_interview``).
        name: how the text refers to the talk ("job interview answer").
        keywords: whole words or phrases that select this profile.
        category_weights: weight of each category score in ``overall_score`` (sum 1).
        component_weights: multipliers on a component's weight inside every category
            (1 when absent), e.g. hedging matters more in an interview.
        pace_range: target words per minute.
        pause_ratio_range: target share of pauses in the speech span.
        audience: who the advice addresses ("the interviewer").
    """

    key: str
    name: str
    keywords: tuple[str, ...]
    category_weights: MappingProxyType[str, float]
    component_weights: MappingProxyType[str, float] = field(
        default_factory=lambda: MappingProxyType({})
    )
    pace_range: tuple[float, float] = (120.0, 160.0)
    pause_ratio_range: tuple[float, float] = (0.05, 0.30)
    audience: str = "your audience"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "category_weights": dict(self.category_weights),
            "component_weights": dict(self.component_weights),
            "pace_range_wpm": list(self.pace_range),
            "pause_ratio_range": list(self.pause_ratio_range),
        }


def _weights(**values: float) -> MappingProxyType[str, float]:
    return MappingProxyType(values)


DEFAULT = ContextProfile(
    key="general",
    name="professional communication session",
    keywords=(),
    category_weights=_weights(likeability=0.25, authenticity=0.25, clarity=0.25, confidence=0.25),
)

PROFILES: tuple[ContextProfile, ...] = (
    ContextProfile(
        key="job_interview",
        name="job interview answer",
        keywords=("interview", "interviewing", "job", "hiring", "recruiter", "recruiting"),
        category_weights=_weights(
            likeability=0.20, authenticity=0.20, clarity=0.30, confidence=0.30
        ),
        component_weights=_weights(hedge_rate=1.5, eye_contact=1.25),
        audience="the interviewer",
    ),
    ContextProfile(
        key="sales_pitch",
        name="sales pitch",
        keywords=("sales", "sale", "pitch", "pitching", "selling", "investor", "investors", "demo"),
        category_weights=_weights(
            likeability=0.30, authenticity=0.15, clarity=0.25, confidence=0.30
        ),
        component_weights=_weights(smile=1.5, sentiment=1.5, hedge_rate=1.25),
        pace_range=(130.0, 170.0),
        audience="the buyer",
    ),
    ContextProfile(
        key="presentation",
        name="presentation",
        keywords=(
            "presentation",
            "presenting",
            "present",
            "keynote",
            "talk",
            "lecture",
            "speech",
            "public speaking",
            "conference",
            "webinar",
            "lesson",
            "teaching",
        ),
        category_weights=_weights(
            likeability=0.15, authenticity=0.20, clarity=0.35, confidence=0.30
        ),
        component_weights=_weights(pitch_variation=1.5, pause_ratio=1.25, long_monologue=1.5),
        pace_range=(110.0, 150.0),
        pause_ratio_range=(0.10, 0.35),
        audience="the room",
    ),
    ContextProfile(
        key="meeting",
        name="meeting contribution",
        keywords=("meeting", "standup", "stand-up", "status update", "one-on-one", "1:1"),
        category_weights=_weights(
            likeability=0.25, authenticity=0.20, clarity=0.35, confidence=0.20
        ),
        component_weights=_weights(long_monologue=1.5),
        audience="your colleagues",
    ),
)


@dataclass(frozen=True, slots=True)
class ResolvedContext:
    """The phrase as given, the profile chosen and why."""

    phrase: str
    profile: ContextProfile
    matched: str | None
    """The keyword that selected the profile (None for the default)."""
    note: str | None
    """Set when the phrase was not recognised and the default profile applies."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "phrase": self.phrase,
            "profile": self.profile.to_dict(),
            "matched_keyword": self.matched,
            "note": self.note,
        }


def _contains(phrase: str, keyword: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(keyword)}(?![\w-])", phrase) is not None


def resolve_profile(phrase: str | None) -> ResolvedContext:
    """The profile for a context phrase (empty or None: the contract's default phrase).

    Raises:
        ValueError: a phrase longer than :data:`MAX_PHRASE_CHARS`.
    """
    text = " ".join((phrase or "").split())
    if len(text) > MAX_PHRASE_CHARS:
        raise ValueError(f"the context phrase is longer than {MAX_PHRASE_CHARS} characters")
    if not text:
        return ResolvedContext(DEFAULT_CONTEXT, DEFAULT, None, None)
    lowered = text.lower()
    for profile in PROFILES:
        for keyword in profile.keywords:
            if _contains(lowered, keyword):
                return ResolvedContext(text, profile, keyword, None)
    if lowered == DEFAULT_CONTEXT:
        return ResolvedContext(text, DEFAULT, None, None)
    note = (
        f"the context {text!r} matches no profile (job interview, sales pitch, presentation, "
        "meeting): the default profile's weights and advice apply"
    )
    return ResolvedContext(text, DEFAULT, None, note)
