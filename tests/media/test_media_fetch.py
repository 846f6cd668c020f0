"""fetch_url and check_url: SSRF refusals, allow-list, redirects, limits. Local addresses only."""

from __future__ import annotations

import hashlib
import ipaddress

import pytest

from tests.media.media_testing import LocalServer, stored_files
from vidlens.errors import UrlFetchFailed, UrlRefused
from vidlens.media.fetch import UrlPolicy, check_url, fetch_url
from vidlens.media.received import ReceivedFile
from vidlens.media.store import LocalMediaStore
from vidlens.media.urlpolicy import IPAddress, non_public_reason

pytestmark = pytest.mark.anyio
ACCOUNT = "acct-1"
CLIP = bytes(range(256)) * 400
LOOPBACK = UrlPolicy.from_setting("127.0.0.1")


async def _fetch(
    url: str,
    store: LocalMediaStore,
    policy: UrlPolicy = LOOPBACK,
    *,
    max_bytes: int = 1_000_000,
    time_limit: float = 10.0,
    max_redirects: int = 3,
) -> ReceivedFile:
    return await fetch_url(
        url,
        policy=policy,
        store=store,
        account_id=ACCOUNT,
        max_bytes=max_bytes,
        timeout=time_limit,
        max_redirects=max_redirects,
    )


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        pytest.param("127.0.0.1", "loopback", id="loopback"),
        pytest.param("localhost", "loopback", id="localhost"),
        pytest.param("10.0.0.1", "private", id="private-10"),
        pytest.param("172.16.5.4", "private", id="private-172"),
        pytest.param("192.168.1.1", "private", id="private-192"),
        pytest.param("100.64.0.1", "non-public", id="shared-cgnat"),
        pytest.param("169.254.169.254", "link-local", id="metadata"),
        pytest.param("0.0.0.0", "unspecified", id="unspecified"),  # noqa: S104 -- a URL host
        pytest.param("224.0.0.1", "multicast", id="multicast"),
        pytest.param("[::1]", "loopback", id="ipv6-loopback"),
        pytest.param("[::ffff:127.0.0.1]", "loopback", id="ipv4-mapped-loopback"),
        pytest.param("[::ffff:169.254.169.254]", "link-local", id="ipv4-mapped-metadata"),
        pytest.param("[fe80::1]", "link-local", id="ipv6-link-local"),
        pytest.param("[fd00::1]", "private", id="ipv6-ula"),
        pytest.param("[2002:7f00:1::]", "loopback", id="6to4-loopback"),
        pytest.param("2130706433", "loopback", id="decimal-ipv4"),
    ],
)
async def test_non_public_hosts_refused(store: LocalMediaStore, host: str, reason: str) -> None:
    with pytest.raises(UrlRefused, match=f"resolves to a {reason} address") as caught:
        await _fetch(f"http://{host}:9/video.mp4", store, UrlPolicy())
    assert "allow-listed" in caught.value.message
    assert stored_files(store) == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        pytest.param("ftp://127.0.0.1/a.mp4", "Only http and https", id="ftp"),
        pytest.param("file:///etc/passwd", "Only http and https", id="file"),
        pytest.param("gopher://127.0.0.1/", "Only http and https", id="gopher"),
        pytest.param("http://user:pw@media.example/a.mp4", "credentials", id="userinfo"),
        pytest.param("http:///a.mp4", "no host", id="no-host"),
        pytest.param("http://media.example:99999/a.mp4", "port", id="bad-port"),
        pytest.param("http://[::1/a.mp4", "malformed", id="malformed"),
    ],
)
async def test_malformed_urls_refused(store: LocalMediaStore, url: str, message: str) -> None:
    with pytest.raises(UrlRefused, match=message):
        await _fetch(url, store)


async def test_allow_listed_download(store: LocalMediaStore, http_server: LocalServer) -> None:
    http_server.files["/clips/talk%20one.mp4"] = CLIP
    received = await _fetch(http_server.url("/clips/talk%20one.mp4"), store)
    assert received.size == len(CLIP)
    assert received.sha256 == hashlib.sha256(CLIP).hexdigest()
    assert received.filename == "talk one.mp4"
    assert received.content_type == "video/mp4"
    assert received.key.endswith(".mp4")
    assert store.local_path(received.key).read_bytes() == CLIP
    assert http_server.host_headers == [f"127.0.0.1:{http_server.port}"]


async def test_allow_listed_by_cidr(store: LocalMediaStore, http_server: LocalServer) -> None:
    http_server.files["/a.mp4"] = CLIP
    received = await _fetch(http_server.url("/a.mp4"), store, UrlPolicy.from_setting("127.0.0.0/8"))
    assert received.size == len(CLIP)


async def test_allow_listed_host_name(store: LocalMediaStore, http_server: LocalServer) -> None:
    """A host allow-listed by name is reached whatever it resolves to (here 127.0.0.1, and ::1
    too where /etc/hosts says so: the server listens on 127.0.0.1 only, so then this also
    shows the fall-back to the next vetted address). The Host header keeps the name."""
    http_server.files["/a.mp4"] = CLIP
    url = http_server.url("/a.mp4", host="localhost")
    received = await _fetch(url, store, UrlPolicy.from_setting("localhost"))
    assert received.size == len(CLIP)
    assert http_server.host_headers == [f"localhost:{http_server.port}"]


async def test_connects_to_the_vetted_address(
    store: LocalMediaStore, http_server: LocalServer
) -> None:
    """The name is resolved once per hop and the connection goes to that answer, with the
    original name in the Host header (no second lookup that DNS rebinding could change)."""
    http_server.files["/a.mp4"] = CLIP
    lookups: list[str] = []

    def resolver(host: str, port: int) -> list[IPAddress]:
        lookups.append(host)
        return [ipaddress.ip_address("127.0.0.1")]

    received = await fetch_url(
        f"http://media.example.test:{http_server.port}/a.mp4",
        policy=LOOPBACK,
        store=store,
        account_id=ACCOUNT,
        max_bytes=10**6,
        timeout=10,
        max_redirects=0,
        resolver=resolver,
    )
    assert received.size == len(CLIP)
    assert lookups == ["media.example.test"]
    assert http_server.host_headers == [f"media.example.test:{http_server.port}"]


async def test_any_private_answer_refuses(store: LocalMediaStore) -> None:
    """A name with one public and one private address is refused (no connection tried)."""

    def resolver(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("10.1.2.3")]

    with pytest.raises(UrlRefused, match=r"'media\.example\.test' resolves to a private"):
        await fetch_url(
            "http://media.example.test/a.mp4",
            policy=UrlPolicy(),
            store=store,
            account_id=ACCOUNT,
            max_bytes=10**6,
            timeout=10,
            max_redirects=0,
            resolver=resolver,
        )


@pytest.mark.parametrize(
    "target",
    [
        pytest.param("http://127.0.0.2:{port}/a.mp4", id="other-loopback"),
        pytest.param("http://10.0.0.1/a.mp4", id="private"),
        pytest.param("http://169.254.169.254/latest/meta-data/", id="metadata"),
        pytest.param("http://[::1]:{port}/a.mp4", id="ipv6-loopback"),
    ],
)
async def test_redirect_to_non_public_refused(
    store: LocalMediaStore, http_server: LocalServer, target: str
) -> None:
    http_server.files["/a.mp4"] = CLIP
    http_server.redirects["/go"] = target.format(port=http_server.port)
    with pytest.raises(UrlRefused):
        await _fetch(http_server.url("/go"), store)
    assert stored_files(store) == []
    assert http_server.host_headers == [f"127.0.0.1:{http_server.port}"]  # only the first hop


async def test_redirects_followed(store: LocalMediaStore, http_server: LocalServer) -> None:
    http_server.files["/final.mp4"] = CLIP
    http_server.redirects["/one"] = "/two"
    http_server.redirects["/two"] = http_server.url("/final.mp4")
    received = await _fetch(http_server.url("/one"), store)
    assert received.size == len(CLIP)
    assert received.filename == "final.mp4"


async def test_too_many_redirects(store: LocalMediaStore, http_server: LocalServer) -> None:
    http_server.redirects["/loop"] = "/loop"
    with pytest.raises(UrlFetchFailed, match="More than 3 redirects"):
        await _fetch(http_server.url("/loop"), store)
    assert len(http_server.host_headers) == 4


async def test_declared_too_large(store: LocalMediaStore, http_server: LocalServer) -> None:
    http_server.files["/big.mp4"] = b"x" * 5000
    with pytest.raises(UrlFetchFailed, match="larger than the 4000-byte limit") as caught:
        await _fetch(http_server.url("/big.mp4"), store, max_bytes=4000)
    assert caught.value.fields["reason"] == "too_large"
    assert stored_files(store) == []


async def test_lying_content_length(store: LocalMediaStore, http_server: LocalServer) -> None:
    with pytest.raises(UrlFetchFailed, match="larger than"):
        await _fetch(http_server.url("/liar"), store, max_bytes=4000)
    assert stored_files(store) == []


async def test_streamed_too_large(store: LocalMediaStore, http_server: LocalServer) -> None:
    """No Content-Length: the running count stops the download."""
    with pytest.raises(UrlFetchFailed, match="larger than the 1000000-byte limit"):
        await _fetch(http_server.url("/stream/5000000"), store)
    assert stored_files(store) == []


async def test_streamed_within_limit(store: LocalMediaStore, http_server: LocalServer) -> None:
    received = await _fetch(http_server.url("/stream/700000"), store)
    assert received.size == 700_000
    assert store.size(received.key) == 700_000


@pytest.mark.parametrize("code", [404, 500, 403])
async def test_http_error(store: LocalMediaStore, http_server: LocalServer, code: int) -> None:
    with pytest.raises(UrlFetchFailed, match=f"answered HTTP {code}") as caught:
        await _fetch(http_server.url(f"/status/{code}"), store)
    assert caught.value.fields["status"] == code
    assert stored_files(store) == []


async def test_timeout(store: LocalMediaStore, http_server: LocalServer) -> None:
    with pytest.raises(UrlFetchFailed, match=r"longer than 0\.3 s"):
        await _fetch(http_server.url("/stall"), store, time_limit=0.3)
    assert stored_files(store) == []


async def test_connection_refused(store: LocalMediaStore, http_server: LocalServer) -> None:
    port = http_server.port
    http_server.httpd.server_close()  # nothing listens on the port any more
    with pytest.raises(UrlFetchFailed, match=r"Could not connect to '127\.0\.0\.1'"):
        await _fetch(f"http://127.0.0.1:{port}/a.mp4", store)


def test_check_url_for_webhooks() -> None:
    check_url("http://127.0.0.1:8080/hook", LOOPBACK)
    for url in ("http://127.0.0.1:8080/hook", "http://[::1]/hook", "http://10.0.0.1/hook"):
        with pytest.raises(UrlRefused):
            check_url(url, UrlPolicy())
    with pytest.raises(UrlRefused, match="Only http and https"):
        check_url("ftp://127.0.0.1/hook", LOOPBACK)


def test_check_url_unresolvable() -> None:
    def resolver(host: str, port: int) -> list[IPAddress]:
        raise OSError("no such host")

    with pytest.raises(UrlRefused, match="could not be resolved"):
        check_url("https://hooks.example.test/x", UrlPolicy(), resolver=resolver)


def test_policy_from_setting() -> None:
    policy = UrlPolicy.from_setting(" MinIO.internal. , 10.0.0.0/8,[fd00::1], 192.168.1.7 ,,")
    assert policy.hosts == frozenset({"minio.internal"})
    assert [str(n) for n in policy.networks] == ["10.0.0.0/8", "fd00::1/128", "192.168.1.7/32"]
    assert policy.host_allowed("minio.INTERNAL")
    assert policy.address_allowed(ipaddress.ip_address("10.20.30.40"))
    assert policy.address_allowed(ipaddress.ip_address("::ffff:10.0.0.1"))
    assert policy.address_allowed(ipaddress.ip_address("8.8.8.8"))
    assert not policy.address_allowed(ipaddress.ip_address("192.168.1.8"))
    assert not policy.address_allowed(ipaddress.ip_address("127.0.0.1"))
    assert UrlPolicy.from_setting("") == UrlPolicy()


@pytest.mark.parametrize("entry", ["a/b/c", "*.example.com", "user@host", "host:8080"])
def test_policy_refuses_bad_entries(entry: str) -> None:
    with pytest.raises(ValueError, match="invalid URL allow-list entry"):
        UrlPolicy.from_setting(entry)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("127.0.0.53", "loopback"),
        ("::ffff:10.1.1.1", "private"),
        ("64:ff9b::a9fe:a9fe", "link-local"),
        ("255.255.255.255", "private"),
        ("240.0.0.1", "private"),
        ("::", "unspecified"),
        ("ff02::1", "multicast"),
    ],
)
def test_non_public_reason(address: str, reason: str | None) -> None:
    assert non_public_reason(ipaddress.ip_address(address)) == reason
