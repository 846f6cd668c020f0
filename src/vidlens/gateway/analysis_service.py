"""Video-analysis use cases behind the routes: create (validate, choose a provider,
SSRF-check, submit), read, result."""

from __future__ import annotations

from typing import Any

from vidlens.api.context import AppContext
from vidlens.gateway import service
from vidlens.gateway.analysis_job import ANALYSIS_KIND, SPEECH_FEATURES
from vidlens.gateway.analysis_schemas import analysis_params, parse_analysis
from vidlens.gateway.providers import choose_provider
from vidlens.gateway.schemas import engine_language, invalid, whisper_languages
from vidlens.storage.tables import Job


def create_analysis(context: AppContext, *, account_id: str, body: Any) -> Job:
    """Validate a create body and queue the job (blocking: resolves the URL's host).

    Raises:
        InvalidInput: schema errors, a language Whisper does not know for speech features,
            ``UNSUPPORTED_PROVIDER``, ``UNSUPPORTED_FEATURE`` (naming what is unsupported).
        UrlRefused: the input or webhook URL breaks the SSRF rules.
    """
    request = parse_analysis(body)
    attributes = request.data.attributes
    features = list(attributes.input.features)
    language = attributes.options.language
    known = whisper_languages()
    if (
        language != "auto"
        and set(features) & SPEECH_FEATURES
        and known is not None
        and engine_language(language) not in known
    ):
        raise invalid(
            "/data/attributes/options/language",
            f"language {language!r} is not a language the speech engine knows.",
        )
    provider = choose_provider(context.settings, "video-analyses", features, attributes.provider)
    service.check_input_url(context, attributes.input.url)
    return service.submit_kind(
        context,
        account_id=account_id,
        kind=ANALYSIS_KIND,
        params=analysis_params(request, provider.id),
        priority=attributes.options.priority,
        webhook=attributes.webhook,
    )


def get_analysis(context: AppContext, *, account_id: str, job_id: str) -> Job:
    """A video-analysis job of this account.

    Raises:
        NotFound: missing, another account's, or not a video analysis.
    """
    return service.get_job_of_kind(
        context, account_id=account_id, job_id=job_id, kind=ANALYSIS_KIND
    )
