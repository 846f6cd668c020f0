"""Translation use cases behind the routes: create (validate, choose a provider and check
the language pair, SSRF-check, submit), read, result and the translated document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vidlens.api.context import AppContext
from vidlens.errors import Forbidden, InvalidInput, NotFound
from vidlens.gateway import service
from vidlens.gateway.providers import ProviderInfo, choose_provider, providers
from vidlens.gateway.schemas import invalid
from vidlens.gateway.translation_job import TRANSLATION_KIND, document_signature_key
from vidlens.gateway.translation_pairs import (
    UnsupportedLanguagePair,
    detect_source,
    resolve_pair,
    translator_for,
)
from vidlens.gateway.translation_schemas import TranslationCreateRequest, parse_translation
from vidlens.media.signing import verify_download
from vidlens.storage.tables import Job


def _wanted(request: TranslationCreateRequest) -> list[str]:
    options = request.data.attributes.options
    wanted = []
    if options.source_language == "auto":
        wanted.append("language_detection")
    if options.formality != "default":
        wanted.append("formality")
    return wanted


def _check_pair(
    context: AppContext, provider: ProviderInfo, request: TranslationCreateRequest
) -> None:
    """Raise UnsupportedLanguagePair unless ``provider`` can serve the request's direction
    (for a text with ``auto``, its language is detected now)."""
    attributes = request.data.attributes
    translator = translator_for(context.settings, provider.id)
    target = attributes.input.target_language
    source = attributes.options.source_language
    if source == "auto" and attributes.input.type == "text":
        detected = detect_source(attributes.input.content or "")
        if detected is None:
            raise invalid(
                "/data/attributes/options/source_language",
                "The source language cannot be detected from so short a text; "
                "set options.source_language.",
                code="LANGUAGE_NOT_DETECTED",
            )
        source = detected
    if source != "auto":
        resolve_pair(translator, source, target)
        return
    sources = sorted({p.source for p in translator.pairs()})
    for candidate in sources:
        try:
            resolve_pair(translator, candidate, target)
            return
        except UnsupportedLanguagePair:
            continue
    raise UnsupportedLanguagePair(
        f"{translator.name} translates into none of {target!r}; its pairs are listed under "
        "meta.translation_pairs in GET /v1/providers."
    )


def _provider(context: AppContext, request: TranslationCreateRequest) -> ProviderInfo:
    attributes = request.data.attributes
    wanted = _wanted(request)
    pointer = (
        "/data/attributes/options/formality"
        if "formality" in wanted
        else "/data/attributes/options/source_language"
    )
    chosen = choose_provider(
        context.settings, "translations", wanted, attributes.provider, pointer=pointer
    )
    if attributes.provider is not None:
        _check_pair(context, chosen, request)
        return chosen
    fitting = [
        p
        for p in providers(context.settings)
        if all(p.supports("translations", f).available for f in wanted)
    ]
    first_error: InvalidInput | None = None
    for candidate in fitting:
        try:
            _check_pair(context, candidate, request)
            return candidate
        except UnsupportedLanguagePair as exc:
            first_error = first_error or exc
    assert first_error is not None  # choose_provider found at least one fitting provider
    raise first_error


def create_translation(context: AppContext, *, account_id: str, body: Any) -> Job:
    """Validate a create body and queue the job (blocking).

    Raises:
        InvalidInput: schema errors; ``UNSUPPORTED_PROVIDER``; ``UNSUPPORTED_FEATURE``
            (formality, detection); ``UNSUPPORTED_LANGUAGE_PAIR`` naming the supported
            directions; ``LANGUAGE_NOT_DETECTED``.
        UrlRefused: the document or webhook URL breaks the SSRF rules.
    """
    request = parse_translation(body)
    attributes = request.data.attributes
    provider = _provider(context, request)
    if attributes.input.url is not None:
        service.check_input_url(context, attributes.input.url)
    source = attributes.input.model_dump(exclude_none=True)
    params = {
        "input": source,
        "options": attributes.options.model_dump(),
        "provider": provider.id,
        "client": request.client_meta,
    }
    return service.submit_kind(
        context,
        account_id=account_id,
        kind=TRANSLATION_KIND,
        params=params,
        priority=attributes.options.priority,
        webhook=attributes.webhook,
    )


def get_translation(context: AppContext, *, account_id: str, job_id: str) -> Job:
    """A translation job of this account.

    Raises:
        NotFound: missing, another account's, or not a translation.
    """
    return service.get_job_of_kind(
        context, account_id=account_id, job_id=job_id, kind=TRANSLATION_KIND
    )


def document_path(
    context: AppContext, *, job_id: str, expires: int | None, signature: str | None
) -> tuple[Path, str]:
    """The translated document of a job, for a valid signed link: its path and format.

    Raises:
        Forbidden: missing, invalid or expired signature.
        NotFound: no such document (the job is not a completed document translation).
    """
    if (
        expires is None
        or signature is None
        or not verify_download(
            key_or_media_id=document_signature_key(job_id),
            expires_at=expires,
            signature=signature,
            secret=context.signing_key,
        )
    ):
        raise Forbidden("The download link is invalid or has expired.")
    with context.db.read_session() as session:
        job = session.get(Job, job_id)
        result = dict(job.result or {}) if job is not None else {}
    key = result.get("document_key")
    if job is None or job.kind != TRANSLATION_KIND or not isinstance(key, str):
        raise NotFound("Translated document not found.")
    return context.store.local_path(key), str(result.get("format", "txt"))
