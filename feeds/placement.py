"""Put one week's sessions on the runner's training days around their runs (pure date logic)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from functools import cached_property
from itertools import combinations, pairwise, permutations
from math import ceil
from typing import NamedTuple, Protocol

from .cache import Numbered, Singletons, hashed_once
from .i18n import N_, _

# About 48 h between leg-heavy sessions: at least one day without one in between.
HEAVY_GAP_DAYS = 2
MAX_SESSIONS_PER_DAY = 2
# The last days before the race stay free of any strength work.
QUIET_DAYS_BEFORE_RACE = 2
# After the race: rest for the first days (soreness peaks and clears in about 3-4 days), and no
# leg-heavy work for about two weeks while power returns.
REST_DAYS_AFTER_RACE = 3
NO_HEAVY_DAYS_AFTER_RACE = 14
WEEK = timedelta(days=7)
DAYS = tuple(timedelta(days=i) for i in range(7))


class RunDay(Singletons):
    """What the runner runs on a date."""

    LONG = "long"
    HARD = "hard"
    EASY = "easy"
    REST = "rest"


class Where(Singletons):
    """Where a placed session sits in the running week: a fact the notes put into words."""

    AFTER_HARD_RUN = "after-hard-run"  # a day the runner named hard (or their plan makes hard)
    AFTER_LONG_RUN = "after-long-run"  # light work on the long-run day
    AFTER_EASY_RUN = "after-easy-run"  # their running plan has an easy run that day
    REST_DAY = "rest-day"  # their running plan has no run that day
    EASY_OR_REST_DAY = "easy-or-rest-day"  # not a day they named hard: an easy run or none
    ANY_DAY = "any-day"  # they named no hard days: nothing is known about the day's run


class Closed(Enum):
    """The rule that keeps a session off a day, in a runner's words."""

    NOT_TRAINING_DAY = N_("not one of your training days")
    BEFORE_START = N_("before your start date")
    RACE_OR_AFTER = N_("race day or after")
    NEAR_RACE = N_("too close to the race")
    BEFORE_LONG_RUN = N_("the day before your long run")
    NEAR_LONG_RUN = N_("less than %(hours)s hours before your long run")
    LONG_RUN = N_("your long-run day")
    AFTER_LONG_RUN = N_("the day after your long run")
    TAPER = N_("inside the last %(days)s days before the race, kept free of heavy work")
    BEFORE_HARD_RUN = N_("the day before a hard run")
    EASY_DAY = N_("not a hard run day")
    JUST_AFTER_RACE = N_("the first days after the race, kept for rest")
    RECOVERY = N_("inside the first two weeks after the race, kept free of heavy work")
    PAUSED = N_("inside your pause")

    def words(self, rules: Rules, hours: int = 0) -> str:
        """The rule in a runner's words, in the current locale; `hours` is the session's own gap
        before a long run."""
        return _(self.value, days=rules.last_heavy_days, hours=hours)


class Runs(Protocol):
    """The runner's running, date by date."""

    def kind(self, day: date) -> RunDay | None:
        """The run on `day`, or None when only "not long, not hard" is known."""
        ...


@dataclass(frozen=True)
class WeeklyRuns:
    """The same week every week: a long-run weekday and the weekdays named hard."""

    long_day: int
    hard: frozenset[int] = frozenset()

    def kind(self, day: date) -> RunDay | None:
        if day.weekday() == self.long_day:
            return RunDay.LONG
        return RunDay.HARD if day.weekday() in self.hard else None


@dataclass(frozen=True)
class DatedRuns:
    """A running plan's calendar: each date's run over the plan's span, `outside` around it."""

    days: tuple[tuple[date, RunDay], ...]
    outside: WeeklyRuns

    @cached_property
    def _by_date(self) -> dict[date, RunDay]:
        return dict(self.days)

    @cached_property
    def span(self) -> tuple[date, date] | None:
        return (min(self._by_date), max(self._by_date)) if self.days else None

    @cached_property
    def _hard_weeks(self) -> frozenset[date]:
        """The Mondays of the weeks touching the span that hold a hard run."""
        span = self.span
        if span is None:
            return frozenset()
        first = _monday(span[0])
        days = (first + timedelta(days=i) for i in range((span[1] - first).days + 7))
        return frozenset(_monday(d) for d in days if self.kind(d) is RunDay.HARD)

    def hard_week(self, monday: date) -> bool:
        """Whether the week from `monday` holds a hard run."""
        span = self.span
        if span is None or monday + timedelta(days=6) < span[0] or monday > span[1]:
            return bool(self.outside.hard - {self.outside.long_day})
        return monday in self._hard_weeks

    def kind(self, day: date) -> RunDay | None:
        if self.span is None or not self.span[0] <= day <= self.span[1]:
            return self.outside.kind(day)
        return self._by_date.get(day, RunDay.REST)


def week_has_hard(runs: Runs, monday: date) -> bool:
    """Whether the week holds a hard run: then leg-heavy work goes on hard days only."""
    if isinstance(runs, WeeklyRuns):
        return bool(runs.hard - {runs.long_day})  # the same week every week
    if isinstance(runs, DatedRuns):
        return runs.hard_week(monday)
    return any(runs.kind(monday + timedelta(days=i)) is RunDay.HARD for i in range(7))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Demand:
    """A session the week asks for, before it has a day."""

    slot: str
    routine: str
    heavy: bool
    # The least time from this session to the next long run, as its routine asks (0: no rule
    # beyond the day before). Kept in whole days: the session's day is that many days earlier.
    hours_before_long_run: int = 0

    def __hash__(self) -> int:
        """Hashed once: a week's demands (kept per unit) name its kept placement every week."""
        return hashed_once(self)


@dataclass(frozen=True)
class Rules:
    """What a runner's week allows."""

    training_days: frozenset[int]
    runs: Runs
    race: date
    first_day: date
    last_heavy_days: int
    # Placing the weeks after the race: days after race day open, after a few days of rest.
    after_race: bool = False
    # Days the runner paused (ill, away): no session of any kind.
    paused: frozenset[date] = frozenset()

    def closed(self, day: date, heavy: bool, hours: int = 0) -> Closed | None:
        """The first rule that keeps a session off `day`, or None (rules checked lazily);
        `hours` is the session's least gap before a long run."""
        return next(self._blocked(day, heavy, hours), None)

    def broken(self, day: date, heavy: bool, hours: int = 0) -> list[Closed]:
        """Every rule that keeps a session off `day`, the most telling first."""
        return list(self._blocked(day, heavy, hours))

    def _blocked(self, day: date, heavy: bool, hours: int) -> Iterator[Closed]:
        if day in self.paused:
            yield Closed.PAUSED
        yield from self._after(day, heavy) if self.after_race else self._before(day, heavy)
        if self._long_run_within(day, hours):
            yield Closed.NEAR_LONG_RUN

    def _long_run_within(self, day: date, hours: int) -> bool:
        """Whether a long run comes 2 or more days after `day` but sooner than `hours` allow
        (the day before is a rule of its own)."""
        return any(self._kind(day, k) is RunDay.LONG for k in range(2, ceil(hours / 24)))

    def _before(self, day: date, heavy: bool) -> Iterator[Closed]:
        race_gap = (self.race - day).days
        if day.weekday() not in self.training_days:
            yield Closed.NOT_TRAINING_DAY
        if day < self.first_day:
            yield Closed.BEFORE_START
        if race_gap <= 0:
            yield Closed.RACE_OR_AFTER
        if race_gap <= QUIET_DAYS_BEFORE_RACE:
            yield Closed.NEAR_RACE
        if self._kind(day, 1) is RunDay.LONG:
            yield Closed.BEFORE_LONG_RUN
        if heavy:
            yield from self._heavy(day, race_gap)

    def _after(self, day: date, heavy: bool) -> Iterator[Closed]:
        since = (day - self.race).days
        if day.weekday() not in self.training_days:
            yield Closed.NOT_TRAINING_DAY
        if since < REST_DAYS_AFTER_RACE:
            yield Closed.JUST_AFTER_RACE
        if self._kind(day, 1) is RunDay.LONG:
            yield Closed.BEFORE_LONG_RUN
        if heavy:
            if since < NO_HEAVY_DAYS_AFTER_RACE:
                yield Closed.RECOVERY
            yield from self._heavy(day, race_gap=self.last_heavy_days)

    def _heavy(self, day: date, race_gap: int) -> Iterator[Closed]:
        kind = self.runs.kind(day)
        if kind is RunDay.LONG:
            yield Closed.LONG_RUN
        if self._kind(day, -1) is RunDay.LONG:
            yield Closed.AFTER_LONG_RUN
        if race_gap < self.last_heavy_days:
            yield Closed.TAPER
        if self._kind(day, 1) is RunDay.HARD:
            yield Closed.BEFORE_HARD_RUN
        if kind is not RunDay.HARD and week_has_hard(self.runs, _monday(day)):
            yield Closed.EASY_DAY

    def _kind(self, day: date, step: int) -> RunDay | None:
        return self.runs.kind(day + timedelta(days=step))

    def where(self, day: date) -> Where:
        """Where a session on `day` sits in the running week."""
        if isinstance(self.runs, WeeklyRuns):  # the same every week: looked up by weekday
            return self._weekly_where[day.weekday()]
        return self._where(day)

    @cached_property
    def _weekly_where(self) -> tuple[Where, ...]:
        monday = _monday(self.race)
        return tuple(self._where(monday + DAYS[i]) for i in range(7))

    def _where(self, day: date) -> Where:
        kind = self.runs.kind(day)
        if kind is None:
            hard_week = week_has_hard(self.runs, _monday(day))
            return Where.EASY_OR_REST_DAY if hard_week else Where.ANY_DAY
        return {
            RunDay.HARD: Where.AFTER_HARD_RUN,
            RunDay.LONG: Where.AFTER_LONG_RUN,
            RunDay.EASY: Where.AFTER_EASY_RUN,
            RunDay.REST: Where.REST_DAY,
        }[kind]

    def hard_day(self, day: date) -> bool:
        return self.runs.kind(day) is RunDay.HARD

    def holds_cutoff(self, monday: date) -> bool:
        """Whether this is the last week with a day open to heavy work before the taper cut-off."""
        if self.after_race:
            return False
        return bool(self.open_days(monday, True)) and not self.open_days(monday + WEEK, True)

    def open_days(self, monday: date, heavy: bool, hours: int = 0) -> tuple[date, ...]:
        """The days of the week from `monday` open to a (leg-heavy) session that needs `hours`
        before a long run, in date order."""
        # Placing a week asks this of it several times (each session, the taper cut-off).
        key = monday, heavy, hours
        found = self._open_dates.get(key)
        if found is None:
            found = tuple(monday + DAYS[i] for i in self.open_offsets(monday, heavy, hours))
            self._open_dates[key] = found
        return found

    @cached_property
    def _open_dates(self) -> dict[tuple[date, bool, int], tuple[date, ...]]:
        """The answers of `open_days` so far, for this plan's own dates."""
        return {}

    def open_offsets(self, monday: date, heavy: bool, hours: int = 0) -> tuple[int, ...]:
        """`open_days` as offsets from `monday`."""
        return tuple(i for i, rule in self._closed_by_name(monday, heavy, hours) if rule is None)

    def closures(
        self, monday: date, heavy: bool, hours: int = 0
    ) -> tuple[tuple[int, Closed | None], ...]:
        """Each of the runner's training days in the week from `monday`, as an offset from it,
        with the first rule that keeps a (leg-heavy) session needing `hours` off it, or None."""
        return tuple(
            (i, None if name is None else Closed[name])
            for i, name in self._closed_by_name(monday, heavy, hours)
        )

    def _closed_by_name(
        self, monday: date, heavy: bool, hours: int
    ) -> tuple[tuple[int, str | None], ...]:
        """`closures` with each rule by its name: kept as plain values, which the garbage
        collector stops walking (a worker keeps some 10,000 of these pairs; an enum member
        would keep each one walked on every full collection)."""
        # A plan asks this about every week, several times: answered once per kind of week.
        key = self._kind_of_week(monday, heavy, hours)
        known = self._known_closures
        found = known.get(key)
        if found is None:
            found = known[key] = tuple(
                (i, _name(self.closed(monday + DAYS[i], heavy, hours)))
                for i in range(7)
                if (monday.weekday() + i) % 7 in self.training_days
            )
        return found

    def _kind_of_week(self, monday: date, heavy: bool, hours: int = 0) -> Hashable:
        """What the rules read of the week from `monday`. With the same runs every week: its
        first weekday, its paused days, how many days fall before the start, and how far it is
        from race day up to the furthest any rule looks (a later rule that reads more of the
        date must add it here). The gap a session needs before the long run reads only the
        runs, the same every week."""
        if not isinstance(self.runs, WeeklyRuns):
            return monday, heavy, hours
        return *self.week_facts(monday), heavy, hours

    def week_facts(self, monday: date) -> tuple[Hashable, ...]:
        """What the rules read of the dates of the week from `monday`, with the same runs every
        week (see `_kind_of_week`)."""
        found = self._week_facts.get(monday)
        if found is None:
            found = self._week_facts[monday] = self._facts_of(monday)
        return found

    @cached_property
    def _week_facts(self) -> dict[date, tuple[Hashable, ...]]:
        """`week_facts` so far, for this plan's own Mondays (placing a week reads each 4-5
        times)."""
        return {}

    def _facts_of(self, monday: date) -> tuple[Hashable, ...]:
        furthest = max(self.last_heavy_days, QUIET_DAYS_BEFORE_RACE + 1) + 6
        gap = min(max((self.race - monday).days, -NO_HEAVY_DAYS_AFTER_RACE), furthest)
        before = min(max((self.first_day - monday).days, 0), 7)
        paused = (
            tuple(i for i in range(7) if monday + DAYS[i] in self.paused) if self.paused else ()
        )
        return monday.weekday(), paused, before, gap

    @cached_property
    def _known_closures(self) -> dict[Hashable, tuple[tuple[int, str | None], ...]]:
        """The answers of `closures` so far, rules by name (not a field: equal rules compare
        equal). With the same runs every week they hold for every plan with the same training
        days, runs and taper, so those plans share them."""
        if not isinstance(self.runs, WeeklyRuns):
            return {}
        if len(_closures) >= OPEN_DAYS_KEPT:
            _closures.clear()
        return _closures.setdefault(self.alike, {})

    @cached_property
    def alike(self) -> int:
        """What, besides a week's dates (`week_facts`), decides its open days, as a number for
        all equal rules: the kept placements that name it are then plain values (the garbage
        collector walks every tracked key on each full collection)."""
        return _alike((self.training_days, self.runs, self.last_heavy_days, self.after_race))


def _name(rule: Closed | None) -> str | None:
    return None if rule is None else rule.name


# Closures by kind of week, shared by plans with the same training days, runs and taper.
OPEN_DAYS_KEPT = 4096
_closures: dict[Hashable, dict[Hashable, tuple[tuple[int, str | None], ...]]] = {}
_alike = Numbered(OPEN_DAYS_KEPT)
# The sessions a week asks for, as placing reads them, by number in kept placements' keys (the
# plan data's 118 units ask for 67 such sets).
_demands = Numbered(OPEN_DAYS_KEPT)


class Placed(NamedTuple):
    """A demand and the day it got (a named tuple: a schedule places 40-130)."""

    demand: Demand
    day: date


# Weeks placed so far, in any plan, by what placing them read (see `kind_of_placement`). The
# keys hold no dates, so their number levels off; each takes about 700 bytes (11 MB at most).
PLACEMENTS_KEPT = 16384
_placements: dict[Hashable, tuple[tuple[tuple[int, int], ...], tuple[int, ...]]] = {}


def place_week(
    monday: date,
    demands: Sequence[Demand],
    rules: Rules,
    last_heavy: date | None,
    pinned: Sequence[Placed] = (),
    kind: Hashable | None = None,
) -> tuple[list[Placed], list[Demand]]:
    """Place a week's demands around `pinned` ones (the runner's moves); return what was placed
    (by date, the pinned included) and what did not fit. `kind`: the week's `kind_of_placement`,
    where the caller has it already."""
    if pinned:
        return _place(monday, demands, rules, last_heavy, pinned)
    # Most weeks of most plans read the same: kept as demand indices and day offsets.
    key = kind_of_placement(monday, demands, rules, last_heavy) if kind is None else kind
    kept = _placements.get(key)
    if kept is None:
        placed, unplaced = _place(monday, demands, rules, last_heavy)
        index = {id(d): i for i, d in enumerate(demands)}
        days = tuple((index[id(p.demand)], (p.day - monday).days) for p in placed)
        kept = days, tuple(index[id(d)] for d in unplaced)
        if len(_placements) >= PLACEMENTS_KEPT:
            _placements.clear()
        _placements[key] = kept
    return [Placed(demands[i], monday + DAYS[day]) for i, day in kept[0]], [
        demands[i] for i in kept[1]
    ]


def kind_of_placement(
    monday: date, demands: Sequence[Demand], rules: Rules, last_heavy: date | None
) -> Hashable:
    """What placing a week reads, its days as offsets from `monday`: the demands, the days open
    to heavy and to any work (and to the demands that keep a gap before the long run), whether
    the week holds the taper cut-off, which open days are hard, and the last heavy day up to
    where it stops mattering (a new read must be added here). With the same runs every week,
    what decides all of those instead: the rules alike, this week's and the next's facts."""
    if isinstance(rules.runs, WeeklyRuns):
        # Everything below follows from these: the open days of this week and the next (the
        # taper cut-off) for each load and gap, and which weekdays are hard. Cheaper to name.
        alike, facts, gap = weekly_facts(monday, rules, last_heavy)
        return alike, profile(demands), facts, gap
    gap = _gap(monday, last_heavy)
    light = rules.open_offsets(monday, False)
    hard = tuple(i for i in light if rules.hard_day(monday + DAYS[i]))
    heavy = rules.open_offsets(monday, True)
    gaps = {(d.heavy, d.hours_before_long_run) for d in demands if d.hours_before_long_run}
    spaced = tuple(rules.open_offsets(monday, *g) for g in sorted(gaps))
    return profile(demands), heavy, light, rules.holds_cutoff(monday), hard, gap, spaced


def weekly_facts(
    monday: date, rules: Rules, last_heavy: date | None
) -> tuple[int, tuple[tuple[Hashable, ...], tuple[Hashable, ...]], int | None]:
    """What placing a week reads besides its sessions, with the same runs every week: the rules
    alike, this week's and the next week's facts, and the last heavy day's gap
    (`kind_of_placement`)."""
    facts = rules.week_facts(monday), rules.week_facts(monday + WEEK)
    return rules.alike, facts, _gap(monday, last_heavy)


def _gap(monday: date, last_heavy: date | None) -> int | None:
    """The last heavy day from `monday`, up to where it stops mattering."""
    if last_heavy is None:
        return None
    return min(max((last_heavy - monday).days, -HEAVY_GAP_DAYS), 7 - HEAVY_GAP_DAYS)


def profile(demands: Sequence[Demand]) -> int:
    """The demands by what placing them reads (routine, load, gap before the long run), in order,
    as a number: weeks of different units that ask for the same sessions place alike."""
    return _demands(tuple((d.routine, d.heavy, d.hours_before_long_run) for d in demands))


def forget() -> None:
    """Drop every kept placement and open day (the benchmark's start-up state)."""
    _placements.clear()
    _closures.clear()
    _alike.clear()
    _demands.clear()


def _place(
    monday: date,
    demands: Sequence[Demand],
    rules: Rules,
    last_heavy: date | None,
    pinned: Sequence[Placed] = (),
) -> tuple[list[Placed], list[Demand]]:
    heavy = [d for d in demands if d.heavy]
    light = [d for d in demands if not d.heavy]
    fixed = [p.day for p in pinned if p.demand.heavy]
    allowed = [
        [day for day in rules.open_days(monday, True, d.hours_before_long_run) if apart(day, fixed)]
        for d in heavy
    ]
    # The taper keeps intensity: the last heavy session goes as close to the cut-off as allowed.
    late = rules.holds_cutoff(monday)
    chosen = dict(_heavy_days(allowed, last_heavy, latest=late))
    placed = [*pinned, *(Placed(heavy[i], day) for i, day in chosen.items())]
    unplaced = [d for i, d in enumerate(heavy) if i not in chosen]
    for demand in light:
        open_days = list(rules.open_days(monday, False, demand.hours_before_long_run))
        day = _light_day(open_days, demand, placed, rules)
        if day is None:
            unplaced.append(demand)
        else:
            placed.append(Placed(demand, day))
    placed.sort(key=lambda p: (p.day, not p.demand.heavy))
    return placed, unplaced


def apart(day: date, heavy_days: Iterable[date]) -> bool:
    """Whether `day` is about 48 h or more from every one of `heavy_days`."""
    return all(abs((day - other).days) >= HEAVY_GAP_DAYS for other in heavy_days)


def _heavy_days(
    allowed: list[list[date]], last_heavy: date | None, *, latest: bool = False
) -> list[tuple[int, date]]:
    """The most evenly spread days for the heavy sessions, each on a day open to it, as many as
    will fit (the earliest-listed sessions first): (session index, day) pairs.

    Ties go to the earliest days, or with `latest` to the latest ones.
    """
    sign = 1 if latest else -1
    if last_heavy is not None:
        earliest = last_heavy + timedelta(days=HEAVY_GAP_DAYS)
        allowed = [[d for d in days if d >= earliest] for days in allowed]
    candidates = sorted({d for days in allowed for d in days})
    for count in range(min(len(allowed), len(candidates)), 0, -1):
        spread = [c for c in combinations(candidates, count) if _min_gap(c) >= HEAVY_GAP_DAYS]
        for who in combinations(range(len(allowed)), count):
            options = [(c, fit) for c in spread if (fit := _assigned(c, who, allowed))]
            if options:
                best = max(
                    options, key=lambda o: (_min_gap(o[0]), [sign * d.toordinal() for d in o[0]])
                )
                return best[1]
    return []


def _assigned(
    days: tuple[date, ...], who: tuple[int, ...], allowed: list[list[date]]
) -> list[tuple[int, date]]:
    """The sessions `who` on `days`, each on a day open to it, in listed order where it can be;
    empty when no order fits."""
    for order in permutations(who):
        if all(day in allowed[i] for i, day in zip(order, days, strict=True)):
            return list(zip(order, days, strict=True))
    return []


def _min_gap(days: Iterable[date]) -> int:
    gaps = [(b - a).days for a, b in pairwise(days)]
    return min(gaps, default=7)


def _light_day(
    open_days: list[date], demand: Demand, placed: list[Placed], rules: Rules
) -> date | None:
    """The quietest open day that does not already hold this routine, easy days first."""
    by_day: dict[date, list[Placed]] = {}
    for p in placed:
        by_day.setdefault(p.day, []).append(p)
    twins = [p.day for p in placed if p.demand.routine == demand.routine]

    def load(day: date) -> tuple[bool, int, int, int, int]:
        same_day = by_day.get(day, [])
        heavy = sum(p.demand.heavy for p in same_day)
        nearest = min((abs((day - t).days) for t in twins), default=7)
        return rules.hard_day(day), len(same_day), heavy, -nearest, day.toordinal()

    usable = [
        d for d in open_days if len(by_day.get(d, [])) < MAX_SESSIONS_PER_DAY and d not in twins
    ]
    return min(usable, key=load, default=None)
