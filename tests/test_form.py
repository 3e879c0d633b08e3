"""The plan form's normalisation into the canonical feed query."""

from __future__ import annotations

from datetime import date

import pytest

from feeds.choices import read
from feeds.errors import Impossible, InvalidParameter
from feeds.form import in_words, read_form, time_zones
from feeds.params import parse

TODAY = date(2026, 11, 25)


def query(**args: list[str]) -> dict[str, str]:
    return read_form(args, TODAY).query()


def test_repeated_days_become_one_comma_list() -> None:
    assert query(race=["2027-04-18"], days=["tue", "thu", "sat"])["days"] == "tue,thu,sat"


def test_a_feed_query_reads_the_same_as_the_form() -> None:
    from_feed = query(race=["2027-04-18"], days=["tue,thu"], time=["07:00"], tz=["Europe/Berlin"])
    from_form = query(
        race=["2027-04-18"],
        days=["tue", "thu"],
        when=["timed"],
        time=["07:00"],
        tz=["Europe/Berlin"],
    )
    assert from_feed == from_form


def test_empty_fields_and_the_default_long_day_are_left_out() -> None:
    entered = query(race=["2027-04-18"], start=[""], long=["sun"], alarm=[""], tz=[""])
    assert entered == {"race": "2027-04-18", "start": "2026-11-25"}


def test_start_defaults_to_today() -> None:
    assert query(race=["2027-04-18"])["start"] == "2026-11-25"


def test_all_day_drops_time_and_zone() -> None:
    entered = query(race=["2027-04-18"], when=["allday"], time=["07:00"], tz=["Europe/Berlin"])
    assert "time" not in entered and "tz" not in entered


def test_timed_keeps_time_and_zone_in_contract_order() -> None:
    entered = query(
        alarm=["30"],
        tz=["Europe/Berlin"],
        time=["06:30"],
        when=["timed"],
        long=["sat"],
        race=["2027-04-18"],
    )
    assert list(entered) == ["race", "start", "long", "time", "tz", "alarm"]
    assert entered["time"] == "06:30" and entered["long"] == "sat"


def test_canonical_values_read_as_the_feed_query_does() -> None:
    query = {"race": "2027-04-18", "days": "tue,thu"}
    as_feed = parse("5k", {k: [v] for k, v in query.items()})
    assert read("5k", query) == as_feed.choices


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"race": [""]}, "race"),
        ({"race": ["2027-04-18"], "when": ["timed"], "time": ["07:00"], "tz": [""]}, "tz"),
    ],
)
def test_form_only_problems_name_their_field(args: dict[str, list[str]], field: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        read_form(args, TODAY).query()
    assert caught.value.field == field


def test_submitted_only_once_a_race_field_arrives() -> None:
    assert not read_form({}, TODAY).submitted
    assert read_form({"race": [""]}, TODAY).submitted


def test_a_malformed_field_is_told_what_fixes_it_without_its_name_or_value() -> None:
    problem = InvalidParameter("'tz' must be an IANA time zone; got 'Mars'.", field="tz")
    assert in_words(problem).startswith("Enter your time zone as region and city")
    assert in_words(Impossible("'start' is too early.")) == "The start date is too early."


def test_zone_suggestions_are_region_city_names() -> None:
    zones = time_zones()
    assert zones[0] == "UTC" and "Europe/Berlin" in zones
    assert not any(z.startswith(("Etc/", "US/", "posix")) for z in zones)
