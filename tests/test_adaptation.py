"""The sentences that say how a program was fitted to the weeks a runner has."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from feeds.plans import Library
from feeds.schedule import Request, build
from feeds.wording import describe_adaptation

RACE = date(2027, 4, 18)  # a Sunday
RACE_MONDAY = RACE - timedelta(days=RACE.weekday())


def fitted(library: Library, weeks: int, distance: str = "marathon", shift: int = 0) -> str:
    """The text for a plan of `weeks` weeks; `shift` days moves the start before week 1."""
    start = RACE_MONDAY - timedelta(weeks=weeks - 1, days=shift)
    schedule = build(library, Request(distance, RACE, start))
    assert len(schedule.weeks) == weeks
    return describe_adaptation(schedule)


def test_one_dropped_week_is_named_in_the_singular(library: Library) -> None:
    text = fitted(library, 15)
    assert "You have 15 weeks, not 16, so one strength week of the program is left out." in text
    assert "weeks are left out" not in text


def test_two_dropped_weeks_are_counted_by_phase(library: Library) -> None:
    text = fitted(library, 14)
    assert (
        "so 2 weeks of the program are left out: one strength week and one race-specific week."
    ) in text


def test_many_dropped_weeks_are_counted_by_phase(library: Library) -> None:
    text = fitted(library, 8)
    assert (
        "You have 8 weeks, not 16, so 8 weeks of the program are left out: 2 foundation weeks,"
        " 4 strength weeks and 2 race-specific weeks."
    ) in text
    assert "The first 3 weeks, the taper and race week stay whole" in text


def test_dropped_weeks_use_no_second_week_numbering(library: Library) -> None:
    """The dated plan numbers weeks 1..N; 'program week 7' would be a second numbering."""
    for weeks in (8, 12, 15):
        assert "program week" not in fitted(library, weeks)


@pytest.mark.parametrize(
    ("weeks", "words", "first_week", "monday"),
    [
        (17, "one lead-in week of base maintenance", 2, "Monday 28 December 2026"),
        (18, "2 lead-in weeks of base maintenance", 3, "Monday 28 December 2026"),
        (30, "14 lead-in weeks of base maintenance", 15, "Monday 28 December 2026"),
    ],
)
def test_lead_in_weeks_say_where_the_program_begins(
    library: Library, weeks: int, words: str, first_week: int, monday: str
) -> None:
    text = fitted(library, weeks)
    assert f"You have {weeks} weeks, more than the 16 the program needs" in text
    assert words in text
    assert f"The program itself begins in week {first_week}, on {monday}." in text
    assert "weeks before race week" not in text


def test_exactly_16_weeks_runs_as_written(library: Library) -> None:
    assert fitted(library, 16) == "You have the full 16 weeks: the program runs as written."


def test_a_start_mid_week_names_the_first_monday_as_people_write_it(library: Library) -> None:
    text = fitted(library, 12, "10k", shift=4)  # the Thursday before week 1
    assert text.startswith(
        "You start on a Thursday; training weeks run Monday to Sunday, so week 1 begins on"
        " Monday 25 January 2027."
    )


def test_dates_have_no_leading_zero(library: Library) -> None:
    text = fitted(library, 15, "ultra", shift=1)
    assert "week 1 begins on Monday 4 January 2027." in text and "04 January" not in text


def test_a_short_plan_states_the_reason_and_the_weeks(library: Library) -> None:
    text = fitted(library, 5)
    assert (
        "You have 5 weeks before the race, fewer than the 8 a full build needs, so this is a"
        " short plan: 3 weeks of light maintenance, then one taper week and race week."
    ) in text
    assert "The taper week keeps one short heavy session" in text


def test_a_three_week_plan_has_one_maintenance_week(library: Library) -> None:
    assert "short plan: one week of light maintenance, then one taper week" in fitted(library, 3)


def test_a_two_week_plan_has_nothing_heavy(library: Library) -> None:
    text = fitted(library, 2, distance="5k")
    assert "short plan: one taper week and race week." in text
    assert "Nothing heavy" in text
    assert "weeks of light maintenance" not in text


def test_a_start_in_race_week_says_so(library: Library) -> None:
    text = fitted(library, 1, shift=0)
    assert "Your race is in the week you start, too soon to build strength" in text


def test_a_short_plan_start_mid_week_names_the_first_monday(library: Library) -> None:
    text = fitted(library, 4, shift=2)  # a Saturday start
    assert "You start on a Saturday" in text
    assert "week 1 begins on Monday 22 March 2027" in text
    assert "You have 4 weeks before the race" in text


def test_a_short_plan_says_nothing_heavy_when_the_taper_cannot_hold_it(
    library: Library,
) -> None:
    """A Wednesday marathon puts the 10-day cut-off before the taper week: no heavy session."""
    race = date(2027, 4, 14)
    schedule = build(library, Request("marathon", race, race - timedelta(days=23)))
    assert not any(s.heavy for s in schedule.sessions)
    text = describe_adaptation(schedule)
    assert "Nothing heavy" in text
    assert "keeps one short heavy session" not in text
