"""A running plan's days as the manage page shows them: week by week, with sources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from ..placement import RunDay
from ..schedule import WEEKDAY_NAMES
from .classify import Basis, DayReading, Reading
from .days import PlanDays

KIND_NAMES = {
    RunDay.LONG: "Long run",
    RunDay.HARD: "Hard run",
    RunDay.EASY: "Easy run",
    RunDay.REST: "Rest",
}


@dataclass(frozen=True)
class DayRow:
    """One date: its kind as used, and what that was read from."""

    day: date
    kind: RunDay
    source: str
    corrected: bool


@dataclass(frozen=True)
class WeekRows:
    monday: date
    days: tuple[DayRow, ...]


@dataclass(frozen=True)
class RunPlanView:
    """Everything the running-plan section shows."""

    url: str | None
    days: PlanDays
    weeks: tuple[WeekRows, ...]
    preview: bool = False  # read just now and not saved yet
    problem: str | None = None  # why the latest fetch failed
    read_at: datetime | None = None


def rows(days: PlanDays, reading: Reading | None) -> tuple[WeekRows, ...]:
    """The days in weeks of seven from `days.first` (a Monday when read from a calendar)."""
    found = {d.day: d for d in reading.days} if reading else {}
    fixes, every = days.fixes(), days.every()
    out = []
    for i in range(len(days.letters)):
        day = days.day(i)
        mine = day in fixes or day.weekday() in every
        out.append(DayRow(day, days.kind(i), _source(day, fixes, every, found.get(day)), mine))
    return tuple(WeekRows(out[i].day, tuple(out[i : i + 7])) for i in range(0, len(out), 7))


def _source(
    day: date, fixes: Mapping[date, RunDay], every: Mapping[int, RunDay], read: DayReading | None
) -> str:
    if day in fixes:
        return "your correction"
    if day.weekday() in every:
        return f"your choice for every {WEEKDAY_NAMES[day.weekday()]}"
    if read is None:
        return ""
    return describe(read)


def describe(read: DayReading) -> str:
    """What one date's kind was read from, in the runner's words."""
    titles = ", ".join(f"“{t}”" for t in read.titles if t) or "an event without a title"
    if read.basis is Basis.WORD:
        return f"{titles}: says “{read.word}”"
    if read.basis is Basis.LONGEST:
        return f"{titles}: the week's longest run"
    if read.basis is Basis.UNNAMED:
        return f"{titles}: no word for its kind, so an easy run"
    if read.basis is Basis.NO_EVENT:
        return "nothing planned"
    return "your correction"
