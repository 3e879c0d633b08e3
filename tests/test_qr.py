"""QR codes: segno's own drawing, kept per worker for the pages asked for again."""

from __future__ import annotations

import segno

from feeds import qr

LINK = "https://plans.example.org/m/abc"
TITLE = "QR code: your private manage link"


def test_the_code_is_the_one_segno_draws_for_the_link() -> None:
    svg = qr.qr_svg(LINK, TITLE)
    plain = segno.make(LINK, error="m").svg_inline(
        scale=4, border=4, omitsize=True, svgclass="qr", title=TITLE, light="#fff"
    )
    assert svg == plain
    assert 'class="qr"' in svg and TITLE in svg


def test_a_page_shows_the_kept_code_again() -> None:
    first = qr.qr_svg(LINK, TITLE)
    assert qr.qr_svg(LINK, TITLE) is first
    assert qr.qr_svg(LINK + "x", TITLE) != first
