"""SSRF-safe download of URL inputs into the media store.

Every hop (the URL and each redirect) is parsed, resolved once and vetted against the
:class:`~vidlens.media.urlpolicy.UrlPolicy`; the connection then goes to the vetted address
itself, with the original host name in the ``Host`` header and in TLS SNI/certificate checks,
so a DNS answer that changes between the check and the connection (DNS rebinding) cannot
redirect the request. Redirects are followed by hand, environment proxies are ignored, and the
body is counted as it streams (compressed transfer is declined, so the limit counts real bytes).
"""

from __future__ import annotations

from urllib.parse import unquote

import anyio
import anyio.to_thread
import httpx

from vidlens.errors import UrlFetchFailed
from vidlens.media.received import ReceivedFile, StoreSink, safe_filename, suffix_of
from vidlens.media.store import MediaStore
from vidlens.media.urlpolicy import (
    Resolver,
    UrlPolicy,
    VettedUrl,
    check_url,
    parse_url,
    resolve,
    vet_addresses,
)

# check_url and UrlPolicy are re-exported for webhook code.
__all__ = ["UrlPolicy", "check_url", "fetch_url"]

_BATCH_BYTES = 256 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
_USER_AGENT = "vidlens-fetch/1"


async def fetch_url(
    url: str,
    *,
    policy: UrlPolicy,
    store: MediaStore,
    account_id: str,
    max_bytes: int,
    timeout: float,  # noqa: ASYNC109 -- one budget for DNS, redirects and body, enforced below
    max_redirects: int,
    resolver: Resolver = resolve,
) -> ReceivedFile:
    """Download a URL into the store, committed on success.

    Arguments:
        url: the http(s) URL to fetch.
        policy: which non-public hosts and networks may be reached.
        store: where the bytes go.
        account_id: owner of the stored file.
        max_bytes: largest accepted body, in bytes.
        timeout: seconds allowed for the whole download, redirects and DNS included.
        max_redirects: redirects followed (each re-checked against ``policy``).
        resolver: host name → addresses (blocking; run in a worker thread). Called once per
            hop: the connection goes to the addresses it returned, never to a new lookup.

    Returns:
        The committed file.

    Raises:
        UrlRefused: the URL or a redirect target breaks the SSRF rules.
        UrlFetchFailed: DNS failure, connection error, non-2xx answer, too many redirects,
            a body over ``max_bytes``, or the timeout. Nothing is left in the store.
    """
    host = parse_url(url).host
    try:
        with anyio.fail_after(timeout):
            return await _follow(url, policy, store, account_id, max_bytes, max_redirects, resolver)
    except TimeoutError as exc:
        raise UrlFetchFailed(
            f"Downloading from {host!r} took longer than {timeout:g} s.", reason="timeout"
        ) from exc


async def _follow(
    url: str,
    policy: UrlPolicy,
    store: MediaStore,
    account_id: str,
    max_bytes: int,
    max_redirects: int,
    resolver: Resolver,
) -> ReceivedFile:
    current = url
    for _ in range(max_redirects + 1):
        target = await _vet(current, policy, resolver)
        async with httpx.AsyncClient(follow_redirects=False, trust_env=False) as client:
            response = await _send(client, target)
            try:
                location = response.headers.get("location")
                if response.status_code in _REDIRECTS and location:
                    current = str(target.url.join(location))
                    continue
                if not 200 <= response.status_code < 300:
                    raise UrlFetchFailed(
                        f"{target.host!r} answered HTTP {response.status_code}.",
                        reason="http_status",
                        status=response.status_code,
                    )
                return await _download(response, target, store, account_id, max_bytes)
            finally:
                await response.aclose()
    raise UrlFetchFailed(f"More than {max_redirects} redirects.", reason="redirects")


async def _vet(url: str, policy: UrlPolicy, resolver: Resolver) -> VettedUrl:
    parsed = parse_url(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        addresses = await anyio.to_thread.run_sync(
            resolver, parsed.host, port, abandon_on_cancel=True
        )
    except (OSError, UnicodeError) as exc:
        raise UrlFetchFailed(
            f"The host {parsed.host!r} could not be resolved.", reason="dns"
        ) from exc
    return vet_addresses(parsed, addresses, policy)


async def _send(client: httpx.AsyncClient, target: VettedUrl) -> httpx.Response:
    """Connect to the vetted addresses in turn; the first that accepts gets the request."""
    default_port = 443 if target.url.scheme == "https" else 80
    host = f"[{target.host}]" if ":" in target.host else target.host
    host_header = host if target.port == default_port else f"{host}:{target.port}"
    headers = {"Host": host_header, "User-Agent": _USER_AGENT, "Accept-Encoding": "identity"}
    extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
    failure: Exception | None = None
    for address in target.addresses:
        request = client.build_request(
            "GET",
            target.url.copy_with(host=str(address), port=target.port),
            headers=headers,
            extensions=extensions,
        )
        try:
            return await client.send(request, stream=True)
        except httpx.ConnectError as exc:
            failure = exc
        except httpx.HTTPError as exc:
            raise _failed(target, exc) from exc
    raise UrlFetchFailed(f"Could not connect to {target.host!r}.", reason="connect") from failure


async def _download(
    response: httpx.Response,
    target: VettedUrl,
    store: MediaStore,
    account_id: str,
    max_bytes: int,
) -> ReceivedFile:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(target.host, max_bytes)
    filename = safe_filename(unquote(target.url.path.rsplit("/", 1)[-1]))
    key = store.new_key(account_id, suffix_of(filename))
    sink = StoreSink(
        store, key, max_bytes=max_bytes, too_large=lambda m: _too_large(target.host, m)
    )
    try:
        await _stream_into(response, sink, target, max_bytes)
        received = sink.result(filename=filename, content_type=response.headers.get("content-type"))
        await anyio.to_thread.run_sync(store.commit, key)
    except BaseException:
        sink.abort()
        raise
    return received


async def _stream_into(
    response: httpx.Response, sink: StoreSink, target: VettedUrl, max_bytes: int
) -> None:
    pending = bytearray()
    seen = 0
    try:
        async for chunk in response.aiter_raw():
            seen += len(chunk)
            if seen > max_bytes:
                raise _too_large(target.host, max_bytes)
            pending += chunk
            if len(pending) >= _BATCH_BYTES:
                await anyio.to_thread.run_sync(sink.write, bytes(pending))
                pending.clear()
    except httpx.HTTPError as exc:
        raise _failed(target, exc) from exc
    if pending:
        await anyio.to_thread.run_sync(sink.write, bytes(pending))


def _too_large(host: str, max_bytes: int) -> UrlFetchFailed:
    return UrlFetchFailed(
        f"The file at {host!r} is larger than the {max_bytes}-byte limit.",
        reason="too_large",
        maximum=max_bytes,
    )


def _failed(target: VettedUrl, exc: httpx.HTTPError) -> UrlFetchFailed:
    if isinstance(exc, httpx.TimeoutException):
        return UrlFetchFailed(f"The download from {target.host!r} timed out.", reason="timeout")
    return UrlFetchFailed(
        f"The download from {target.host!r} failed ({type(exc).__name__}).", reason="network"
    )
