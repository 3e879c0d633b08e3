"""The public routes (the URL contract in the README)."""

from __future__ import annotations

import hashlib
from typing import cast

from flask import Blueprint, Response, current_app, request

from . import clock
from .calendars import Feed, feed_for
from .params import parse
from .plans import Library

bp = Blueprint("views", __name__)
CACHE_SECONDS = 3600


def library() -> Library:
    return cast(Library, current_app.extensions["library"])


def base_url() -> str:
    return str(current_app.config["PUBLIC_URL"] or request.url_root)


@bp.get("/healthz")
def healthz() -> Response:
    return Response("ok\n", mimetype="text/plain")


@bp.get("/feeds/<distance>.ics")
def calendar(distance: str) -> Response:
    return feed_response(feed_from_query(distance), request.args.get("download") == "1")


def feed_response(feed: Feed, download: bool, *, private: bool = False) -> Response:
    """Serve feed bytes like a calendar server: ETag, Last-Modified, conditional GET."""
    response = Response(feed.body, mimetype="text/calendar")
    response.set_etag(hashlib.sha256(feed.body).hexdigest())
    response.last_modified = feed.modified
    if private:
        # A managed plan changes whenever its runner edits it: always revalidate (cheap: 304).
        response.cache_control.private = True
        response.cache_control.no_cache = True
    else:
        response.cache_control.public = True
        response.cache_control.max_age = CACHE_SECONDS
    kind = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{kind}; filename="{feed.filename}"'
    response.make_conditional(request)
    return response


def feed_from_query(distance: str) -> Feed:
    """Build the feed the current request's query string asks for."""
    args = {k: request.args.getlist(k) for k in request.args}
    return feed_for(library(), parse(distance, args, clock.today()), base_url())
