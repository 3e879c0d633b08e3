"""Compress pages, JSON, CSS and JS for clients that accept it; never calendars.

Calendar feeds stay uncompressed on purpose: Outlook's subscription failed on gzip-encoded
feeds (markuspoerschke/iCal#541), and one body for every client is simplest to reason about.
"""

from __future__ import annotations

import gzip

import brotli  # type: ignore[import-untyped]
from flask import Flask, Response, request

COMPRESSIBLE = frozenset(
    {
        "text/html",
        "application/json",
        "application/manifest+json",
        "text/css",
        "text/javascript",
        "application/javascript",
        "image/svg+xml",
    }
)
# Below this the headers cost more than the saving.
MIN_SIZE = 500
# Quality 3: a plan page (63 kB of HTML; 112 kB for an ultra's) compresses in 0.23 ms (0.28)
# where quality 5 took 0.72 ms (1.16), 10.7 kB where 5 gave 9.5 (12.4 where 10.8). Both fit the
# first flight of a TCP connection (ten segments, about 14.6 kB), so the runner waits no round
# trip longer, and each page costs half a millisecond less CPU (a page's budget: README,
# Performance). 11 is for build steps, not requests.
BROTLI_QUALITY = 3


def encoding() -> str | None:
    """The best encoding the client accepts: Brotli, then gzip, else none."""
    accepted = request.accept_encodings
    return next((e for e in ("br", "gzip") if accepted.quality(e) > 0), None)


def compress(response: Response) -> Response:
    if response.mimetype not in COMPRESSIBLE or "Content-Encoding" in response.headers:
        return response
    response.vary.add("Accept-Encoding")
    chosen = encoding()
    if chosen is None or response.status_code != 200 or request.method != "GET":
        return response
    response.direct_passthrough = False
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    squeezed = (
        brotli.compress(body, quality=BROTLI_QUALITY)
        if chosen == "br"
        else gzip.compress(body, mtime=0)
    )
    response.set_data(squeezed)
    response.headers["Content-Encoding"] = chosen
    _mark_etag(response, chosen)
    return response


def _mark_etag(response: Response, chosen: str) -> None:
    """The compressed bytes differ, so the strong ETag must too; then answer If-None-Match."""
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(f"{etag}-{chosen}")
        response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.after_request(compress)
