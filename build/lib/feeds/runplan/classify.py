"""Classify each date of a running plan as long, hard, easy or rest, and keep why (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import Enum

from ..placement import RunDay
from .reading import Run
from .words import read_words

# A run at least this much longer than every other run of its week is the long run.
LONGEST_MARGIN = 1.25
# A week with one measured run: it is the long run from about 16 km (or 95 minutes) on.
LONG_ALONE_KM = 16.0
# Durations become distances at an easy 10 km/h, so weeks mixing the two compare.
MINUTES_PER_KM = 6.0
STRENGTH = {RunDay.REST: 0, RunDay.EASY: 1, RunDay.HARD: 2, RunDay.LONG: 3}


class Basis(Enum):
    """What a day's classification was read from, for the runner to see and correct."""

    WORD = "word"  # a word in an event's title or description
    LONGEST = "longest"  # the week's longest run, by distance or duration
    UNNAMED = "unnamed"  # events without a telling word: taken as an easy run
    NO_EVENT = "no-event"  # nothing planned that day: rest
    RUNNER = "runner"  # the runner corrected it


@dataclass(frozen=True)
class DayReading:
    """One date of the running plan: its kind, and what it was read from."""

    day: date
    kind: RunDay
    basis: Basis
    titles: tuple[str, ...] = ()
    word: str | None = None


@dataclass(frozen=True)
class Reading:
    """A running plan read date by date, Monday of its first week to Sunday of its last."""

    days: tuple[DayReading, ...]

    def run_days(self) -> tuple[tuple[date, RunDay], ...]:
        """The classification alone, the shape `schedule.Request.run_days` takes."""
        return tuple((d.day, d.kind) for d in self.days)

    def corrected(self, fixes: Mapping[date, RunDay]) -> Reading:
        """The runner's corrections applied; dates outside the plan are ignored."""
        return Reading(
            tuple(
                replace(d, kind=fixes[d.day], basis=Basis.RUNNER) if d.day in fixes else d
                for d in self.days
            )
        )


def classify(runs: Sequence[Run]) -> Reading:
    """Read every date the runs span, whole weeks, as long, hard, easy or rest."""
    if not runs:
        return Reading(())
    by_day: dict[date, list[Run]] = {}
    for run in runs:
        by_day.setdefault(run.day, []).append(run)
    first = min(by_day) - timedelta(days=min(by_day).weekday())
    weeks = (max(by_day) - first).days // 7 + 1
    days: list[DayReading] = []
    for w in range(weeks):
        week = [first + timedelta(days=7 * w + i) for i in range(7)]
        days += _longest(
            [_day(d, by_day.get(d, [])) for d in week],
            {d: _measure(by_day.get(d, [])) for d in week},
        )
    return Reading(tuple(days))


def _day(day: date, runs: list[Run]) -> DayReading:
    if not runs:
        return DayReading(day, RunDay.REST, Basis.NO_EVENT)
    titles = tuple(r.title for r in runs)
    found = [read_words(r.title) or read_words(r.details) for r in runs]
    named = [f for f in found if f is not None]
    if len(named) < len(runs):
        named.append((RunDay.EASY, ""))
    kind, word = max(named, key=lambda f: STRENGTH[f[0]])
    return DayReading(day, kind, Basis.WORD if word else Basis.UNNAMED, titles, word or None)


def _measure(runs: list[Run]) -> float | None:
    """The day's longest run in km, from its distance or else its duration."""
    values = [r.km or (r.minutes / MINUTES_PER_KM if r.minutes else None) for r in runs]
    return max((v for v in values if v), default=None)


def _longest(week: list[DayReading], measure: dict[date, float | None]) -> list[DayReading]:
    """A week whose titles name no long run: its clearly longest easy run is the long run."""
    if any(d.kind is RunDay.LONG for d in week):
        return week
    easy = [d for d in week if d.kind is RunDay.EASY and measure[d.day]]
    if not easy:
        return week
    best = max(easy, key=lambda d: (measure[d.day] or 0.0, d.day))
    others = [m for day, m in measure.items() if m and day != best.day]
    length = measure[best.day] or 0.0
    if length < (LONGEST_MARGIN * max(others) if others else LONG_ALONE_KM):
        return week
    long_run = replace(best, kind=RunDay.LONG, basis=Basis.LONGEST, word=None)
    return [long_run if d is best else d for d in week]
