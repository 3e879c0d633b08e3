"""The public routes (the URL contract in the README)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, cast

from flask import Blueprint, Response, current_app, request
from werkzeug.datastructures import Headers

from . import clock, policy
from .cache import LRU
from .calendars import Feed, feed_for
from .params import parse
from .plans import Library

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

bp = Blueprint("views", __name__)
CACHE_SECONDS = 3600


def library() -> Library:
    return cast(Library, current_app.extensions["library"])


def base_url() -> str:
    return str(current_app.config["PUBLIC_URL"] or request.url_root)


@bp.get("/healthz")
def healthz() -> Response:
    return Response("ok\n", mimetype="text/plain")


class CalendarResponse(Response):
    """A response whose 304 keeps Last-Modified: Apple Calendar revalidates by date."""

    def get_wsgi_headers(self, environ: WSGIEnvironment) -> Headers:
        headers = super().get_wsgi_headers(environ)
        kept = self.headers.get("Last-Modified")
        if self.status_code == 304 and kept and "Last-Modified" not in headers:
            headers["Last-Modified"] = kept
        return headers


@bp.get("/feeds/<distance>.ics")
def calendar(distance: str) -> Response:
    feed = feed_from_query(distance)
    return calendar_response(feed.body, feed.modified, feed.filename)


def calendar_response(body: bytes, modified: datetime, filename: str) -> Response:
    """Serve calendar bytes like a calendar server: strong ETag, conditional GET, disposition."""
    response = CalendarResponse(body, mimetype="text/calendar")
    response.set_etag(etag_of(body))
    response.last_modified = modified
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    # Subscriptions need inline (Google refuses attachments); downloads need a file.
    kind = "attachment" if request.args.get("download") == "1" else "inline"
    response.headers["Content-Disposition"] = f'{kind}; filename="{filename}"'
    response.make_conditional(request)
    return response


def etag_of(body: bytes) -> str:
    """A strong ETag: the SHA-256 of the exact bytes (same request, same bytes)."""
    return hashlib.sha256(body).hexdigest()


def not_modified(etag: str, modified: datetime) -> Response:
    """A 304 for a client whose copy is current, without rendering the calendar again."""
    response = CalendarResponse(status=304, mimetype="text/calendar")
    response.set_etag(etag)
    response.last_modified = modified
    return response


def feed_from_query(distance: str) -> Feed:
    """Build (or reuse) the feed the current request's query string asks for."""
    args = {k: request.args.getlist(k) for k in request.args}
    wanted = policy.check(parse(distance, args).choices, clock.today())
    base = base_url()
    cache = cast("LRU[Feed]", current_app.extensions["feed_cache"])
    # The date policy above reads today; the bytes depend only on the choices, so they are shared.
    return cache.get_or_make((wanted, base), lambda: feed_for(library(), wanted, base))
