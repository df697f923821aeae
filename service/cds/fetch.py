"""Outbound HTTP, bounded: which servers may be called (parsed URLs, never string prefixes) and a
GET that stops at a wall-clock deadline and a byte cap, whatever the server does."""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote, urlsplit

READ_SIZE = 64 * 1024
DEFAULT_PORTS = {"http": 80, "https": 443}
# IPv6 ranges that `is_global` takes for public (Python 3.11) though they reach IPv4 or are not
# routed: NAT64 (RFC 6052, 8215), 6to4 (RFC 3056), IPv4-compatible and IPv4-mapped addresses,
# documentation (RFC 9637) and SRv6 SIDs (RFC 9602). Refused under `*` with every non-global one.
SPECIAL_IPV6 = tuple(
    ipaddress.IPv6Network(network)
    for network in (
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "2002::/16",
        "::/96",
        "::ffff:0:0/96",
        "3fff::/20",
        "5f00::/16",
    )
)


class FetchError(Exception):
    """A fetch that gave nothing usable; `reason` is one of a fixed set (logged, counted)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Base:
    """A parsed http(s) URL: scheme, host and port compared exactly, path by whole segments."""

    scheme: str
    host: str
    port: int
    segments: tuple[str, ...]

    def contains(self, other: Base) -> bool:
        return (self.scheme, self.host, self.port) == (other.scheme, other.host, other.port) and (
            other.segments[: len(self.segments)] == self.segments
        )

    @property
    def origin(self) -> tuple[str, str, int]:
        return self.scheme, self.host, self.port


def parse_base(url: str) -> Base:
    """Parse an http(s) URL; refuse userinfo, a query or fragment, dot segments and odd characters."""
    if any(ord(c) <= 0x20 or c in "\\\x7f" for c in url):
        raise ValueError("control characters, spaces or backslashes")
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError("not an http(s) URL with a host")
    if "@" in parts.netloc or parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ValueError("userinfo, a query or a fragment")
    port = parts.port or DEFAULT_PORTS[parts.scheme]  # .port raises ValueError on a bad port
    segments = tuple(unquote(s) for s in parts.path.split("/") if s)
    if any(s in (".", "..") or "/" in s for s in segments):
        raise ValueError("dot segments or encoded slashes in the path")
    return Base(parts.scheme, parts.hostname.lower(), port, segments)


class AllowList:
    """The FHIR servers the service may call: exact bases, or `*` for any public http(s) server
    (never a loopback, private, link-local or otherwise non-global address)."""

    def __init__(self, entries: Iterable[str]) -> None:
        entries = tuple(entries)
        self.any_public = "*" in entries
        self.bases = tuple(parse_base(entry) for entry in entries if entry != "*")

    def __bool__(self) -> bool:
        return self.any_public or bool(self.bases)

    def address(self, url: str) -> tuple[Base, str | None] | None:
        """Return (base, address to connect to) when `url` may be called; None when it may not.
        A listed server is connected to by name; under `*`, by one address checked to be global."""
        try:
            base = parse_base(url)
        except ValueError:
            return None
        if any(allowed.contains(base) for allowed in self.bases):
            return base, None
        if self.any_public:
            address = _global_address(base.host, base.port)
            return (base, address) if address else None
        return None


def _global_address(host: str, port: int) -> str | None:
    """Resolve a host; return its first address if every address it has is global, else None."""
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (OSError, UnicodeError):
        return None
    addresses = [ipaddress.ip_address(str(a).split("%")[0]) for a in sorted(found)]
    return str(addresses[0]) if addresses and all(map(public, addresses)) else None


def public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is public: global, and in no special-purpose IPv6 range."""
    if isinstance(address, ipaddress.IPv6Address) and any(address in net for net in SPECIAL_IPV6):
        return False
    return address.is_global


def bounded_get(
    base: Base, path: str, headers: Mapping[str, str], deadline: float, cap: int, address: str | None = None
) -> bytes:
    """GET `path` (with its query) from `base`'s origin; return the body of a 200.

    The whole exchange (connect, headers, body) ends by `deadline` (time.monotonic()): a timer
    shuts the socket however slowly the server drips. A body over `cap` bytes, a compressed one,
    a redirect or any status but 200 raise FetchError."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError("budget")
    try:
        connection = _connection(base, address, remaining)
    except (OSError, ValueError):  # refused, unreachable, a failed TLS handshake (an ssl.SSLError)
        raise FetchError("budget" if time.monotonic() >= deadline else "network") from None
    timer = threading.Timer(remaining, _shut, (connection,))
    timer.start()
    try:
        connection.request("GET", path, headers={**headers, "Accept-Encoding": "identity"})
        response = connection.getresponse()
        if response.status != 200:
            raise FetchError("status")
        if response.getheader("Content-Encoding", "identity").lower() != "identity":
            raise FetchError("encoding")
        return _read(response, deadline, cap)
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, ValueError):
        raise FetchError("budget" if time.monotonic() >= deadline else "network") from None
    finally:
        timer.cancel()
        connection.close()


def _read(response: http.client.HTTPResponse, deadline: float, cap: int) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise FetchError("size")
    parts, total = [], 0
    while chunk := response.read1(READ_SIZE):  # whatever has arrived, never a full buffer's wait
        total += len(chunk)
        if total > cap:
            raise FetchError("size")
        if time.monotonic() >= deadline:
            raise FetchError("budget")
        parts.append(chunk)
    return b"".join(parts)


def _connection(base: Base, address: str | None, timeout: float) -> http.client.HTTPConnection:
    if base.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            base.host, base.port, timeout=timeout, context=_tls()
        )
    else:
        connection = http.client.HTTPConnection(base.host, base.port, timeout=timeout)
    if address is not None:  # connect to the address that was checked, not a second lookup
        sock = socket.create_connection((address, base.port), timeout=timeout)
        if base.scheme == "https":
            sock = _tls().wrap_socket(sock, server_hostname=base.host)
        connection.sock = sock
    return connection


@cache
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()


def _shut(connection: http.client.HTTPConnection) -> None:
    """At the deadline: end whatever the fetch is waiting for."""
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
