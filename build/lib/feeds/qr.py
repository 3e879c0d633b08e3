"""QR codes as inline SVG, drawn on the server (no script, no external service)."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(text: str, title: str) -> Markup:
    """A scalable inline SVG QR code of `text`, with `title` as its accessible name."""
    code = segno.make(text, error="m")
    # segno escapes the title; everything else in the string is segno's own markup.
    svg = code.svg_inline(
        scale=4, border=4, omitsize=True, svgclass="qr", title=title, light="#fff"
    )
    return Markup(svg)
