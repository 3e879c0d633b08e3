"""Lay a program out backward from race day (pure: every date is an argument)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations

from .adapt import MAX_WEEKS, Arrangement, arrange, shortest_program
from .errors import Impossible
from .placement import Demand, Placed, Rules, place_week
from .plans import PROGRAM_WEEKS, Library, Program, Unit

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
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


@dataclass(frozen=True)
class Session:
    slot: str
    routine: str
    day: date
    number: int
    of: int
    note: str


@dataclass(frozen=True)
class Week:
    unit: Unit
    index: int
    monday: date
    unlock: date
    sessions: tuple[Session, ...]
    unplaced: tuple[str, ...]


@dataclass(frozen=True)
class Schedule:
    program: Program
    request: Request
    first_day: date
    weeks: tuple[Week, ...]
    arrangement: Arrangement
    training_days: frozenset[int]

    @property
    def race(self) -> date:
        return self.request.race

    @property
    def sessions(self) -> tuple[Session, ...]:
        return tuple(s for w in self.weeks for s in w.sessions)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def first_monday(start: date) -> date:
    """The Monday the program starts on: `start` itself or the next Monday."""
    return start + timedelta(days=-start.weekday() % 7)


def default_days(long_day: int, count: int = DEFAULT_DAY_COUNT) -> frozenset[int]:
    """The `count` training days spread most evenly around the long run and the day before it."""
    allowed = [d for d in range(7) if d not in (long_day, (long_day - 1) % 7)]

    def spread(days: Iterable[int]) -> tuple[int, ...]:
        days = tuple(days)
        gaps = [(b - a) % 7 or 7 for a, b in zip(days, (*days[1:], days[0]), strict=True)]
        return (min(gaps), *(-d for d in days))

    return frozenset(max(combinations(allowed, count), key=spread))


def available_weeks(start: date, race: date) -> int:
    """Whole Monday-to-Sunday weeks from `start` to the week holding race day."""
    return (monday_of(race) - first_monday(start)).days // 7 + 1


def build(library: Library, request: Request) -> Schedule:
    """Schedule the request's program backward from race day."""
    program = library.programs[request.distance]
    weeks_count = _weeks_count(program, request)
    arrangement = arrange(program, weeks_count)
    week1 = monday_of(request.race) - timedelta(weeks=weeks_count - 1)
    first_day = request.start or week1 - timedelta(days=1)
    days = request.days or default_days(request.long_day)
    rules = Rules(
        days, request.long_day, request.race, max(first_day, week1), program.last_heavy_days
    )
    weeks = []
    last_heavy: date | None = None
    for index, unit in enumerate(arrangement.units, start=1):
        monday = week1 + timedelta(weeks=index - 1)
        week = _week(library, unit, index, monday, rules, last_heavy, first_day)
        weeks.append(week)
        heavy = [s.day for s in week.sessions if library.routine(s.routine).heavy]
        last_heavy = max(heavy, default=last_heavy)
    return Schedule(program, request, first_day, tuple(weeks), arrangement, days)


def _weeks_count(program: Program, request: Request) -> int:
    if request.start is None:
        return PROGRAM_WEEKS
    if request.race < request.start:
        raise Impossible(
            f"The race date {request.race} is before the start date {request.start}.", field="race"
        )
    count = available_weeks(request.start, request.race)
    shortest = shortest_program(program)
    if count < shortest:
        earliest = first_monday(request.start) + timedelta(weeks=shortest - 1)
        raise Impossible(
            f"Starting on {request.start} leaves {max(count, 0)} training weeks before the race;"
            f" the shortest {program.name} program is {shortest} weeks, so the earliest race"
            f" date that works from that start is {earliest} (that week, Monday to Sunday).",
            field="race",
        )
    if count > MAX_WEEKS:
        latest = monday_of(request.race) - timedelta(weeks=MAX_WEEKS - 1)
        raise Impossible(
            f"Starting on {request.start} gives {count} weeks before the race; plans run at most"
            f" {MAX_WEEKS} weeks, so start on or after {latest - timedelta(days=6)}.",
            field="start",
        )
    return count


def _week(
    library: Library,
    unit: Unit,
    index: int,
    monday: date,
    rules: Rules,
    last_heavy: date | None,
    first_day: date,
) -> Week:
    demands = [
        Demand(f"{unit.key}/{p.routine}/{n}", p.routine, library.routine(p.routine).heavy)
        for p in unit.sessions
        for n in range(1, p.times + 1)
    ]
    placed, unplaced = place_week(monday, demands, rules, last_heavy)
    notes = {p.routine: p.note for p in unit.sessions}
    sessions = tuple(
        _session(p, i, len(placed), notes[p.demand.routine]) for i, p in enumerate(placed, 1)
    )
    return Week(
        unit=unit,
        index=index,
        monday=monday,
        unlock=max(monday - timedelta(days=1), first_day),
        sessions=sessions,
        unplaced=tuple(_unplaced_note(library, d, monday, rules) for d in unplaced),
    )


def _session(placed: Placed, number: int, of: int, note: str) -> Session:
    d = placed.demand
    return Session(d.slot, d.routine, placed.day, number, of, note)


def _unplaced_note(library: Library, demand: Demand, monday: date, rules: Rules) -> str:
    """Say which rule closed each day of the week, so the runner can choose a fix."""
    name = library.routine(demand.routine).name
    reasons = []
    taken = "within 48 hours of another leg-heavy session" if demand.heavy else "already full"
    for day in (monday + timedelta(days=i) for i in range(7)):
        why = rules.blocker(day, demand.heavy)
        if day.weekday() in rules.training_days:
            reasons.append(f"{day:%a %d %b}: {why or taken}")
    kind = "leg-heavy " if demand.heavy else ""
    return (
        f"{name} ({kind}session) did not fit. Your training days this week:"
        f" {'; '.join(reasons) or 'none'}. Add a training day (days=) or skip it;"
        " one missed session costs little."
    )


def describe_adaptation(schedule: Schedule) -> str:
    """Say in plain words how the program was fitted to the runner's weeks."""
    arrangement = schedule.arrangement
    total = len(schedule.weeks)
    lines = []
    start = schedule.request.start
    if start is not None and start.weekday() != 0:
        week1 = schedule.weeks[0].monday
        lines.append(
            f"You start on a {WEEKDAY_NAMES[start.weekday()]}; training weeks run Monday to"
            f" Sunday, so week 1 begins on Monday {week1:%d %B %Y}. Use the days before it to"
            " gather equipment and read the routines."
        )
    if arrangement.dropped:
        numbers = _listing([str(n) for n in arrangement.dropped])
        lines.append(
            f"You have {total} weeks, not {PROGRAM_WEEKS}, so program weeks {numbers} are left"
            f" out. The opening foundation weeks, the taper and race week stay whole; the middle"
            " phases are shortened evenly, keeping the last (hardest) week of each."
        )
    elif arrangement.lead_in:
        lines.append(
            f"You have {total} weeks, more than the {PROGRAM_WEEKS} the program needs, so it opens"
            f" with {arrangement.lead_in} lead-in weeks of base maintenance (one or two short"
            f" sessions a week) before week 1 of the program, {total - PROGRAM_WEEKS + 1} weeks"
            " before race week."
        )
    else:
        lines.append(f"You have the full {PROGRAM_WEEKS} weeks: the program runs as written.")
    return "\n\n".join(lines)


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
