"""Governance: action flags with their evidence, and the recommended action for each.

A flag is raised by a fixed rule on the measurements (thresholds documented in
docs/coaching.md); each carries the numbers that raised it. ``possible_distress`` is a prompt
for a person to check in with the speaker, never a diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vidlens.coaching.face_pass import FacePass
from vidlens.coaching.profiles import ContextProfile
from vidlens.coaching.speech_pass import SpeechPass

MIN_FACE_PRESENCE = 0.5
PACE_MARGIN_WPM = 40.0
FILLER_LIMIT_PER_MINUTE = 8.0
SHORT_SECONDS = 15.0
DISTRESS_SENTIMENT = -0.5
DISTRESS_EXPRESSION_SHARE = 0.35


@dataclass(frozen=True, slots=True)
class Flag:
    name: str
    reason: str
    action: str
    evidence: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"flag": self.name, "reason": self.reason, "evidence": self.evidence}


def _face_flags(face: FacePass) -> list[Flag]:
    metrics = face.metrics
    presence = metrics.face_presence_ratio if metrics is not None else None
    out = []
    if metrics is None or not metrics.samples_with_face or (presence or 0.0) < MIN_FACE_PRESENCE:
        reason = face.unavailable_reason or (
            "no face was found in any sampled frame"
            if metrics is None or not metrics.samples_with_face
            else f"a face was visible only {presence or 0.0:.0%} of the time"
        )
        out.append(
            Flag(
                "face_not_visible",
                reason,
                "Re-record with your face in the frame, lit from the front; eye contact, "
                "smile, head and expression measurements were not (or only partly) possible.",
                {"face_presence_ratio": presence, "minimum": MIN_FACE_PRESENCE},
            )
        )
    framing = metrics.framing if metrics is not None else None
    if framing is not None and framing.overall != "well_framed" and not out:
        issue = framing.overall.replace("_", " ")
        out.append(
            Flag(
                "poor_framing",
                f"the face was mostly {issue}",
                f"Frame your face centred with a little space above the head (most frequent "
                f"issue: {issue}, {framing.issue_ratios.get(framing.overall, 0.0):.0%} of the "
                "time).",
                {
                    "overall": framing.overall,
                    "well_framed_ratio": round(framing.well_framed_ratio, 3),
                },
            )
        )
    return out


def _speech_presence(speech: SpeechPass) -> list[Flag]:
    report = speech.delivery
    flags = []
    if report is None or not report.words:
        reason = speech.unavailable_reason or "no words were recognised in the audio"
        flags.append(
            Flag(
                "no_speech_detected", reason,
                "Check the microphone and speak towards it: speech measurements (pace, "
                "fillers, pauses, pitch) were not possible.",
                {"words": 0},
            )
        )  # fmt: skip
    loudness = report.loudness if report is not None else None
    if loudness is not None and loudness.low_quality:
        flags.append(
            Flag(
                "low_audio_quality", f"the audio shows {', '.join(loudness.flags)}",
                "Improve the recording (closer microphone, quieter room, lower input gain if it "
                "clips) so that pitch and pauses can be measured reliably.",
                {"flags": list(loudness.flags), "snr_db": loudness.snr_db,
                 "mean_dbfs": loudness.mean_dbfs},
            )
        )  # fmt: skip
    return flags


def _pace_flags(speech: SpeechPass, profile: ContextProfile) -> list[Flag]:
    report = speech.delivery
    pace = report.pace.words_per_minute if report is not None and report.pace else None
    if pace is None or speech.source == "supplied_untimed":
        return []
    low, high = profile.pace_range
    if pace > high + PACE_MARGIN_WPM:
        return [
            Flag(
                "very_fast_pace", f"{pace:.0f} words per minute",
                f"Slow down before working on anything else: above {high + PACE_MARGIN_WPM:.0f}"
                " words per minute listeners start to miss words.",
                {"words_per_minute": pace, "limit": high + PACE_MARGIN_WPM},
            )
        ]  # fmt: skip
    if pace < low - PACE_MARGIN_WPM:
        return [
            Flag(
                "very_slow_pace", f"{pace:.0f} words per minute",
                "Prepare the key points so the answer flows; long gaps between words lose the "
                "listener.",
                {"words_per_minute": pace, "limit": low - PACE_MARGIN_WPM},
            )
        ]  # fmt: skip
    return []


def _wording_flags(speech: SpeechPass) -> list[Flag]:
    report = speech.delivery
    flags = []
    rate = report.fillers.per_minute if report is not None and report.fillers else None
    if rate is not None and rate > FILLER_LIMIT_PER_MINUTE:
        flags.append(
            Flag(
                "excessive_fillers", f"{rate:.1f} filler words per minute",
                "Practise pausing silently instead of filling: record short answers until the "
                "filler rate is under 3 a minute.",
                {"per_minute": rate, "limit": FILLER_LIMIT_PER_MINUTE},
            )
        )  # fmt: skip
    if speech.mismatch is not None:
        heard = speech.mismatch.matched_fraction
        flags.append(
            Flag(
                "transcript_mismatch",
                f"only {heard:.0%} of the supplied transcript's words were heard in the audio",
                "The supplied transcript describes another recording and was not used; our own "
                "transcript was measured. Send this recording's transcript, or none.",
                {"matched_fraction": round(heard, 3),
                 "supplied_words": speech.mismatch.supplied_word_count,
                 "recognised_words": speech.mismatch.recognised_word_count},
            )
        )  # fmt: skip
    return flags


def _speech_flags(speech: SpeechPass, profile: ContextProfile) -> list[Flag]:
    return _speech_presence(speech) + _pace_flags(speech, profile) + _wording_flags(speech)


def collect_flags(
    speech: SpeechPass,
    face: FacePass,
    profile: ContextProfile,
    *,
    duration: float,
    distress: float | None,
) -> list[Flag]:
    """Every flag that fires, in a fixed order."""
    flags = _face_flags(face) + _speech_flags(speech, profile)
    if duration < SHORT_SECONDS:
        flags.append(
            Flag(
                "short_recording",
                f"the video lasts {duration:.1f} s",
                f"Record at least {2 * SHORT_SECONDS:.0f} s for reliable scores; confidence is "
                "scaled down for short takes.",
                {"duration_seconds": round(duration, 3), "minimum": SHORT_SECONDS},
            )
        )
    sentiment = speech.delivery.sentiment if speech.delivery is not None else None
    compound = sentiment.compound if sentiment is not None else None
    expression_ok = distress is None or distress >= DISTRESS_EXPRESSION_SHARE
    if compound is not None and compound <= DISTRESS_SENTIMENT and expression_ok:
        basis = "the words alone" if distress is None else "the words and facial expressions"
        flags.append(
            Flag(
                "possible_distress",
                f"strongly negative wording (sentiment {compound:+.2f}), judged from {basis}",
                "A person should check in with the speaker before giving performance feedback. "
                "This is a prompt, not a diagnosis: the measurements cannot tell how someone "
                "feels.",
                {
                    "sentiment": compound,
                    "distress_expression_share": distress,
                    "sentiment_limit": DISTRESS_SENTIMENT,
                    "expression_share_limit": DISTRESS_EXPRESSION_SHARE,
                },
            )
        )
    return flags


def recommended_actions(flags: list[Flag]) -> list[str]:
    """One action per flag, or a note that none is needed."""
    if not flags:
        return ["No action needed: the recording was usable for every measurement."]
    return [flag.action for flag in flags]
