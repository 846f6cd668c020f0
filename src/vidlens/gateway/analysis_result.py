"""Engine outputs → the contract's ``video-analysis_Result`` members, field for field.

Every detection below ``confidence_threshold`` is left out (labels, moderation signals and
their time ranges, OCR text, topics, brands); ``is_safe`` is true when no moderation
signal reaches the threshold. Times are seconds from the start of the video, rounded to
milliseconds; confidences are rounded to 4 decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vidlens.engines.moderation.nudity import DETECTABLE
from vidlens.engines.ocr.tracks import TextTrack
from vidlens.engines.speech.formats import speaker_ids
from vidlens.engines.speech.types import Transcript
from vidlens.engines.text.brands import BrandHit
from vidlens.engines.text.language import detect
from vidlens.engines.text.sentiment import SentimentResult
from vidlens.engines.text.topics import Topic
from vidlens.engines.vision.timeline import Instance, LabelTrack
from vidlens.storage.tables import Media

_FORMATS = {"video/mp4": "mp4", "video/quicktime": "mov", "video/webm": "webm"}


def video_metadata(media: Media) -> dict[str, Any]:
    """``VideoMetadata`` from the probed media row."""
    container = media.container.split(",", 1)[0] if media.container else None
    mime = media.mime_type or ""
    fmt = _FORMATS.get(mime) or (mime.split("/", 1)[1] if "/" in mime else container)
    return {
        "duration": round(media.duration_seconds or 0.0, 3),
        "width": media.width,
        "height": media.height,
        "frame_rate": round(media.fps, 3) if media.fps else None,
        "format": fmt,
        "codec": media.video_codec,
    }


def _instances(found: Sequence[Instance], threshold: float = 0.0) -> list[dict[str, float]]:
    return [i.as_dict() for i in found if i.confidence >= threshold]


def speech_segments(transcript: Transcript) -> list[dict[str, Any]]:
    """``TranscriptSegment`` items; speakers numbered from 0 in order of first appearance
    (0 for every segment when diarization did not run)."""
    ids = speaker_ids(transcript)
    return [
        {
            "start": round(s.start, 3),
            "end": round(s.end, 3),
            "text": s.text,
            "speaker_id": ids.get(s.speaker, 0) if s.speaker is not None else 0,
            "language": transcript.language,
            "confidence": round(s.confidence, 4),
        }
        for s in transcript.segments
    ]


def ocr_items(tracks: Sequence[TextTrack], threshold: float, language: str) -> list[dict[str, Any]]:
    """``OcrText`` items at or above ``threshold``. ``language``: each text's own detected
    language when it is long enough, else the video's (``language``)."""
    items = []
    for track in tracks:
        if track.confidence < threshold:
            continue
        found = detect(track.text)
        items.append(
            {
                "text": track.text,
                "confidence": round(track.confidence, 4),
                "language": found.code if found and found.probability >= 0.9 else language,
                "instances": _instances(track.instances),
            }
        )
    return items


def label_items(tracks: Sequence[LabelTrack]) -> list[dict[str, Any]]:
    """``LabelDetection`` items (already thresholded by the timeline)."""
    return [
        {"name": t.label, "confidence": t.confidence, "instances": _instances(t.instances)}
        for t in tracks
    ]


def moderation(tracks: Sequence[LabelTrack]) -> dict[str, Any]:
    """``ContentModeration``: signals (thresholded tracks of the detectable labels)."""
    signals = [
        {"label": t.label, "confidence": t.confidence, "instances": _instances(t.instances)}
        for t in tracks
        if t.label in DETECTABLE
    ]
    return {"is_safe": not signals, "signals": signals}


def sentiment(result: SentimentResult | None) -> dict[str, Any] | None:
    """``Sentiment``, or None when there was no speech to score."""
    if result is None:
        return None
    return {
        "overall": result.overall,
        "score": result.score,
        "instances": [
            {"start": round(s.start, 3), "end": round(s.end, 3), "label": s.label, "score": s.score}
            for s in result.instances
        ],
    }


def topic_items(topics: Sequence[Topic], threshold: float) -> list[dict[str, Any]]:
    """``Topic`` items at or above ``threshold``."""
    return [
        {"name": t.name, "confidence": t.confidence, "instances": _instances(t.instances)}
        for t in topics
        if t.confidence >= threshold
    ]


def brand_items(hits: Sequence[BrandHit], threshold: float) -> list[dict[str, Any]]:
    """``BrandDetection`` items at or above ``threshold``."""
    return [
        {
            "name": h.name,
            "confidence": h.confidence,
            "instances": _instances(h.instances, threshold),
        }
        for h in hits
        if h.confidence >= threshold
    ]
