"""Request models of ``POST /v1/translations`` (contract schemas
``translation_CreateRequest``, ``translation_AttributesCreate``, ``translation_Input``,
``translation_Options``) and their checks."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from vidlens.gateway.schemas import (
    _BCP47,
    MetaIn,
    PriorityName,
    WebhookIn,
    check_client_meta,
    client_meta,
    invalid,
    validate_envelope,
)

TRANSLATION_TYPE = "translation-job"
MAX_TEXT_CHARACTERS = 100_000
"""Longest ``input.content`` accepted (larger texts: send a document)."""


def _tag(value: str) -> str:
    value = value.strip()
    if not _BCP47.match(value):
        raise ValueError("must be a BCP 47 language tag such as 'en', 'es' or 'pt-BR'")
    return value


class TranslationInputIn(BaseModel):
    """``translation_Input``."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["text", "document"]
    content: str | None = Field(
        default=None,
        max_length=MAX_TEXT_CHARACTERS,
        description="The text to translate (type text).",
    )
    url: str | None = Field(
        default=None,
        min_length=1,
        max_length=8192,
        description="http(s) URL of a .txt, .srt, .vtt, .html or .docx file (type document).",
    )
    target_language: str = Field(max_length=35, description="BCP 47 tag of the output.")

    @field_validator("target_language")
    @classmethod
    def _target(cls, value: str) -> str:
        return _tag(value)


class TranslationOptionsIn(BaseModel):
    """``translation_Options``."""

    model_config = ConfigDict(extra="forbid")

    source_language: str = Field(
        default="auto", max_length=35, description="auto (detection) or a BCP 47 tag."
    )
    formality: Literal["default", "formal", "informal"] = "default"
    priority: PriorityName = "standard"

    @field_validator("source_language")
    @classmethod
    def _source(cls, value: str) -> str:
        return "auto" if value.strip().lower() == "auto" else _tag(value)


class TranslationAttributesIn(BaseModel):
    """``translation_AttributesCreate``."""

    model_config = ConfigDict(extra="forbid")

    input: TranslationInputIn
    options: TranslationOptionsIn = Field(default_factory=TranslationOptionsIn)
    webhook: WebhookIn | None = None
    provider: str | None = Field(default=None, max_length=100)


class TranslationDataIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str
    attributes: TranslationAttributesIn
    meta: MetaIn | None = None


class TranslationCreateRequest(BaseModel):
    """``translation_CreateRequest`` (``meta`` in ``data.meta`` or at the top level)."""

    model_config = ConfigDict(extra="ignore")

    data: TranslationDataIn
    meta: MetaIn | None = None

    @property
    def client_meta(self) -> dict[str, Any]:
        return client_meta(self.data.meta, self.meta)


def parse_translation(body: Any) -> TranslationCreateRequest:
    """Validate a create body against the contract.

    Raises:
        InvalidInput: JSON:API errors with pointers (wrong ``type``, ``content`` missing for
            text or ``url`` missing for a document, bad language tags, ...).
    """
    request = validate_envelope(body, TranslationCreateRequest)
    if request.data.type != TRANSLATION_TYPE:
        raise invalid("/data/type", f"type must be exactly {TRANSLATION_TYPE!r}.")
    source = request.data.attributes.input
    if source.type == "text":
        if source.content is None or not source.content.strip():
            raise invalid("/data/attributes/input/content", "content is required for type text.")
        if source.url is not None:
            raise invalid("/data/attributes/input/url", "url is for type document only.")
    else:
        if source.url is None:
            raise invalid("/data/attributes/input/url", "url is required for type document.")
        if source.content is not None:
            raise invalid("/data/attributes/input/content", "content is for type text only.")
    check_client_meta(request.client_meta)
    return request
