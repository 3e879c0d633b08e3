"""The weeks after race day, and the feed that keeps serving them after the race has passed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from feeds.choices import Choices
from feeds.errors import Impossible
from feeds.events import entries
from feeds.placement import REST_DAYS_AFTER_RACE
from feeds.plans import Library
from feeds.policy import FEED_DAYS_AFTER_RACE, check, check_feed
from feeds.schedule import Request, build

RACE = date(2027, 4, 18)  # a Sunday
TODAY = date(2027, 4, 19)


@pytest.mark.parametrize("weekday", range(7))
def test_the_plan_goes_on_with_recovery_then_maintenance(
    library: Library, distance: str, weekday: int
) -> None:
    race = RACE + timedelta(days=weekday - RACE.weekday())
    schedule = build(library, Request(distance, race))
    after = schedule.after
    recovery = 1 if distance in ("5k", "10k") else 2
    assert [w.unit.phase for w in after] == ["recovery"] * recovery + ["maintenance"] * 4
    assert after[0].monday == schedule.weeks[-1].monday + timedelta(days=7)
    for week in after:
        assert week.sessions, week.unit.key
        for s in week.sessions:
            assert (s.day - race).days >= REST_DAYS_AFTER_RACE
            assert not library.routine(s.routine).heavy
    heavy = [s.day for s in schedule.sessions if library.routine(s.routine).heavy]
    assert max(heavy) < race


def test_a_schedule_for_a_page_has_the_same_weeks_and_none_after_the_race(
    library: Library, distance: str
) -> None:
    """The plan page shows the program's weeks only: built without the weeks after the race,
    its weeks are the calendar's, week for week."""
    request = Request(distance, RACE, start=date(2026, 12, 3), days=frozenset({1, 3, 5}))
    whole, page = build(library, request), build(library, request, after_race=False)
    assert page.after == () and page.all_weeks == page.weeks == whole.weeks
    assert page.sessions == whole.sessions and len(whole.after) >= 5


def test_a_moved_race_moves_the_same_events_after_it(library: Library) -> None:
    before = build(library, Request("marathon", RACE))
    moved = build(library, Request("marathon", RACE + timedelta(days=12)))
    slots = [s.slot for w in before.after for s in w.sessions]
    assert slots == [s.slot for w in moved.after for s in w.sessions]
    assert all(slot.startswith("after-") for slot in slots)


def test_the_calendar_names_the_weeks_after_the_race(library: Library) -> None:
    schedule = build(library, Request("half-marathon", RACE))
    events = entries(library, schedule, "https://plans.example.org/")
    later = [e for e in events if e.day > RACE]
    assert later and all(e.category in ("Week", "Strength") for e in later)
    summaries = [e.summary for e in later if e.category == "Strength"]
    assert any("week 1 after the race" in s for s in summaries)
    assert any("week 6 after the race" in s for s in summaries)
    first = next(e for e in later if e.category == "Strength")
    assert "Week 1 after the race, Recovery: Recovery week 1" in first.description
    assert max(e.day for e in events) - RACE <= timedelta(days=FEED_DAYS_AFTER_RACE)


def _choices(race: date) -> Choices:
    return Choices("marathon", race)


def test_a_new_plan_for_a_race_already_past_is_refused() -> None:
    with pytest.raises(Impossible, match="has already passed"):
        check(_choices(TODAY - timedelta(days=1)), TODAY)


@pytest.mark.parametrize("days_ago", [1, 14, FEED_DAYS_AFTER_RACE])
def test_a_feed_keeps_serving_after_its_race(days_ago: int) -> None:
    """A subscribed calendar must not start failing the day after the race."""
    choices = _choices(TODAY - timedelta(days=days_ago))
    assert check_feed(choices, TODAY) is choices


def test_a_feed_ends_once_the_weeks_after_the_race_are_over() -> None:
    with pytest.raises(Impossible, match="and the weeks after it are over"):
        check_feed(_choices(TODAY - timedelta(days=FEED_DAYS_AFTER_RACE + 1)), TODAY)


def test_a_feed_still_refuses_a_race_over_a_year_away() -> None:
    with pytest.raises(Impossible, match="more than a year away"):
        check_feed(_choices(TODAY + timedelta(days=400)), TODAY)
    assert check_feed(_choices(TODAY), TODAY).race == TODAY


def test_the_grace_covers_every_program_after_its_race(library: Library) -> None:
    for program in library.programs.values():
        assert 7 * (len(program.after) + 1) <= FEED_DAYS_AFTER_RACE
