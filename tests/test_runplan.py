"""Reading a runner's running-plan calendar: each date long, hard, easy or rest, and why.

Fixtures: tests/fixtures/runplans/ (regenerate with make_fixtures.py there).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from feeds.placement import RunDay, Where
from feeds.plans import Library
from feeds.runplan import (
    MAX_BYTES,
    Basis,
    Reading,
    Run,
    RunPlanUnreadable,
    classify,
    read_plan,
)
from feeds.runplan.words import read_words
from feeds.schedule import Request, Schedule, build

FIXTURES = Path(__file__).parent / "fixtures" / "runplans"
WEEK1 = date(2026, 12, 28)  # Monday of week 1 of every fixture plan
RACE = date(2027, 4, 18)
FIRST, LAST = date(2026, 12, 1), RACE


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def kinds(reading: Reading) -> dict[date, RunDay]:
    return dict(reading.run_days())


def weekday_kinds(reading: Reading, week: int) -> list[RunDay]:
    table = kinds(reading)
    return [table[WEEK1 + timedelta(weeks=week - 1, days=i)] for i in range(7)]


HARD, LONG, EASY, REST = RunDay.HARD, RunDay.LONG, RunDay.EASY, RunDay.REST


def test_a_16_week_marathon_plan_reads_intervals_tempo_and_the_long_run() -> None:
    reading = read_plan(fixture("marathon-16-weeks.ics"), FIRST, LAST)
    assert reading.days[0].day == WEEK1 and reading.days[-1].day == RACE
    for week in range(1, 16):
        assert weekday_kinds(reading, week) == [REST, HARD, EASY, HARD, REST, EASY, LONG]
    assert kinds(reading)[RACE] is HARD  # the race itself
    tuesday = next(d for d in reading.days if d.day == WEEK1 + timedelta(days=1))
    assert (tuesday.basis, tuesday.titles, tuesday.word) == (
        Basis.WORD,
        ("Intervals 5x800m",),
        "intervals",
    )
    friday = next(d for d in reading.days if d.day == WEEK1 + timedelta(days=4))
    assert (friday.kind, friday.basis, friday.titles) == (REST, Basis.NO_EVENT, ())


def test_weekly_series_with_a_skipped_and_a_moved_occurrence() -> None:
    reading = read_plan(fixture("recurring-berlin.ics"), FIRST, LAST)
    assert weekday_kinds(reading, 1) == [EASY, HARD, EASY, HARD, REST, EASY, LONG]
    # Week 6: the coach moved Tuesday's intervals to Wednesday (a RECURRENCE-ID override).
    assert weekday_kinds(reading, 6)[1:3] == [REST, HARD]
    # Week 9: Tuesday's intervals were cancelled (EXDATE).
    assert weekday_kinds(reading, 9)[1] is REST
    # The long-run series ends (UNTIL) before race week.
    assert weekday_kinds(reading, 16)[6] is REST


def test_google_utc_times_are_dated_in_the_calendars_own_zone() -> None:
    data = fixture("google-los-angeles.ics")
    local = read_plan(data, FIRST, LAST)
    assert weekday_kinds(local, 1) == [REST, HARD, REST, HARD, REST, REST, LONG]
    # The same runs seen from UTC start after midnight: a day later.
    utc = read_plan(data, FIRST, LAST, zone=ZoneInfo("UTC"))
    assert weekday_kinds(utc, 1)[1:5] == [REST, HARD, REST, HARD]


@pytest.mark.parametrize(
    ("name", "week"),
    [
        ("german.ics", [REST, HARD, EASY, HARD, REST, EASY, LONG]),
        ("spanish.ics", [REST, HARD, EASY, HARD, REST, REST, LONG]),
    ],
)
def test_titles_in_german_and_spanish(name: str, week: list[RunDay]) -> None:
    reading = read_plan(fixture(name), FIRST, LAST)
    for n in range(1, 5):
        assert weekday_kinds(reading, n) == week


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("6 x 800m @ 5K pace", HARD),
        ("Tempo 20'", HARD),
        ("Lactate threshold", HARD),
        ("Hill repeats", HARD),
        ("Intervalltraining", HARD),
        ("Tempolauf 8 km", HARD),
        ("Series de 1000", HARD),
        ("Fractionné 10x400", HARD),
        ("Séance au seuil", HARD),
        ("Ripetute 6x1000", HARD),
        ("Drempeltraining", HARD),
        ("Long run 30 km", LONG),
        ("Langer Lauf", LONG),
        ("Tirada larga", LONG),
        ("Sortie longue 1h45", LONG),
        ("Lungo 25 km", LONG),
        ("Lange duurloop", LONG),
        ("Long run with the last 5 km at marathon pace", LONG),
        ("Recovery jog", EASY),
        ("Locker laufen", EASY),
        ("Rodaje suave", EASY),
        ("Footing", EASY),
        ("Corsa lenta", EASY),
        ("Rustige duurloop", EASY),
        ("Rest day", REST),
        ("Ruhetag", REST),
        ("Repos", REST),
        ("Riposo", REST),
        ("Rustdag", REST),
    ],
)
def test_common_words_in_six_languages(title: str, kind: RunDay) -> None:
    found = read_words(title)
    assert found is not None and found[0] is kind, found


def test_the_longest_run_of_a_week_without_a_long_title_is_the_long_run() -> None:
    monday = WEEK1
    runs = [
        Run(monday + timedelta(days=1), "Run", minutes=45),
        Run(monday + timedelta(days=3), "Run", km=8.0),
        Run(monday + timedelta(days=6), "Sunday run", minutes=110),
        # Next week the runs are alike: no long run is made up.
        Run(monday + timedelta(days=8), "Run", km=10.0),
        Run(monday + timedelta(days=13), "Run", km=11.0),
    ]
    reading = classify(runs)
    sunday = next(d for d in reading.days if d.day == monday + timedelta(days=6))
    assert (sunday.kind, sunday.basis) == (LONG, Basis.LONGEST)
    assert weekday_kinds(reading, 2) == [REST, EASY, REST, REST, REST, REST, EASY]
    assert next(d for d in reading.days if d.day == monday + timedelta(days=1)).basis is (
        Basis.UNNAMED
    )


def test_the_runner_corrects_a_day() -> None:
    reading = read_plan(fixture("marathon-16-weeks.ics"), FIRST, LAST)
    wednesday = WEEK1 + timedelta(days=2)
    fixed = reading.corrected({wednesday: HARD, date(2030, 1, 1): LONG})
    day = next(d for d in fixed.days if d.day == wednesday)
    assert (day.kind, day.basis, day.titles) == (HARD, Basis.RUNNER, ("Easy run 9 km",))
    assert len(fixed.days) == len(reading.days)


@pytest.mark.parametrize(
    "data",
    [
        fixture("malformed.ics"),
        b"<!doctype html><html><body>Sign in to see this calendar</body></html>",
        b"",
        b"\xff\xfe\x00garbage",
    ],
)
def test_an_unreadable_calendar_is_a_422_naming_the_field(data: bytes) -> None:
    with pytest.raises(RunPlanUnreadable) as caught:
        read_plan(data, FIRST, LAST)
    assert caught.value.status == 422
    assert caught.value.field == "running_plan_url"
    assert "iCalendar" in caught.value.message or "calendar" in caught.value.message


def test_a_calendar_larger_than_the_cap_is_refused_before_parsing() -> None:
    data = fixture("marathon-16-weeks.ics")
    padding = b"X-PADDING:" + b"x" * 60 + b"\r\n"
    big = data.replace(
        b"END:VCALENDAR", padding * (MAX_BYTES // len(padding) + 1) + b"END:VCALENDAR"
    )
    assert len(big) > MAX_BYTES
    with pytest.raises(RunPlanUnreadable, match="up to 2 MB"):
        read_plan(big, FIRST, LAST)


def test_a_plan_for_other_dates_says_so() -> None:
    with pytest.raises(RunPlanUnreadable, match="no events between 2028-01-01 and 2028-04-30"):
        read_plan(fixture("marathon-16-weeks.ics"), date(2028, 1, 1), date(2028, 4, 30))


def plan_schedule(library: Library, data: bytes) -> Schedule:
    reading = read_plan(data, FIRST, LAST)
    return build(library, Request("marathon", RACE, run_days=reading.run_days()))


def test_the_running_plan_places_heavy_work_after_its_hard_runs(library: Library) -> None:
    schedule = plan_schedule(library, fixture("marathon-16-weeks.ics"))
    table = kinds(read_plan(fixture("marathon-16-weeks.ics"), FIRST, LAST))
    heavy = [s for s in schedule.sessions if library.routine(s.routine).heavy]
    assert len(heavy) >= 15
    for s in heavy:
        assert table[s.day] is HARD and s.where is Where.AFTER_HARD_RUN
        assert table[s.day + timedelta(days=1)] not in (HARD, LONG)
    for s in schedule.sessions:
        assert table[s.day + timedelta(days=1)] is not LONG


def test_moving_a_tempo_run_moves_its_strength_session_with_the_same_slot(
    library: Library,
) -> None:
    data = fixture("marathon-16-weeks.ics")
    thursday = WEEK1 + timedelta(weeks=5, days=3)
    friday = thursday + timedelta(days=1)
    old, new = (
        f"DTSTART;VALUE=DATE:{d:%Y%m%d}\r\nDTEND;VALUE=DATE:{d + timedelta(days=1):%Y%m%d}"
        for d in (thursday, friday)
    )
    assert data.count(old.encode()) == 1
    before = {s.slot: s.day for s in plan_schedule(library, data).sessions}
    after = {
        s.slot: s.day
        for s in plan_schedule(library, data.replace(old.encode(), new.encode())).sessions
    }
    # Same slots (so the same UIDs); a leg-heavy session follows the tempo run to Friday. The
    # week's Nordic cannot go there (72 h before Sunday's long run), so the two swap days.
    assert set(after) == set(before)
    moved = {slot for slot in before if before[slot] != after[slot]}
    assert moved and all(after[slot] != thursday for slot in moved)
    (on_friday,) = (slot for slot in after if after[slot] == friday)
    assert library.routine(on_friday.split("/")[1]).heavy
