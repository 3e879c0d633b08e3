"""Put one week's sessions on the runner's training days (pure date logic)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations, pairwise

# About 48 h between leg-heavy sessions: at least one day without one in between.
HEAVY_GAP_DAYS = 2
MAX_SESSIONS_PER_DAY = 2
# The last days before the race stay free of any strength work.
QUIET_DAYS_BEFORE_RACE = 2


@dataclass(frozen=True)
class Demand:
    """A session the week asks for, before it has a day."""

    slot: str
    routine: str
    heavy: bool


@dataclass(frozen=True)
class Rules:
    """What a runner's week allows."""

    training_days: frozenset[int]
    long_day: int
    race: date
    first_day: date
    last_heavy_days: int

    def blocker(self, day: date, heavy: bool) -> str | None:
        """The first rule that keeps a session off `day`, in a runner's words, or None."""
        race_gap = (self.race - day).days
        checks = [
            (day.weekday() not in self.training_days, "not one of your training days"),
            (day < self.first_day, "before your start date"),
            (race_gap <= 0, "race day or after"),
            (race_gap <= QUIET_DAYS_BEFORE_RACE, "too close to the race"),
            (_next(day) == self.long_day, "the day before your long run"),
            (heavy and day.weekday() == self.long_day, "your long-run day"),
            (heavy and _next(day, -1) == self.long_day, "the day after your long run"),
            (
                heavy and race_gap < self.last_heavy_days,
                f"inside the last {self.last_heavy_days} days before the race, kept free of"
                " heavy work",
            ),
        ]
        return next((why for blocked, why in checks if blocked), None)

    def open_day(self, day: date) -> bool:
        return self.blocker(day, heavy=False) is None

    def heavy_day(self, day: date) -> bool:
        return self.blocker(day, heavy=True) is None


def _next(day: date, step: int = 1) -> int:
    return (day + timedelta(days=step)).weekday()


@dataclass(frozen=True)
class Placed:
    demand: Demand
    day: date


def place_week(
    monday: date, demands: Sequence[Demand], rules: Rules, last_heavy: date | None
) -> tuple[list[Placed], list[Demand]]:
    """Place a week's demands; return what was placed (by date) and what did not fit."""
    days = [monday + timedelta(days=i) for i in range(7)]
    heavy = [d for d in demands if d.heavy]
    light = [d for d in demands if not d.heavy]
    heavy_days = _heavy_days([d for d in days if rules.heavy_day(d)], len(heavy), last_heavy)
    placed = [Placed(d, day) for d, day in zip(heavy, heavy_days, strict=False)]
    unplaced = heavy[len(heavy_days) :]
    open_days = [d for d in days if rules.open_day(d)]
    for demand in light:
        day = _light_day(open_days, demand, placed)
        if day is None:
            unplaced.append(demand)
        else:
            placed.append(Placed(demand, day))
    placed.sort(key=lambda p: (p.day, not p.demand.heavy))
    return placed, unplaced


def _heavy_days(candidates: list[date], wanted: int, last_heavy: date | None) -> list[date]:
    """The most evenly spread set of days for the heavy sessions, as many as will fit."""
    if last_heavy is not None:
        earliest = last_heavy + timedelta(days=HEAVY_GAP_DAYS)
        candidates = [d for d in candidates if d >= earliest]
    for count in range(min(wanted, len(candidates)), 0, -1):
        options = [c for c in combinations(candidates, count) if _min_gap(c) >= HEAVY_GAP_DAYS]
        if options:
            return list(max(options, key=lambda c: (_min_gap(c), [-d.toordinal() for d in c])))
    return []


def _min_gap(days: Iterable[date]) -> int:
    gaps = [(b - a).days for a, b in pairwise(days)]
    return min(gaps, default=7)


def _light_day(open_days: list[date], demand: Demand, placed: list[Placed]) -> date | None:
    """The quietest open day that does not already hold this routine."""

    def load(day: date) -> tuple[int, int, int, int]:
        same_day = [p for p in placed if p.day == day]
        heavy = sum(p.demand.heavy for p in same_day)
        twins = [p.day for p in placed if p.demand.routine == demand.routine]
        nearest = min((abs((day - t).days) for t in twins), default=7)
        return len(same_day), heavy, -nearest, day.toordinal()

    usable = [
        d
        for d in open_days
        if sum(p.day == d for p in placed) < MAX_SESSIONS_PER_DAY
        and not any(p.day == d and p.demand.routine == demand.routine for p in placed)
    ]
    return min(usable, key=load, default=None)
