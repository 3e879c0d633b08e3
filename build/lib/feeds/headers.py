"""Security headers for every answer; pages load nothing from other sites, so CSP can be tight."""

from __future__ import annotations

from flask import Flask, Response, request

# A year of https only, once a browser has seen this over https (never sent over plain http).
HSTS = "max-age=31536000"
# Inline SVG (QR codes, art) is markup, not script; every script and stylesheet is a file here.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self';"
    " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def secure(response: Response) -> Response:
    """Add the headers a careful site sends, leaving any a route chose itself."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def register(app: Flask) -> None:
    app.after_request(secure)
