"""Plans whole weeks apart, built once: kept entries moved to each race.

Two requests that differ only in when (race and start moved by the same whole number of weeks)
put every session on the same weekday under the same rules, so their schedules and entries
differ only in their dates. The second time such a plan is asked for, it is built with its race
week at REFERENCE and its dates written as marks (`dates.marked`), kept by everything else the
request holds, and moved to each runner's weeks: placement and words are worked out once for
every race date that shares them.
A plan dated by the runner (a running plan's days; moves, skips and pauses) is built as asked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from .cache import LRU
from .dates import MARK, marked, moved
from .errors import Impossible
from .events import Entry, entries
from .i18n import catalogue, current_locale
from .plans import Library
from .schedule import Request, build, monday_of

# A Monday: every kept build's race week starts on it.
REFERENCE = date(2001, 1, 1)
# A kept build takes about 100 kB of its own (tracemalloc over 163 builds, with their schedules:
# 115 kB; mostly the dated texts), so this many take about 100 MB per worker at most.
SHIFTS_KEPT = 1024


@dataclass(frozen=True)
class Shape:
    """A plan's entries built at REFERENCE, with the dates in their texts marked."""

    events: tuple[Entry, ...]


def built(library: Library, request: Request, base_url: str) -> list[Entry]:
    """The request's entries (week events included), as `entries` gives them from `build`,
    moved from a kept build of the same plan a whole number of weeks away."""
    if request.run_days or request.adjust:
        return entries(library, build(library, request), base_url)
    shift = timedelta(weeks=(monday_of(request.race) - REFERENCE).days // 7)
    start = None if request.start is None else request.start - shift
    at_reference = replace(request, race=request.race - shift, start=start)
    words, locale = catalogue(), current_locale()
    key = (id(library), id(words), locale, base_url, at_reference)
    hit = _KEPT.get(key)
    # The key's ids name these very objects only while the kept value holds them.
    if hit is None or hit[0] is not library or hit[1] is not words:
        seen = _SEEN.peek(key)
        if seen is None or seen[0] is not library or seen[1] is not words:
            # Seen once: built as asked. Most plans have options no other plan shares, and a
            # build kept for one of them would cost its marks and its move for nothing.
            _SEEN.put(key, (library, words))
            return entries(library, build(library, request), base_url)
        hit = (library, words, _shape(library, request, at_reference, base_url))
        _KEPT.put(key, hit)
    return _moved(hit[2], shift, locale)


def _shape(library: Library, request: Request, at_reference: Request, base_url: str) -> Shape:
    try:
        with marked():
            events = entries(library, build(library, at_reference), base_url)
    except Impossible:
        build(library, request)  # the same refusal, in the runner's own dates
        raise
    return Shape(tuple(events))


def _moved(shape: Shape, shift: timedelta, locale: str) -> list[Entry]:
    out = []
    for entry in shape.events:
        slot, day, summary, text, minutes, url, category, unlock, load, plain, shared = entry
        if MARK in text:
            text = moved(text, shift, locale)
        if MARK in summary:
            summary = moved(summary, shift, locale)
        if plain is not None and MARK in plain:
            plain = moved(plain, shift, locale)
        unlock = None if unlock is None else unlock + shift
        out.append(
            Entry(
                slot,
                day + shift,
                summary,
                text,
                minutes,
                url,
                category,
                unlock,
                load,
                plain,
                shared,
            )
        )
    return out


_KEPT: LRU[tuple[Library, object, Shape]] = LRU(SHIFTS_KEPT)
# Plans seen once, by the same key: the second sighting builds a kept one (about 150 bytes each).
_SEEN: LRU[tuple[Library, object]] = LRU(8 * SHIFTS_KEPT)


def forget() -> None:
    """Drop every kept build and sighting (the benchmark's start-up state)."""
    _KEPT.clear()
    _SEEN.clear()
