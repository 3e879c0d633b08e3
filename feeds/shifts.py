"""Plans whole weeks apart, built once: kept entries moved to each race.

Two requests that differ only in when (race and start moved by the same whole number of weeks)
put every session on the same weekday under the same rules, so their schedules and entries
differ only in their dates. Such a plan is built with its race week at REFERENCE and its dates
written as marks (`dates.marked`), kept by everything else the request holds, and moved to each
runner's weeks: placement and words are worked out once for every race date that shares them.
It is kept the first time it is asked for while the worker has places free, and once they are
all taken, the second time. A kept plan holds references to its weeks (the ones `events` keeps
for every plan whose week says the same) and the shift that dates each. A plan dated by the
runner (a running plan's days; moves, skips and pauses) is built as asked.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any, NamedTuple, cast

from .cache import LRU, Sightings, hold, holds, plain
from .dates import marked
from .errors import Impossible
from .events import Entry, Fields, dated_entries, entries, shown, written
from .i18n import catalogue, current_locale
from .plans import Library
from .schedule import Request, build, monday_of

# A Monday: every kept build's race week starts on it.
REFERENCE = date(2001, 1, 1)
# A kept build holds a reference and a shift per entry and its own introduction, and keeps alive
# the weeks it refers to after `events` has let them go: 17-28 kB each in a busy worker (RSS, and
# what only kept builds reach, over 7,400 builds), so up to about 450 MB. Enough for the plans a
# worker meets in the 20,000-shape scale benchmark (README "How much plans share").
SHIFTS_KEPT = 16384


class Shape(NamedTuple):
    """A plan built at REFERENCE: its entries as kept (weeks shared with other plans, dates in
    texts marked) and the shift that dates each (`events.dated_entries`).

    Kept as a plain tuple (`tuple(shape)`) of plain tuples: the garbage collector walks every
    tracked object on each full collection, and a busy worker keeps tens of thousands of plans
    of some 90 entries each. Two tuples, not one of pairs, for the same reason."""

    entries: tuple[Fields, ...]
    shifts: tuple[timedelta, ...]
    # Its count of weeks, which its week numbers are marked against (as every request's moved).
    weeks: int
    # The positions of the entries a feed without weekly unlock shows (`events.shown`).
    brief: tuple[int, ...]


def built(library: Library, request: Request, base_url: str, *, weekly: bool = True) -> list[Entry]:
    """The request's entries, as `entries` gives them from `build` (without `weekly`, the week
    events a session already tells left out), moved from a kept build of the same plan a whole
    number of weeks away."""
    if request.run_days or request.adjust:
        return entries(library, build(library, request), base_url, weekly=weekly)
    shift = timedelta(weeks=(monday_of(request.race) - REFERENCE).days // 7)
    start = None if request.start is None else request.start - shift
    at_reference = replace(request, race=request.race - shift, start=start)
    words, locale = catalogue(), current_locale()
    key = (id(library), id(words), locale, base_url, *plain(at_reference))
    # The key's ids name these very objects only while they are held.
    hit = _KEPT.get(key) if holds(_HELD, (library, words)) else None
    if hit is None:
        if _KEPT.full() and _SEEN.first(key):
            # Seen once, with every place taken: built as asked. Most plans made on the plan page
            # start the day they were made, so few other plans share their options and dates,
            # and keeping one would cost its marks and its move for nothing. While places are
            # free, keeping it costs no other plan its place.
            return entries(library, build(library, request), base_url, weekly=weekly)
        hit = tuple(_shape(library, request, at_reference, base_url))
        if len(_HELD) >= OBJECTS_HELD:  # more plan data or catalogues than a worker ever has
            forget()
        hold(_HELD, (library, words))
        _KEPT.put(key, hit)
    shape = Shape(*hit)
    at = None if weekly else shape.brief
    return written(shape.entries, shape.shifts, locale, shape.weeks, at, later=shift)


def _shape(library: Library, request: Request, at_reference: Request, base_url: str) -> Shape:
    try:
        with marked():
            schedule = build(library, at_reference)
            dated = dated_entries(library, schedule, base_url)
    except Impossible:
        build(library, request)  # the same refusal, in the runner's own dates
        raise
    entries = tuple(cast(Fields, tuple(e)) for e, _ in dated)
    if len(_SHIFTS) >= SHIFTS_KEPT:
        _SHIFTS.clear()
    shifts = tuple(_SHIFTS.setdefault(shift, shift) for _, shift in dated)
    return Shape(entries, shifts, len(schedule.weeks), shown(entries, shifts))


# Each shift object once for every kept build that has it (a few thousand values in all).
_SHIFTS: dict[timedelta, timedelta] = {}


# Kept builds as plain tuples of plain values, which the garbage collector stops walking; the
# plan data and catalogues their keys name by id are held apart, once each (as `cache.Kept`).
_KEPT: LRU[tuple[Any, ...]] = LRU(SHIFTS_KEPT)
_HELD: dict[int, object] = {}
# A worker has one plan data and a catalogue per locale: past this many, all are let go.
OBJECTS_HELD = 64
# Plans seen once while every place is taken, by the hash of the same key: the second sighting
# keeps one.
_SEEN = Sightings(4 * SHIFTS_KEPT)


def forget() -> None:
    """Drop every kept build and sighting (the benchmark's start-up state)."""
    _KEPT.clear()
    _HELD.clear()
    _SEEN.clear()
    _SHIFTS.clear()
