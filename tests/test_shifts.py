"""Plans whole weeks apart share one kept build, moved to each runner's dates (feeds/shifts.py)."""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from pseudo import DATE_LOCALE, install
from tests_support import with_store

from feeds import events, shifts
from feeds.adjustments import NO_CHANGES
from feeds.cache import LRU, Kept
from feeds.choices import read
from feeds.dates import MARK, long_date
from feeds.errors import Impossible
from feeds.events import Entry, drop_weeks, entries
from feeds.i18n import catalogue
from feeds.plans import DISTANCES, Library
from feeds.schedule import WEEKDAYS, Request, build

BASE = "https://feeds.example/"


def some_requests(seed: int, count: int) -> Iterator[Request]:
    """Runners' requests: every distance, races over three years (leap days and new years
    among them), starts from none to a year ahead of the race, their own days and kit."""
    rng = random.Random(seed)
    for _ in range(count):
        race = date(2026, 1, 1) + timedelta(days=rng.randint(0, 3 * 365))
        values = {"race": race.isoformat()}
        if rng.random() < 0.7:
            values["start"] = (race - timedelta(days=rng.randint(0, 380))).isoformat()
        if rng.random() < 0.5:
            values["days"] = ",".join(
                sorted(rng.sample(WEEKDAYS, rng.randint(2, 4)), key=WEEKDAYS.index)
            )
        values["long"] = rng.choice(WEEKDAYS)
        if rng.random() < 0.5:
            others = [d for d in WEEKDAYS if d != values["long"]]
            values["hard"] = ",".join(rng.sample(others, rng.randint(1, 2)))
        values["equipment"] = rng.choice(("gym", "home", "none"))
        values["level"] = rng.choice(("new", "experienced"))
        yield read(rng.choice(DISTANCES), values).request


def as_built(library: Library, request: Request) -> list[Entry]:
    return entries(library, build(library, request), BASE)


def plainly(library: Library, request: Request) -> list[Entry]:
    """The entries written week by week for this very plan: no kept week, no date marked."""

    def as_asked(*week: Any) -> list[events.Dated]:
        return [(e, events.NO_SHIFT) for e in events._week_entries(*week)]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(events, "_week", as_asked)
        return as_built(library, request)


def check_moved_builds(library: Library, seed: int, count: int) -> None:
    """Each request's entries equal those written for it plainly: its weeks kept or moved from
    other plans', the whole plan seen once, then kept, then moved again; with and without the
    week events a session already tells."""
    shifts.forget()
    events.forget()
    with pytest.MonkeyPatch.context() as patch:
        # One place, taken after the first plan: each is seen once, kept, then kept (and moved).
        patch.setattr(shifts, "_KEPT", LRU(1))
        check_requests(library, seed, count)


def check_requests(library: Library, seed: int, count: int) -> None:
    for request in some_requests(seed, count):
        if request.start is not None and request.start > request.race:
            continue
        expected = plainly(library, request)
        assert not any(MARK in e.description + e.summary for e in expected)
        assert as_built(library, request) == expected, request
        # Without weekly unlock the week events a session tells are never written.
        brief = drop_weeks(expected)
        assert len(brief) < len(expected)
        assert entries(library, build(library, request), BASE, weekly=False) == brief, request
        for _time, weekly in (
            ("seen once", True),
            ("kept now", False),
            ("kept", True),
            ("kept", False),
        ):
            want = expected if weekly else brief
            got = shifts.built(library, request, BASE, weekly=weekly)
            assert got == want, (request, _time, weekly)


@pytest.fixture
def english(tmp_path: Path) -> Iterator[Flask]:
    app = with_store(tmp_path)
    with app.test_request_context("/"):
        yield app
    app.extensions["store"].close()


@pytest.fixture
def greek_dates(tmp_path: Path) -> Iterator[Flask]:
    """The pseudo locale, with dates written by Babel in Greek."""
    app = with_store(tmp_path, BABEL_DEFAULT_LOCALE=DATE_LOCALE)
    install(app)
    with app.test_request_context("/"):
        yield app
    app.extensions["store"].close()


def test_a_moved_build_is_the_plan_built_for_its_own_dates(
    english: Flask, library: Library
) -> None:
    check_moved_builds(library, seed=1, count=250)


def test_dates_are_written_in_the_requests_locale(greek_dates: Flask, library: Library) -> None:
    check_moved_builds(library, seed=2, count=60)
    request = next(some_requests(3, 1))
    events = shifts.built(library, request, BASE)
    race = long_date(request.race, DATE_LOCALE)
    assert not race.isascii() and race in events[0].description


def test_one_build_serves_every_race_week(english: Flask, library: Library) -> None:
    shifts.forget()
    race = date(2027, 4, 18)
    for weeks in (0, 1, 5, 52, 104):
        request = Request("marathon", race + timedelta(weeks=weeks))
        events = shifts.built(library, request, BASE)
        assert next(e.day for e in events if e.slot == "race") == request.race
        assert long_date(request.race) in events[0].description
    assert len(shifts._KEPT) == 1
    # A race on another weekday is another plan.
    other = Request("marathon", race + timedelta(days=1))
    shifts.built(library, other, BASE)
    assert len(shifts._KEPT) == 2
    shifts.built(library, replace(other, race=other.race + timedelta(weeks=3)), BASE)
    assert len(shifts._KEPT) == 2


def test_a_plan_met_once_is_kept_only_while_a_place_is_free(
    english: Flask, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan met once is kept while the worker has a place free (it costs no other plan its
    place); once every place is taken it is written for itself, as most are never met again,
    and kept when it is met again."""
    shifts.forget()
    monkeypatch.setattr(shifts, "_KEPT", LRU(1))
    first = Request("10k", date(2027, 4, 18), equipment="none", level="new")
    shifts.built(library, first, BASE)
    kept = list(shifts._KEPT._items)
    assert len(kept) == 1
    other = replace(first, level="experienced")
    assert shifts.built(library, other, BASE) == as_built(library, other)
    assert list(shifts._KEPT._items) == kept  # the place stays the first plan's
    shifts.built(library, replace(other, race=other.race + timedelta(weeks=2)), BASE)
    assert len(shifts._KEPT) == 1 and list(shifts._KEPT._items) != kept


def test_a_week_met_once_is_kept_only_while_a_place_is_free(
    english: Flask, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same for kept weeks: while places are free a week is kept the first time it is met;
    once they are all taken, a week met once is written for its plan, and kept when met again
    (then every place is freed: `Kept` forgets all at once)."""
    first = Request("10k", date(2027, 4, 18), equipment="none", level="new")
    events.forget()
    as_built(library, first)
    places = len(events._WEEKS)
    assert places > 10
    monkeypatch.setattr(events, "_WEEKS", Kept(places))
    as_built(library, first)
    assert events._WEEKS.full()
    kept = set(events._WEEKS._kept)
    other = replace(first, level="experienced")
    assert as_built(library, other) == plainly(library, other)
    assert set(events._WEEKS._kept) == kept
    as_built(library, replace(other, race=other.race + timedelta(weeks=2)))
    assert events._WEEKS._kept and not set(events._WEEKS._kept) & kept


def test_plans_share_their_weeks(english: Flask, library: Library) -> None:
    """Kept plans hold their weeks by reference: two races a day apart (two kept plans) share
    the same objects for every week the race does not reach."""
    shifts.forget()
    events.forget()
    race = date(2027, 4, 18)
    for request in (Request("10k", race), Request("10k", race - timedelta(days=1))):
        for _time in ("seen once", "kept now"):
            shifts.built(library, request, BASE)
    one, other = (shifts.Shape(*kept).entries for kept in shifts._KEPT._items.values())
    shared = {id(e) for e in one} & {id(e) for e in other}
    assert len(shared) > len(one) / 2


def test_plans_of_any_length_share_the_weeks_as_far_from_their_race(
    english: Flask, library: Library
) -> None:
    """A week's number is marked: plans of 20 and 31 weeks share the kept weeks of their last
    sixteen, and each numbers them by its own length."""
    shifts.forget()
    events.forget()
    race = date(2027, 4, 18)
    monday = race - timedelta(days=race.weekday())
    labels = {}
    for length in (20, 31):
        request = Request("half-marathon", race, start=monday - timedelta(weeks=length - 1))
        assert len(build(library, request).weeks) == length
        for _time in ("seen once", "kept now", "kept"):
            got = shifts.built(library, request, BASE)
        labels[length] = [e.summary for e in got if e.category == "Strength" and e.day < race][-1]
    one, other = (shifts.Shape(*kept).entries for kept in shifts._KEPT._items.values())
    shared = {id(e) for e in one} & {id(e) for e in other}
    assert len(shared) > len(one) / 2
    assert "week 20 of 20" in labels[20] and "week 31 of 31" in labels[31]


def keep_some(library: Library, seed: int) -> None:
    """Ask for 40 random plans twice each, so their weeks and builds are kept."""
    for request in some_requests(seed, 40):
        if request.start is None or request.start <= request.race:
            for _time in ("seen once", "kept now"):
                shifts.built(library, request, BASE)


def test_kept_weeks_hold_plain_values_the_collector_stops_walking(
    english: Flask, library: Library
) -> None:
    """A full collection walks every tracked object: kept weeks (tens of thousands of entries in
    a busy worker) must not be among them once they have lived through one."""
    events.forget()
    keep_some(library, seed=3)
    kept = list(events._WEEKS._kept.values())
    assert len(kept) > 50
    for _level in ("entry", "its week's entries", "the week"):  # a collection untracks one each
        gc.collect()
    assert not any(gc.is_tracked(week) for week in kept)


def test_kept_builds_hold_plain_values_the_collector_stops_walking(
    english: Flask, library: Library
) -> None:
    """A busy worker keeps tens of thousands of plans of some 90 entries each: once they have
    lived through a collection, a full one walks none of them, their keys or their entries
    (the plan data and catalogue their keys name are held once, apart)."""
    shifts.forget()
    keep_some(library, seed=4)
    kept = list(shifts._KEPT._items.items())
    assert len(kept) > 30
    for _level in ("entry", "entries", "build", "key"):  # a collection untracks one each
        gc.collect()
    assert not any(gc.is_tracked(key) or gc.is_tracked(value) for key, value in kept)
    assert not any(gc.is_tracked(e) for _, value in kept for e in shifts.Shape(*value).entries)
    assert [id(o) for o in shifts._HELD.values()] == [id(library), id(catalogue())]


def test_catalogues_new_on_every_request_would_not_be_held_without_end(
    english: Flask, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept builds hold the objects their keys name by id: were the catalogue a new object on
    every request, a worker lets them all go past OBJECTS_HELD instead of growing."""
    shifts.forget()
    request = next(some_requests(5, 1))
    expected = as_built(library, request)
    for _ in range(3 * shifts.OBJECTS_HELD):
        monkeypatch.setattr(shifts, "catalogue", object)
        assert shifts.built(library, request, BASE) == expected
        assert len(shifts._HELD) <= shifts.OBJECTS_HELD
    assert len(shifts._KEPT) <= shifts.OBJECTS_HELD


def test_an_impossible_request_is_refused_in_the_runners_dates(
    english: Flask, library: Library
) -> None:
    shifts.forget()
    race = date(2027, 4, 18)
    request = Request("marathon", race, start=race + timedelta(days=3))
    with pytest.raises(Impossible) as expected:
        build(library, request)
    for _time in ("first", "again"):
        with pytest.raises(Impossible) as refused:
            shifts.built(library, request, BASE)
        assert str(refused.value) == str(expected.value)
    assert long_date(race) in str(refused.value) and MARK not in str(refused.value)
    assert len(shifts._KEPT) == 0


def test_a_plan_dated_by_the_runner_is_built_as_asked(english: Flask, library: Library) -> None:
    shifts.forget()
    race = date(2027, 4, 18)
    plain = Request("half-marathon", race)
    first = build(library, plain).weeks[2].sessions[0]
    request = replace(plain, adjust=NO_CHANGES.with_skip(first.slot))
    assert shifts.built(library, request, BASE) == as_built(library, request)
    assert len(shifts._KEPT) == 0
