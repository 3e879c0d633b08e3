"""The scheduler: weeks backward from race day, session placement rules, adaptation."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from feeds import schedule as scheduling
from feeds.adapt import MAX_WEEKS, shortest_program
from feeds.adjustments import Adjustments
from feeds.errors import Impossible
from feeds.placement import QUIET_DAYS_BEFORE_RACE
from feeds.plans import DISTANCES, Library
from feeds.schedule import Request, Schedule, Week, build, default_days
from feeds.wording import describe_adaptation, unplaced_note

RACE = date(2027, 4, 18)  # a Sunday


def check_rules(library: Library, schedule: Schedule) -> None:
    """Every rule a runner relies on holds for every session of the schedule."""
    request = schedule.request
    race, long_day = request.race, request.long_day
    program = schedule.program
    assert schedule.weeks[-1].monday <= race <= schedule.weeks[-1].monday + timedelta(days=6)
    heavy_days: list[date] = []
    for i, week in enumerate(schedule.weeks):
        assert week.monday.weekday() == 0
        assert week.index == i + 1
        if i:
            assert week.monday == schedule.weeks[i - 1].monday + timedelta(days=7)
        assert week.unlock == max(week.monday - timedelta(days=1), schedule.first_day)
        assert len(week.sessions) + len(week.unplaced) == week.unit.session_count
        for s in week.sessions:
            assert week.monday <= s.day <= week.monday + timedelta(days=6)
            assert s.day.weekday() in schedule.training_days
            assert s.day >= schedule.first_day
            assert (race - s.day).days > QUIET_DAYS_BEFORE_RACE
            assert (s.day + timedelta(days=1)).weekday() != long_day
            if library.routine(s.routine).heavy:
                assert s.day.weekday() != long_day
                assert (s.day - timedelta(days=1)).weekday() != long_day
                assert (race - s.day).days >= program.last_heavy_days
                heavy_days.append(s.day)
    gaps = [(b - a).days for a, b in itertools.pairwise(heavy_days)]
    assert all(g >= 2 for g in gaps), "leg-heavy sessions need about 48 h between them"
    for week in schedule.after:
        assert week.monday > race
        for s in week.sessions:
            assert (s.day - race).days >= 3, "the first days after the race are for rest"
            assert (s.day + timedelta(days=1)).weekday() != long_day
            assert not library.routine(s.routine).heavy


@pytest.mark.parametrize("weekday", range(7))
def test_race_on_every_weekday_puts_week_16_around_race_day(
    library: Library, distance: str, weekday: int
) -> None:
    race = RACE + timedelta(days=weekday - RACE.weekday())
    schedule = build(library, Request(distance, race))
    assert len(schedule.weeks) == 16
    assert [w.unit.number for w in schedule.weeks] == list(range(1, 17))
    week16 = schedule.weeks[-1]
    assert week16.monday == race - timedelta(days=weekday)
    assert schedule.first_day == schedule.weeks[0].monday - timedelta(days=1)
    check_rules(library, schedule)


def test_every_lead_time_from_the_minimum_to_60_weeks(library: Library, distance: str) -> None:
    program = library.programs[distance]
    race = date(2027, 6, 6)
    for weeks in range(shortest_program(program), MAX_WEEKS + 1):
        start = race - timedelta(days=race.weekday()) - timedelta(weeks=weeks - 1)
        schedule = build(library, Request(distance, race, start))
        assert len(schedule.weeks) == weeks
        numbers = [w.unit.number for w in schedule.weeks if w.unit.number]
        assert numbers == sorted(numbers)
        # The opening foundation weeks, the taper and race week always survive.
        kept = set(numbers)
        assert {1, 2, 3} <= kept
        assert {u.number for u in program.weeks if u.phase in ("taper", "race")} <= kept
        phases = {w.unit.phase for w in schedule.weeks}
        assert {u.phase for u in program.weeks} <= phases | {"base"}
        check_rules(library, schedule)


@pytest.mark.parametrize("weeks", range(1, 8))
def test_too_few_weeks_give_a_short_plan_of_maintenance_and_a_taper(
    library: Library, distance: str, weeks: int
) -> None:
    """Fewer weeks than the shortest program: light maintenance, one taper week, race week."""
    assert weeks < shortest_program(library.programs[distance])
    start = RACE - timedelta(days=RACE.weekday(), weeks=weeks - 1)
    schedule = build(library, Request(distance, RACE, start))
    check_rules(library, schedule)
    assert schedule.arrangement.short
    assert len(schedule.weeks) == weeks
    phases = [w.unit.phase for w in schedule.weeks]
    assert phases[-1] == "race"
    assert set(phases[:-2]) <= {"base"}
    if weeks >= 2:
        assert phases[-2] in ("taper", "base")
    heavy = [s for s in schedule.sessions if library.routine(s.routine).heavy]
    if weeks < 3:
        assert not heavy, "nothing heavy in a plan of one or two weeks"
    assert all(s.day >= start for s in schedule.sessions)


def test_a_start_late_in_race_week_gets_race_week_alone(library: Library) -> None:
    start = RACE - timedelta(days=5)  # the Tuesday of race week
    schedule = build(library, Request("marathon", RACE, start))
    assert [w.unit.phase for w in schedule.weeks] == ["race"]
    assert all(start <= s.day <= RACE - timedelta(days=3) for s in schedule.sessions)


def test_race_before_start_is_impossible(library: Library) -> None:
    with pytest.raises(Impossible, match="comes before your start day"):
        build(library, Request("10k", date(2027, 3, 1), date(2027, 3, 2)))


def test_more_than_60_weeks_is_impossible(library: Library) -> None:
    with pytest.raises(Impossible, match="more than the 60 a plan runs"):
        build(library, Request("10k", date(2027, 3, 7), date(2025, 12, 1)))


def test_lead_in_weeks_are_light_and_alternate(library: Library, distance: str) -> None:
    schedule = build(library, Request(distance, RACE, RACE - timedelta(weeks=24)))
    lead = [w for w in schedule.weeks if w.unit.phase == "base"]
    assert len(lead) == len(schedule.weeks) - 16 > 0
    assert [w.unit.key for w in lead] == [f"lead-{n:02d}" for n in range(len(lead), 0, -1)]
    for week in lead:
        assert 1 <= len(week.sessions) <= 2
        assert not any(library.routine(s.routine).heavy for s in week.sessions)
    titles = {w.unit.title for w in lead}
    assert len(titles) == len(library.programs[distance].lead_in) > 1
    text = describe_adaptation(schedule)
    assert f"{len(lead)} lead-in weeks" in text


@pytest.mark.parametrize("weekday", range(7))
def test_start_on_every_weekday_begins_on_the_next_monday(library: Library, weekday: int) -> None:
    start = date(2026, 12, 7) + timedelta(days=weekday)
    schedule = build(library, Request("half-marathon", RACE, start))
    first = schedule.weeks[0]
    expected = start if weekday == 0 else start + timedelta(days=7 - weekday)
    assert first.monday == expected
    assert schedule.first_day == start
    assert all(s.day >= start for s in schedule.sessions)
    if weekday:
        assert "begins on Monday" in describe_adaptation(schedule)
    check_rules(library, schedule)


def test_compressed_plan_says_which_weeks_were_left_out(library: Library) -> None:
    start = RACE - timedelta(days=RACE.weekday()) - timedelta(weeks=10)
    schedule = build(library, Request("marathon", RACE, start))
    assert len(schedule.weeks) == 11
    dropped = schedule.arrangement.dropped
    assert len(dropped) == 5
    text = describe_adaptation(schedule)
    assert "You have 11 weeks, not 16, so 5 weeks of the program are left out" in text
    assert not {w.unit.number for w in schedule.weeks} & set(dropped)


def test_long_run_day_moves_the_blocked_days(library: Library) -> None:
    schedule = build(library, Request("marathon", RACE, long_day=5))  # Saturday long run
    assert all(s.day.weekday() != 4 for s in schedule.sessions)
    check_rules(library, schedule)


def test_default_days_avoid_the_long_run_and_the_day_before() -> None:
    assert default_days(6) == frozenset({0, 2, 4})  # Mon, Wed, Fri around a Sunday long run
    for long_day in range(7):
        days = default_days(long_day)
        assert len(days) == 3
        assert long_day not in days and (long_day - 1) % 7 not in days


def test_sessions_that_do_not_fit_are_reported_not_dropped(library: Library) -> None:
    schedule = build(library, Request("5k", RACE, days=frozenset({5})))  # Saturday only
    week = schedule.weeks[5]
    assert not week.sessions
    assert len(week.unplaced) == week.unit.session_count
    assert "the day before your long run" in unplaced_note(library, week.unplaced[0])


def test_two_training_days_still_respect_the_heavy_gap(library: Library) -> None:
    schedule = build(library, Request("5k", RACE, days=frozenset({1, 2})))
    check_rules(library, schedule)
    assert any(w.unplaced for w in schedule.weeks)


@pytest.mark.parametrize("distance", DISTANCES)
def test_taper_cut_off_keeps_heavy_work_out(library: Library, distance: str) -> None:
    every_day = frozenset(range(7))
    for offset in range(7):
        race = RACE + timedelta(days=offset)
        schedule = build(library, Request(distance, race, days=every_day, long_day=6))
        check_rules(library, schedule)
        last = max(s.day for s in schedule.sessions if library.routine(s.routine).heavy)
        assert (race - last).days >= schedule.program.last_heavy_days


def test_a_week_of_a_kind_met_before_is_the_week_placed_afresh(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Weeks of one unit whose placing reads the same are one kind: met again, in any plan, a
    kind gives the week its sessions and its unplaced ones (with why each day was closed) in
    that week's own dates, exactly as placing it afresh would (`schedule.Week.kind`). Units of
    different weeks and programs that ask for the same sessions place alike, but each week keeps
    its own sessions."""
    rng = random.Random(12)
    requests = [Request(d, RACE, days=frozenset({1, 3})) for d in DISTANCES]
    for _ in range(40):
        days = frozenset(rng.sample(range(7), rng.randint(1, 4)))
        requests.append(
            Request(
                rng.choice(DISTANCES),
                RACE + timedelta(days=rng.randint(0, 60)),
                days=days,
                long_day=rng.choice([5, 6]),
                level=rng.choice(["new", "experienced"]),
                hard=frozenset(rng.sample(range(5), rng.randint(0, 2))),
            )
        )
    for request in requests:  # every kind met once
        build(library, request)
    kept = [build(library, request) for request in requests]
    # Placed afresh: no kind of week is ever kept.
    monkeypatch.setattr(scheduling, "_FILLED", _KeepsNothing())
    placed = [build(library, request) for request in requests]
    assert kept == placed
    weeks = [w for s in kept for w in s.all_weeks]
    assert all(w.kind is not None for w in weeks)
    # Kinds with sessions that did not fit are among those met again.
    assert any(w.unplaced and w.unplaced[0].reasons for w in weeks)
    for got, afresh in zip(weeks, [w for s in placed for w in s.all_weeks], strict=True):
        assert [u.reasons for u in got.unplaced] == [u.reasons for u in afresh.unplaced]
    # What a week says is kept by its kind: weeks of one kind are alike but for their dates.
    alike: dict[int | None, set[tuple[object, ...]]] = {}
    for week in weeks:
        alike.setdefault(week.kind, set()).add(_undated(week))
    assert all(len(found) == 1 for found in alike.values())
    # Plans whole weeks apart are weeks of the same kinds.
    later = build(library, replace(requests[0], race=requests[0].race + timedelta(weeks=3)))
    assert [w.kind for w in later.all_weeks] == [w.kind for w in kept[0].all_weeks]


def _undated(week: Week) -> tuple[object, ...]:
    sessions = tuple(s._replace(day=(s.day - week.monday).days) for s in week.sessions)
    unplaced = tuple(
        (u.demand, tuple(((d - week.monday).days, r) for d, r in u.reasons), u.last_heavy_days)
        for u in week.unplaced
    )
    return week.unit, sessions, unplaced


class _KeepsNothing(dict[int, object]):
    def __setitem__(self, key: int, value: object) -> None:
        pass


def test_a_week_the_runner_changed_has_no_kind(library: Library) -> None:
    """A week with the runner's moves or skips says what changed: never kept as a kind."""
    plain = build(library, Request("10k", RACE))
    first = plain.weeks[3].sessions[0]
    changed = build(library, Request("10k", RACE, adjust=Adjustments(skips=(first.slot,))))
    assert plain.weeks[3].kind is not None
    assert changed.weeks[3].kind is None
    assert changed.weeks[3].changes
