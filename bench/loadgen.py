"""An open-loop load generator for feeds on a loopback server.

Requests start on a fixed schedule (`--rate` a second) whether or not earlier ones have been
answered, the way many independent calendar clients arrive, so a slow server shows up as latency
instead of as fewer requests. Latency counts from each request's scheduled start, so time spent
waiting behind a busy generator is not hidden. Each request opens its own HTTP/1.1 connection
(`Connection: close`), as pollers do; a share of them are conditional (`If-None-Match` with the
last ETag seen for that URL).

    python bench/loadgen.py --url http://127.0.0.1:8000 --rate 350 --seconds 30 --tokens tokens.txt

`--tokens`: one feed token a line (fetched as /s/<token>.ics) or a path starting with "/".
Without it, stateless marathon feeds for a few race dates are fetched. Only loopback hosts are
accepted; rate, duration and requests in flight are bounded.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import random
import select
import socket
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

MAX_RATE, MAX_SECONDS, MAX_IN_FLIGHT = 5000.0, 600.0, 2000
TIMEOUT = 10.0


class Refused(Exception):
    """Arguments the generator will not run with."""


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    paths: tuple[str, ...]


@dataclass
class Tally:
    """What came back: latency (seconds) per answered request, statuses, errors."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    etags: dict[str, str] = field(default_factory=dict)
    conditional: int = 0
    skipped: int = 0
    sent: int = 0
    sending: float = 0.0  # seconds from the first scheduled start to the last actual one


def loopback_target(url: str, paths: Sequence[str]) -> Target:
    """The host and port of `url`, refused unless every address it names is loopback."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise Refused(f"--url must be http://HOST:PORT on loopback, got {url!r}")
    port = parts.port or 80
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise Refused(f"cannot resolve {parts.hostname!r}: {error}") from error
    addresses = {info[4][0] for info in found}
    if not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise Refused(f"{parts.hostname!r} is not loopback ({', '.join(sorted(addresses))})")
    return Target(parts.hostname, port, tuple(paths))


def read_paths(tokens: Path | None) -> list[str]:
    """Feed paths from a tokens file, or a few stateless feeds."""
    if tokens is None:
        race = date.today() + timedelta(weeks=20)
        return [f"/feeds/marathon.ics?race={race + timedelta(days=i)}" for i in range(7)]
    lines = [line.strip() for line in tokens.read_text().splitlines()]
    paths = [line if line.startswith("/") else f"/s/{line}.ics" for line in lines if line]
    if not paths:
        raise Refused(f"{tokens}: no tokens")
    return paths


def request_bytes(target: Target, path: str, etag: str | None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {target.host}:{target.port}", "Connection: close"]
    if etag:
        lines.append(f"If-None-Match: {etag}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def parse_answer(raw: bytes) -> tuple[str, str | None]:
    """The status code and ETag of a raw HTTP/1.1 answer."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = head[0].split(" ")[1] if head and head[0].startswith("HTTP/") else "bad answer"
    etag = next((h.split(":", 1)[1].strip() for h in head if h.lower().startswith("etag:")), None)
    return status, etag


# Enough of an answer for its status line and headers.
HEAD_BYTES = 4096
# Bodies are read into one reused buffer and dropped: only their heads are kept.
READ_BYTES = 1 << 18
# How often requests are checked against TIMEOUT (seconds).
SWEEP = 0.1


@dataclass
class Exchange:
    """One request on its own connection, from its scheduled start until the server closes."""

    path: str
    due: float
    request: bytes
    sock: socket.socket
    head: bytearray = field(default_factory=bytearray)
    sent: bool = False


class Loop:
    """Requests on their own non-blocking connections, driven by one epoll loop.

    No asyncio, tasks or transports, and no copy of the 100-150 kB bodies: the generator shares
    the machine with the server it measures, so the less CPU it takes the fairer the test.
    """

    def __init__(self, target: Target, tally: Tally) -> None:
        self.target, self.tally = target, tally
        self.address = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)[0]
        self.poller = select.epoll()
        self.open: dict[int, Exchange] = {}
        self.buffer = memoryview(bytearray(READ_BYTES))
        self.swept = 0.0

    def start(self, path: str, due: float, etag: str | None) -> None:
        family, kind, proto, _, address = self.address
        sock = socket.socket(family, kind, proto)
        sock.setblocking(False)
        exchange = Exchange(path, due, request_bytes(self.target, path, etag), sock)
        error = sock.connect_ex(address)
        if error not in (0, errno.EINPROGRESS):
            sock.close()
            self.finish(exchange, errno.errorcode.get(error, "OSError"))
            return
        self.open[sock.fileno()] = exchange
        self.poller.register(sock.fileno(), select.EPOLLOUT)

    def step(self, wait: float) -> None:
        """Handle what is ready within `wait` seconds, then give up on requests past TIMEOUT."""
        for fd, events in self.poller.poll(max(wait, 0.0)):
            exchange = self.open.get(fd)
            if exchange is not None:
                self._ready(fd, exchange, events)
        now = time.perf_counter()
        if now - self.swept < SWEEP:
            return
        self.swept = now
        for fd, exchange in list(self.open.items()):
            if now - exchange.due > TIMEOUT:
                self._close(fd, exchange, "timeout")

    def _ready(self, fd: int, exchange: Exchange, events: int) -> None:
        sock = exchange.sock
        if not exchange.sent:
            error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if error:
                self._close(fd, exchange, errno.errorcode.get(error, "OSError"))
                return
            sock.send(exchange.request)  # a few hundred bytes: one send on a fresh socket
            exchange.sent = True
            self.poller.modify(fd, select.EPOLLIN)
            return
        while True:
            try:
                got = sock.recv_into(self.buffer)
            except BlockingIOError:
                return
            except OSError as error:
                self._close(fd, exchange, type(error).__name__)
                return
            if not got:
                self._close(fd, exchange, None)
                return
            if len(exchange.head) < HEAD_BYTES:
                exchange.head += self.buffer[: min(got, HEAD_BYTES - len(exchange.head))]

    def _close(self, fd: int, exchange: Exchange, error: str | None) -> None:
        self.poller.unregister(fd)
        del self.open[fd]
        exchange.sock.close()
        self.finish(exchange, error)

    def finish(self, exchange: Exchange, error: str | None) -> None:
        tally = self.tally
        if error is not None:
            tally.statuses[error] += 1
            return
        status, etag = parse_answer(bytes(exchange.head))
        if etag:
            tally.etags[exchange.path] = etag
        tally.statuses[status] += 1
        if status.isdigit():
            tally.latencies.append(time.perf_counter() - exchange.due)


def run(target: Target, rate: float, seconds: float, share: float, seed: int) -> Tally:
    """Start `rate` requests a second for `seconds`, on schedule; wait for the last answers."""
    rng, tally = random.Random(seed), Tally()
    loop = Loop(target, tally)
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        due = start + i / rate
        while (wait := due - time.perf_counter()) > 0:
            loop.step(wait)
        if len(loop.open) >= MAX_IN_FLIGHT:
            tally.skipped += 1
            continue
        path, conditional = rng.choice(target.paths), rng.random() < share
        etag = tally.etags.get(path) if conditional else None
        tally.conditional += etag is not None
        loop.start(path, due, etag)
        tally.sent, tally.sending = tally.sent + 1, time.perf_counter() - start
        loop.step(0)
    while loop.open:
        loop.step(0.05)
    loop.poller.close()
    return tally


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def summary(tally: Tally, elapsed: float) -> list[str]:
    answered = len(tally.latencies)
    sent_rate = tally.sent / tally.sending if tally.sending else 0.0
    lines = [
        f"achieved: {sent_rate:.1f} requests/s started, {answered / elapsed:.1f} answers/s"
        f" ({tally.sent} started, {answered} answered, {tally.skipped} skipped at"
        f" {MAX_IN_FLIGHT} in flight; {elapsed:.1f} s until the last answer)",
        f"conditional requests: {tally.conditional}",
        "statuses: " + ", ".join(f"{k} x{v}" for k, v in sorted(tally.statuses.items())),
    ]
    if answered:
        ms = [s * 1000 for s in tally.latencies]
        spread = ", ".join(f"p{p} {percentile(ms, p):.1f}" for p in (50, 90, 99))
        lines.append(f"latency ms: {spread}, max {max(ms):.1f} (mean {statistics.fmean(ms):.1f})")
    return lines


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--rate", type=float, default=50.0, help="requests started a second")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--tokens", type=Path, help="feed tokens (or paths), one a line")
    parser.add_argument("--conditional", type=float, default=0.5, help="share sending ETags")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not (0 < args.rate <= MAX_RATE and 0 < args.seconds <= MAX_SECONDS):
        raise Refused(f"--rate must be in (0, {MAX_RATE:g}], --seconds in (0, {MAX_SECONDS:g}]")
    if not 0 <= args.conditional <= 1:
        raise Refused("--conditional is a share, 0 to 1")
    return args


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    try:
        args = arguments(argv)
        target = loopback_target(args.url, read_paths(args.tokens))
    except (Refused, OSError) as error:
        out(f"loadgen: {error}")
        return 2
    out(f"open loop: {args.rate:g}/s for {args.seconds:g} s, {len(target.paths)} URLs")
    started = time.perf_counter()
    tally = run(target, args.rate, args.seconds, args.conditional, args.seed)
    for line in summary(tally, time.perf_counter() - started):
        out(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
