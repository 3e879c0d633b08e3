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


# Every answer's, https-only, then pages' (scripts can only run in a page).
EVERY = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)
PAGES = (("Content-Security-Policy", CONTENT_SECURITY_POLICY), ("X-Frame-Options", "DENY"))
SECURE = (("Strict-Transport-Security", HSTS),)


def secure(response: Response) -> Response:
    """Add the headers a careful site sends, leaving any a route chose itself."""
    headers = response.headers
    # One pass over the few headers present (Headers.setdefault raises and catches per miss).
    present = {name.lower() for name, _ in headers}
    wanted: tuple[tuple[str, str], ...] = EVERY
    if request.is_secure:
        wanted += SECURE
    if response.mimetype == "text/html":
        wanted += PAGES
    for name, value in wanted:
        if name.lower() not in present:
            headers.add(name, value)
    return response


def register(app: Flask) -> None:
    app.after_request(secure)
