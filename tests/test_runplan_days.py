"""The stored form of a running plan's days: one letter per date, then the runner's choices."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from feeds.errors import InvalidParameter
from feeds.placement import RunDay
from feeds.runplan import Basis, DayReading, Reading
from feeds.runplan.address import parse_url
from feeds.runplan.days import LETTERS, PlanDays, of_reading, parse_days

MONDAY = date(2026, 12, 28)


def reading(letters: str) -> Reading:
    kinds = {"l": RunDay.LONG, "h": RunDay.HARD, "e": RunDay.EASY, "r": RunDay.REST}
    return Reading(
        tuple(
            DayReading(MONDAY + timedelta(days=i), kinds[c], Basis.WORD)
            for i, c in enumerate(letters)
        )
    )


TUESDAYS = (date(2026, 12, 29), date(2027, 1, 5))


def letters(days: PlanDays) -> str:
    """The kinds used, one letter per date."""
    return "".join(LETTERS[kind] for _, kind in days.run_days())


def test_the_stored_text_reads_back() -> None:
    days = parse_days("2026-12-28:rhehrel;tue=r;+2=l")
    assert days.text == "2026-12-28:rhehrel;tue=r;+2=l"
    assert letters(days) == "rrlhrel"
    assert days.fixes() == {date(2026, 12, 30): RunDay.LONG}
    assert days.every() == {1: RunDay.REST}


def test_a_capital_letter_reads_as_a_correction_of_that_date() -> None:
    days = parse_days("2026-12-28:rhEhrel")
    assert days.fixes() == {date(2026, 12, 30): RunDay.EASY}
    assert days.text == "2026-12-28:rhehrel;+2=e"


def test_a_correction_outlives_a_new_reading_and_the_rest_follows_it() -> None:
    days = of_reading(reading("rhehrel")).corrected({date(2026, 12, 29): RunDay.EASY})
    assert letters(days) == "rEehrel".lower()
    # The coach moves the tempo run from Thursday to Friday.
    assert letters(days.reread(reading("rhehhrl"))) == "reehhrl"
    assert days.reread(reading("rhehhrl")).fixes() == {date(2026, 12, 29): RunDay.EASY}


def test_choosing_what_was_read_is_no_correction() -> None:
    days = of_reading(reading("rhehrel")).corrected({date(2026, 12, 29): RunDay.HARD})
    assert days.text == "2026-12-28:rhehrel" and days.fixes() == {}


def test_every_tuesday_hard_holds_for_the_whole_span_and_new_readings() -> None:
    two_weeks = of_reading(reading("reeerelrerhrel"))
    days = two_weeks.corrected({}, {1: RunDay.HARD})
    assert days.text == "2026-12-28:reeerelrerhrel;tue=h"
    assert all(dict(days.run_days())[t] is RunDay.HARD for t in TUESDAYS)
    # The coach rewrites week 2; Tuesdays stay hard.
    assert letters(days.reread(reading("reeerelreeerel"))) == "rheerelrheerel"


def test_a_single_date_correction_outranks_its_weekday_choice() -> None:
    days = of_reading(reading("reeerelreeerel")).corrected({}, {1: RunDay.HARD})
    # The runner is ill on the second Tuesday: that one is a rest day.
    days = days.corrected({TUESDAYS[1]: RunDay.REST})
    kinds = dict(days.run_days())
    assert kinds[TUESDAYS[0]] is RunDay.HARD and kinds[TUESDAYS[1]] is RunDay.REST
    assert days.text == "2026-12-28:reeerelreeerel;tue=h;+8=r"
    # Undoing the single correction gives the weekday's choice back; undoing that, the reading.
    assert dict(days.without_fix(TUESDAYS[1]).run_days())[TUESDAYS[1]] is RunDay.HARD
    assert letters(days.without_fix(TUESDAYS[1]).without_every(1)) == "reeerelreeerel"


def test_changing_the_weekday_choice_leaves_the_shown_days_as_they_were_chosen() -> None:
    """The form sends every date's select as shown: those unchanged follow the new weekday."""
    days = of_reading(reading("reeerel")).corrected({}, {1: RunDay.HARD})
    shown = dict(days.run_days())
    again = days.corrected(shown, {1: RunDay.REST})
    assert again.fixes() == {} and dict(again.run_days())[TUESDAYS[0]] is RunDay.REST
    # A date set back to its weekday's kind stops being a correction.
    fixed = days.corrected({TUESDAYS[0]: RunDay.EASY})
    assert fixed.corrected({TUESDAYS[0]: RunDay.HARD}).fixes() == {}


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "2026-12-28",
        "2026-12-28:rhx",
        "2026-02-30:rh",
        "rh",
        "2026-12-28:rh;tue=x",
        "2026-12-28:rh;tue=h;tue=e",
        "2026-12-28:rh;+2=e",
        "2026-12-28:rh;+1=e;+1=h",
        "2026-12-28:rH;+1=e",
        "2026-12-28:rh;",
        "2026-12-28:rh;monday=h",
    ],
)
def test_a_malformed_days_text_is_refused_naming_the_field(raw: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        parse_days(raw)
    assert caught.value.field == "running_plan_days"


def test_webcal_addresses_read_as_https_and_others_are_refused() -> None:
    assert parse_url(" webcal://example.org/plan.ics ") == "https://example.org/plan.ics"
    for raw in ("example.org/plan.ics", "ftp://example.org/x", "https://", "https://a b/"):
        with pytest.raises(InvalidParameter) as caught:
            parse_url(raw)
        assert caught.value.field == "running_plan_url"
