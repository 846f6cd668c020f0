"""``reframe_llm``: whom to follow, decided by a chat model from a plain-language
instruction ("follow the interviewer", "stay on the woman on the left").

The model is any OpenAI-compatible chat endpoint named in settings
(``VIDLENS_REFRAME__LLM_URL``); none ships offline. It receives the instruction and a
description of the people on screen, measured by the earlier steps (position, size, time on
screen, speaking fraction, and what each one says when a diarized transcript exists), and
must answer JSON::

    {"follow": [{"face_id": 2, "start": 0.0, "end": 31.5}], "reason": "..."}

The answer becomes camera directives (:class:`~vidlens.engines.reframe.targets.Directive`);
face ids the model invents and unreadable answers are refused with a clear error.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

import httpx

from vidlens.engines.active_speaker.types import ActiveSpeakerResult
from vidlens.engines.base import Availability
from vidlens.engines.faces.types import FaceTrackingResult
from vidlens.engines.reframe.targets import Directive
from vidlens.errors import EngineUnavailable, VidlensError
from vidlens.reframe.settings import ReframePipelineSettings

UNAVAILABLE = (
    "reframe_llm needs an OpenAI-compatible chat endpoint and none is configured",
    "set VIDLENS_REFRAME__LLM_URL (and VIDLENS_REFRAME__LLM_MODEL, "
    "VIDLENS_REFRAME__LLM_API_KEY if needed), e.g. a local llama.cpp or vLLM server",
)
SYSTEM_PROMPT = (
    "You direct a virtual camera that crops a video to a vertical frame. You get a list of "
    "the people (faces) on screen with measurements, and an instruction saying whom to "
    'follow. Answer with JSON only: {"follow": [{"face_id": <int>, "start": <seconds>, '
    '"end": <seconds>}], "reason": <short string>}. Use only the face ids listed.'
)


class LlmUnavailable(EngineUnavailable):
    """No chat endpoint is configured for ``reframe_llm``."""

    code = "LLM_UNAVAILABLE"


class LlmFailed(VidlensError):
    """The chat endpoint failed or answered something unusable."""

    status = 502
    code = "LLM_FAILED"


def llm_availability(settings: ReframePipelineSettings) -> Availability:
    """Whether ``reframe_llm`` can run (an endpoint is configured; it is not called)."""
    if not settings.llm_url:
        return Availability.missing(*UNAVAILABLE)
    return Availability.ok()


def require_llm(settings: ReframePipelineSettings) -> str:
    """The configured endpoint URL.

    Raises:
        LlmUnavailable: none is configured.
    """
    if not settings.llm_url:
        raise LlmUnavailable(UNAVAILABLE[0] + ".", hint=UNAVAILABLE[1])
    return settings.llm_url.rstrip("/") + "/chat/completions"


def describe_people(
    faces: FaceTrackingResult,
    speakers: ActiveSpeakerResult,
    transcript: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    """What the model is told about each face id (measured, not guessed)."""
    boxes: dict[int, list[tuple[float, float, float]]] = defaultdict(list)
    for track in faces.tracks:
        for p in track.points:
            boxes[track.face_id].append((p.box.centre[0], p.box.centre[1], p.box.height))
    lines: dict[str, list[str]] = defaultdict(list)
    for segment in (transcript or {}).get("segments", []):
        if segment.get("speaker"):
            lines[segment["speaker"]].append(f"[{segment['start']:.1f}s] {segment['text']}")
    people = []
    for person in speakers.tracks:
        points = boxes.get(person.face_id, [])
        if not points:
            continue
        x = sum(p[0] for p in points) / len(points)
        people.append(
            {
                "face_id": person.face_id,
                "horizontal_position": "left" if x < 0.4 else "right" if x > 0.6 else "centre",
                "mean_centre_x": round(x, 3),
                "mean_face_height": round(sum(p[2] for p in points) / len(points), 3),
                "first_seen": round(person.first_seen, 2),
                "last_seen": round(person.last_seen, 2),
                "speaking_fraction": round(person.speaking_fraction, 3),
                "says": lines.get(person.speaker_label or "", [])[:20],
            }
        )
    return people


def ask_directives(
    instruction: str,
    people: list[dict[str, Any]],
    duration: float,
    settings: ReframePipelineSettings,
    client: httpx.Client | None = None,
) -> tuple[list[Directive], str]:
    """Ask the chat model whom to follow; returns the directives and its reason.

    Raises:
        LlmUnavailable: no endpoint configured.
        LlmFailed: the endpoint failed, or the answer is not the JSON asked for.
    """
    url = require_llm(settings)
    body = {
        "model": settings.llm_model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {
                "role": "user",
                "content": json.dumps(
                    {
                        "instruction": instruction,
                        "video_seconds": round(duration, 2),
                        "people": people,
                    }
                ),
            },
        ],
    }
    headers = {}
    if settings.llm_api_key is not None:
        headers["Authorization"] = f"Bearer {settings.llm_api_key.get_secret_value()}"
    owned = client is None
    http = client or httpx.Client(timeout=settings.llm_timeout_seconds, trust_env=False)
    try:
        response = http.post(url, json=body, headers=headers)
    except httpx.HTTPError as exc:
        raise LlmFailed(f"The chat endpoint could not be reached: {exc}") from None
    finally:
        if owned:
            http.close()
    if response.status_code != 200:
        raise LlmFailed(f"The chat endpoint answered HTTP {response.status_code}.")
    return parse_answer(response, {p["face_id"] for p in people}, duration)


def parse_answer(
    response: httpx.Response, face_ids: set[int], duration: float
) -> tuple[list[Directive], str]:
    """Directives from an OpenAI-style chat completion.

    Raises:
        LlmFailed: not a chat completion, no JSON object in it, or unknown face ids.
    """
    try:
        content = str(response.json()["choices"][0]["message"]["content"])
    except (ValueError, KeyError, IndexError, TypeError):
        raise LlmFailed("The chat endpoint's answer is not a chat completion.") from None
    match = re.search(r"\{.*\}", content, flags=re.S)
    try:
        answer = json.loads(match.group(0)) if match else None
        follow = answer["follow"] if isinstance(answer, dict) else None
        directives = [
            Directive(
                max(0.0, float(item.get("start", 0.0))),
                min(duration, float(item.get("end", duration))),
                int(item["face_id"]),
            )
            for item in follow or []
        ]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise LlmFailed(
            f"The chat model's answer is not the JSON asked for: {content[:200]!r}"
        ) from None
    if not directives:
        raise LlmFailed(f"The chat model named nobody to follow: {content[:200]!r}")
    unknown = sorted({d.face_id for d in directives} - face_ids)
    if unknown:
        raise LlmFailed(f"The chat model named face ids that are not in the video: {unknown}.")
    return directives, str(answer.get("reason", "")) if isinstance(answer, dict) else ""
