"""Context phrases select profiles; unknown ones fall back to the default with a note."""

from __future__ import annotations

import pytest

from vidlens.coaching.profiles import DEFAULT, resolve_profile
from vidlens.coaching.settings import DEFAULT_CONTEXT


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("job interview practice", "job_interview"),
        ("Mock INTERVIEW for a hiring manager", "job_interview"),
        ("sales pitch rehearsal", "sales_pitch"),
        ("investor pitch", "sales_pitch"),
        ("conference presentation dry run", "presentation"),
        ("public speaking class", "presentation"),
        ("weekly status update meeting", "meeting"),
    ],
)
def test_known_phrases(phrase: str, key: str) -> None:
    resolved = resolve_profile(phrase)
    assert resolved.profile.key == key
    assert resolved.note is None


def test_default_and_unknown_phrases() -> None:
    for phrase in (None, "", "   ", DEFAULT_CONTEXT, DEFAULT_CONTEXT.upper()):
        resolved = resolve_profile(phrase)
        assert resolved.profile is DEFAULT
        assert resolved.note is None
    assert resolve_profile(None).phrase == DEFAULT_CONTEXT
    unknown = resolve_profile("wedding toast")
    assert unknown.profile is DEFAULT
    assert unknown.note is not None
    assert "'wedding toast' matches no profile" in unknown.note
    # whole words only: "pitched" is not "pitch", "interviewee" is not "interview"
    assert resolve_profile("the ball was pitched").profile is DEFAULT
    assert resolve_profile("interviewees").profile is DEFAULT


def test_overlong_phrase_is_refused() -> None:
    with pytest.raises(ValueError, match="longer than 500"):
        resolve_profile("x" * 501)
