"""QR codes as inline SVG, drawn on the server (no script, no external service)."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup

# Drawing one takes a few milliseconds (segno scores all eight masks in pure Python); the same
# page is asked for again and again (a popular race day, a plan's manage page), so a worker keeps
# the last ones drawn.
KEPT = 512


def qr_svg(text: str, title: str) -> Markup:
    """A scalable inline SVG QR code of `text`, with `title` as its accessible name."""
    return _drawn(text, title)


@lru_cache(maxsize=KEPT)
def _drawn(text: str, title: str) -> Markup:
    code = segno.make(text, error="m")
    # segno escapes the title; everything else in the string is segno's own markup.
    svg = code.svg_inline(
        scale=4, border=4, omitsize=True, svgclass="qr", title=title, light="#fff"
    )
    return Markup(svg)
