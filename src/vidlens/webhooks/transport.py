"""POST to a webhook URL under the SSRF rules, pinned to the addresses that were vetted.

The host is resolved once and every address checked against the
:class:`~vidlens.media.urlpolicy.UrlPolicy`; the connection then goes to a vetted address with
the original host in the ``Host`` header and in TLS SNI/certificate checks, so a DNS answer
that changes after the check (DNS rebinding) cannot send the request elsewhere. Redirects are
not followed and environment proxies are ignored.
"""

from __future__ import annotations

import httpx

from vidlens.media.urlpolicy import Resolver, UrlPolicy, VettedUrl, parse_url, vet_addresses

_DEFAULT_PORTS = {"http": 80, "https": 443}


class ResolutionFailed(Exception):
    """The webhook host did not resolve (worth retrying: DNS may recover)."""


def vet_url(url: str, policy: UrlPolicy, resolver: Resolver) -> VettedUrl:
    """Resolve and check a webhook URL.

    Raises:
        UrlRefused: the URL breaks the SSRF rules.
        ResolutionFailed: the host does not resolve.
    """
    parsed = parse_url(url)
    port = parsed.port or _DEFAULT_PORTS[parsed.scheme]
    try:
        addresses = resolver(parsed.host, port)
    except (OSError, UnicodeError) as exc:
        raise ResolutionFailed(f"The host {parsed.host!r} could not be resolved.") from exc
    return vet_addresses(parsed, addresses, policy)


def post_pinned(
    client: httpx.Client, target: VettedUrl, *, body: bytes, headers: dict[str, str]
) -> httpx.Response:
    """POST ``body`` to the first vetted address that accepts a connection; the response is
    returned closed, with its status and headers only.

    Raises:
        httpx.HTTPError: no address accepted, or the request failed.
    """
    default_port = _DEFAULT_PORTS[target.url.scheme]
    host = f"[{target.host}]" if ":" in target.host else target.host
    host_header = host if target.port == default_port else f"{host}:{target.port}"
    extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
    failure: httpx.ConnectError | None = None
    for address in target.addresses:
        request = client.build_request(
            "POST",
            target.url.copy_with(host=str(address), port=target.port),
            content=body,
            headers={**headers, "host": host_header},
            extensions=extensions,
        )
        try:
            response = client.send(request, stream=True)
        except httpx.ConnectError as exc:
            failure = exc
            continue
        response.close()  # only the status matters; a receiver's body is never read
        return response
    if failure is not None:
        raise failure
    raise httpx.ConnectError(f"no address to connect to for {target.host!r}")
