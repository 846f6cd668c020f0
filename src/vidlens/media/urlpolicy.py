"""SSRF rules for URLs the server fetches (media inputs) or calls (webhooks).

A URL is refused unless it is http(s), carries no credentials, and every address its host
resolves to is public, or the host or the address is on the allow-list
(``VIDLENS_URL_ALLOWLIST``). "Public" excludes private (10/8, 172.16/12, 192.168/16, fc00::/7),
shared (100.64/10), loopback, link-local (including the 169.254.169.254 metadata service),
unspecified, multicast and reserved ranges, and IPv6 forms that embed such an IPv4 address
(IPv4-mapped, 6to4, Teredo, NAT64). Callers connect to the vetted address itself so that a
second DNS answer cannot differ from the one checked (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from vidlens.errors import UrlRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[IPAddress]]
"""Host name and port → addresses (blocking)."""

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_SCHEMES = {"http": 80, "https": 443}
_MAX_URL_LENGTH = 8192


@dataclass(frozen=True)
class UrlPolicy:
    """Hosts and networks that may be reached even though they are not public.

    Attributes:
        hosts: host names allowed whatever they resolve to (lower case, no trailing dot).
        networks: address ranges allowed.
    """

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = field(default_factory=tuple)

    @classmethod
    def from_setting(cls, allowlist: str) -> UrlPolicy:
        """Parse the comma-separated allow-list setting (host names, IPs and CIDRs, IPv4 or
        IPv6, e.g. ``minio.internal,10.0.0.0/8,[fd00::1]``).

        Raises:
            ValueError: an entry is neither a host name nor an address or network.
        """
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for raw in allowlist.split(","):
            entry = raw.strip().strip("[]").lower()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
                continue
            except ValueError:
                pass
            host = entry.rstrip(".")
            if not host or any(ch in host for ch in "/:@ ") or "*" in host:
                raise ValueError(f"invalid URL allow-list entry: {raw.strip()!r}")
            hosts.add(host)
        return cls(hosts=frozenset(hosts), networks=tuple(networks))

    def host_allowed(self, host: str) -> bool:
        """Whether ``host`` is allow-listed by name."""
        return host.lower().rstrip(".") in self.hosts

    def address_allowed(self, address: IPAddress) -> bool:
        """Whether ``address`` may be reached: public, or inside an allow-listed network."""
        plain = _unmapped(address)
        if any(plain in network for network in self.networks if network.version == plain.version):
            return True
        return non_public_reason(plain) is None


@dataclass(frozen=True)
class VettedUrl:
    """A URL that passed the policy, with the addresses it may be fetched from."""

    url: httpx.URL
    host: str
    port: int
    addresses: tuple[IPAddress, ...]


def parse_url(url: str) -> httpx.URL:
    """Parse and check the form of a URL (scheme, credentials, host, port).

    Raises:
        UrlRefused: not http(s), has user:password, no host, a bad port, or malformed.
    """
    if len(url) > _MAX_URL_LENGTH:
        raise UrlRefused("The URL is too long.")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise UrlRefused("The URL is malformed.") from exc
    if parsed.scheme not in _SCHEMES:
        raise UrlRefused("Only http and https URLs are accepted.")
    if parsed.userinfo:
        raise UrlRefused("URLs with credentials (user:password@) are not accepted.")
    if not parsed.host:
        raise UrlRefused("The URL has no host.")
    if parsed.port is not None and not 1 <= parsed.port <= 65535:
        raise UrlRefused("The URL's port is invalid.")
    return parsed


def vet_addresses(parsed: httpx.URL, addresses: list[IPAddress], policy: UrlPolicy) -> VettedUrl:
    """Check resolved addresses against the policy.

    Raises:
        UrlRefused: an address is not public and neither it nor the host is allow-listed.
    """
    host = parsed.host
    port = parsed.port or _SCHEMES[parsed.scheme]
    unique = tuple(dict.fromkeys(_unmapped(address) for address in addresses))
    if not unique:
        raise UrlRefused(f"The host {host!r} has no address.")
    if not policy.host_allowed(host):
        for address in unique:
            if not policy.address_allowed(address):
                reason = non_public_reason(address) or "non-public"
                raise UrlRefused(
                    f"The host {host!r} resolves to a {reason} address; such addresses are "
                    "refused unless allow-listed by the server.",
                    hint="Use a publicly reachable URL.",
                )
    return VettedUrl(url=parsed, host=host, port=port, addresses=unique)


def resolve(host: str, port: int) -> list[IPAddress]:
    """Resolve a host to its addresses (blocking; an IP literal resolves to itself).

    Raises:
        OSError: the name does not resolve.
    """
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # sockaddr[0] may carry an IPv6 zone ("fe80::1%eth0"); the zone is not part of the address.
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def check_url(url: str, policy: UrlPolicy, *, resolver: Resolver = resolve) -> None:
    """Check a URL the server will call later (webhooks). Resolves the host (blocking).

    A check alone does not stop DNS rebinding: the caller must also connect only to vetted
    addresses when it calls the URL (as :func:`vidlens.media.fetch.fetch_url` does).

    Raises:
        UrlRefused: the URL breaks the rules above or its host does not resolve.
    """
    parsed = parse_url(url)
    try:
        addresses = resolver(parsed.host, parsed.port or _SCHEMES[parsed.scheme])
    except (OSError, UnicodeError) as exc:
        raise UrlRefused(f"The host {parsed.host!r} could not be resolved.") from exc
    vet_addresses(parsed, addresses, policy)


def non_public_reason(address: IPAddress) -> str | None:
    """Why an address is not public (``"loopback"``, ``"private"`` …), or None if it is."""
    address = _unmapped(address)
    if isinstance(address, ipaddress.IPv6Address):
        for embedded in _embedded_ipv4(address):
            reason = non_public_reason(embedded)
            if reason is not None:
                return reason
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    )
    for reason, matched in checks:
        if matched:
            return reason
    return None if address.is_global else "non-public"


def _unmapped(address: IPAddress) -> IPAddress:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    embedded: list[ipaddress.IPv4Address] = []
    if address.sixtofour is not None:
        embedded.append(address.sixtofour)
    if address.teredo is not None:
        embedded.append(address.teredo[1])
    if address in _NAT64:
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return embedded
