"""Times by weekday: each timed session starts at its weekday's local time, across DST."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from icalendar import Calendar

from feeds.choices import read, texts
from feeds.errors import InvalidParameter
from feeds.fields import DayTimes

BERLIN = ZoneInfo("Europe/Berlin")
# Europe/Berlin springs forward on 28 March 2027: the plan spans the change.
FEED = "/feeds/marathon.ics?race=2027-04-18&days=tue,thu,sat&tz=Europe/Berlin&time="


def local_starts(client: FlaskClient, times: str) -> list[datetime]:
    response = client.get(FEED + times)
    assert response.status_code == 200, response.get_data(as_text=True)
    cal = Calendar.from_ical(response.data)
    starts = [
        e.decoded("DTSTART") for e in cal.walk("VEVENT") if "Strength" in e["CATEGORIES"].cats
    ]
    return [s.astimezone(BERLIN) for s in starts if isinstance(s, datetime)]


def first_of_day(starts: list[datetime]) -> list[datetime]:
    """The first session of each day (a second one follows the first)."""
    days: dict[object, datetime] = {}
    for start in starts:
        days[start.date()] = min(start, days.get(start.date(), start))
    return list(days.values())


def test_one_time_stays_the_simple_case() -> None:
    choices = read("marathon", {"race": "2027-04-18", "time": "07:00", "tz": "Europe/Berlin"})
    assert choices.time == time(7, 0)
    assert texts(choices)["time"] == "07:00"


def test_each_weekday_starts_at_its_own_local_time_across_dst(client: FlaskClient) -> None:
    starts = first_of_day(local_starts(client, "mon:06:00,tue:06:30,thu:18:00,sat:09:15"))
    wanted = {1: time(6, 30), 3: time(18, 0), 5: time(9, 15)}
    assert {s.weekday() for s in starts} <= set(wanted)
    assert all(s.timetz().replace(tzinfo=None) == wanted[s.weekday()] for s in starts)
    # Both sides of the change: winter (UTC+1) and summer (UTC+2) offsets.
    assert {s.utcoffset() for s in starts} == {
        datetime(2027, 1, 5, tzinfo=BERLIN).utcoffset(),
        datetime(2027, 4, 6, tzinfo=BERLIN).utcoffset(),
    }


def test_a_default_covers_the_days_not_named(client: FlaskClient) -> None:
    starts = first_of_day(local_starts(client, "07:00,thu:18:00"))
    for start in starts:
        expected = time(18, 0) if start.weekday() == 3 else time(7, 0)
        assert start.timetz().replace(tzinfo=None) == expected


def test_times_by_weekday_read_back_in_a_canonical_order() -> None:
    values = {"race": "2027-04-18", "tz": "UTC", "time": "thu:18:00, 07:00 ,Tue:06:30"}
    choices = read("marathon", values)
    assert choices.time == DayTimes(time(7, 0), ((1, time(6, 30)), (3, time(18, 0))))
    assert texts(choices)["time"] == "07:00,tue:06:30,thu:18:00"


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("mon:06:30,mon:07:00", "mon is named twice"),
        ("07:00,08:00", "one time without a weekday at most"),
        ("fri:25:00", "24-hour time"),
        ("someday:06:30", "must be a weekday"),
        ("tue:06:30", "has no time for thu, sat"),
    ],
)
def test_bad_times_by_weekday_are_a_400_naming_time(
    client: FlaskClient, given: str, says: str
) -> None:
    response = client.get(FEED + given)
    assert response.status_code == 400
    assert says in response.get_data(as_text=True)
    with pytest.raises(InvalidParameter) as caught:
        read("marathon", {"race": "2027-04-18", "days": "tue,thu,sat", "tz": "UTC", "time": given})
    assert caught.value.field == "time"


def test_times_by_weekday_alone_need_the_training_days() -> None:
    with pytest.raises(InvalidParameter, match="give your training days too"):
        read("marathon", {"race": "2027-04-18", "tz": "UTC", "time": "tue:06:30"})
