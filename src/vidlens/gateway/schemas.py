"""Request models of ``POST /v1/transcriptions`` (contract schemas ``CreateRequest``,
``AttributesCreate``, ``Input``, ``Options``, ``Webhook``, ``Meta``) and their validation into
JSON:API error objects."""

from __future__ import annotations

import functools
import json
import re
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from vidlens.errors import InvalidInput

RESOURCE_TYPE = "transcription-job"
PROVIDER_ID = "vidlens-local"
"""The one provider of this server: faster-whisper on the local CPU."""
PROVIDERS: frozenset[str] = frozenset({PROVIDER_ID})
MAX_CLIENT_META_BYTES = 16 * 1024
"""Largest ``meta.client`` accepted, as compact UTF-8 JSON."""

_BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

Format = Literal["json", "srt", "vtt"]
PriorityName = Literal["low", "standard", "high"]


@functools.cache
def whisper_languages() -> frozenset[str] | None:
    """The language codes Whisper knows, or None when faster-whisper is not installed (the
    engine then reports itself unavailable)."""
    try:
        from faster_whisper.tokenizer import _LANGUAGE_CODES  # type: ignore[import-untyped]
    except ImportError:
        return None
    return frozenset(str(code) for code in _LANGUAGE_CODES)


def engine_language(language: str) -> str:
    """The engine's language for a contract language: ``auto``, or the primary subtag of a
    BCP 47 tag in lower case (``en-US`` → ``en``)."""
    return "auto" if language == "auto" else language.split("-", 1)[0].lower()


class InputIn(BaseModel):
    """``Input``: the source media. ``url`` is required for JSON requests and absent for the
    multipart upload extension."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["video", "audio"] = Field(
        description="video: audio is extracted from the container first; audio: transcribed "
        "directly. Both are read by ffmpeg; the kind is recorded, not trusted."
    )
    url: str | None = Field(
        default=None,
        min_length=1,
        max_length=8192,
        description="http(s) URL of the file, downloaded inside the job (SSRF rules apply).",
    )
    audio_track: int | None = Field(
        default=None, ge=0, le=63, description="Zero-based audio stream index (video only)."
    )


class OptionsIn(BaseModel):
    """``Options``."""

    model_config = ConfigDict(extra="forbid")

    language: str = Field(
        default="auto",
        max_length=35,
        description="auto (detection) or a BCP 47 tag whose primary subtag Whisper knows.",
    )
    timestamps: bool = True
    format: Format = "json"
    diarization: bool = False
    num_speakers: int | None = Field(
        default=None,
        ge=1,
        le=32,
        description="Extension: the number of speakers when known (diarization only); "
        "omitted, the diarizer finds it.",
    )
    priority: PriorityName = "standard"

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        value = auto_or_language_tag(value)
        if value == "auto":
            return value
        known = whisper_languages()
        if known is not None and engine_language(value) not in known:
            raise ValueError(f"language {value!r} is not supported by provider {PROVIDER_ID}")
        return value


class WebhookIn(BaseModel):
    """``Webhook``."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=2048)
    headers: dict[str, str] = Field(default_factory=dict)


class AttributesIn(BaseModel):
    """``AttributesCreate``."""

    model_config = ConfigDict(extra="forbid")

    input: InputIn
    options: OptionsIn = Field(default_factory=OptionsIn)
    webhook: WebhookIn | None = None
    provider: str | None = None


class MetaIn(BaseModel):
    """``Meta``: ``client`` is stored and echoed; ``system`` is the gateway's and ignored."""

    model_config = ConfigDict(extra="ignore")

    client: dict[str, Any] | None = None


def auto_or_language_tag(value: str) -> str:
    """``auto`` (any case) or a BCP 47 tag, stripped.

    Raises:
        ValueError: neither.
    """
    value = value.strip()
    if value.lower() == "auto":
        return "auto"
    if not _BCP47.match(value):
        raise ValueError("must be 'auto' or a BCP 47 language tag such as 'en' or 'en-US'")
    return value


def client_meta(*places: MetaIn | None) -> dict[str, Any]:
    """``meta.client`` from the first of ``places`` that has one (``data.meta``, the
    contract's place, then the top-level ``meta``), else ``{}``."""
    for meta in places:
        if meta is not None and meta.client is not None:
            return meta.client
    return {}


class DataIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str
    attributes: AttributesIn
    meta: MetaIn | None = None


class CreateRequest(BaseModel):
    """``CreateRequest``. ``meta`` is read from ``data.meta`` (the contract's place) or, as a
    convenience, from the top level."""

    model_config = ConfigDict(extra="ignore")

    data: DataIn
    meta: MetaIn | None = None

    @property
    def client_meta(self) -> dict[str, Any]:
        return client_meta(self.data.meta, self.meta)


def error_object(
    pointer: str | None, detail: str, *, code: str = "VALIDATION_ERROR", status: int = 422
) -> dict[str, Any]:
    """One JSON:API error object."""
    error: dict[str, Any] = {
        "status": str(status),
        "code": code,
        "title": "Invalid request" if status in {400, 422} else "Error",
        "detail": detail,
    }
    if pointer is not None:
        error["source"] = {"pointer": pointer}
    return error


def invalid(pointer: str | None, detail: str, *, code: str = "VALIDATION_ERROR") -> InvalidInput:
    """An :class:`InvalidInput` carrying one JSON:API error object (rendered as is)."""
    return InvalidInput(detail, code=code, errors=[error_object(pointer, detail, code=code)])


def _pointer(loc: tuple[int | str, ...]) -> str:
    return "/" + "/".join(str(part) for part in loc)


M = TypeVar("M", bound=BaseModel)


def validate_envelope(body: Any, model: type[M]) -> M:
    """Validate a decoded JSON body against a request model.

    Raises:
        InvalidInput: every problem found, as JSON:API error objects with a
            ``source.pointer`` (code ``VALIDATION_ERROR``).
    """
    if not isinstance(body, dict):
        raise invalid("", "The request body must be a JSON object with a 'data' member.")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        errors = [
            error_object(_pointer(tuple(err["loc"])), f"{err['msg']}.".replace("..", "."))
            for err in exc.errors()
        ]
        raise InvalidInput(
            "The request body does not match the contract: "
            + "; ".join(f"{e['source']['pointer']}: {e['detail']}" for e in errors),
            errors=errors,
        ) from None


def check_client_meta(client: dict[str, Any]) -> None:
    """Refuse a ``meta.client`` over :data:`MAX_CLIENT_META_BYTES`.

    Raises:
        InvalidInput: it is too large.
    """
    size = len(json.dumps(client, separators=(",", ":"), ensure_ascii=False).encode())
    if size > MAX_CLIENT_META_BYTES:
        raise invalid(
            "/data/meta/client",
            f"meta.client must be at most {MAX_CLIENT_META_BYTES // 1024} KiB of JSON.",
        )


def parse_create(body: Any, *, upload: bool) -> CreateRequest:
    """Validate a create body (already decoded JSON) against the contract.

    Arguments:
        body: the decoded request body.
        upload: the multipart extension: the file replaces ``input.url``.

    Raises:
        InvalidInput: every problem found, as JSON:API error objects with a
            ``source.pointer`` (code ``VALIDATION_ERROR``; ``UNSUPPORTED_PROVIDER`` and
            ``UNSUPPORTED_FEATURE`` for an unknown provider and for a feature whose engine is
            not installed).
    """
    request = validate_envelope(body, CreateRequest)
    _check_semantics(request, upload=upload)
    return request


def _check_semantics(request: CreateRequest, *, upload: bool) -> None:
    attributes = request.data.attributes
    if request.data.type != RESOURCE_TYPE:
        raise invalid("/data/type", f"type must be exactly {RESOURCE_TYPE!r}.")
    if not upload and attributes.input.url is None:
        raise invalid("/data/attributes/input/url", "input.url is required.")
    if upload and attributes.input.url is not None:
        raise invalid(
            "/data/attributes/input/url", "Send either a file part or input.url, not both."
        )
    if attributes.provider is not None and attributes.provider not in PROVIDERS:
        raise invalid(
            "/data/attributes/provider",
            f"Unknown provider {attributes.provider!r}; this server offers: "
            + ", ".join(sorted(PROVIDERS))
            + ".",
            code="UNSUPPORTED_PROVIDER",
        )
    if attributes.options.num_speakers is not None and not attributes.options.diarization:
        raise invalid(
            "/data/attributes/options/num_speakers",
            "num_speakers applies to diarization: send diarization: true with it.",
        )
    check_client_meta(request.client_meta)
