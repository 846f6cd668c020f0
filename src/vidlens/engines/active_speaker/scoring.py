"""Per-sample speaking scores from synchrony, voice activity and diarized turns.

1. **Segments**: the diarized turns (speaker known), else the speech regions of the voice
   activity detector cut into pieces of at most ``segment_max_seconds``.
2. **Local belief** per face and segment, from its synchrony ``E`` (:mod:`.evidence`),
   blended, when there are no diarized turns, with the synchrony over the face's whole
   track (``E = (1 - track_weight) x E_segment + track_weight x E_track``; with turns the
   speaker-to-face mapping of step 3 pools the evidence instead, and turn-taking between
   two faces on screen together stays visible):
   ``absolute = logistic(evidence_slope x (E - evidence_offset))``; among faces measured in
   the same segment, ``relative`` is 1 for the best-synchronised face and 0 for the others
   (with a single face, ``relative = absolute``);
   ``local = (1 - relative_weight) x absolute + relative_weight x relative``.
3. **Speaker → face**: each diarized speaker is mapped to the face with the largest
   ``sum(local x segment duration)`` over that speaker's turns.
4. **Score** of a face at a sample at time ``t``: ``v x ((1 - w) x local + w x mapped)``
   with ``v`` the fraction of ``t ± 0.25`` s that is speech, ``mapped`` 1 when the speaker of
   the current turn was mapped to this face (0 otherwise), ``w = diarization_weight`` with
   turns and 0 without. A mouth whose activity is below ``min_mouth_activity`` has its score
   scaled down by ``activity / min_mouth_activity`` (a still mouth is not speaking).
5. **Visual-only** (no audio): ``score = min(1, activity / (4 x min_mouth_activity))``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from vidlens.engines.active_speaker.audio import AudioSignals
from vidlens.engines.active_speaker.evidence import MouthSeries, synchrony
from vidlens.engines.active_speaker.settings import ActiveSpeakerSettings
from vidlens.engines.speech.diarization import SpeakerTurn

_VOICE_HALF_WINDOW = 0.25


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of speech, with its diarized speaker when known."""

    start: float
    end: float
    speaker: str | None = None


def speech_segments(
    audio: AudioSignals, turns: Sequence[SpeakerTurn] | None, settings: ActiveSpeakerSettings
) -> list[Segment]:
    """Diarized turns, else VAD regions cut to at most ``segment_max_seconds``."""
    if turns:
        return [Segment(t.start, t.end, t.speaker) for t in sorted(turns, key=lambda t: t.start)]
    segments: list[Segment] = []
    for start, end in audio.regions:
        pieces = max(1, math.ceil((end - start) / settings.segment_max_seconds))
        step = (end - start) / pieces
        segments.extend(Segment(start + i * step, start + (i + 1) * step) for i in range(pieces))
    return segments


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x))))


def local_beliefs(
    series: Sequence[MouthSeries],
    audio: AudioSignals,
    segments: Sequence[Segment],
    settings: ActiveSpeakerSettings,
) -> list[dict[int, float]]:
    """For each segment, ``track_id → local belief`` of the faces measured in it."""
    overall = {
        s.track_id: synchrony(s, audio, float(s.times[0]), float(s.times[-1]), settings)
        for s in series
        if s.times.size
    }
    diarized = any(segment.speaker is not None for segment in segments)
    share = 0.0 if diarized else settings.track_weight
    beliefs: list[dict[int, float]] = []
    for segment in segments:
        evidence = {
            s.track_id: (1.0 - share) * e + share * (overall.get(s.track_id) or 0.0)
            for s in series
            if (e := synchrony(s, audio, segment.start, segment.end, settings)) is not None
        }
        best = max(evidence.values(), default=0.0)
        local: dict[int, float] = {}
        for track_id, value in evidence.items():
            absolute = _logistic(settings.evidence_slope * (value - settings.evidence_offset))
            relative = absolute if len(evidence) == 1 else float(value == best)
            weight = settings.relative_weight
            local[track_id] = (1.0 - weight) * absolute + weight * relative
        beliefs.append(local)
    return beliefs


def map_speakers(
    series: Sequence[MouthSeries], segments: Sequence[Segment], beliefs: Sequence[dict[int, float]]
) -> dict[str, int]:
    """Diarized speaker label → the face id whose mouth followed that voice best."""
    face_of = {s.track_id: s.face_id for s in series}
    totals: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for segment, local in zip(segments, beliefs, strict=True):
        if segment.speaker is None:
            continue
        for track_id, belief in local.items():
            totals[segment.speaker][face_of[track_id]] += belief * (segment.end - segment.start)
    return {
        speaker: max(faces, key=lambda face: faces[face])
        for speaker, faces in totals.items()
        if faces and max(faces.values()) > 0
    }


def sample_scores(
    series: MouthSeries,
    audio: AudioSignals,
    segments: Sequence[Segment],
    beliefs: Sequence[dict[int, float]],
    mapping: dict[str, int],
    settings: ActiveSpeakerSettings,
) -> list[float]:
    """The score of each sample of one face track (step 4 of the module docstring)."""
    weight = settings.diarization_weight if mapping else 0.0
    scores = []
    index = 0
    for time, activity in zip(series.times, series.activity, strict=True):
        while index + 1 < len(segments) and segments[index].end < time:
            index += 1
        segment = segments[index] if segments else None
        inside = segment is not None and segment.start <= time <= segment.end
        local = beliefs[index].get(series.track_id, 0.0) if inside and segments else 0.0
        mapped = float(
            inside and segment is not None and mapping.get(segment.speaker or "") == series.face_id
        )
        voice = audio.speech_fraction(float(time), _VOICE_HALF_WINDOW)
        score = voice * ((1.0 - weight) * local + weight * mapped)
        scores.append(score * _stillness(float(activity), settings.min_mouth_activity))
    return scores


def _stillness(activity: float, floor: float) -> float:
    return 1.0 if floor <= 0 or activity >= floor else activity / floor


def visual_scores(series: MouthSeries, settings: ActiveSpeakerSettings) -> list[float]:
    """Scores from mouth movement alone (step 5)."""
    floor = max(settings.min_mouth_activity, 1e-6)
    return [min(1.0, float(a) / (4.0 * floor)) for a in series.activity]
