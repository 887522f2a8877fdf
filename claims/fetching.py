"""The app's one way to fetch a page from the web (imports by URL, source snapshots, link
checks, and the Internet Archive's Save Page Now).

An editor's URL is untrusted input that makes this server open a connection, so every
fetch is guarded:
- http and https only, no user name or password in the URL;
- the host is resolved here and every address it resolves to is checked (private,
  loopback, link-local, multicast, reserved, unspecified; IPv4 and IPv6, with IPv4
  addresses hidden inside IPv6 ones unwrapped), on the first request and after every
  redirect (at most MAX_REDIRECTS, loops refused);
- the connection goes to the address that was checked, with the name sent in the
  `Host` header and used for SNI and the certificate check, so a DNS answer that
  changes between the check and the connection (DNS rebinding) can't move it;
- connect and read timeouts and a deadline for the whole fetch;
- the body is counted as it streams, after decompression, and refused past `max_bytes`
  (a gzip bomb stops at the cap);
- only the content types asked for (HTML and plain text by default);
- 4xx and 5xx answers are refused with their status.

Every refusal is a `FetchRefused` whose message is one line an editor can read
("refused: 10.0.0.5 is a private address"). FACTCHECK_FETCH_ALLOWED_NETWORKS lets named
networks through (an on-premise desk's intranet; the tests' 127.0.0.1).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message
from functools import cache
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from django.utils import timezone
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
HTML_OR_TEXT = ("text/html", "text/plain")
CHUNK = 16 * 1024

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# What the editor is told a refused content type is, beside its name.
_KINDS = {
    "application/pdf": "a PDF document",
    "application/zip": "a zip archive",
    "application/gzip": "a gzip archive",
    "application/octet-stream": "binary data",
    "application/json": "JSON data",
    "application/xml": "XML data",
    "image/": "an image",
    "video/": "a video",
    "audio/": "a sound file",
}
# The address checks, in the order a message names them: 169.254.169.254 is private too,
# but "link-local" says more.
_CHECKS = [
    ("is_unspecified", "an unspecified"),
    ("is_loopback", "a loopback"),
    ("is_link_local", "a link-local"),
    ("is_multicast", "a multicast"),
    ("is_site_local", "a site-local"),
    ("is_private", "a private"),
    ("is_reserved", "a reserved"),
]
# NAT64's well-known prefix carries an IPv4 address in its last 32 bits.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class FetchRefused(ValueError):
    """The page was not fetched; the message says why in one line, for the editor."""


@dataclass(frozen=True)
class Fetched:
    """A page as the server sent it: the body exactly as received (decompressed)."""

    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    content_type: str  # the media type alone, lower case: "text/html"
    charset: str  # from the Content-Type header, or ""
    body: bytes
    fetched_at: dt.datetime
    elapsed: float  # seconds, from the first connection to the last byte
    sha256: str  # of `body`

    def response_fields(self) -> dict[str, object]:
        """What a stored capture keeps of the response besides its bytes, by the field
        names ArticleCapture and SourceSnapshot share."""
        return {
            "requested_url": self.url,
            "final_url": self.final_url,
            "status": self.status,
            "content_type": self.content_type,
            "charset": self.charset[:40],
            "size": len(self.body),
            "sha256": self.sha256,
            "fetched_at": self.fetched_at,
            "elapsed": self.elapsed,
        }


# --- addresses --------------------------------------------------------------------------


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to. The one place that asks DNS: tests replace it."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        why = (error.strerror if isinstance(error, OSError) else "") or _reason(error)
        raise FetchRefused(f"refused: {host} can't be found ({why}).") from None
    found: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])  # no IPv6 zone
        if address not in found:
            found.append(address)
    if not found:
        raise FetchRefused(f"refused: {host} has no address.")
    return found


@cache
def _allowed(
    networks: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(n, strict=False) for n in networks)


def _is_allowed(address: IPAddress) -> bool:
    networks = _allowed(tuple(settings.FACTCHECK_FETCH_ALLOWED_NETWORKS))
    return any(address.version == n.version and address in n for n in networks)


def _embedded(address: IPAddress) -> list[IPAddress]:
    """The IPv4 addresses an IPv6 one carries (mapped, 6to4, Teredo, NAT64)."""
    if isinstance(address, ipaddress.IPv4Address):
        return []
    inside: list[IPAddress] = []
    if address.ipv4_mapped:
        inside.append(address.ipv4_mapped)
    if address.sixtofour:
        inside.append(address.sixtofour)
    if address.teredo:
        inside.extend(address.teredo)
    if address in _NAT64:
        inside.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return inside


def refusal(address: IPAddress) -> str:
    """Why the app must not connect to `address` ("a private address"), or ""."""
    if _is_allowed(address):
        return ""
    for inner in _embedded(address):
        if why := refusal(inner):
            return f"{why} inside an IPv6 address ({inner})"
        if _is_allowed(inner):
            return ""
    for attribute, what in _CHECKS:
        if getattr(address, attribute, False):
            return f"{what} address"
    if not address.is_global:
        return "not a public address"
    return ""


def _checked(host: str, port: int) -> list[IPAddress]:
    """The addresses of `host`, every one of them allowed; or FetchRefused."""
    addresses = resolve(host, port)
    for address in addresses:
        if why := refusal(address):
            shown = str(address) if host.strip("[]") == str(address) else f"{host} ({address})"
            raise FetchRefused(f"refused: {shown} is {why}.")
    return addresses


# --- URLs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # as written, lower case, without brackets
    port: int
    path: str  # with the query

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def _target(url: str) -> _Target:
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchRefused(f"refused: {_short(url)} is not a valid URL ({error}).") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        what = f"“{scheme}:” URLs" if scheme else "URLs without http:// or https://"
        raise FetchRefused(f"refused: {what} are not fetched; only http and https.")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("refused: URLs with a user name or password are not fetched.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused(f"refused: {_short(url)} has no host name.")
    try:  # an international name goes to DNS and the Host header in its ASCII form
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchRefused(f"refused: {host} is not a valid host name.") from None
    if port == 0:
        raise FetchRefused(f"refused: port 0 in {_short(url)} is not a port.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    default = 443 if scheme == "https" else 80
    return _Target(url=url, scheme=scheme, host=host, port=port or default, path=path)


def check_url(url: str) -> str:
    """Check a URL as a form does, before anything is queued: its scheme, its host and
    every address the host has now (the fetch checks them again, and after every
    redirect). The URL, stripped; or FetchRefused."""
    target = _target(url)
    _checked(target.host, target.port)
    return target.url


# --- fetching -------------------------------------------------------------------------------


def fetch(
    url: str,
    *,
    max_bytes: int,
    accept: Iterable[str] = HTML_OR_TEXT,
    limit_name: str = "FACTCHECK_IMPORT_MAX_BYTES",
) -> Fetched:
    """GET `url` under every guard above: the page, or FetchRefused. `limit_name` is the
    setting that `max_bytes` comes from, named when a page is over it."""
    accept = tuple(accept)
    started, fetched_at = time.monotonic(), timezone.now()
    deadline = started + settings.FACTCHECK_FETCH_DEADLINE_SECONDS
    seen: list[str] = []
    current = url.strip()
    while True:
        target = _target(current)
        if seen and time.monotonic() > deadline:
            raise FetchRefused(
                f"refused: {_short(url)} took longer than "
                f"{settings.FACTCHECK_FETCH_DEADLINE_SECONDS:g} s, redirects included."
            )
        seen.append(target.url)
        pool, response = _request(target, deadline)
        try:
            location = response.headers.get("Location")
            if response.status in REDIRECTS and location:
                following = urljoin(target.url, location.strip())
                if following in seen:
                    chain = " → ".join(_short(u) for u in [*seen[seen.index(following) :]])
                    raise FetchRefused(f"refused: the page redirects in a loop ({chain} → …).")
                if len(seen) > MAX_REDIRECTS:
                    raise FetchRefused(
                        f"refused: more than {MAX_REDIRECTS} redirects "
                        f"(the last to {_short(following)})."
                    )
                current = following
                continue
            _check_answer(response, target, accept, max_bytes, limit_name)
            body = _read(response, target, max_bytes, deadline, limit_name)
        finally:
            response.release_conn()
            pool.close()
        media_type, charset = _content_type(response.headers.get("Content-Type", ""))
        return Fetched(
            url=url.strip(),
            final_url=target.url,
            status=response.status,
            content_type=media_type,
            charset=charset,
            body=body,
            fetched_at=fetched_at,
            elapsed=round(time.monotonic() - started, 3),
            sha256=hashlib.sha256(body).hexdigest(),
        )


def ask_to_archive(url: str, *, save_url: str) -> str:
    """Ask a Save Page Now service (`save_url`, e.g. https://web.archive.org/save/) to
    archive `url`: the address of the archived copy it answers with, in its
    Content-Location or Location header; or FetchRefused. The service's address passes
    the same checks as any fetch; its answer's body is not read."""
    target = _target(save_url + url)
    deadline = time.monotonic() + settings.FACTCHECK_FETCH_DEADLINE_SECONDS
    pool, response = _request(target, deadline)
    try:
        location = response.headers.get("Content-Location") or response.headers.get("Location")
    finally:
        response.release_conn()
        pool.close()
    if response.status >= 400:
        raise FetchRefused(f"refused: the archive answered {_status(response.status)}.")
    if not location:
        raise FetchRefused(
            f"refused: the archive answered {_status(response.status)} without the archived "
            "copy's address."
        )
    archived = urljoin(target.url, location.strip())
    if urlsplit(archived).scheme not in ("http", "https"):
        raise FetchRefused("refused: the archive named a copy that is not an http(s) address.")
    return archived


def _request(
    target: _Target, deadline: float
) -> tuple[urllib3.HTTPConnectionPool, urllib3.BaseHTTPResponse]:
    """Send the GET to a checked address of the target's host."""
    addresses = _checked(target.host, target.port)
    headers = {
        "Host": target.host_header,
        "User-Agent": settings.FACTCHECK_FETCH_USER_AGENT,
        "Accept": "text/html, text/plain;q=0.9, */*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
    }
    last_error: Exception | None = None
    for address in addresses:
        pool = _pool(target, address, deadline)
        try:
            response = pool.urlopen(
                "GET",
                target.path,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=True,
                assert_same_host=False,
            )
        except NewConnectionError as error:
            pool.close()
            last_error = error  # the next address may answer
            continue
        except HTTPError as error:
            pool.close()
            raise FetchRefused(_network_error(error, target)) from None
        return pool, response
    assert last_error is not None
    raise FetchRefused(_network_error(last_error, target)) from None


def _pool(target: _Target, address: IPAddress, deadline: float) -> urllib3.HTTPConnectionPool:
    remaining = max(0.1, deadline - time.monotonic())
    timeout = urllib3.Timeout(
        connect=min(settings.FACTCHECK_FETCH_CONNECT_TIMEOUT, remaining),
        read=min(settings.FACTCHECK_FETCH_READ_TIMEOUT, remaining),
    )
    if target.scheme == "http":
        return urllib3.HTTPConnectionPool(str(address), target.port, timeout=timeout, maxsize=1)
    # The connection goes to the checked address; the name is what SNI and the
    # certificate check use (an IP literal gets no SNI, as TLS wants).
    return urllib3.HTTPSConnectionPool(
        str(address),
        target.port,
        timeout=timeout,
        maxsize=1,
        cert_reqs="CERT_REQUIRED",
        ca_certs=settings.FACTCHECK_FETCH_CA_FILE or None,
        server_hostname=target.host,
        assert_hostname=target.host,
    )


def _check_answer(
    response: urllib3.BaseHTTPResponse,
    target: _Target,
    accept: tuple[str, ...],
    max_bytes: int,
    limit_name: str,
) -> None:
    if response.status >= 400:
        raise FetchRefused(f"refused: {_short(target.url)} answered {_status(response.status)}.")
    if response.status in REDIRECTS:
        raise FetchRefused(f"refused: {_short(target.url)} redirects without saying where.")
    if response.status != 200:
        raise FetchRefused(
            f"refused: {_short(target.url)} answered {_status(response.status)}, not a page."
        )
    header = response.headers.get("Content-Type", "")
    media_type, _ = _content_type(header)
    if not media_type:
        raise FetchRefused(f"refused: {_short(target.url)} doesn't say what it sent (no type).")
    if media_type not in accept:
        wanted = " or ".join(_kind(t) for t in accept)
        raise FetchRefused(f"refused: the page is {_kind(media_type)}, not {wanted}.")
    length = response.headers.get("Content-Length", "")
    encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
    if length.isdigit() and int(length) > max_bytes and not encoded:
        raise FetchRefused(
            f"refused: the page is {_size(int(length))}, over the limit of {_size(max_bytes)} "
            f"({limit_name})."
        )


def _read(
    response: urllib3.BaseHTTPResponse,
    target: _Target,
    max_bytes: int,
    deadline: float,
    limit_name: str,
) -> bytes:
    """The body, decompressed, counted as it comes: never more than max_bytes in memory."""
    chunks, total = [], 0
    try:
        # read1: whatever has arrived (decompressed by at most CHUNK bytes at a time), so
        # the deadline is checked even while a server drips a byte at a time.
        while chunk := response.read1(CHUNK, decode_content=True):
            total += len(chunk)
            if total > max_bytes:
                unpacked = " once decompressed" if response.headers.get("Content-Encoding") else ""
                raise FetchRefused(
                    f"refused: the page is larger{unpacked} than the limit of "
                    f"{_size(max_bytes)} ({limit_name})."
                )
            if time.monotonic() > deadline:
                raise FetchRefused(
                    f"refused: {_short(target.url)} took longer than "
                    f"{settings.FACTCHECK_FETCH_DEADLINE_SECONDS:g} s to send the page."
                )
            chunks.append(chunk)
    except HTTPError as error:
        raise FetchRefused(_network_error(error, target)) from None
    return b"".join(chunks)


# --- messages ---------------------------------------------------------------------------------


def _network_error(error: Exception, target: _Target) -> str:
    host = target.host
    # urllib3's NewConnectionError is a ConnectTimeoutError too: asked first.
    if isinstance(error, NewConnectionError):
        return f"refused: could not connect to {host} ({_reason(error)})."
    if isinstance(error, ConnectTimeoutError):
        return (
            f"refused: {host} did not answer within "
            f"{settings.FACTCHECK_FETCH_CONNECT_TIMEOUT:g} s (connection timed out)."
        )
    if isinstance(error, ReadTimeoutError):
        return (
            f"refused: {host} stopped sending for more than "
            f"{settings.FACTCHECK_FETCH_READ_TIMEOUT:g} s (read timed out)."
        )
    if isinstance(error, SSLError):
        return f"refused: {host}'s HTTPS certificate could not be verified ({_reason(error)})."
    if isinstance(error, DecodeError):
        return f"refused: {host} sent compressed content that can't be decompressed."
    if isinstance(error, ProtocolError):
        return f"refused: {host} broke off the connection ({_reason(error)})."
    return f"refused: fetching from {host} failed ({_reason(error)})."


def _reason(error: BaseException) -> str:
    """The innermost cause's message, on one line and short."""
    while error.__context__ is not None and not str(error):
        error = error.__context__
    text = " ".join(str(error).split()) or type(error).__name__
    # urllib3 prefixes its messages with the connection object's repr
    if text.startswith("<") and ">: " in text:
        text = text.split(">: ", 1)[1]
    return text[:200]


def _content_type(header: str) -> tuple[str, str]:
    media_type = header.split(";", 1)[0].strip().lower()
    if "/" not in media_type:
        return "", ""
    message = Message()
    message["Content-Type"] = header
    charset = message.get_param("charset")
    return media_type, (charset.strip().lower() if isinstance(charset, str) else "")


def _kind(media_type: str) -> str:
    if media_type == "text/html":
        return "HTML"
    if media_type == "text/plain":
        return "plain text"
    if media_type == "application/xhtml+xml":
        return "XHTML"
    for prefix, what in _KINDS.items():
        if media_type == prefix or (prefix.endswith("/") and media_type.startswith(prefix)):
            return f"{what} ({media_type})"
    return media_type


def _status(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _short(url: str) -> str:
    return url if len(url) <= 120 else url[:117] + "…"
