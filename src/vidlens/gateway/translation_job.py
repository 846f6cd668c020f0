"""The ``gateway.translation`` job: translate a text, or download a document, translate it
with its structure kept and store it for a signed ``download_url``.

The result (the contract's ``translation_Result``): ``source_language`` (given or
detected), ``target_language``, ``content`` (text) or ``download_url`` (document),
``character_count`` (characters of source text), plus ``detected`` (whether the source was
detected) and, for documents, ``format``. Translated documents stay in the media store under
the job's account; the signed link in the stored result expires after
``media.signed_url_ttl_seconds`` and ``GET /v1/translations/{id}`` signs a fresh one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from vidlens.engines.translation.documents import (
    DocumentFormat,
    TranslatedDocument,
    UnsupportedDocument,
    detect_format,
    translate_document,
)
from vidlens.engines.translation.types import (
    LanguagePair,
    Markup,
    TranslationFailed,
    Translator,
)
from vidlens.errors import InvalidInput, NotFound, VidlensError
from vidlens.gateway.resource import ResourceEvents, job_resource
from vidlens.gateway.translation_pairs import detect_source, resolve_pair, translator_for
from vidlens.gateway.translation_schemas import TRANSLATION_TYPE
from vidlens.jobs.context import JobContext
from vidlens.jobs.handlers import job_handler
from vidlens.media.fetch import UrlPolicy, fetch_url
from vidlens.media.signing import signed_query
from vidlens.media.store import LocalMediaStore
from vidlens.storage.tables import Job

TRANSLATION_KIND = "gateway.translation"
"""Job kind of a translation (internal: only ``/v1/translations`` submits it)."""
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
"""Largest document translated (20 MiB)."""
_INTERNAL = ("document_key",)


class TranslationBackendFailed(VidlensError):
    """The translation backend failed (``TRANSLATION_FAILED``)."""

    status = 502
    code = "TRANSLATION_FAILED"


class SourceLanguageUnknown(InvalidInput):
    """``auto`` could not tell the source language (``LANGUAGE_NOT_DETECTED``)."""

    code = "LANGUAGE_NOT_DETECTED"


def document_signature_key(job_id: str) -> str:
    """What a translated document's download signature covers."""
    return f"translation:{job_id}"


def download_url(base: str, job_id: str, *, secret: str, ttl_seconds: int) -> str:
    """A signed link to a translated document."""
    query = signed_query(
        key_or_media_id=document_signature_key(job_id), ttl_seconds=ttl_seconds, secret=secret
    )
    return (
        f"{base.rstrip('/')}/v1/translations/{job_id}/document"
        f"?expires={query['expires']}&signature={query['signature']}"
    )


def public_translation_result(stored: dict[str, Any]) -> dict[str, Any]:
    """The stored result without internal members."""
    return {key: value for key, value in stored.items() if key not in _INTERNAL}


def translation_resource(job: Job, *, fresh_url: str | None = None) -> dict[str, Any]:
    """The JSON:API resource object (``data``) of a translation job; ``fresh_url`` replaces
    the stored ``download_url``."""
    result = None
    if job.result is not None:
        result = public_translation_result(job.result)
        if fresh_url is not None and "download_url" in result:
            result["download_url"] = fresh_url
    return job_resource(job, TRANSLATION_TYPE, result=result)


def _webhook_resource(job: Job) -> dict[str, Any]:
    return translation_resource(job)


@job_handler(TRANSLATION_KIND, events=ResourceEvents("translation", _webhook_resource))
def translate(ctx: JobContext) -> dict[str, Any]:
    """Translate the job's text or document.

    Raises:
        UnsupportedLanguagePair, SourceLanguageUnknown: the direction cannot be served.
        UnsupportedDocument: an unknown, undecodable or malformed document.
        UrlRefused, UrlFetchFailed: the document could not be downloaded.
        TranslationBackendFailed: the backend failed.
    """
    source: dict[str, Any] = ctx.params["input"]
    options: dict[str, Any] = ctx.params.get("options", {})
    translator = translator_for(ctx.settings, str(ctx.params["provider"]))
    ctx.progress(0.0, "preparing")
    if source["type"] == "text":
        return _translate_text(ctx, translator, str(source["content"]), source, options)
    return _translate_document(ctx, translator, source, options)


def _pair(
    translator: Translator, text: str, source: dict[str, Any], options: dict[str, Any]
) -> tuple[LanguagePair, bool]:
    wanted = str(options.get("source_language", "auto"))
    target = str(source["target_language"])
    if wanted != "auto":
        return resolve_pair(translator, wanted, target), False
    detected = detect_source(text)
    if detected is None:
        raise SourceLanguageUnknown(
            "The source language could not be detected (the text is too short); "
            "set options.source_language."
        )
    return resolve_pair(translator, detected, target), True


def _bound(ctx: JobContext, translator: Translator, pair: LanguagePair) -> Any:
    def run(texts: Sequence[str], markup: Markup) -> list[str]:
        ctx.progress(10.0, "translating")
        try:
            return translator.translate(texts, pair, markup=markup)
        except TranslationFailed as exc:
            raise TranslationBackendFailed(f"{translator.name}: {exc}") from None

    return run


def _translate_text(
    ctx: JobContext,
    translator: Translator,
    text: str,
    source: dict[str, Any],
    options: dict[str, Any],
) -> dict[str, Any]:
    pair, detected = _pair(translator, text, source, options)
    (content,) = _bound(ctx, translator, pair)([text], "text")
    return {
        "source_language": pair.source,
        "target_language": pair.target,
        "content": content,
        "character_count": len(text),
        "detected": detected,
    }


def _fetch(ctx: JobContext, url: str) -> tuple[bytes, str]:
    store = LocalMediaStore(ctx.settings.media_dir)
    received = asyncio.run(
        fetch_url(
            url,
            policy=UrlPolicy.from_setting(ctx.settings.url_allowlist),
            store=store,
            account_id=ctx.account_id,
            max_bytes=min(MAX_DOCUMENT_BYTES, ctx.settings.media.max_upload_bytes),
            timeout=ctx.settings.media.url_timeout_seconds,
            max_redirects=ctx.settings.media.url_max_redirects,
        )
    )
    try:
        data = store.local_path(received.key).read_bytes()
    finally:
        store.discard(received.key)
    name = received.filename or PurePosixPath(urlsplit(url).path).name
    return data, name


def _translate_document(
    ctx: JobContext, translator: Translator, source: dict[str, Any], options: dict[str, Any]
) -> dict[str, Any]:
    ctx.progress(0.0, "downloading")
    data, name = _fetch(ctx, str(source["url"]))
    fmt = detect_format(name, data[:4096])
    collected = _read_texts(data, fmt)  # the texts alone: for detection and validation
    pair, detected = _pair(translator, "\n".join(collected)[:20000], source, options)
    document = translate_document(data, fmt, _bound(ctx, translator, pair))
    key = _store(ctx, document, fmt)
    base = ctx.settings.public_url or f"http://{ctx.settings.host}:{ctx.settings.port}"
    return {
        "source_language": pair.source,
        "target_language": pair.target,
        "download_url": download_url(
            base,
            ctx.job_id,
            secret=ctx.settings.secret_key(),
            ttl_seconds=ctx.settings.media.signed_url_ttl_seconds,
        ),
        "character_count": document.character_count,
        "detected": detected,
        "format": fmt,
        "document_key": key,
    }


def _read_texts(data: bytes, fmt: DocumentFormat) -> list[str]:
    """The document's texts, read once without translating (the second pass parses the same
    bytes, so a document that reads here also translates).

    Raises:
        UnsupportedDocument: the bytes are not a readable ``fmt`` document; the engine
            reports most cases itself, this also covers what python-docx lets through for a
            file that is not a ZIP archive, a truncated or corrupt one (bad CRC, broken
            deflate stream) and parts that are not well-formed XML.
    """
    import zipfile
    import zlib

    collected: list[str] = []

    def collect(texts: Sequence[str], markup: Markup) -> list[str]:
        collected.extend(texts)
        return list(texts)

    unreadable: tuple[type[BaseException], ...] = (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        ValueError,
        OSError,
    )
    try:
        from lxml import etree  # type: ignore[import-untyped]  # no stubs installed

        unreadable = (*unreadable, etree.LxmlError)
    except ImportError:  # pragma: no cover - lxml comes with python-docx
        pass
    try:
        translate_document(data, fmt, collect)
    except VidlensError:
        raise
    except unreadable as exc:
        what = f"The .{fmt} file is malformed or truncated"
        raise UnsupportedDocument(f"{what} ({type(exc).__name__}: {exc}).") from None
    return collected


def _store(ctx: JobContext, document: TranslatedDocument, fmt: DocumentFormat) -> str:
    store = LocalMediaStore(ctx.settings.media_dir)
    key = store.new_key(ctx.account_id, f".{fmt}")
    try:
        with store.open_write(key) as handle:
            handle.write(document.data)
        store.commit(key)
    except BaseException:
        with contextlib.suppress(NotFound):
            store.discard(key)
        raise
    return key
