"""Lay a program out backward from race day (pure: every date is an argument)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import Enum
from itertools import combinations
from typing import NamedTuple

from .adapt import MAX_WEEKS, Arrangement, arrange, shortest_program
from .adjustments import NO_CHANGES, Adjustments, Pause
from .cache import Kept, Numbered
from .dates import long_date
from .errors import Impossible
from .i18n import _
from .placement import (
    DAYS,
    Closed,
    DatedRuns,
    Demand,
    Placed,
    Rules,
    RunDay,
    Runs,
    WeeklyRuns,
    Where,
    apart,
    kind_of_placement,
    place_week,
    profile,
    weekly_facts,
)
from .plans import (
    MIN_FOUNDATION_WEEKS,
    PROGRAM_WEEKS,
    RAMP_RIR,
    Library,
    Prescription,
    Program,
    Ramp,
    Unit,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The English names a runner may type for a day (parsing); text shows `dates.weekday_names()`.
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_LONG_DAY = 6
DEFAULT_DAY_COUNT = 3


@dataclass(frozen=True)
class Request:
    """What the runner asked for; dates already validated."""

    distance: str
    race: date
    start: date | None = None
    days: frozenset[int] | None = None
    long_day: int = DEFAULT_LONG_DAY
    # The runner's kit (gym, home or none) and lifting experience (new or experienced): they
    # choose each session's variant, never its slot, so UIDs stay put when they change.
    equipment: str = "gym"
    level: str = "experienced"
    # Weekdays the runner named hard (intervals, tempo, race pace); none: today's placement.
    hard: frozenset[int] = frozenset()
    # A running plan's calendar, date by date; it overrides `long_day`/`hard` over its span.
    run_days: tuple[tuple[date, RunDay], ...] = ()
    # The runner's moves, skips and pauses (managed plans).
    adjust: Adjustments = NO_CHANGES

    def runs(self) -> Runs:
        """The runner's running, date by date."""
        weekly = WeeklyRuns(self.long_day, self.hard)
        return DatedRuns(self.run_days, weekly) if self.run_days else weekly


class Session(NamedTuple):
    """One placed session (a named tuple, built in a third of a frozen dataclass's time: a
    schedule has 40-130)."""

    slot: str
    routine: str
    day: date
    number: int
    of: int
    # The program's own note for the session (the words say it with the ramp and any move).
    note: str
    where: Where = Where.ANY_DAY
    # Leg-heavy (48 h apart, out of the taper), as the routine says.
    heavy: bool = False
    # A new lifter's technique week, as the week's prescription says.
    ramp: Ramp = Ramp.NONE
    # Moved at the runner's request (None: where placement put it).
    moved: Moved | None = None


@dataclass(frozen=True)
class Moved:
    """A session the runner moved, and the day it was on before (None: it had none)."""

    was: date | None


class Refused(Enum):
    """Why a runner's move was refused."""

    OUTSIDE_WEEK = "outside week"  # the day is outside the session's week
    RULE = "rule"  # the day breaks a rule a move may not override (`Refusal.rule`)
    NEAR_HEAVY = "near heavy"  # within 48 hours of another leg-heavy session


@dataclass(frozen=True)
class Refusal:
    """A move that breaks a rule: the day asked for, the session's week and the rule."""

    why: Refused
    day: date
    monday: date
    rule: Closed | None = None
    # The session's least gap before a long run, and the days kept free of heavy work before the
    # race: what the rule's words need.
    hours: int = 0
    last_heavy_days: int = 0


class ChangeKind(Enum):
    """What a runner's move, skip or pause did to a week."""

    SKIPPED = "skipped"
    MOVED = "moved"
    NOT_MOVED = "not moved"
    PAUSED = "paused"


@dataclass(frozen=True)
class Change:
    """One change the runner asked for, as facts: the routine (slug), days, refusal or pause."""

    kind: ChangeKind
    routine: str = ""
    to: date | None = None
    was: date | None = None
    refusal: Refusal | None = None
    pause: Pause | None = None


@dataclass(frozen=True)
class Unplaced:
    """A session that did not fit its week, and why each of the week's training days was closed."""

    demand: Demand
    # Each training day with the rule that closed it; None: the day was taken (already full, or
    # within 48 hours of another leg-heavy session for a leg-heavy one).
    reasons: tuple[tuple[date, Closed | None], ...]
    # The days before the race kept free of heavy work (for the taper rule's words).
    last_heavy_days: int


@dataclass(frozen=True)
class Week:
    unit: Unit
    index: int
    monday: date
    unlock: date
    sessions: tuple[Session, ...]
    # The sessions that did not fit, each with what closed each training day.
    unplaced: tuple[Unplaced, ...]
    # What the runner's moves, skips and pauses changed.
    changes: tuple[Change, ...] = ()
    # Moves that break a rule, by slot, with the rule; those sessions stay where placement put them.
    refused: tuple[tuple[str, Refusal], ...] = ()
    # Its kind, as a number: weeks of one kind are weeks of one unit with the same sessions on
    # the same weekdays and the same unplaced ones (each training day closed by the same rule),
    # so what a week says can be kept by it. None: a week the runner's moves or a running plan's
    # dates placed. Not part of what the week is (equality).
    kind: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Schedule:
    program: Program
    request: Request
    first_day: date
    weeks: tuple[Week, ...]
    arrangement: Arrangement
    training_days: frozenset[int]
    # The weeks after race week: recovery, then optional maintenance.
    after: tuple[Week, ...] = ()

    @property
    def race(self) -> date:
        return self.request.race

    @property
    def all_weeks(self) -> tuple[Week, ...]:
        """Every week in calendar order, the weeks after the race included."""
        return self.weeks + self.after

    @property
    def sessions(self) -> tuple[Session, ...]:
        return tuple(s for w in self.weeks for s in w.sessions)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def first_monday(start: date) -> date:
    """The Monday the program starts on: `start` itself or the next Monday."""
    return start + timedelta(days=-start.weekday() % 7)


def default_days(
    long_day: int, count: int = DEFAULT_DAY_COUNT, hard: frozenset[int] = frozenset()
) -> frozenset[int]:
    """Training days spread most evenly around the long run and the day before it.

    Every hard day that can hold strength is one of them, and at least one easy day besides.
    """
    allowed = [d for d in range(7) if d not in (long_day, (long_day - 1) % 7)]
    must = hard.intersection(allowed)
    count = min(max(count, len(must) + 1), len(allowed))

    def spread(days: Iterable[int]) -> tuple[int, ...]:
        days = tuple(days)
        gaps = [(b - a) % 7 or 7 for a, b in zip(days, (*days[1:], days[0]), strict=True)]
        return (min(gaps), *(-d for d in days))

    options = [c for c in combinations(allowed, count) if must.issubset(c)]
    return frozenset(max(options, key=spread))


def _default_days(request: Request) -> frozenset[int]:
    """A running plan moves its hard days week by week, so every day may hold strength."""
    if request.run_days:
        return frozenset(range(7))
    return default_days(request.long_day, hard=request.hard)


def available_weeks(start: date, race: date) -> int:
    """Whole Monday-to-Sunday weeks from `start` to the week holding race day."""
    return (monday_of(race) - first_monday(start)).days // 7 + 1


def build(library: Library, request: Request, *, after_race: bool = True) -> Schedule:
    """Schedule the request's program backward from race day, and its weeks after the race
    (without `after_race`, none: the plan page shows the program's weeks only)."""
    program = library.programs[request.distance]
    weeks_count = _weeks_count(request)
    arrangement, units = _UNITS.get(
        (library, program),
        (weeks_count, request.level),
        lambda: _units_of(library, program, weeks_count, request.level),
    )
    week1 = monday_of(request.race) - timedelta(weeks=weeks_count - 1)
    first_day = request.start or week1 - timedelta(days=1)
    days = request.days or _default_days(request)
    rules = Rules(
        days,
        request.runs(),
        request.race,
        max(first_day, week1),
        program.last_heavy_days,
        paused=request.adjust.paused(),
    )
    weeks = _weeks(library, units, 1, week1, rules, first_day, request.adjust)
    if not after_race:
        return Schedule(program, request, first_day, weeks, arrangement, days)
    after_rules = replace(rules, after_race=True)
    after = _weeks(
        library,
        program.after,
        len(weeks) + 1,
        monday_of(request.race) + timedelta(7),
        after_rules,
        first_day,
        request.adjust,
    )
    return Schedule(program, request, first_day, weeks, arrangement, days, after)


def _units_of(
    library: Library, program: Program, weeks: int, level: str
) -> tuple[Arrangement, tuple[Unit, ...]]:
    """The program fitted to `weeks` and its units in order, a new lifter's ramped."""
    heavy = {slug for slug, routine in library.routines.items() if routine.heavy}
    arrangement = arrange(program, weeks, heavy)
    return arrangement, _ramped(program, arrangement.units, level, heavy)


# Every plan as long, for a lifter as experienced, has the same units: kept, so that lead-in
# and ramped units are not built (and hashed, walking every prescription) again for each plan.
_UNITS: Kept[tuple[Arrangement, tuple[Unit, ...]]] = Kept(1024)


def _weeks(
    library: Library,
    units: tuple[Unit, ...],
    first_index: int,
    first_monday: date,
    rules: Rules,
    first_day: date,
    adjust: Adjustments,
) -> tuple[Week, ...]:
    """Place consecutive weeks, carrying the last heavy day across them."""
    weeks = []
    last_heavy: date | None = None
    for offset, unit in enumerate(units):
        monday = first_monday + timedelta(weeks=offset)
        week, heaviest = _week(
            library, unit, first_index + offset, monday, rules, last_heavy, first_day
        )
        if adjust:
            week = adjusted(library, week, rules, last_heavy, adjust)
            heaviest = _heaviest(library, week.sessions)
        weeks.append(week)
        if heaviest is not None:
            last_heavy = heaviest
    return tuple(weeks)


def _heaviest(library: Library, sessions: tuple[Session, ...]) -> date | None:
    """The last day of these sessions with heavy work (None: none has any)."""
    return max((s.day for s in sessions if library.routine(s.routine).heavy), default=None)


def _ramped(
    program: Program, units: tuple[Unit, ...], level: str, heavy: set[str]
) -> tuple[Unit, ...]:
    """New lifters' first weeks with heavy work: targets at RAMP_RIR or more reps in reserve."""
    if level != "new":
        return units
    out, ramped = [], 0
    for unit in units:
        if ramped < program.ramp_weeks and any(p.routine in heavy for p in unit.sessions):
            unit, ramped = _ramp_unit(unit, heavy), ramped + 1
        out.append(unit)
    return tuple(out)


def _ramp_unit(unit: Unit, heavy: set[str]) -> Unit:
    return replace(unit, sessions=tuple(_ramp(p, heavy) for p in unit.sessions))


def _ramp(p: Prescription, heavy: set[str]) -> Prescription:
    """A heavy session's technique week: its target at RAMP_RIR or more reps in reserve, or,
    without a target, every set stopped there."""
    if p.routine not in heavy:
        return p
    if p.rir is None:
        return replace(p, ramp=Ramp.STOP)
    return replace(p, rir=max(p.rir, RAMP_RIR), ramp=Ramp.RESERVE)


def _weeks_count(request: Request) -> int:
    """Whole weeks from the start to race week (fewer than the shortest program: a short plan)."""
    if request.start is None:
        return PROGRAM_WEEKS
    if request.race < request.start:
        raise Impossible(
            _(
                "Your race, %(race)s, comes before your start day, %(start)s: choose a start day"
                " on or before race day.",
                race=long_date(request.race),
                start=long_date(request.start),
            ),
            field="race",
        )
    count = available_weeks(request.start, request.race)
    if count > MAX_WEEKS:
        latest = monday_of(request.race) - timedelta(weeks=MAX_WEEKS - 1)
        raise Impossible(
            _(
                "Starting on %(start)s gives %(count)s weeks before the race, more than the"
                " %(most)s a plan runs: start on or after %(latest)s.",
                start=long_date(request.start),
                count=count,
                most=MAX_WEEKS,
                latest=long_date(latest - timedelta(days=6)),
            ),
            field="start",
        )
    # A start late in race week still gets race week (its sessions from the start on).
    return max(count, 1)


def _week(
    library: Library,
    unit: Unit,
    index: int,
    monday: date,
    rules: Rules,
    last_heavy: date | None,
    first_day: date,
) -> tuple[Week, date | None]:
    """The week of `unit` from `monday`, and its last day with heavy work (`_heaviest`)."""
    unlock = max(monday - timedelta(days=1), first_day)
    if not isinstance(rules.runs, WeeklyRuns):  # a running plan's dates: placed as they come
        demands = _demands(library, unit)
        placed, unplaced = place_week(monday, demands, rules, last_heavy)
        sessions, notes = _filled(library, unit, monday, rules, placed, unplaced)
        return Week(unit, index, monday, unlock, sessions, notes), _heaviest(library, sessions)
    # Named as `kind_of_placement` names the placing, with the unit's number: the sessions'
    # profile kept with their demands, so that a kept week builds no key of its sessions.
    unit_key = unit_number(unit)
    demands, sessions_read = _unit_places(library, unit)
    key = (unit_key, sessions_read, *weekly_facts(monday, rules, last_heavy))
    kept = _FILLED.get(key)
    if kept is None:
        placing = kind_of_placement(monday, demands, rules, last_heavy)
        placed, unplaced = place_week(monday, demands, rules, last_heavy, kind=placing)
        sessions, notes = _filled(library, unit, monday, rules, placed, unplaced)
        filled = _offsets(monday, demands, sessions, notes)
        heaviest = _heaviest(library, sessions)
        # Placings that read differently can fill a week alike: one kind for them all.
        kind = _kinds((unit_key, filled))
        kept = filled, kind, None if heaviest is None else (heaviest - monday).days
        if len(_FILLED) >= FILLED_KEPT:
            _FILLED.clear()
        _FILLED[key] = kept
    else:
        filled, kind, offset = kept
        sessions, notes = _dated(monday, demands, filled)
        heaviest = None if offset is None else monday + DAYS[offset]
    return Week(unit, index, monday, unlock, sessions, notes, kind=kind), heaviest


# A kind of week's sessions and unplaced ones as plain values (the garbage collector stops
# walking them), each day an offset from Monday: (slot, routine, offset, number, of, note, where,
# heavy, ramp) per session, (demand index, (offset, rule name) per day, last heavy days) per
# unplaced one.
Filled = tuple[
    tuple[tuple[str, str, int, int, int, str, str, bool, str], ...],
    tuple[tuple[int, tuple[tuple[int, str | None], ...], int], ...],
]


def _offsets(
    monday: date,
    demands: tuple[Demand, ...],
    sessions: tuple[Session, ...],
    notes: tuple[Unplaced, ...],
) -> Filled:
    placed = tuple(session_facts(s, monday) for s in sessions)
    unplaced = tuple(
        (
            demands.index(u.demand),
            tuple(((day - monday).days, None if r is None else r.name) for day, r in u.reasons),
            u.last_heavy_days,
        )
        for u in notes
    )
    return placed, unplaced


def session_facts(s: Session, monday: date) -> tuple[str, str, int, int, int, str, str, bool, str]:
    """A session as plain values, its day an offset from `monday` (kinds of week, kept weeks'
    keys); enum values read as the members' own attribute (`.value` is a descriptor written in
    Python)."""
    offset = (s.day - monday).days
    return (
        s.slot,
        s.routine,
        offset,
        s.number,
        s.of,
        s.note,
        s.where._value_,
        s.heavy,
        s.ramp._value_,
    )


def _dated(
    monday: date, demands: tuple[Demand, ...], kept: Filled
) -> tuple[tuple[Session, ...], tuple[Unplaced, ...]]:
    """A kind of week's sessions and unplaced ones (`_offsets`) in the week from `monday`."""
    sessions = tuple(
        Session(
            slot, routine, monday + DAYS[day], number, of, note, WHERE[where], heavy, RAMP[ramp]
        )
        for slot, routine, day, number, of, note, where, heavy, ramp in kept[0]
    )
    notes = tuple(
        Unplaced(
            demands[i],
            tuple((monday + DAYS[day], None if r is None else Closed[r]) for day, r in reasons),
            last,
        )
        for i, reasons, last in kept[1]
    )
    return sessions, notes


WHERE = {w._value_: w for w in Where}
RAMP = {r._value_: r for r in Ramp}
# How weeks were filled, by their unit's number and what placing them read besides (`weekly_facts`),
# with their kind's number (the unit's and the filling's) and their last heavy day's offset from
# Monday: about 1 kB each kept with its key, 32 MB at most.
FILLED_KEPT = 32768
_FILLED: dict[tuple[Hashable, ...], tuple[Filled, int, int | None]] = {}
_kinds = Numbered(FILLED_KEPT)
# Units by number in the keys of kinds of week and of kept texts (`events`): plan data's, and
# those built per plan (lead-in, ramped) by value, a few thousand.
unit_number = Numbered(4096)


def _demands(library: Library, unit: Unit) -> tuple[Demand, ...]:
    """The sessions a week of `unit` places (the same for every plan: kept)."""
    return _unit_places(library, unit)[0]


def _unit_places(library: Library, unit: Unit) -> tuple[tuple[Demand, ...], int]:
    """A unit's demands and what placing reads of them (kept)."""
    return _DEMANDS.get((library,), (unit,), lambda: _unit_demands(library, unit))


def _unit_demands(library: Library, unit: Unit) -> tuple[tuple[Demand, ...], int]:
    """A unit's demands, and what placing reads of them (`placement.profile`)."""
    demands = tuple(
        _demand(library, f"{unit.key}/{p.routine}/{n}", p.routine)
        for p in unit.sessions
        for n in range(1, p.times + 1)
    )
    return demands, profile(demands)


# Units are few (programs' weeks, ramped copies): a week's demands kept by unit.
_DEMANDS: Kept[tuple[tuple[Demand, ...], int]] = Kept(1024)


def forget() -> None:
    """Drop every kept week's demands and kind of week (the benchmark's start-up state)."""
    _DEMANDS.clear()
    _UNITS.clear()
    _FILLED.clear()
    _kinds.clear()
    unit_number.clear()


def _demand(library: Library, slot: str, slug: str) -> Demand:
    """A session to place, with its routine's load and gap before the long run (a new lifter's
    stand-in keeps the gap its slot asks for, or its own if longer)."""
    routine = library.routine(slug)
    stand_in = library.for_level(slug, "new")
    hours = max(routine.hours_before_long_run, stand_in.hours_before_long_run)
    return Demand(slot, slug, routine.heavy, hours)


def _filled(
    library: Library,
    unit: Unit,
    monday: date,
    rules: Rules,
    placed: list[Placed],
    unplaced: list[Demand],
) -> tuple[tuple[Session, ...], tuple[Unplaced, ...]]:
    """A week's placed sessions, numbered by date, and the facts of each that did not fit."""
    given = {p.routine: p for p in unit.sessions}
    sessions = tuple(
        _session(p, i, len(placed), given[p.demand.routine], rules.where(p.day))
        for i, p in enumerate(placed, 1)
    )
    return sessions, tuple(_unplaced(d, monday, rules) for d in unplaced)


# Rules a runner's own move may override: their week, their choice.
OVERRIDABLE = {Closed.NOT_TRAINING_DAY, Closed.EASY_DAY}


def adjusted(
    library: Library, week: Week, rules: Rules, last_heavy: date | None, adjust: Adjustments
) -> Week:
    """The week re-placed around the runner's moves and without their skips, saying what changed.

    A move that breaks a rule is refused (the session stays where placement puts it) and said so.
    """
    demands = _demands(library, week.unit)
    pauses = [p for p in adjust.pauses if p.start <= week.monday + timedelta(6)]
    pauses = [p for p in pauses if p.last >= week.monday]
    touched = [d for d in demands if d.slot in adjust.skips or adjust.moved_to(d.slot)]
    if not touched and not pauses:
        return week
    kept = [d for d in demands if d.slot not in adjust.skips]
    pinned, refused = _pins(kept, week.monday, rules, last_heavy, adjust)
    pinned_slots = {p.demand.slot for p in pinned}
    free = [d for d in kept if d.slot not in pinned_slots]
    placed, unplaced = place_week(week.monday, free, rules, last_heavy, pinned)
    before = {s.slot: s.day for s in week.sessions}
    changes = [Change(ChangeKind.PAUSED, pause=p) for p in pauses]
    changes += [_change(d, adjust, before, dict(refused)) for d in touched]
    new, notes = _filled(library, week.unit, week.monday, rules, placed, unplaced)
    sessions = tuple(_moved(s, before) if s.slot in pinned_slots else s for s in new)
    return replace(
        week,
        sessions=sessions,
        unplaced=notes,
        changes=tuple(changes),
        refused=tuple(refused),
        kind=None,
    )


def _pins(
    demands: list[Demand],
    monday: date,
    rules: Rules,
    last_heavy: date | None,
    adjust: Adjustments,
) -> tuple[list[Placed], list[tuple[str, Refusal]]]:
    """The moves that keep every rule, as placed sessions; the others with the rule they break."""
    pinned: list[Placed] = []
    refused: list[tuple[str, Refusal]] = []
    for demand in demands:
        to = adjust.moved_to(demand.slot)
        if to is None:
            continue
        heavy = [p.day for p in pinned if p.demand.heavy] + ([last_heavy] if last_heavy else [])
        why = move_blocker(demand.heavy, to, monday, rules, heavy, demand.hours_before_long_run)
        if why:
            refused.append((demand.slot, why))
        else:
            pinned.append(Placed(demand, to))
    return pinned, refused


def move_blocker(
    heavy: bool, to: date, monday: date, rules: Rules, heavy_days: list[date], hours: int = 0
) -> Refusal | None:
    """Why a session (that needs `hours` before a long run) cannot be moved to `to`, or None."""
    if not monday <= to <= monday + timedelta(days=6):
        return Refusal(Refused.OUTSIDE_WEEK, to, monday)
    broken = [rule for rule in rules.broken(to, heavy, hours) if rule not in OVERRIDABLE]
    if broken:
        return Refusal(Refused.RULE, to, monday, broken[0], hours, rules.last_heavy_days)
    if heavy and not apart(to, heavy_days):
        return Refusal(Refused.NEAR_HEAVY, to, monday)
    return None


def _moved(session: Session, before: dict[str, date]) -> Session:
    """The session marked as moved at the runner's request, from its day before, if it had one."""
    return session._replace(moved=Moved(before.get(session.slot)))


def _change(
    demand: Demand, adjust: Adjustments, before: dict[str, date], refused: dict[str, Refusal]
) -> Change:
    to = adjust.moved_to(demand.slot)
    if to is None:
        return Change(ChangeKind.SKIPPED, demand.routine)
    if demand.slot in refused:
        return Change(ChangeKind.NOT_MOVED, demand.routine, to, refusal=refused[demand.slot])
    return Change(ChangeKind.MOVED, demand.routine, to, was=before.get(demand.slot))


def _session(placed: Placed, number: int, of: int, given: Prescription, where: Where) -> Session:
    d = placed.demand
    note, ramp = given.note, given.ramp
    return Session(d.slot, d.routine, placed.day, number, of, note, where, d.heavy, ramp)


def _unplaced(demand: Demand, monday: date, rules: Rules) -> Unplaced:
    """Which rule closed each training day of the week, so the runner can choose a fix."""
    closures = rules.closures(monday, demand.heavy, demand.hours_before_long_run)
    reasons = tuple((monday + timedelta(days=i), rule) for i, rule in closures)
    return Unplaced(demand, reasons, rules.last_heavy_days)


class Fit(Enum):
    """How the program was fitted to the runner's weeks."""

    FULL = "full"  # the 16 weeks as written
    LEFT_OUT = "left out"  # fewer weeks: some middle weeks left out
    LEAD_IN = "lead in"  # more weeks: light lead-in weeks first
    SHORT = "short"  # fewer than a full build needs: maintenance, taper and race week


@dataclass(frozen=True)
class Adaptation:
    """The facts of how the program was fitted to the runner's weeks, for the words to say."""

    fit: Fit
    # The weeks the plan has before and in race week, and the program's full length.
    weeks: int
    full: int
    # The weekday of a start that is not a Monday, and the Monday week 1 begins on.
    start_weekday: int | None
    week1: date
    # Where the program itself begins: after any lead-in weeks.
    program_monday: date
    # The weeks left out, by phase, in program order.
    left_out: tuple[tuple[str, int], ...] = ()
    kept_foundation: int = MIN_FOUNDATION_WEEKS
    # Lead-in (or, in a short plan, maintenance) weeks, and where the program itself begins.
    lead_in: int = 0
    program_week: int = 1
    # A short plan: the shortest full build, and whether its taper keeps a heavy session.
    shortest: int = 0
    heavy_taper: bool = False


def adaptation(schedule: Schedule) -> Adaptation:
    """How the program was fitted to the runner's weeks, as facts."""
    start = schedule.request.start
    arrangement = schedule.arrangement
    weeks = schedule.weeks
    lead = arrangement.lead_in
    facts = Adaptation(
        Fit.FULL,
        len(weeks),
        PROGRAM_WEEKS,
        start.weekday() if start is not None and start.weekday() != 0 else None,
        weeks[0].monday,
        weeks[0].monday,
        lead_in=lead,
    )
    if arrangement.short:
        heavy = len(weeks) > 1 and any(s.heavy for s in weeks[-2].sessions)
        return replace(
            facts, fit=Fit.SHORT, shortest=shortest_program(schedule.program), heavy_taper=heavy
        )
    if arrangement.dropped:
        return replace(facts, fit=Fit.LEFT_OUT, left_out=_left_out(schedule))
    if lead:
        first = weeks[lead]
        return replace(
            facts, fit=Fit.LEAD_IN, program_week=first.index, program_monday=first.monday
        )
    return facts


def _left_out(schedule: Schedule) -> tuple[tuple[str, int], ...]:
    """The weeks left out, counted by phase in program order."""
    dropped = schedule.arrangement.dropped
    phases: dict[str, int] = {}
    for unit in schedule.program.weeks:
        if unit.number in dropped:
            phases[unit.phase] = phases.get(unit.phase, 0) + 1
    return tuple(phases.items())
