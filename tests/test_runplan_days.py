"""The stored form of a running plan's days: one letter per date, capitals for corrections."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from feeds.errors import InvalidParameter
from feeds.placement import RunDay
from feeds.runplan import Basis, DayReading, Reading
from feeds.runplan.address import parse_url
from feeds.runplan.days import of_reading, parse_days

MONDAY = date(2026, 12, 28)


def reading(letters: str) -> Reading:
    kinds = {"l": RunDay.LONG, "h": RunDay.HARD, "e": RunDay.EASY, "r": RunDay.REST}
    return Reading(
        tuple(
            DayReading(MONDAY + timedelta(days=i), kinds[c], Basis.WORD)
            for i, c in enumerate(letters)
        )
    )


def test_the_stored_text_reads_back() -> None:
    days = parse_days("2026-12-28:rhEhrel")
    assert days.text == "2026-12-28:rhEhrel"
    assert dict(days.run_days())[date(2026, 12, 30)] is RunDay.EASY
    assert days.fixes() == {date(2026, 12, 30): RunDay.EASY}


def test_a_correction_outlives_a_new_reading_and_the_rest_follows_it() -> None:
    days = of_reading(reading("rhehrel")).corrected({date(2026, 12, 29): RunDay.EASY})
    assert days.letters == "rEehrel"
    # The coach moves the tempo run from Thursday to Friday.
    assert days.reread(reading("rhehhrl")).letters == "rEehhrl"


def test_choosing_what_was_read_is_no_correction() -> None:
    days = of_reading(reading("rhehrel")).corrected({date(2026, 12, 29): RunDay.HARD})
    assert days.letters == "rhehrel" and days.fixes() == {}


@pytest.mark.parametrize("raw", ["", "2026-12-28", "2026-12-28:rhx", "2026-02-30:rh", "rh"])
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
