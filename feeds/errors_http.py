"""Translate domain errors and HTTP errors into answers at the edge."""

from __future__ import annotations

import json

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from .errors import FeedError


def _wants_text() -> bool:
    return request.path.startswith(("/feeds/", "/s/")) or request.path == "/healthz"


def _answer(status: int, title: str, message: str, field: str | None = None) -> Response:
    if request.path.startswith("/api/"):
        body = {"error": message, "status": status, **({"field": field} if field else {})}
        response = Response(json.dumps(body), mimetype="application/json")
    elif _wants_text():
        response = Response(message + "\n", mimetype="text/plain")
    else:
        response = Response(render_template("error.html", title=title, message=message))
    response.status_code = status
    return response


def register(app: Flask) -> None:
    @app.errorhandler(FeedError)
    def feed_error(exc: FeedError) -> Response:
        return _answer(exc.status, "That did not work", exc.message, exc.field)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        message = exc.description or "Something went wrong."
        if status == 404:
            message = "There is no page here. Start from the home page: /"
        return _answer(status, exc.name, message)
