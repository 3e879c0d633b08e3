"""A running plan's days as the manage page shows them: week by week, with sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..placement import RunDay
from .classify import Basis, DayReading, Reading
from .days import KINDS, PlanDays

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
    out = [
        DayRow(days.day(i), KINDS[c.lower()], _source(c, found.get(days.day(i))), c.isupper())
        for i, c in enumerate(days.letters)
    ]
    return tuple(WeekRows(out[i].day, tuple(out[i : i + 7])) for i in range(0, len(out), 7))


def _source(letter: str, read: DayReading | None) -> str:
    if letter.isupper():
        return "your correction"
    if read is None:
        return "read from your running plan"
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
