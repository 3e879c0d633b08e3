"""Fetching a running plan: https only, no private networks, redirects re-checked, a size cap.

A local server on 127.0.0.1 serves the fixture calendars; it is reachable only through the
allow setting (FEEDS_RUNPLAN_ALLOW), exactly as an operator would open it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from tests_support import serving

from feeds.placement import RunDay
from feeds.runplan import (
    FetchPolicy,
    RunPlanRefused,
    RunPlanUnreachable,
    fetch,
    parse_allow,
    read_plan,
)

FIXTURES = Path(__file__).parent / "fixtures" / "runplans"
PLAN = (FIXTURES / "marathon-16-weeks.ics").read_bytes()


class Handler(BaseHTTPRequestHandler):
    """Serves the plan at /plan.ics, redirects from /to?<url>, and a huge body at /huge."""

    seen: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        Handler.seen.append(dict(self.headers))
        if self.path.startswith("/to?"):
            self.send_response(302)
            self.send_header("Location", self.path[4:])
            self.end_headers()
        elif self.path == "/plan.ics":
            self._send(PLAN, etag='"v1"')
        elif self.path == "/huge":
            self._send(b"x" * 3_000_000)
        elif self.path == "/huge-unsized":
            self.send_response(200)
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"x" * 100_000)
        else:
            self.send_error(404)

    def _send(self, body: bytes, etag: str | None = None) -> None:
        if etag and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: the fetcher hangs up on oversized bodies on purpose."""


@pytest.fixture(scope="module")
def local_server() -> Iterator[str]:
    """A local server for the module; yields its base URL, http://127.0.0.1:<port>."""
    with serving(Server(("127.0.0.1", 0), Handler)) as base:
        yield base


@pytest.fixture
def server(local_server: str) -> str:
    """The local server, its record of requests cleared."""
    Handler.seen = []
    return local_server


def allowing(base: str) -> FetchPolicy:
    return FetchPolicy.from_setting(base.removeprefix("http://") + ", example.org:8443")


def test_an_allowed_local_server_serves_the_plan(server: str) -> None:
    got = fetch(f"{server}/plan.ics", allowing(server))
    assert got.body == PLAN and got.etag == '"v1"'
    reading = read_plan(got.body, date(2026, 12, 1), date(2027, 4, 18))
    assert dict(reading.run_days())[date(2026, 12, 29)] is RunDay.HARD
    # No cookies, no credentials, no compression asked for.
    headers = {k.lower() for k in Handler.seen[0]}
    assert not headers & {"cookie", "authorization", "proxy-authorization"}
    assert Handler.seen[0]["Accept-Encoding"] == "identity"


def test_a_conditional_fetch_answers_not_modified(server: str) -> None:
    got = fetch(f"{server}/plan.ics", allowing(server), etag='"v1"')
    assert got.not_modified and got.body == b""


def test_the_same_server_without_the_allow_setting_is_refused(server: str) -> None:
    with pytest.raises(RunPlanRefused, match="https://"):
        fetch(f"{server}/plan.ics", FetchPolicy())
    https = server.replace("http://", "https://")
    with pytest.raises(RunPlanRefused, match="private, loopback or link-local"):
        fetch(f"{https}/plan.ics", FetchPolicy())
    assert not Handler.seen, "refused before any connection"


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.20", "169.254.169.254", "::1",
     "fe80::1", "fc00::5", "::ffff:127.0.0.1", "100.64.0.1", "0.0.0.0"],
)  # fmt: skip
def test_hosts_resolving_to_private_addresses_are_refused(address: str) -> None:
    def resolver(host: str, port: int) -> Sequence[str]:
        assert (host, port) == ("plans.example.com", 443)
        return [address]

    with pytest.raises(RunPlanRefused) as caught:
        fetch("https://plans.example.com/p.ics", FetchPolicy(), resolver=resolver)
    assert caught.value.status == 400 and caught.value.field == "running_plan_url"


def test_one_private_address_among_public_ones_is_refused() -> None:
    with pytest.raises(RunPlanRefused):
        fetch(
            "https://plans.example.com/p.ics",
            FetchPolicy(),
            resolver=lambda host, port: ["93.184.216.34", "10.0.0.1"],
        )


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:9/plan.ics",  # another port on loopback: not allowed
        "http://localhost:{port}/plan.ics",  # the allowed port under another name
        "https://10.0.0.8/plan.ics",
        "https://[::1]/plan.ics",
        "file:///etc/passwd",
    ],
)
def test_redirects_are_checked_like_the_first_address(server: str, target: str) -> None:
    port = server.rsplit(":", 1)[1]
    with pytest.raises(RunPlanRefused):
        fetch(f"{server}/to?{target.format(port=port)}", allowing(server))
    assert len(Handler.seen) == 1, "the redirect target was never contacted"


def test_a_redirect_within_the_allowed_host_is_followed(server: str) -> None:
    got = fetch(f"{server}/to?/plan.ics", allowing(server))
    assert got.body == PLAN and got.url.endswith("/plan.ics")


def test_redirect_loops_end(server: str) -> None:
    loop = f"{server}/to?{server}/to?{server}/to?{server}/to?{server}/plan.ics"
    with pytest.raises(RunPlanUnreachable, match="redirects more than 3 times"):
        fetch(loop, allowing(server))


@pytest.mark.parametrize("path", ["/huge", "/huge-unsized"])
def test_bodies_over_the_cap_are_cut_off(server: str, path: str) -> None:
    with pytest.raises(RunPlanUnreachable, match="larger than 2 MB"):
        fetch(f"{server}{path}", allowing(server))


def test_an_error_status_says_what_to_check(server: str) -> None:
    with pytest.raises(RunPlanUnreachable, match="answered 404") as caught:
        fetch(f"{server}/missing.ics", allowing(server))
    assert caught.value.status == 422


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/p.ics", "webcal://example.com/p.ics", "https://", "not a url",
     "https://user:secret@example.com/p.ics", "http://example.com/p.ics"],
)  # fmt: skip
def test_addresses_that_are_not_https_are_refused(url: str) -> None:
    def resolver(host: str, port: int) -> Sequence[str]:
        raise AssertionError("nothing is resolved for a refused address")

    with pytest.raises(RunPlanRefused):
        fetch(url, FetchPolicy(), resolver=resolver)


def test_the_allow_setting_is_host_port_pairs() -> None:
    assert parse_allow(" 127.0.0.1:8123, Plans.Local:80 ,,") == {
        ("127.0.0.1", 8123),
        ("plans.local", 80),
    }
    assert parse_allow("[::1]:8080") == {("::1", 8080)}
    for bad in ("127.0.0.1", "host:http", "host:0", ":80"):
        with pytest.raises(ValueError, match="not host:port"):
            parse_allow(bad)


def test_the_connection_goes_to_the_address_that_was_checked(server: str) -> None:
    """One resolution, checked and then used: a second DNS answer cannot be slipped in."""
    port = int(server.rsplit(":", 1)[1])
    answers = iter([["127.0.0.1"]])  # a second lookup would raise StopIteration
    policy = FetchPolicy(allow=frozenset({("plans.test", port)}))
    got = fetch(f"http://plans.test:{port}/plan.ics", policy, resolver=lambda h, p: next(answers))
    assert got.body == PLAN
    assert Handler.seen[0]["Host"] == f"plans.test:{port}"
