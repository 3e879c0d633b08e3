"""Feed answers kept in front of Flask: a repeated feed GET or HEAD answered by its raw URL.

Flask's own answer is kept exactly as it left the app (status, every header, the body), once a
feed view has offered it (`offer`) and only for the validity it named: a stateless feed for its
UTC day (the date policy reads today), a managed feed for its plan's revision. A request the
kept answer cannot settle (another method, an unknown URL, a validator it has no `304` for, a
managed plan that may have changed) goes to Flask untouched.

A managed plan edited in this worker is re-checked on its next fetch (every request that is not
a GET or HEAD marks the managed answers for checking); an edit made by another worker or server
is seen within `FRONT_CACHE_CHECK_SECONDS`, after which the kept answer is served only if one
indexed lookup finds the plan at the same revision.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from flask import Flask, request
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.http import parse_date, parse_etags

from . import clock
from .cache import LRU
from .http import FEED_PATHS
from .managed.store import Store

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# Where a feed view leaves its offer for the layer in front (one request's environ).
OFFER = "feeds.frontcache.offer"
READS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Stateless:
    """A feed by distance: the same for everyone on one UTC day."""

    day: date


@dataclass(frozen=True)
class Managed:
    """A stored plan's feed at one revision (and one day, with weekly unlock)."""

    feed_digest: str
    revision: int
    day: date | None


@dataclass(frozen=True)
class Offer:
    """What a feed view says about the answer it made: how long it holds, its validators."""

    holds: Stateless | Managed
    etag: str
    modified: datetime


# A status line and its header list, as Flask passed them to start_response.
Sent = tuple[str, list[tuple[str, str]]]


@dataclass(frozen=True)
class Kept:
    """An answer as Flask sent it: the 200 (GET) and the 304, whichever have been seen."""

    offer: Offer
    # When (monotonic seconds) and after which write a managed plan's revision was last checked.
    checked: float
    writes: int
    full: Sent | None = None
    body: bytes | None = None
    not_modified: Sent | None = None


def offer(holds: Stateless | Managed, etag: str, modified: datetime) -> None:
    """Let the layer in front keep this request's answer (called by the feed views)."""
    request.environ[OFFER] = Offer(holds, etag, modified)


def current(kept: Offer, environ: WSGIEnvironment) -> bool:
    """Whether the client's copy is this one, as `http.Answer.current` decides it."""
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match:
        return match == f'"{kept.etag}"' or kept.etag in parse_etags(match)
    since = parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    return since is not None and kept.modified.replace(microsecond=0) <= since


class Body(list[bytes]):
    """A kept body as a WSGI answer, with the `close` that callers commonly expect of one."""

    def close(self) -> None:
        """Nothing to release: the bytes stay kept."""


class FrontCache:
    """The WSGI layer: answers kept feeds, passes everything else to `app`."""

    def __init__(self, flask: Flask, app: WSGIApplication, size: int, check_seconds: float):
        self.app = app
        self.config = flask.config
        self.extensions = flask.extensions
        self.kept = LRU[Kept](size)
        self.check_seconds = check_seconds
        self._writes = itertools.count(1)
        self.writes = 0

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in READS:
            try:
                return self.app(environ, start_response)
            finally:
                # Any write may have changed a managed plan: check each kept one on its next fetch.
                self.writes = next(self._writes)
        if not environ.get("PATH_INFO", "").startswith(FEED_PATHS):
            return self.app(environ, start_response)
        key = (
            environ.get("PATH_INFO"),
            environ.get("QUERY_STRING"),
            environ.get("HTTP_HOST"),
            environ.get("wsgi.url_scheme"),
            environ.get("SCRIPT_NAME"),
            # Links in feeds follow it; only tests change it while the app runs.
            self.config["PUBLIC_URL"],
        )
        found = self.kept.get(key)
        if found is not None and (found := self._valid(key, found)) is not None:
            answered = self._answer(found, environ, start_response)
            if answered is not None:
                return answered
        return self._fill(key, environ, start_response)

    def _valid(self, key: object, found: Kept) -> Kept | None:
        """The kept answer if it still holds (re-checking a managed plan when due), else None."""
        holds = found.offer.holds
        if holds.day is not None and holds.day != clock.now().date():
            self.kept.discard(key)  # Flask answers, and may offer a new one
            return None
        if isinstance(holds, Stateless):
            return found
        now, writes = time.monotonic(), self.writes
        if found.writes == writes and now - found.checked < self.check_seconds:
            return found
        if self._revision(holds.feed_digest) != holds.revision:
            self.kept.discard(key)
            return None
        found = replace(found, checked=now, writes=writes)
        self.kept.put(key, found)
        return found

    def _revision(self, feed_digest: str) -> int | None:
        """The plan's stored revision; None when unknown or unreadable (Flask then answers,
        with a 503 while the database is down)."""
        store: Store = self.extensions["store"]
        try:
            return store.revision(feed_digest)
        except (DBAPIError, PoolTimeout):
            return None

    @staticmethod
    def _answer(
        found: Kept, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes] | None:
        """Flask's own 304 or 200 for this request, if kept; None sends the request on."""
        if current(found.offer, environ):
            if found.not_modified is None:
                return None
            start_response(found.not_modified[0], list(found.not_modified[1]))
            return Body()
        if found.full is None or found.body is None:
            return None
        start_response(found.full[0], list(found.full[1]))
        return Body() if environ["REQUEST_METHOD"] == "HEAD" else Body((found.body,))

    def _fill(
        self, key: object, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        """Let Flask answer, keeping its answer when a feed view offered it."""
        seen: list[Sent] = []
        # Taken before Flask reads the plan: a write finishing meanwhile leaves this one stale.
        writes, checked = self.writes, time.monotonic()

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen.append((status, list(headers)))
            return start_response(status, headers, exc_info)

        answer = self.app(environ, capture)
        offered = environ.get(OFFER)
        if not isinstance(offered, Offer) or len(seen) != 1:
            return answer
        return self._keep(key, Kept(offered, checked, writes), seen[0], environ, answer)

    def _keep(
        self, key: object, new: Kept, sent: Sent, environ: WSGIEnvironment, answer: Iterable[bytes]
    ) -> Iterable[bytes]:
        """Keep Flask's 304, or its 200 to a GET, beside the other one seen for the same
        rendering, if any; the answer to send on."""
        old = self.kept.peek(key)
        if old is not None and old.offer == new.offer:
            new = replace(old, checked=new.checked, writes=new.writes)
        if sent[0].startswith("304"):
            self.kept.put(key, replace(new, not_modified=sent))
            return answer
        if not sent[0].startswith("200") or environ["REQUEST_METHOD"] != "GET":
            return answer
        body = _drain(answer)
        self.kept.put(key, replace(new, full=sent, body=body))
        return Body((body,))


def _drain(answer: Iterable[bytes]) -> bytes:
    """The whole body of a WSGI answer, closing it as a server would."""
    try:
        return b"".join(answer)
    finally:
        close = getattr(answer, "close", None)
        if close is not None:
            close()


def _first_set(*values: Any) -> Any:
    return next(v for v in values if v is not None)


def install(app: Flask) -> None:
    """Put the layer in front of Flask (inside any proxy fix, which must see requests first)."""
    size = int(_first_set(app.config["FRONT_CACHE_SIZE"], app.config["FEED_CACHE_SIZE"]))
    if size <= 0:
        return
    seconds = float(app.config["FRONT_CACHE_CHECK_SECONDS"])
    front = FrontCache(app, app.wsgi_app, size, seconds)
    app.extensions["front_cache"] = front
    app.wsgi_app = front  # type: ignore[method-assign]
