"""QR codes: the faster mask search draws exactly the code segno's own search draws."""

from __future__ import annotations

import random
import string

import pytest
import segno
import segno.encoder

from feeds import qr

SEGNO_APPLY, SEGNO_EVALUATE = qr._SEGNO_APPLY, qr._SEGNO_EVALUATE


def texts() -> list[str]:
    rng = random.Random(12)
    pages = [
        f"https://plans.example.org/plans/5k?race=2027-05-{d:02d}#subscribe" for d in range(1, 32)
    ]
    alphabet = string.ascii_letters + string.digits + "/:?&=.-_#%é "
    words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 400))) for _ in range(120)]
    return pages + words + ["1234567890" * 30, "HELLO WORLD", ""]


def drawn(text: str, error: str) -> str:
    return segno.make(text, error=error).svg_inline(scale=4, border=4, svgclass="qr")


@pytest.mark.parametrize("error", ["m", "l", "h"])
def test_every_code_is_the_one_segno_draws(monkeypatch: pytest.MonkeyPatch, error: str) -> None:
    ours = [drawn(text, error) for text in texts()]
    monkeypatch.setattr(segno.encoder, "apply_mask", SEGNO_APPLY)
    monkeypatch.setattr(segno.encoder, "evaluate_mask", SEGNO_EVALUATE)
    assert ours == [drawn(text, error) for text in texts()]


def test_every_mask_scores_what_segno_scores() -> None:
    rng = random.Random(3)
    for size in (21, 25, 45, 57):
        for _ in range(20):
            rows = [bytearray(rng.choice((0, 1, 1)) for _ in range(size)) for _ in range(size)]
            assert qr._evaluate_mask(rows, size, size) == SEGNO_EVALUATE(rows, size, size)
            rows[size // 2][3] = 2  # not a module value: segno's own code scores it
            assert qr._evaluate_mask(rows, size, size) == SEGNO_EVALUATE(rows, size, size)


def test_a_page_shows_the_kept_code_again() -> None:
    first = qr.qr_svg("https://plans.example.org/m/abc", "QR code: your private manage link")
    again = qr.qr_svg("https://plans.example.org/m/abc", "QR code: your private manage link")
    assert again is first
    assert 'class="qr"' in first and "QR code: your private manage link" in first
