"""Translate domain errors and HTTP errors into answers at the edge."""

from __future__ import annotations

import json

from flask import Flask, Response, current_app, has_request_context, render_template, request
from flask.globals import request_ctx
from gunicorn.http.errors import NoMoreData, ParseException  # type: ignore[import-untyped]
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from .errors import FeedError
from .i18n import N_, _

# How long a client should wait before retrying while the database is unavailable.
RETRY_AFTER_SECONDS = 30
TOO_LARGE = "The request is too large: send at most {body} bytes, {field} per form field."
DATABASE_DOWN = (
    "Saved plans cannot be read or changed at the moment. Try again in a minute;"
    " calendar apps retry on their own. Feeds by distance still work."
)
BAD_BODY = "The request body could not be read: it ended early or its chunked encoding is broken."


# A page's heading for the errors a runner meets most; others say "That did not work".
TITLES = {404: N_("Nothing here"), 410: N_("This is gone")}
# Each blueprint's error format: the API answers JSON, calendars and probes plain text, pages HTML.
FORMATS = {"api": "json", "views": "text", "health": "text"}


def _format() -> str:
    if request_ctx.url_adapter is None:
        # The request's host could not be read (e.g. Host: .): no page can build its links.
        return "text"
    if request.blueprint in FORMATS:
        return FORMATS[request.blueprint]
    # A URL no route matched has no blueprint: answer in the format its prefix promises.
    return "json" if request.path.startswith("/api/") else "html"


def _answer(
    status: int, title: str, message: str, field: str | None = None, words: str = ""
) -> Response:
    """The error in the request's format; a page shows `words` (no parameter names) if given."""
    kind = _format()
    if kind == "json":
        body = {"error": message, "status": status, **({"field": field} if field else {})}
        response = Response(json.dumps(body), mimetype="application/json")
    elif kind == "text":
        response = Response(message + "\n", mimetype="text/plain")
    else:
        page = render_template("error.html", title=title, message=words or message, status=status)
        response = Response(page)
    response.status_code = status
    return response


def _http_message(exc: HTTPException, status: int) -> str:
    if status == 404:
        return _("There is no page at this address.")
    if status == 413:
        config = current_app.config
        # The limit of this request: routes that take a running plan's calendar allow more.
        body = request.max_content_length if has_request_context() else None
        return TOO_LARGE.format(
            body=body or config["MAX_CONTENT_LENGTH"], field=config["MAX_FORM_MEMORY_SIZE"]
        )
    return exc.description or "Something went wrong."


def register(app: Flask) -> None:
    @app.errorhandler(FeedError)
    def feed_error(exc: FeedError) -> Response:
        title = TITLES.get(exc.status, N_("That did not work"))
        return _answer(exc.status, _(title), exc.message, exc.field, exc.words)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        response = _answer(status, exc.name, _http_message(exc, status))
        # Keep what the exception says besides its body: Allow on a 405, WWW-Authenticate...
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def database_down(exc: Exception) -> Response:
        # One line, no traceback: an outage would otherwise write one per request.
        summary = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        app.logger.warning("Database unavailable on %s: %s", request.path, summary)
        response = _answer(503, "Try again in a minute", DATABASE_DOWN)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(ParseException)
    @app.errorhandler(NoMoreData)
    def unreadable_body(exc: Exception) -> Response:
        # Gunicorn raises these while the app reads a broken body (e.g. a bad chunk size).
        return _answer(400, "Bad Request", BAD_BODY)
