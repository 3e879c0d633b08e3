"""Refuse cross-site writes: HTML forms carry a session-bound token and must come from this site;
the JSON API accepts only `Content-Type: application/json`, which a cross-site form cannot send
without a CORS preflight (and the app never answers one)."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import current_app, request, session
from werkzeug.exceptions import Forbidden

from .errors import UnsupportedMediaType

SESSION_KEY = "csrf"
FIELD = "csrf_token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
JSON_BODY_METHODS = ("POST", "PATCH", "PUT")


def token() -> str:
    """The session's form token, made on first use."""
    if SESSION_KEY not in session:
        session[SESSION_KEY] = secrets.token_urlsafe(32)
    return str(session[SESSION_KEY])


def check_json() -> None:
    """Refuse an API write whose body is not JSON (a cross-site form cannot send JSON)."""
    if request.method in JSON_BODY_METHODS and request.mimetype != "application/json":
        raise UnsupportedMediaType(
            "Send the request body as JSON with the header Content-Type: application/json."
        )


def check_form() -> None:
    """Refuse a form post that could be a cross-site write."""
    if request.method in SAFE_METHODS:
        return
    _same_origin()
    expected = str(session.get(SESSION_KEY, ""))
    given = request.form.get(FIELD, "")
    # Bytes: compare_digest refuses str with non-ASCII characters, which a client may send.
    if not expected or not hmac.compare_digest(expected.encode(), given.encode(errors="replace")):
        raise Forbidden(
            "This form has expired or did not come from this site. Reload the page and try again."
        )


def _same_origin() -> None:
    # Browsers send Origin on form posts, else Referer; with neither, the token decides.
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if source is None:
        return
    allowed = {request.host, urlsplit(str(current_app.config["PUBLIC_URL"])).netloc} - {""}
    if urlsplit(source).netloc not in allowed:
        raise Forbidden("Forms on this site only accept submissions from this site.")
