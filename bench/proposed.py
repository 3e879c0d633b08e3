"""The cache-hit path the feed view could take, installed on a bench app to measure it.

Not the service's code: `feeds/views.py` is the route. This shows what three small changes
there would buy, measured by `feeds_bench.py` in the same run as the current view:
1. look the feed up by the raw query string (and today, since validation reads it) before
   parsing it, so a repeat request parses nothing;
2. serve `Feed.etag`, hashed once when the feed was rendered;
3. answer a current client's If-None-Match with a 304 before building a 200;
4. keep the response headers with the feed, built once, instead of setting them field by field
   (werkzeug parses and re-serialises Cache-Control on every assignment).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import cast

from flask import Flask, Response, current_app, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from werkzeug.datastructures import Headers
from werkzeug.http import http_date

from feeds import clock, views
from feeds.cache import LRU
from feeds.calendars import Feed

PREFIX = "/proposed"


def install(app: Flask) -> None:
    """Serve `/proposed/...` the proposed ways, next to the real route."""
    app.add_url_rule(f"{PREFIX}/feeds/<distance>.ics", "proposed", proposed)
    app.add_url_rule(f"{PREFIX}/kept/feeds/<distance>.ics", "kept", kept_headers)
    app.extensions["kept_headers"] = LRU[tuple[Feed, Headers, Headers]](256)


def kept_headers(distance: str) -> Response:
    """Changes 1-4: the 200 and 304 headers built once per feed and query."""
    cache = cast("LRU[tuple[Feed, Headers, Headers]]", current_app.extensions["kept_headers"])
    key: Hashable = (distance, request.query_string, views.base_url(), clock.today())
    kept = cache.get(key)
    if kept is None:
        kept = answers(views.feed_from_query(distance))
        cache.put(key, kept)
    feed, full, validators = kept
    if feed.etag in request.if_none_match:
        # CalendarResponse keeps Last-Modified on a 304: Apple Calendar revalidates by date.
        return views.CalendarResponse(status=304, headers=validators, mimetype="text/calendar")
    return Response(feed.body, headers=full)


def answers(feed: Feed) -> tuple[Feed, Headers, Headers]:
    """The headers of a 200 and of a 304 for one feed."""
    kind = "attachment" if request.args.get("download") == "1" else "inline"
    validators = Headers(
        [
            ("ETag", f'"{feed.etag}"'),
            ("Last-Modified", http_date(feed.modified)),
            ("Cache-Control", f"public, max-age={views.CACHE_SECONDS}"),
        ]
    )
    full = Headers(
        [
            ("Content-Type", "text/calendar; charset=utf-8"),
            *validators.items(),
            ("Content-Disposition", f'{kind}; filename="{feed.filename}"'),
        ]
    )
    return feed, full, validators


def proposed(distance: str) -> Response:
    cache = cast("LRU[Feed]", current_app.extensions["feed_cache"])
    key: Hashable = ("query", distance, request.query_string, views.base_url(), clock.today())
    feed = cache.get(key)
    if feed is None:
        feed = views.feed_from_query(distance)
        cache.put(key, feed)
    if feed.etag in request.if_none_match:
        response = views.not_modified(feed.etag, feed.modified)
    else:
        response = views.CalendarResponse(feed.body, mimetype="text/calendar")
        response.set_etag(feed.etag)
        response.last_modified = feed.modified
        kind = "attachment" if request.args.get("download") == "1" else "inline"
        response.headers["Content-Disposition"] = f'{kind}; filename="{feed.filename}"'
    # A 304 carries the Cache-Control its 200 would (RFC 9110 section 15.4.5).
    response.cache_control.public = True
    response.cache_control.max_age = views.CACHE_SECONDS
    return response


class NoSessionForFeeds(SecureCookieSessionInterface):
    """Flask opens the signed-cookie session on every request; feeds never use it."""

    def open_session(self, app: Flask, request: object) -> SessionMixin | None:
        path = str(getattr(request, "path", ""))
        if path.startswith((PREFIX, "/feeds/", "/s/")):
            return self.make_null_session(app)
        return super().open_session(app, request)  # type: ignore[arg-type]
