"""HTTP like a calendar server: the calendar response, its validators, the base URL, and
answers kept with their headers for the cache-hit path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, cast

from flask import Flask, Request, Response, current_app, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from werkzeug.datastructures import Headers
from werkzeug.http import http_date

from .cache import LRU
from .calendars import Feed

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

# Stateless feeds depend only on their URL and the plan data: shared caches may keep them.
CACHE_SECONDS = 3600
FEED_PATHS = ("/feeds/", "/s/")


def base_url() -> str:
    """Where links inside feeds and pages point: PUBLIC_URL when set, else this request's."""
    return str(current_app.config["PUBLIC_URL"] or request.url_root)


class CalendarResponse(Response):
    """A response whose 304 keeps Last-Modified: Apple Calendar revalidates by date."""

    def get_wsgi_headers(self, environ: WSGIEnvironment) -> Headers:
        headers = super().get_wsgi_headers(environ)
        kept = self.headers.get("Last-Modified")
        if self.status_code == 304 and kept and "Last-Modified" not in headers:
            headers["Last-Modified"] = kept
        return headers


def calendar_response(feed: Feed) -> Response:
    """Serve a feed: strong ETag (hashed once per rendering), conditional GET, disposition."""
    response = CalendarResponse(feed.body, mimetype="text/calendar")
    response.set_etag(feed.etag)
    response.last_modified = feed.modified
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    # Subscriptions need inline (Google refuses attachments); downloads need a file.
    kind = "attachment" if request.args.get("download") == "1" else "inline"
    response.headers["Content-Disposition"] = f'{kind}; filename="{feed.filename}"'
    response.make_conditional(request)
    return response


def not_modified(etag: str, modified: datetime) -> Response:
    """A 304 for a client whose copy is current, without rendering the calendar again."""
    response = CalendarResponse(status=304, mimetype="text/calendar")
    response.set_etag(etag)
    response.last_modified = modified
    return response


def private(response: Response) -> Response:
    """Keep a secret URL's answer out of Referer headers, search engines and shared caches."""
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Robots-Tag"] = "noindex"
    if response.mimetype != "text/calendar":
        response.cache_control.no_store = True
    return response


def revalidate(response: Response) -> Response:
    """A managed plan changes whenever its runner edits it: no shared caches, revalidate."""
    response.cache_control.public = False
    response.cache_control.max_age = None
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response


@dataclass(frozen=True)
class Answer:
    """A feed with its 200 and 304 headers, built once and served from a cache."""

    feed: Feed
    full: Headers
    validators: Headers

    def current(self) -> bool:
        """Whether the client's copy is this one (If-None-Match first, then the date)."""
        if request.if_none_match:
            return self.feed.etag in request.if_none_match
        since = request.if_modified_since
        return since is not None and self.feed.modified.replace(microsecond=0) <= since

    def response(self) -> Response:
        """A 304 for a current client, else the whole feed; never hashes or parses again."""
        if self.current():
            return CalendarResponse(
                status=304, headers=Headers(self.validators), mimetype="text/calendar"
            )
        return Response(self.feed.body, headers=Headers(self.full))


def answer_of(feed: Feed, *, download: bool, secret: bool) -> Answer:
    """The headers of a feed's answers; a 304 carries the 200's Cache-Control (RFC 9110 15.4.5)."""
    cache = "private, no-cache" if secret else f"public, max-age={CACHE_SECONDS}"
    validators = Headers(
        [
            ("ETag", f'"{feed.etag}"'),
            ("Last-Modified", http_date(feed.modified)),
            ("Cache-Control", cache),
        ]
    )
    if secret:
        validators.extend([("Referrer-Policy", "same-origin"), ("X-Robots-Tag", "noindex")])
    # Subscriptions need inline (Google refuses attachments); downloads need a file.
    kind = "attachment" if download else "inline"
    full = Headers(
        [
            ("Content-Type", "text/calendar; charset=utf-8"),
            *validators.items(),
            ("Content-Disposition", f'{kind}; filename="{feed.filename}"'),
        ]
    )
    return Answer(feed, full, validators)


def answers() -> LRU[Answer]:
    """Answers kept per worker, by raw request (see views): a hit parses and hashes nothing."""
    kept = current_app.extensions.get("answers")
    if kept is None:
        size = int(current_app.config.get("FEED_CACHE_SIZE", 256))
        kept = current_app.extensions.setdefault("answers", LRU[Answer](size))
    return cast("LRU[Answer]", kept)


class FeedSessions(SecureCookieSessionInterface):
    """No session for feed routes: Flask would otherwise read and sign the cookie on each fetch.

    Other routes share one signing serializer per key set instead of building one per request.
    """

    def __init__(self) -> None:
        self._signers: dict[tuple[object, ...], URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        signer = self._signers.get(keys)
        if signer is None:
            signer = super().get_signing_serializer(app)
            if signer is not None:
                self._signers = {keys: signer}  # a new key replaces the old: one kept
        return signer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path.startswith(FEED_PATHS):
            return cast(SecureCookieSession, self.make_null_session(app))
        return super().open_session(app, request)
