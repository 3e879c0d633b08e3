"""Refuse malformed requests before any view runs: a bad Host, JSON nested too deeply, unknown
parameters on a managed feed."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider

from .errors import InvalidParameter

# RFC 9110 section 7.2 / RFC 3986 section 3.2.2: a name or address, then an optional port.
HOST = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._\-]+)(?::[0-9]{1,5})?")


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, with over-deep nesting read as invalid JSON instead of a crash."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc


def check_host() -> None:
    """Refuse a Host header that no client would send: links and stored plans use it."""
    if not HOST.fullmatch(request.host):
        raise InvalidParameter(
            "The Host header must be a host name or address with an optional port,"
            " such as plans.example.org or 127.0.0.1:8000."
        )


def check_stored_feed_query() -> None:
    """A managed feed takes one parameter, `download`, held to the stateless feed's rules."""
    if request.endpoint != "views.stored_feed":
        return
    for name in request.args:
        values = request.args.getlist(name)
        if name != "download":
            raise InvalidParameter(
                f"Unknown parameter '{name[:40]}'. This feed accepts only download=1.", field=name
            )
        if len(values) > 1 or values[0] not in ("0", "1"):
            raise InvalidParameter("'download' must be given once, as 1 or 0.", field="download")


def register(app: Flask) -> None:
    app.json = JSONProvider(app)
    # First of all before-request functions: nothing is stored for a request refused here.
    app.before_request_funcs.setdefault(None, []).insert(0, check_host)
    app.before_request(check_stored_feed_query)
