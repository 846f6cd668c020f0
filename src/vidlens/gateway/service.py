"""Transcription use cases behind the routes: create (validate, SSRF-check, submit), read,
and the result in its requested format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vidlens.api.context import AppContext
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
from vidlens.errors import EngineUnavailable, NotFound
from vidlens.gateway.providers import supports
from vidlens.gateway.resource import KIND
from vidlens.gateway.schemas import (
    PROVIDER_ID,
    CreateRequest,
    PriorityName,
    WebhookIn,
    invalid,
)
from vidlens.media.fetch import UrlPolicy, check_url
from vidlens.storage.tables import Job

CONTENT_TYPES = {
    "json": "application/json",
    "srt": "text/srt; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
}
"""Content type of ``GET /v1/transcriptions/{id}/result`` per format (the contract's
``text/srt``; ``application/x-subrip`` is answered when the client's Accept asks for it)."""


@dataclass(frozen=True)
class ResultBody:
    """A result ready to send: its text and content type."""

    content: str | dict[str, Any]
    media_type: str


def check_engine(context: AppContext, request: CreateRequest) -> None:
    """Refuse early when an engine the request needs cannot run on this server.

    Raises:
        EngineUnavailable: faster-whisper or the model weights are missing (the hint names
            what to install).
        InvalidInput: code ``UNSUPPORTED_FEATURE``: diarization was asked for and the
            speaker encoder (torch, resemblyzer) is missing.
    """
    availability = FasterWhisperEngine(context.settings.engines.whisper).availability()
    if not availability.available:
        raise EngineUnavailable(
            f"Provider {PROVIDER_ID} is unavailable: {availability.reason}.",
            hint=availability.hint,
        )
    if request.data.attributes.options.diarization:
        speakers = supports(context.settings, "transcriptions", "diarization")
        if not speakers.available:
            raise invalid(
                "/data/attributes/options/diarization",
                f"Speaker diarization is unavailable on provider {PROVIDER_ID}: "
                f"{speakers.reason}." + (f" {speakers.hint}" if speakers.hint else ""),
                code="UNSUPPORTED_FEATURE",
            )


def job_params(
    request: CreateRequest, *, media_id: str | None = None, filename: str | None = None
) -> dict[str, Any]:
    """The job's params: input and options as echoed by the resource (defaults filled in),
    the provider, ``meta.client`` and, for uploads, the stored media id."""
    attributes = request.data.attributes
    source = attributes.input
    echoed_input: dict[str, Any] = {"type": source.type}
    if source.url is not None:
        echoed_input["url"] = source.url
    if filename is not None:
        echoed_input["filename"] = filename
    if source.audio_track is not None:
        echoed_input["audio_track"] = source.audio_track
    options = attributes.options.model_dump()
    if options["num_speakers"] is None:  # an extension: echoed only when sent
        del options["num_speakers"]
    params: dict[str, Any] = {
        "input": echoed_input,
        "options": options,
        "provider": attributes.provider or PROVIDER_ID,
        "client": request.client_meta,
    }
    if media_id is not None:
        params["media_id"] = media_id
    return params


def check_input_url(context: AppContext, url: str) -> None:
    """SSRF check of the input URL at submit (blocking: resolves the host). The job's
    download checks every hop again and connects only to vetted addresses.

    Raises:
        UrlRefused: scheme, credentials, or a private/loopback/link-local address not in the
            allow-list; or a host that does not resolve.
    """
    check_url(url, UrlPolicy.from_setting(context.settings.url_allowlist))


def submit(
    context: AppContext, *, account_id: str, request: CreateRequest, params: dict[str, Any]
) -> Job:
    """Queue the ``gateway.transcription`` job (blocking).

    Raises:
        InvalidInput: bad webhook headers.
        UrlRefused: the webhook URL breaks the SSRF rules.
    """
    attributes = request.data.attributes
    webhook = attributes.webhook
    return context.queue.submit(
        account_id=account_id,
        kind=KIND,
        params=params,
        priority=attributes.options.priority,
        media_id=params.get("media_id"),
        webhook_url=webhook.url if webhook else None,
        webhook_headers=webhook.headers if webhook else None,
    )


def get_transcription(context: AppContext, *, account_id: str, job_id: str) -> Job:
    """A transcription job of this account.

    Raises:
        NotFound: missing, another account's, or not a transcription job.
    """
    try:
        job = context.queue.get(account_id=account_id, job_id=job_id)
    except NotFound:
        job = None
    if job is None or job.kind != KIND:
        # One answer for missing, foreign and other kinds: nothing to tell them apart.
        raise NotFound("Transcription job not found.") from None
    return job


def result_body(job: Job, *, accept: str = "") -> ResultBody:
    """The result in the job's requested format.

    Raises:
        NotFound: code ``RESULT_NOT_READY`` unless the job is completed.
    """
    result = stored_result(job)
    fmt = str(result.get("format", "json"))
    if fmt == "json":
        return ResultBody({k: v for k, v in result.items() if k != "content"}, CONTENT_TYPES[fmt])
    media_type = CONTENT_TYPES[fmt]
    if fmt == "srt" and "application/x-subrip" in accept:
        media_type = "application/x-subrip; charset=utf-8"
    return ResultBody(str(result.get("content", "")), media_type)


def submit_kind(
    context: AppContext,
    *,
    account_id: str,
    kind: str,
    params: dict[str, Any],
    priority: PriorityName,
    webhook: WebhookIn | None,
) -> Job:
    """Queue a gateway job of ``kind`` (blocking).

    Raises:
        InvalidInput: bad webhook headers.
        UrlRefused: the webhook URL breaks the SSRF rules.
    """
    return context.queue.submit(
        account_id=account_id,
        kind=kind,
        params=params,
        priority=priority,
        webhook_url=webhook.url if webhook else None,
        webhook_headers=webhook.headers if webhook else None,
    )


def get_job_of_kind(context: AppContext, *, account_id: str, job_id: str, kind: str) -> Job:
    """A job of this account and kind.

    Raises:
        NotFound: missing, another account's, or another kind (one answer for all three).
    """
    try:
        job = context.queue.get(account_id=account_id, job_id=job_id)
    except NotFound:
        job = None
    if job is None or job.kind != kind:
        raise NotFound("Job not found.") from None
    return job


def stored_result(job: Job) -> dict[str, Any]:
    """The completed job's stored result.

    Raises:
        NotFound: code ``RESULT_NOT_READY`` unless the job is completed.
    """
    if job.status != "completed" or job.result is None:
        state = "failed" if job.status == "cancelled" else job.status
        raise NotFound(
            f"The result is not ready: the job is {state}.",
            code="RESULT_NOT_READY",
            job_status=state,
        )
    return job.result
