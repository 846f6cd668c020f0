"""What both coaching routes check before any analysis: the form, the media limits, the
client's face samples, the engines and the credits. No HTTP here.
"""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from vidlens.accounts import credits
from vidlens.coaching.profiles import MAX_PHRASE_CHARS
from vidlens.coaching.settings import CoachingSettings
from vidlens.config import MediaSettings, Settings
from vidlens.engines.face.engine import FaceAnalyzer
from vidlens.engines.face.errors import InvalidFaceSamples
from vidlens.engines.face.samples import parse_face_samples
from vidlens.engines.face.settings import FaceSettings
from vidlens.engines.face.types import FaceSample
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
from vidlens.errors import EngineUnavailable, InvalidInput
from vidlens.media.limits import MediaLimits
from vidlens.storage.tables import CreditEntry

VIDEO_FIELD = "video"
SAMPLES_FIELD = "mediapipeSamples"
FILE_FIELDS = frozenset({VIDEO_FIELD, "file", SAMPLES_FIELD})
"""Form parts streamed to the store as files (``file`` only to refuse it clearly)."""
TEXT_FIELDS = frozenset({"sessionId", "transcript", "contextPhrase", "context_phrase"})
CONTAINERS = frozenset({"mp4", "webm", "mov", "avi", "mkv"})
"""The contract's formats (MP4, WebM, MOV, AVI, MKV), as probed from the bytes."""
MISSING_BODY = "Missing or invalid request body."
"""The contract's 422 message for a missing video or a wrong field name."""
MAX_TRANSCRIPT_CHARS = 200_000
SAMPLES_TIME_SLACK_SECONDS = 2.0
_SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


class MissingBody(InvalidInput):
    """No ``video`` file part (absent, sent as ``file``, not multipart): the contract's 422."""

    code = "MISSING_OR_INVALID_BODY"

    def __init__(self, reason: str) -> None:
        super().__init__(MISSING_BODY, reason=reason)


@dataclass(frozen=True, slots=True)
class CoachingForm:
    """The text fields of a coaching request, validated."""

    session_id: str | None
    transcript: str | None
    context_phrase: str | None


def parse_form(fields: dict[str, str]) -> CoachingForm:
    """Validate the text fields (unknown fields are refused).

    Raises:
        InvalidInput: an unknown field, a bad ``sessionId``, both context spellings with
            different values, or a context phrase / transcript over its limit.
    """
    unknown = sorted(set(fields) - TEXT_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown form fields: {', '.join(unknown)}.", fields=unknown)
    session_id = fields.get("sessionId", "").strip() or None
    if session_id is not None and not _SESSION_ID.match(session_id):
        raise InvalidInput(
            "sessionId must be 1-128 characters: letters, digits, '.', '_', ':' or '-', "
            "starting with a letter or digit.",
            field="sessionId",
        )
    camel, snake = fields.get("contextPhrase"), fields.get("context_phrase")
    if camel is not None and snake is not None and camel.strip() != snake.strip():
        raise InvalidInput(
            "contextPhrase and context_phrase were both sent with different values; send one.",
            field="contextPhrase",
        )
    phrase = (camel if camel is not None else snake or "").strip() or None
    if phrase is not None and len(phrase) > MAX_PHRASE_CHARS:
        raise InvalidInput(
            f"contextPhrase is longer than {MAX_PHRASE_CHARS} characters.", field="contextPhrase"
        )
    transcript = fields.get("transcript", "").strip() or None
    if transcript is not None and len(transcript) > MAX_TRANSCRIPT_CHARS:
        raise InvalidInput(
            f"transcript is longer than {MAX_TRANSCRIPT_CHARS} characters.", field="transcript"
        )
    return CoachingForm(session_id, transcript, phrase)


def new_session_id() -> str:
    return str(uuid.uuid4())


def media_limits(
    media: MediaSettings, coaching: CoachingSettings, *, stateless: bool
) -> MediaLimits:
    """The contract's containers, a video stream, and the coaching duration limit."""
    longest = (
        coaching.stateless_max_duration_seconds if stateless else coaching.max_duration_seconds
    )
    return MediaLimits.from_settings(
        media,
        allowed_containers=CONTAINERS,
        require_video=True,
        max_duration_seconds=longest,
    )


def check_engines(settings: Settings) -> None:
    """Refuse early when speech-to-text or the face landmarker cannot run here.

    Raises:
        EngineUnavailable: the message names the engine, the hint what to install.
    """
    for engine in (
        FasterWhisperEngine(settings.engines.whisper),
        FaceAnalyzer(settings.coaching.face),
    ):
        availability = engine.availability()
        if not availability.available:
            raise EngineUnavailable(
                f"Communication coaching needs {engine.name}: {availability.reason}.",
                hint=availability.hint,
            )


def read_face_samples(path: Path, face: FaceSettings, duration: float) -> list[FaceSample]:
    """Validate a stored ``mediapipeSamples`` document against the schema and the video.

    Raises:
        InvalidFaceSamples: over the size limit, not the schema, or timestamps reaching
            past the end of the video.
    """
    size = path.stat().st_size
    if size > face.max_samples_json_bytes:
        raise InvalidFaceSamples(
            f"{SAMPLES_FIELD} is {size} bytes; at most {face.max_samples_json_bytes} accepted",
            field=SAMPLES_FIELD,
        )
    samples = parse_face_samples(path.read_bytes(), face)
    last = samples[-1].timestamp
    if last > duration + SAMPLES_TIME_SLACK_SECONDS:
        raise InvalidFaceSamples(
            f"{SAMPLES_FIELD} runs to {last:.2f} s but the video lasts {duration:.2f} s "
            "(timestampMs is milliseconds from the start of the video)",
            field=f"{SAMPLES_FIELD}[{len(samples) - 1}].timestampMs",
        )
    return samples


def credits_for(duration_seconds: float) -> int:
    """1 credit per second of source video, rounded down."""
    return max(0, math.floor(duration_seconds))


def charge(
    *, session: Session, account_id: str, duration_seconds: float, reason: str
) -> CreditEntry:
    """Charge the analysis of a video of this length.

    Raises:
        InsufficientCredits: the balance does not cover it.
    """
    return credits.charge(
        session=session,
        account_id=account_id,
        amount=credits_for(duration_seconds),
        reason=reason,
    )
