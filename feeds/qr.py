"""QR codes drawn on the server (no script, no external service): inline SVG, or an SVG file."""

from __future__ import annotations

import io
from functools import lru_cache

import segno
from markupsafe import Markup

# Drawing one takes a few milliseconds (segno scores all eight masks in pure Python); the same
# page is asked for again and again (a popular race day, a plan's manage page), so a worker keeps
# the last ones drawn.
KEPT = 512
# Both forms: 4 units a module and the quiet zone of 4 modules the standard asks for; the size
# comes from the page's CSS (a viewBox only).
DRAWING: dict[str, object] = {"scale": 4, "border": 4, "omitsize": True, "light": "#fff"}


def qr_svg(text: str, title: str) -> Markup:
    """A scalable inline SVG QR code of `text`, with `title` as its accessible name."""
    return _drawn(text, title)


@lru_cache(maxsize=KEPT)
def _drawn(text: str, title: str) -> Markup:
    code = segno.make(text, error="m")
    # segno escapes the title; everything else in the string is segno's own markup.
    return Markup(code.svg_inline(svgclass="qr", title=title, **DRAWING))


@lru_cache(maxsize=KEPT)
def qr_file(text: str) -> bytes:
    """The QR code of `text` as an SVG document, for an `<img>` (whose `alt` names it)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", xmldecl=False, svgclass="qr", **DRAWING)
    return out.getvalue()
