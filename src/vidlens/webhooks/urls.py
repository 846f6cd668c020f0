"""Which webhook URLs may be called: the server-wide SSRF rules of
:mod:`vidlens.media.urlpolicy`, checked when a job is submitted and again before every delivery
attempt (see :mod:`vidlens.webhooks.transport`), because a host's addresses can change."""

from __future__ import annotations

from vidlens.config import Settings
from vidlens.media.urlpolicy import Resolver, UrlPolicy, check_url, resolve


def url_policy(settings: Settings) -> UrlPolicy:
    """The SSRF policy of ``settings.url_allowlist``.

    Raises:
        ValueError: a malformed allow-list entry.
    """
    return UrlPolicy.from_setting(settings.url_allowlist)


def check_webhook_url(url: str, settings: Settings, *, resolver: Resolver = resolve) -> None:
    """Refuse a webhook URL that is not plain http(s), carries credentials, or reaches a
    private, loopback or link-local address that the allow-list does not name. Resolves the
    host (blocking).

    Raises:
        UrlRefused: the URL breaks those rules or its host does not resolve.
        ValueError: a malformed allow-list setting.
    """
    check_url(url, url_policy(settings), resolver=resolver)
