"""HTTP like a calendar server: the calendar response, its validators, the base URL."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask import Response, current_app, request
from werkzeug.datastructures import Headers

from .calendars import Feed

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

# Stateless feeds depend only on their URL and the plan data: shared caches may keep them.
CACHE_SECONDS = 3600


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
