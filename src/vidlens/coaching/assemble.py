"""Turn the two passes into the contract's objects: ``video_analysis``, ``engine_analysis``,
``engine_kpis`` and ``transcript``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vidlens.coaching.emotion import distress_share, emotion_section
from vidlens.coaching.engine_analysis import engine_kpis, interpretation, triage
from vidlens.coaching.face_pass import FacePass
from vidlens.coaching.feedback import (
    detailed_feedback,
    recommendation,
    session_summary,
    strengths_and_areas,
    topics,
)
from vidlens.coaching.governance import Flag, collect_flags, recommended_actions
from vidlens.coaching.measurements import Measurements, talk_measurements
from vidlens.coaching.moments import Moment, find_moments, key_moments
from vidlens.coaching.phrasing import TalkFacts
from vidlens.coaching.profiles import ResolvedContext
from vidlens.coaching.scoring import Scores, score_all
from vidlens.coaching.settings import CoachingSettings
from vidlens.coaching.speech_pass import SpeechPass
from vidlens.coaching.timeseries import WindowScores, time_series


@dataclass(frozen=True, slots=True)
class CoachingResult:
    """One analysed talk in the contract's shapes (plain JSON types)."""

    video_analysis: dict[str, Any]
    engine_analysis: dict[str, Any]
    engine_kpis: dict[str, Any]
    transcript: str | None

    def to_dict(self) -> dict[str, Any]:
        """The full-analysis body without ``sessionId`` and ``videoUrl`` (added by the
        surface that serves it)."""
        return {
            "video_analysis": self.video_analysis,
            "engine_analysis": self.engine_analysis,
            "engine_kpis": self.engine_kpis,
            "transcript": self.transcript,
        }


def _notes(speech: SpeechPass, face: FacePass, context: ResolvedContext) -> list[str]:
    notes = []
    if context.note:
        notes.append(context.note)
    if speech.mismatch is not None:
        notes.append("the supplied transcript was not used: " + speech.mismatch.note.split(":")[0])
    if speech.source == "supplied_untimed":
        notes.append(
            "no speech was recognised, so the supplied transcript was measured "
            "without word timings (no pace over time, pauses or moments)"
        )
    if speech.unavailable_reason:
        notes.append(speech.unavailable_reason)
    if face.unavailable_reason:
        notes.append(f"no face measurements: {face.unavailable_reason}")
    if face.source == "client":
        notes.append("face measurements come from the client's mediapipeSamples")
    return notes


@dataclass(frozen=True, slots=True)
class _Talk:
    """Everything computed about one talk, before it is laid out in the contract's shape."""

    speech: SpeechPass
    face: FacePass
    context: ResolvedContext
    settings: CoachingSettings
    duration: float
    measurements: Measurements
    scores: Scores
    windows: list[WindowScores]
    moments: list[Moment]
    emotion: dict[str, Any]
    flags: list[Flag]
    triage: dict[str, Any]
    facts: TalkFacts


def build_result(
    speech: SpeechPass,
    face: FacePass,
    context: ResolvedContext,
    settings: CoachingSettings,
    *,
    duration: float,
) -> CoachingResult:
    """Score, describe and flag one talk."""
    profile = context.profile
    measurements = talk_measurements(speech, face)
    scores = score_all(measurements, profile, duration)
    windows = time_series(speech, face, profile, settings.window_seconds)
    moments = find_moments(speech, face, windows, profile)
    emotion, reading = emotion_section(
        face,
        enabled=settings.emotion_inference,
        method=settings.emotion_method,
        grid=[(w.start, w.end) for w in windows],
    )
    flags = collect_flags(
        speech, face, profile, duration=duration, distress=distress_share(reading)
    )
    talk = _Talk(
        speech, face, context, settings, duration, measurements, scores, windows, moments,
        emotion, flags, triage(scores, flags), TalkFacts(profile, speech.delivery, tuple(moments)),
    )  # fmt: skip
    return CoachingResult(
        _video_analysis(talk), _engine_analysis(talk), engine_kpis(speech), speech.text
    )


def _video_analysis(t: _Talk) -> dict[str, Any]:
    report = t.speech.delivery
    strengths, areas, weak = strengths_and_areas(t.scores, t.facts)
    notes = _notes(t.speech, t.face, t.context)
    pace = report.pace.words_per_minute if report and report.pace else None
    return {
        "overall_score": t.scores.overall,
        "category_scores": t.scores.category_values(),
        "strengths": strengths,
        "areas_for_improvement": areas,
        "filler_word_count": report.fillers.count if report and report.fillers else None,
        "speaking_pace_wpm": round(pace) if pace is not None else None,
        "detailed_feedback": detailed_feedback(t.scores, t.facts, t.moments, notes),
        "session_summary": session_summary(
            duration=t.duration,
            profile=t.context.profile,
            facts=t.facts,
            transcript=t.speech.text,
            topics=topics(t.speech.text, report.language if report is not None else "en"),
            overall=t.scores.overall,
            triage=t.triage["classification"],
        ),
        "recommendation": recommendation(
            weak,
            t.facts,
            t.speech.text,
            scored=t.scores.overall is not None,
            first_action=t.flags[0].action if t.flags else None,
        ),
        "time_series_scores": [w.to_dict() for w in t.windows],
        "labeled_moments": [m.to_dict() for m in t.moments],
        "key_moments": [m.to_dict() for m in key_moments(t.moments)],
        "evidence": t.scores.evidence(),
        "measurements": {name: m.to_dict() for name, m in t.measurements.items()},
        "context": t.context.to_dict(),
        "notes": notes,
        "duration_seconds": round(t.duration, 3),
        "transcript_source": t.speech.source,
    }


def _engine_analysis(t: _Talk) -> dict[str, Any]:
    return {
        "triage": t.triage,
        "emotion": t.emotion,
        "governance": {
            "action_flags": [f.name for f in t.flags],
            "flags": [f.to_dict() for f in t.flags],
            "recommended_actions": recommended_actions(t.flags),
            "emotion_inference": "enabled" if t.settings.emotion_inference else "disabled",
        },
        "interpretation": interpretation(
            scores=t.scores,
            triage_result=t.triage,
            emotion=t.emotion,
            flags=t.flags,
            speech=t.speech,
            face_samples=len(t.face.samples),
            face_rate=t.face.sample_fps,
            duration=t.duration,
        ),
        "face": _face_summary(t.face) if t.face.metrics is not None else None,
    }


def _face_summary(face: FacePass) -> dict[str, Any]:
    """The face metrics without their per-sample timeline (too long for a response)."""
    data = face.metrics.to_dict() if face.metrics is not None else {}
    data.pop("timeline", None)
    data["source"] = face.source
    data["sample_fps"] = face.sample_fps
    return data
