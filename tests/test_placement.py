"""Placement around the runner's running: hard days, the long run, a running plan's calendar.

The checks re-derive every rule from the runner's week (not from `feeds.placement`), so a rule
the placement forgot or bent fails here.
"""

from __future__ import annotations

import gc
import itertools
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from itertools import combinations, pairwise

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from feeds.adjustments import NO_CHANGES
from feeds.dates import short_date
from feeds.placement import (
    QUIET_DAYS_BEFORE_RACE,
    Closed,
    Demand,
    Rules,
    RunDay,
    WeeklyRuns,
    Where,
    _place,
    kind_of_placement,
    place_week,
)
from feeds.plans import DISTANCES, Library
from feeds.schedule import Request, Schedule, Week, build, default_days
from feeds.wording import refusal_text, unplaced_note

RACE = date(2027, 4, 18)  # a Sunday
EVERY_DAY = frozenset(range(7))
Kind = Callable[[date], RunDay | None]

WHERE = {
    RunDay.HARD: Where.AFTER_HARD_RUN,
    RunDay.LONG: Where.AFTER_LONG_RUN,
    RunDay.EASY: Where.AFTER_EASY_RUN,
    RunDay.REST: Where.REST_DAY,
}


def weekly(long_day: int, hard: frozenset[int]) -> Kind:
    def kind(day: date) -> RunDay | None:
        if day.weekday() == long_day:
            return RunDay.LONG
        return RunDay.HARD if day.weekday() in hard else None

    return kind


def shift(day: date, days: int) -> date:
    return day + timedelta(days=days)


def hard_week(kind: Kind, monday: date) -> bool:
    return any(kind(shift(monday, i)) is RunDay.HARD for i in range(7))


def open_for_light(schedule: Schedule, kind: Kind, day: date) -> bool:
    race_gap = (schedule.race - day).days
    return (
        day.weekday() in schedule.training_days
        and day >= schedule.first_day
        and race_gap > QUIET_DAYS_BEFORE_RACE
        and kind(shift(day, 1)) is not RunDay.LONG
    )


def open_for_heavy(schedule: Schedule, kind: Kind, day: date) -> bool:
    hard_only = hard_week(kind, day - timedelta(days=day.weekday()))
    return (
        open_for_light(schedule, kind, day)
        and kind(day) is not RunDay.LONG
        and kind(shift(day, -1)) is not RunDay.LONG
        and kind(shift(day, 1)) is not RunDay.HARD
        and (schedule.race - day).days >= schedule.program.last_heavy_days
        and (kind(day) is RunDay.HARD or not hard_only)
    )


def long_run_within(kind: Kind, day: date, hours: int) -> bool:
    """Whether a long run follows `day` by less than `hours` (whole days: 72 h is 3 days)."""
    return any(kind(shift(day, k)) is RunDay.LONG for k in range(1, -(-hours // 24)))


def check_placement(library: Library, schedule: Schedule, kind: Kind) -> None:
    """Every placement rule holds for every session, and every unplaced one says why, truly."""
    heavy_days = sorted(s.day for s in schedule.sessions if library.routine(s.routine).heavy)
    assert all(b - a >= timedelta(days=2) for a, b in pairwise(heavy_days))
    for week in schedule.weeks:
        assert len(week.sessions) + len(week.unplaced) == week.unit.session_count
        for s in week.sessions:
            heavy = library.routine(s.routine).heavy
            opener = open_for_heavy if heavy else open_for_light
            assert opener(schedule, kind, s.day), (s, kind(s.day))
            hours = library.routine(s.routine).hours_before_long_run
            assert not long_run_within(kind, s.day, hours), (s, "too close to the long run")
            check_where(kind, s.day, s.where)
            if not heavy and kind(s.day) is RunDay.HARD:
                assert not easy_room(schedule, kind, week, s.routine), s
        for missed in week.unplaced:
            note = unplaced_note(library, missed)
            check_unplaced(library, schedule, kind, week, note, heavy_days)


def check_where(kind: Kind, day: date, where: Where) -> None:
    run = kind(day)
    if run is not None:
        assert where is WHERE[run]
    elif hard_week(kind, day - timedelta(days=day.weekday())):
        assert where is Where.EASY_OR_REST_DAY
    else:
        assert where is Where.ANY_DAY


def easy_room(schedule: Schedule, kind: Kind, week: Week, routine: str) -> bool:
    """Whether a day that is not hard could still have taken this light routine."""
    for day in (shift(week.monday, i) for i in range(7)):
        held = [s for s in week.sessions if s.day == day]
        if (
            kind(day) is not RunDay.HARD
            and open_for_light(schedule, kind, day)
            and len(held) < 2
            and all(s.routine != routine for s in held)
        ):
            return True
    return False


def check_unplaced(
    library: Library,
    schedule: Schedule,
    kind: Kind,
    week: Week,
    note: str,
    heavy_days: list[date],
) -> None:
    """The note names every training day of the week with a reason, and each reason is true."""
    heavy = "(leg-heavy session)" in note
    name = note.split(" (", 1)[0]
    routine = next(r for r in library.routines.values() if r.name == name)
    hours = routine.hours_before_long_run
    listed = note.split("this week: ", 1)[1].split(". Add a training day", 1)[0]
    reasons = dict(item.split(": ", 1) for item in listed.split("; ") if item != "none")
    days = [shift(week.monday, i) for i in range(7)]
    training = [d for d in days if d.weekday() in schedule.training_days]
    assert list(reasons) == [f"{short_date(d)}" for d in training]
    for day in training:
        reason = reasons[f"{short_date(day)}"]
        truth = {
            "before your start date": day < schedule.first_day,
            "race day or after": day >= schedule.race,
            "too close to the race": (schedule.race - day).days <= QUIET_DAYS_BEFORE_RACE,
            "the day before your long run": kind(shift(day, 1)) is RunDay.LONG,
            f"less than {hours} hours before your long run": long_run_within(kind, day, hours),
            "your long-run day": kind(day) is RunDay.LONG,
            "the day after your long run": kind(shift(day, -1)) is RunDay.LONG,
            "the day before a hard run": kind(shift(day, 1)) is RunDay.HARD,
            "not a hard run day": kind(day) is not RunDay.HARD,
            "within 48 hours of another leg-heavy session": any(
                abs((day - h).days) < 2 for h in heavy_days
            ),
            "already full": not open_for_light(schedule, kind, day)
            or sum(s.day == day for s in week.sessions) >= 2
            or any(s.day == day and s.routine in note for s in week.sessions),
        }
        taper = reason.startswith("inside the last")
        assert taper or truth[reason], (day, reason)
        if taper:
            assert heavy and (schedule.race - day).days < schedule.program.last_heavy_days
        if heavy:
            # The reason is not just true: the day really could not hold the session.
            assert (
                not open_for_heavy(schedule, kind, day)
                or long_run_within(kind, day, hours)
                or any(abs((day - h).days) < 2 for h in heavy_days)
            )


def subsets(most: int) -> list[frozenset[int]]:
    return [frozenset(c) for n in range(most + 1) for c in combinations(range(7), n)]


@pytest.mark.sweep
@pytest.mark.parametrize("long_day", range(7))
def test_every_hard_day_combination_on_every_day(library: Library, long_day: int) -> None:
    for hard in subsets(7):
        request = Request("marathon", RACE, days=EVERY_DAY, long_day=long_day, hard=hard)
        check_placement(library, build(library, request), weekly(long_day, hard))


@pytest.mark.sweep
@pytest.mark.parametrize("distance", [d for d in DISTANCES if d != "marathon"])
@pytest.mark.parametrize("long_day", range(7))
def test_every_small_hard_day_combination_per_distance(
    library: Library, distance: str, long_day: int
) -> None:
    for hard in subsets(2):
        request = Request(distance, RACE, days=EVERY_DAY, long_day=long_day, hard=hard)
        check_placement(library, build(library, request), weekly(long_day, hard))


@pytest.mark.parametrize("long_day", range(7))
def test_every_hard_day_combination_on_the_default_days(library: Library, long_day: int) -> None:
    for hard in subsets(3):
        schedule = build(library, Request("half-marathon", RACE, long_day=long_day, hard=hard))
        check_placement(library, schedule, weekly(long_day, hard))
        usable = {d for d in hard if d not in (long_day, (long_day - 1) % 7)}
        assert usable < schedule.training_days, "hard days are strength days, plus an easy one"


def test_default_days_keep_the_hard_days_and_add_an_easy_one() -> None:
    assert default_days(6, hard=frozenset({1, 3})) == frozenset({0, 1, 3})
    assert default_days(6, hard=frozenset({0, 1, 2, 3})) == frozenset({0, 1, 2, 3, 4})
    assert default_days(6, hard=frozenset({5, 6})) == default_days(6)  # both near the long run


def test_heavy_sessions_follow_the_hard_runs(library: Library) -> None:
    schedule = build(library, Request("marathon", RACE, hard=frozenset({1, 3})))
    heavy = [s for s in schedule.sessions if library.routine(s.routine).heavy]
    assert heavy and {s.day.weekday() for s in heavy} == {1, 3}
    assert {s.where for s in heavy} == {Where.AFTER_HARD_RUN}
    light = [s for s in schedule.sessions if not library.routine(s.routine).heavy]
    assert {s.where for s in light} == {Where.EASY_OR_REST_DAY}


def test_no_hard_days_keep_the_old_placement(library: Library) -> None:
    """Without hard days nothing about a day's run is claimed, and the days stay as they were."""
    plain = build(library, Request("10k", RACE))
    assert {s.where for s in plain.sessions} == {Where.ANY_DAY}
    assert {s.day.weekday() for s in plain.sessions} <= {0, 2, 4}


def test_back_to_back_hard_days_put_heavy_work_on_the_second(library: Library) -> None:
    schedule = build(library, Request("marathon", RACE, days=EVERY_DAY, hard=frozenset({1, 2})))
    heavy = {s.day.weekday() for s in schedule.sessions if library.routine(s.routine).heavy}
    assert heavy == {2}


def test_a_week_without_room_says_which_rule_closed_each_day(library: Library) -> None:
    # Hard only on Saturday, the day before a Sunday long run: no day can take heavy work.
    schedule = build(library, Request("marathon", RACE, days=EVERY_DAY, hard=frozenset({5})))
    week = schedule.weeks[5]
    notes = [unplaced_note(library, u) for u in week.unplaced]
    heavy_notes = [n for n in notes if "(leg-heavy session)" in n]
    assert heavy_notes
    mon, tue, sat, sun = (f"{short_date(shift(week.monday, i))}" for i in (0, 1, 5, 6))
    assert f"{mon}: the day after your long run" in heavy_notes[0]
    assert f"{tue}: not a hard run day" in heavy_notes[0]
    assert f"{sat}: the day before your long run" in heavy_notes[0]
    assert f"{sun}: your long-run day" in heavy_notes[0]


def dated_plan(seed: int, weeks: int = 17) -> dict[date, RunDay]:
    """A made-up running plan whose long run and hard days move from week to week."""
    rng = random.Random(seed)
    monday = RACE - timedelta(days=RACE.weekday(), weeks=weeks - 1)
    plan: dict[date, RunDay] = {}
    for w in range(weeks):
        days = [shift(monday, 7 * w + i) for i in range(7)]
        kinds = [rng.choice((RunDay.EASY, RunDay.REST)) for _ in days]
        for i in rng.sample(range(7), rng.randint(0, 3)):
            kinds[i] = RunDay.HARD
        kinds[rng.randrange(7)] = RunDay.LONG
        plan.update(zip(days, kinds, strict=True))
    return plan


@pytest.mark.parametrize("seed", range(40))
def test_a_running_plan_calendar_drives_placement_date_by_date(library: Library, seed: int) -> None:
    plan = dated_plan(seed)
    request = Request(distance=DISTANCES[seed % 5], race=RACE, run_days=tuple(sorted(plan.items())))
    schedule = build(library, request)
    assert schedule.training_days == EVERY_DAY
    check_placement(library, schedule, plan.__getitem__)


@pytest.mark.sweep
@settings(max_examples=12, deadline=None)
@given(
    st.frozensets(st.integers(0, 6), min_size=1),
    st.integers(0, 6),
    st.frozensets(st.integers(0, 6)),
    st.integers(1, 21),
    st.frozensets(st.integers(-40, 40), max_size=6),
)
@example(EVERY_DAY, 3, frozenset(), 10, frozenset())
def test_each_weeks_open_days_are_those_no_rule_closes(
    days: frozenset[int],
    long_day: int,
    hard: frozenset[int],
    last_heavy_days: int,
    paused: frozenset[int],
) -> None:
    """Answers kept per kind of week are each week's own: the rules read nothing else of a date."""
    runs = WeeklyRuns(long_day, hard)
    for race_day, start, after in itertools.product(range(7), range(-13, 0), (False, True)):
        race = RACE + timedelta(days=race_day)
        stop = frozenset(race + timedelta(days=d) for d in paused)
        start_day = race + timedelta(days=start * 3)
        rules = Rules(days, runs, race, start_day, last_heavy_days, after, stop)
        first = race - timedelta(days=race.weekday() + 7 * 9)
        for weeks, heavy, hours in itertools.product(range(13), (False, True), (0, 72, 96)):
            monday = first + timedelta(weeks=weeks)
            week = [monday + timedelta(days=i) for i in range(7)]
            assert rules.open_days(monday, heavy, hours) == tuple(
                day for day in week if not rules.broken(day, heavy, hours)
            ), monday


DEMANDS = [
    Demand("w/squat/1", "squat", True),
    Demand("w/squat/2", "squat", True),
    Demand("w/hops/1", "hops", True),
    Demand("w/nordic/1", "nordic", True, 72),
    Demand("w/downhill/1", "downhill", False, 96),
    Demand("w/core/1", "core", False),
    Demand("w/core/2", "core", False),
    Demand("w/hips/1", "hips", False),
]


@settings(max_examples=25, deadline=None)
@given(
    st.frozensets(st.integers(0, 6), min_size=1),
    st.integers(0, 6),
    st.frozensets(st.integers(0, 6)),
    st.integers(1, 21),
    st.booleans(),
    st.lists(st.sampled_from(DEMANDS), unique=True, max_size=5),
    st.frozensets(st.integers(-40, 40), max_size=4),
)
@example(EVERY_DAY, 2, frozenset(), 10, False, DEMANDS[:4], frozenset())
@example(EVERY_DAY, 6, frozenset(), 10, False, [DEMANDS[3], DEMANDS[0]], frozenset())
def test_weeks_placed_alike_in_other_plans_are_placed_as_if_afresh(
    days: frozenset[int],
    long_day: int,
    hard: frozenset[int],
    last_heavy_days: int,
    after_race: bool,
    demands: list[Demand],
    paused: frozenset[int],
) -> None:
    """Placements kept across weeks and plans are each week's own, also where another unit's
    week asking for the same sessions (other slots) was placed first."""
    twins = [replace(d, slot=f"other/{d.slot}") for d in demands]
    race = RACE + timedelta(days=last_heavy_days % 7)
    stop = frozenset(race + timedelta(days=d) for d in paused)
    first = race - timedelta(days=race.weekday() + 7 * 5)
    for runs, offset in itertools.product(
        (WeeklyRuns(long_day, hard), WeeklyRuns(long_day)), (None, *range(-3, 8))
    ):
        rules = Rules(
            days, runs, race, race - timedelta(weeks=7), last_heavy_days, after_race, stop
        )
        fresh = replace(rules)
        for monday in (first + timedelta(weeks=n) for n in range(7)):
            heavy_day = None if offset is None else monday + timedelta(days=offset)
            theirs = place_week(monday, twins, rules, heavy_day)
            got = place_week(monday, demands, rules, heavy_day)
            assert got == _place(monday, demands, fresh, heavy_day), monday
            assert theirs == _place(monday, twins, fresh, heavy_day), monday


def test_plans_that_differ_in_one_rule_share_no_open_days() -> None:
    """Open days kept for one plan's rules are never another's: each plan reads its own."""
    grid = itertools.product(
        (EVERY_DAY, frozenset({0, 2, 4})), (frozenset(), frozenset({1})), (3, 12), (False, True)
    )
    for days, hard, last_heavy_days, after in grid:
        rules = Rules(
            days, WeeklyRuns(6, hard), RACE, RACE - timedelta(weeks=12), last_heavy_days, after
        )
        for weeks, heavy in itertools.product(range(-14, 4), (False, True)):
            monday = RACE - timedelta(days=RACE.weekday()) + timedelta(weeks=weeks)
            week = [monday + timedelta(days=i) for i in range(7)]
            expected = tuple(day for day in week if not rules.broken(day, heavy))
            assert rules.open_days(monday, heavy) == expected, (days, hard, last_heavy_days, monday)


# Eccentric routines and the days they keep before a long run (72 h, as their own text says).
SPACED = {"nordic-hamstring": 3, "eccentric-quads": 3}


@pytest.mark.sweep
@pytest.mark.parametrize("distance", DISTANCES)
@pytest.mark.parametrize("level", ["new", "experienced"])
def test_eccentric_sessions_keep_three_days_before_the_long_run(
    library: Library, distance: str, level: str
) -> None:
    """Nordics never land 48 h before the long run, whatever the long-run, training or hard days."""
    seen = 0
    for long_day, hard in itertools.product(range(7), subsets(2)):
        for days in (None, EVERY_DAY):
            request = Request(distance, RACE, days=days, long_day=long_day, hard=hard, level=level)
            for s in build(library, request).sessions:
                gap = SPACED.get(s.routine, 0)
                seen += bool(gap)
                near = [shift(s.day, k) for k in range(1, gap)]
                assert all(d.weekday() != long_day for d in near), (request, s)
    assert seen or distance in ("10k", "half-marathon")


def test_the_routines_ask_for_the_gap_placement_keeps(library: Library) -> None:
    for slug, days in SPACED.items():
        assert library.routine(slug).hours_before_long_run == 24 * days


def test_a_week_that_cannot_keep_the_gap_says_so(library: Library) -> None:
    # Friday is the only training day: 48 h before a Sunday long run.
    schedule = build(library, Request("marathon", RACE, days=frozenset({4})))
    week = next(w for w in schedule.weeks if w.unit.number == 6)
    assert not [s for s in week.sessions if s.routine == "nordic-hamstring"]
    notes = [unplaced_note(library, u) for u in week.unplaced]
    note = next(n for n in notes if n.startswith("Nordic Hamstring Progression"))
    friday = short_date(shift(week.monday, 4))
    assert f"{friday}: less than 72 hours before your long run" in note


@pytest.mark.sweep
@pytest.mark.parametrize("distance", sorted({"5k", "marathon", "ultra"}))
@pytest.mark.parametrize("long_day", range(7))
def test_every_training_day_set_keeps_every_rule(
    library: Library, distance: str, long_day: int
) -> None:
    """The rules, the eccentric gap among them, hold on every set of training days."""
    for days in (frozenset(c) for n in range(1, 8) for c in combinations(range(7), n)):
        # No hard day, and one hard day where it is a training day.
        for hard in {frozenset(), frozenset({(long_day + 3) % 7}) & days}:
            request = Request(distance, RACE, days=days, long_day=long_day, hard=hard)
            check_placement(library, build(library, request), weekly(long_day, hard))


def test_a_nordic_moved_to_48_hours_before_the_long_run_stays_put(library: Library) -> None:
    plain = build(library, Request("marathon", RACE))
    week = next(w for w in plain.weeks if w.unit.number == 6)
    nordic = next(s for s in week.sessions if s.routine == "nordic-hamstring")
    friday = shift(week.monday, 4)
    moved = build(
        library, Request("marathon", RACE, adjust=NO_CHANGES.with_move(nordic.slot, friday))
    )
    after = next(w for w in moved.weeks if w.unit.number == 6)
    assert [s.day for s in after.sessions if s.slot == nordic.slot] == [nordic.day]
    assert refusal_text(dict(after.refused)[nordic.slot]) == (
        f"{friday:%a} {friday.day} {friday:%b} is less than 72 hours before your long run"
    )


def test_kept_closures_are_plain_values_and_read_as_the_rules_that_close_each_day() -> None:
    """Plans with the same training days and runs share what closes each day of a kind of week:
    kept as plain values (a worker keeps some 10,000), read back as the rules themselves."""
    days = frozenset({0, 2, 4})
    rules = Rules(days, WeeklyRuns(6, frozenset({1})), RACE, RACE - timedelta(weeks=16), 10)
    monday = RACE - timedelta(days=RACE.weekday() + 7)
    closures = rules.closures(monday, True)
    expected = tuple((i, rules.closed(monday + timedelta(days=i), True)) for i in (0, 2, 4))
    assert closures == expected and all(r is None or isinstance(r, Closed) for _, r in closures)
    assert rules.open_offsets(monday, True) == tuple(i for i, r in expected if r is None)
    # After Sunday's long run, not Tuesday's hard run, and inside the taper (the race week's).
    assert [r for _, r in closures] == [Closed.AFTER_LONG_RUN, Closed.EASY_DAY, Closed.TAPER]
    for _level in range(3):  # a collection untracks one level of plain tuples
        gc.collect()
    assert not any(gc.is_tracked(kept) for kept in rules._known_closures.values())


def test_equal_rules_and_demands_name_their_kind_with_one_number() -> None:
    """Kept placements name what makes rules alike, and a week's demands, by a number the
    garbage collector does not walk, however many plans have them; those that differ are told
    apart."""
    runs = WeeklyRuns(6, frozenset({1}))
    days = frozenset({0, 2, 4})
    one = Rules(days, runs, RACE, RACE - timedelta(weeks=16), 10)
    other = Rules(days, WeeklyRuns(6, frozenset({1})), RACE + timedelta(weeks=3), RACE, 10)
    assert type(one.alike) is int and one.alike == other.alike
    assert Rules(days, runs, RACE, RACE, 11).alike != one.alike
    monday = RACE - timedelta(days=RACE.weekday() + 7 * 4)
    later = Rules(days, runs, RACE + timedelta(weeks=3), RACE - timedelta(weeks=13), 10)
    kind = kind_of_placement(monday, DEMANDS[:3], one, None)
    again = kind_of_placement(monday + timedelta(weeks=3), list(DEMANDS[:3]), later, None)
    for _level in range(3):  # a collection untracks one level of plain tuples
        gc.collect()
    assert kind == again and not gc.is_tracked(kind)
    assert kind_of_placement(monday, DEMANDS[:2], one, None) != kind
