"""OpenAPI request bodies and examples of the coaching routes (kept apart from the
handlers; the examples follow the contract's own sample)."""

from __future__ import annotations

from typing import Any

_FORM_FIELDS: dict[str, Any] = {
    "video": {
        "type": "string",
        "format": "binary",
        "description": "The recorded talk (MP4, WebM, MOV, AVI or MKV, probed from its bytes). "
        "The field must be named `video`, not `file`.",
    },
    "sessionId": {"type": "string", "description": "Echoed back; generated when absent."},
    "transcript": {
        "type": "string",
        "description": "Transcript to measure instead of ours, when it matches the audio.",
    },
    "contextPhrase": {
        "type": "string",
        "default": "professional communication coaching session",
        "description": "Scenario (job interview practice, sales pitch rehearsal, ...); "
        "`context_phrase` is accepted too.",
    },
    "context_phrase": {"type": "string", "description": "Same as contextPhrase."},
    "mediapipeSamples": {
        "type": "string",
        "description": "JSON array of MediaPipe FaceLandmarkerResult samples with timestampMs; "
        "used instead of decoding the faces (validated strictly, see docs/face.md).",
    },
}


def form_body(fields: tuple[str, ...]) -> dict[str, Any]:
    """``openapi_extra`` for a multipart route taking ``fields``."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["video"],
                        "properties": {name: _FORM_FIELDS[name] for name in fields},
                    },
                    "example": {
                        "video": "(binary) interview.mp4",
                        **(
                            {"context_phrase": "job interview practice"}
                            if "context_phrase" in fields
                            else {}
                        ),
                    },
                }
            },
        }
    }


VIDEO_ANALYSIS_EXAMPLE: dict[str, Any] = {
    "overall_score": 78,
    "category_scores": {"likeability": 7.5, "authenticity": 8.0, "clarity": 7.5, "confidence": 7.0},
    "strengths": [
        "Steady eye contact: you looked at the camera 92% of the time your face was visible."
    ],
    "areas_for_improvement": [
        "Reduce filler words: 12 (4.1 per minute), most often “um”; densest at 4 filler words "
        "(um, uh) in 6.2 s, 0:21-0:27: “um so the uh main thing is um that we uh …”."
    ],
    "filler_word_count": 12,
    "speaking_pace_wpm": 145,
    "detailed_feedback": "Clarity 7.5/10: helped most by pace (145.0 words per minute), held "
    "back by filler words (4.1 per minute).",
    "session_summary": "A 2 min 55 s job interview answer of 423 words at 145 words per minute "
    "about team leadership. It opens with “I led a team of six engineers.”. Overall 78/100 "
    "(ready).",
    "recommendation": "Record one more take and replace each “um” with a silent breath (start "
    "with 0:21-0:27); aim for under 3 filler words per minute (now 4.1).",
    "time_series_scores": [
        {
            "start": 0.0,
            "end": 10.0,
            "likeability": 7.1,
            "authenticity": 7.8,
            "clarity": 8.2,
            "confidence": 7.4,
            "overall": 76,
            "measurements": {"pace": 138.0},
            "unavailable": {},
        },
    ],
    "labeled_moments": [
        {
            "time": 21.3,
            "end": 27.5,
            "timestamp": "0:21",
            "kind": "filler_cluster",
            "label": "filler cluster",
            "polarity": "negative",
            "source": "speech",
            "description": "4 filler words (um, uh) in 6.2 s, 0:21-0:27: “um so the uh …”",
        },
    ],
    "key_moments": [],
    "evidence": {"clarity": {"score": 7.5, "confidence": 1.0, "components": []}},
}

FULL_ANALYSIS_EXAMPLE: dict[str, Any] = {
    "sessionId": "practice-42",
    "video_analysis": VIDEO_ANALYSIS_EXAMPLE,
    "engine_analysis": {
        "triage": {"classification": "ready", "rule_id": "ready", "rule": "..."},
        "emotion": {
            "enabled": True,
            "status": "measured",
            "method": "blendshape-heuristic-v1",
            "overall": {
                "distribution": {"neutral": 0.86, "happy": 0.14},
                "dominant": "neutral",
                "confidence": 0.8,
                "samples": 1750,
            },
        },
        "governance": {"action_flags": [], "recommended_actions": ["No action needed: ..."]},
        "interpretation": "These results come from 423 words of speech and 1750 face samples ...",
    },
    "engine_kpis": {
        "speaking_pace": {
            "value": 145.0,
            "unit": "words per minute",
            "normal_range": {"low": 120.0, "high": 160.0},
            "in_range": True,
        },
    },
    "transcript": "I led a team of six engineers ...",
    "videoUrl": "https://vidlens.example/media/download/3f6c...?expires=1795581976&signature=...",
}

ACCEPTED_EXAMPLE: dict[str, Any] = {
    "sessionId": "practice-42",
    "pollingUrl": "https://vidlens.example/api/v1/full-analysis/practice-42",
    "status": "processing",
}

POLL_EXAMPLES: dict[str, Any] = {
    "processing": {
        "summary": "still running",
        "value": {
            "sessionId": "practice-42",
            "status": "processing",
            "progress": {
                "phase": "transcribing + detecting faces",
                "percent": 41.5,
                "kpnPackagesSent": 0,
                "jobStatus": "processing",
            },
        },
    },
    "complete": {
        "summary": "done",
        "value": {
            "sessionId": "practice-42",
            "status": "complete",
            "result": {**FULL_ANALYSIS_EXAMPLE, "biometric_analysis": {"triage": {}}},
        },
    },
    "failed": {
        "summary": "failed with a reason",
        "value": {
            "sessionId": "practice-42",
            "status": "failed",
            "code": "VIDEO_UNREADABLE",
            "reason": "the video stream does not decode: ...",
        },
    },
}
