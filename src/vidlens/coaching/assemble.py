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
from vidlens.coaching.governance import collect_flags, recommended_actions
from vidlens.coaching.measurements import talk_measurements
from vidlens.coaching.moments import find_moments, key_moments
from vidlens.coaching.phrasing import TalkFacts
from vidlens.coaching.profiles import ResolvedContext
from vidlens.coaching.scoring import score_all
from vidlens.coaching.settings import CoachingSettings
from vidlens.coaching.speech_pass import SpeechPass
from vidlens.coaching.timeseries import time_series


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
    grid = [(w.start, w.end) for w in windows]
    emotion, reading = emotion_section(
        face, enabled=settings.emotion_inference, method=settings.emotion_method, grid=grid
    )
    flags = collect_flags(
        speech, face, profile, duration=duration, distress=distress_share(reading)
    )
    triaged = triage(scores, flags)
    facts = TalkFacts(profile, speech.delivery, tuple(moments))
    strengths, areas, weak = strengths_and_areas(scores, facts)
    notes = _notes(speech, face, context)
    report = speech.delivery
    language = report.language if report is not None else "en"
    video_analysis: dict[str, Any] = {
        "overall_score": scores.overall,
        "category_scores": scores.category_values(),
        "strengths": strengths,
        "areas_for_improvement": areas,
        "filler_word_count": report.fillers.count if report and report.fillers else None,
        "speaking_pace_wpm": (
            round(report.pace.words_per_minute)
            if report and report.pace and report.pace.words_per_minute is not None
            else None
        ),
        "detailed_feedback": detailed_feedback(scores, facts, moments, notes),
        "session_summary": session_summary(
            duration=duration,
            profile=profile,
            facts=facts,
            transcript=speech.text,
            topics=topics(speech.text, language),
            overall=scores.overall,
            triage=triaged["classification"],
        ),
        "recommendation": recommendation(
            weak,
            facts,
            speech.text,
            scored=scores.overall is not None,
            first_action=flags[0].action if flags else None,
        ),
        "time_series_scores": [w.to_dict() for w in windows],
        "labeled_moments": [m.to_dict() for m in moments],
        "key_moments": [m.to_dict() for m in key_moments(moments)],
        "evidence": scores.evidence(),
        "measurements": {name: m.to_dict() for name, m in measurements.items()},
        "context": context.to_dict(),
        "notes": notes,
        "duration_seconds": round(duration, 3),
        "transcript_source": speech.source,
    }
    metrics = face.metrics
    engine_analysis = {
        "triage": triaged,
        "emotion": emotion,
        "governance": {
            "action_flags": [f.name for f in flags],
            "flags": [f.to_dict() for f in flags],
            "recommended_actions": recommended_actions(flags),
            "emotion_inference": "enabled" if settings.emotion_inference else "disabled",
        },
        "interpretation": interpretation(
            scores=scores,
            triage_result=triaged,
            emotion=emotion,
            flags=flags,
            speech=speech,
            face_samples=len(face.samples),
            face_rate=face.sample_fps,
            duration=duration,
        ),
        "face": _face_summary(face) if metrics is not None else None,
    }
    return CoachingResult(video_analysis, engine_analysis, engine_kpis(speech), speech.text)


def _face_summary(face: FacePass) -> dict[str, Any]:
    """The face metrics without their per-sample timeline (too long for a response)."""
    data = face.metrics.to_dict() if face.metrics is not None else {}
    data.pop("timeline", None)
    data["source"] = face.source
    data["sample_fps"] = face.sample_fps
    return data
