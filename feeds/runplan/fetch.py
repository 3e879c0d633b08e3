"""Fetch a running-plan calendar from a URL the runner gave, without reaching private networks.

https only; http and private addresses only for the `host:port` pairs an operator allows
(setting FEEDS_RUNPLAN_ALLOW). Every host, the first and each redirect's, is resolved once and
checked, and the connection goes to that checked address (TLS still verifies the host name), so
a DNS answer that changes between check and connect cannot reach inside. No cookies, no
credentials, no proxies from the environment; a size cap and short timeouts.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..i18n import _
from .errors import RunPlanRefused, RunPlanUnreachable
from .reading import MAX_BYTES

REDIRECTS = {301, 302, 303, 307, 308}
DEFAULT_PORTS = {"https": 443, "http": 80}
Resolver = Callable[[str, int], Sequence[str]]


@dataclass(frozen=True)
class FetchPolicy:
    """How far the fetcher may go."""

    allow: frozenset[tuple[str, int]] = frozenset()
    max_bytes: int = MAX_BYTES
    timeout: float = 5.0  # each connect and read
    deadline: float = 15.0  # the whole fetch, redirects included
    max_redirects: int = 3

    @classmethod
    def from_setting(cls, setting: str) -> FetchPolicy:
        """The policy for FEEDS_RUNPLAN_ALLOW, comma-separated `host:port` pairs."""
        return cls(allow=parse_allow(setting))


def parse_allow(setting: str) -> frozenset[tuple[str, int]]:
    """`host:port` pairs, comma separated; ValueError names the first bad entry."""
    pairs = set()
    for entry in filter(None, (e.strip() for e in setting.split(","))):
        host, _, port = entry.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"FEEDS_RUNPLAN_ALLOW: '{entry}' is not host:port")
        pairs.add((host.strip("[]").lower(), int(port)))
    return frozenset(pairs)


@dataclass(frozen=True)
class Fetched:
    """A fetched calendar, or `not_modified` when the validators still matched."""

    body: bytes
    url: str
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def fetch(
    url: str,
    policy: FetchPolicy,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    resolver: Resolver = resolve,
) -> Fetched:
    """GET `url`, following checked redirects; raise a RunPlan error saying what went wrong."""
    ends = time.monotonic() + policy.deadline
    for _hop in range(policy.max_redirects + 1):
        target = _check(url, policy, resolver)
        answer = _get(target, policy, ends, etag, last_modified)
        if not isinstance(answer, str):
            return Fetched(answer.body, url, answer.etag, answer.last_modified, answer.not_modified)
        url = urljoin(url, answer)
    raise RunPlanUnreachable(
        _(
            "The running plan's address redirects more than %(most)s times.",
            most=policy.max_redirects,
        )
    )


def _check(url: str, policy: FetchPolicy, resolver: Resolver) -> _Target:
    """The URL's parts and one checked address, or RunPlanRefused saying why not."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError as error:
        raise RunPlanRefused(
            _("The running plan's address has a bad port: %(error)s.", error=error)
        ) from error
    if scheme not in DEFAULT_PORTS or not host:
        raise RunPlanRefused(
            _("The running plan's address must start with https:// and name a host.")
        )
    if parts.username or parts.password:
        raise RunPlanRefused(_("The running plan's address must not hold a user name or password."))
    allowed = (host, port) in policy.allow
    if scheme == "http" and not allowed:
        raise RunPlanRefused(_("The running plan's address must use https://, not http://."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(scheme, host, port, path, _address(host, port, allowed, resolver))


def _address(host: str, port: int, allowed: bool, resolver: Resolver) -> str:
    try:
        addresses = list(resolver(host, port))
    except (OSError, UnicodeError) as error:
        raise _not_found(host) from error
    if not addresses:
        raise _not_found(host)
    if not allowed and not all(_public(a) for a in addresses):
        raise RunPlanRefused(
            _(
                "The running plan's host %(host)s is on a private, loopback or link-local"
                " network; give an address on the public internet.",
                host=host,
            )
        )
    return addresses[0]


def _not_found(host: str) -> RunPlanUnreachable:
    return RunPlanUnreachable(_("The running plan's host %(host)s was not found.", host=host))


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


@dataclass(frozen=True)
class _Answer:
    body: bytes
    etag: str | None
    last_modified: str | None
    not_modified: bool = False


def _get(
    target: _Target,
    policy: FetchPolicy,
    ends: float,
    etag: str | None,
    last_modified: str | None,
) -> _Answer | str:
    """One GET of the checked address: the answer, or the Location of a redirect."""
    connection = _connection(target, policy.timeout)
    try:
        connection.request("GET", target.path, headers=_headers(etag, last_modified))
        with connection.getresponse() as response:
            return _answer(response, policy, ends)
    except (OSError, http.client.HTTPException) as error:
        raise RunPlanUnreachable(
            _(
                "The running plan could not be fetched from %(host)s: %(error)s.",
                host=target.host,
                error=error or _("no answer"),
            )
        ) from error
    finally:
        connection.close()


def _headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {
        "User-Agent": "strength-feeds running-plan reader",
        "Accept": "text/calendar, */*;q=0.5",
        "Accept-Encoding": "identity",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _answer(response: http.client.HTTPResponse, policy: FetchPolicy, ends: float) -> _Answer | str:
    location = response.getheader("Location")
    if response.status in REDIRECTS and location:
        return location
    validators = response.getheader("ETag"), response.getheader("Last-Modified")
    if response.status == 304:
        return _Answer(b"", *validators, not_modified=True)
    if response.status != 200:
        raise RunPlanUnreachable(
            _(
                "The running plan's address answered %(status)s %(reason)s; check that the link"
                " is the calendar's subscription address and still shared.",
                status=response.status,
                reason=response.reason,
            )
        )
    return _Answer(_body(response, policy, ends), *validators)


def _body(response: http.client.HTTPResponse, policy: FetchPolicy, ends: float) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > policy.max_bytes:
        raise _too_large(policy)
    chunks, size = [], 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > policy.max_bytes:
            raise _too_large(policy)
        if time.monotonic() > ends:
            raise RunPlanUnreachable(_("The running plan took too long to download."))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(policy: FetchPolicy) -> RunPlanUnreachable:
    return RunPlanUnreachable(
        _(
            "The running plan is larger than %(most)s MB; a running plan's calendar is far"
            " smaller, so check that the link is the right one.",
            most=policy.max_bytes // 1_000_000,
        )
    )


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the checked address; the Host header keeps the name."""

    def __init__(self, target: _Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """Connects to the checked address and verifies the certificate against the host name."""

    def __init__(self, target: _Target, timeout: float) -> None:
        context = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self.address = target.address
        self.context = context

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.context.wrap_socket(sock, server_hostname=self.host)


def _connection(target: _Target, timeout: float) -> http.client.HTTPConnection:
    if target.scheme == "https":
        return _PinnedHTTPS(target, timeout)
    return _PinnedHTTP(target, timeout)
