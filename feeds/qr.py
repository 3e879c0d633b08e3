"""QR codes as inline SVG, drawn on the server (no script, no external service).

segno tries all eight data masks of a code and keeps the one its penalty score rates best: in
pure Python, most of a plan page's time. `_apply_mask` and `_evaluate_mask` compute the same
masks and scores a row at a time (tested equal to segno's over many codes) and take their
place in segno's encoder, so every code is the one segno draws.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import segno
import segno.encoder
from markupsafe import Markup

# Drawing one takes a millisecond or more; the same page is asked for again and again (a popular
# race day, a plan's manage page), so a worker keeps the last ones drawn.
KEPT = 512

Matrix = Sequence[bytearray]
# Five or more modules of one colour in a line (N1), spelled out: a literal start is searched
# for far faster than a repeat.
_RUNS = (re.compile(rb"\x00\x00\x00\x00\x00+"), re.compile(rb"\x01\x01\x01\x01\x01+"))
_N3 = bytes((1, 0, 1, 1, 1, 0, 1))
_BITS = bytes.maketrans(b"\x00\x01", b"01")
# Row masks by the pattern's code (segno makes the pattern functions anew for every code) and the
# size: 8 patterns by 40 versions at most.
_MASK_ROWS: dict[tuple[object, int, int], tuple[int, ...]] = {}
_SEGNO_APPLY = segno.encoder.apply_mask
_SEGNO_EVALUATE: Callable[[Matrix, int, int], int] = segno.encoder.evaluate_mask


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


def _apply_mask(
    matrix: Matrix,
    mask_pattern: Callable[[int, int], int],
    width: int,
    height: int,
    is_encoding_region: Callable[[int, int], bool],
) -> None:
    """segno's `apply_mask`: each row XORed with the mask's modules inside the encoding region,
    the row masks worked out once per mask and size (the region depends on the size only)."""
    key = (mask_pattern.__code__, width, height)
    rows = _MASK_ROWS.get(key)
    if rows is None:
        rows = _MASK_ROWS[key] = _mask_rows(width, height, mask_pattern, is_encoding_region)
    for row, mask in zip(matrix, rows, strict=True):
        row[:] = (int.from_bytes(row, "big") ^ mask).to_bytes(width, "big")


def _mask_rows(
    width: int, height: int, pattern: Callable[[int, int], int], region: Callable[[int, int], bool]
) -> tuple[int, ...]:
    """Each row's mask as an integer of one byte a module (0 or 1)."""
    rows = []
    for i in range(height):
        mask = bytes(int(pattern(i, j)) if region(i, j) else 0 for j in range(width))
        rows.append(int.from_bytes(mask, "big"))
    return tuple(rows)


def _evaluate_mask(matrix: Matrix, width: int, height: int) -> int:
    """segno's `evaluate_mask` (ISO/IEC 18004 7.8.3.1 penalty N1 + N2 + N3 + N4) by lines."""
    modules = b"".join(matrix)
    if width != height or modules.translate(None, b"\x00\x01"):  # a module neither 0 nor 1
        return _SEGNO_EVALUATE(matrix, width, height)
    rows = [modules[i : i + width] for i in range(0, len(modules), width)]
    columns = [modules[j::width] for j in range(width)]
    # Rows and columns joined by a byte that is no module: no run or pattern crosses from one
    # line to the next.
    lines = b"\x02".join(rows + columns)
    runs = _RUNS[0].findall(lines) + _RUNS[1].findall(lines)
    n1 = sum(map(len, runs)) - 2 * len(runs)
    n4 = 10 * int(abs(float(modules.count(1)) / (width**2) * 100 - 50) / 5)
    return n1 + _n2(rows, width) + _n3(lines, width) + n4


def _n2(rows: list[bytes], width: int) -> int:
    """3 points for every 2x2 block of one colour."""
    bits = [int(row.translate(_BITS), 2) for row in rows]
    inside = (1 << (width - 1)) - 1
    same = [~(b ^ (b >> 1)) & inside for b in bits]  # a module equal to its right neighbour
    blocks = 0
    for above, below, h_above, h_below in zip(bits, bits[1:], same, same[1:], strict=False):
        blocks += (h_above & h_below & ~(above ^ below)).bit_count()
    return 3 * blocks


def _n3(lines: bytes, size: int) -> int:
    """40 points for each 1:1:3:1:1 pattern with four light modules on one side, counted as
    segno counts them line by line (`lines`: lines of `size` modules and a separator)."""
    count = 0
    found = lines.find(_N3)
    while found != -1:
        start = found - found % (size + 1)  # where its line starts
        at = found - start
        after = at + 7
        if (
            at in (0, size - 7)
            or not any(lines[start + max(at - 4, 0) : start + at])
            or not any(lines[start + after : start + min(after + 4, size)])
        ):
            count += 40
        else:
            after = at + 4
        found = lines.find(_N3, start + after)
    return count


segno.encoder.apply_mask = _apply_mask
segno.encoder.evaluate_mask = _evaluate_mask
