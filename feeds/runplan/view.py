"""A running plan's days as the manage page shows them: week by week, with sources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from ..dates import weekday_names
from ..i18n import N_, _
from ..placement import RunDay
from .classify import Basis, DayReading, Reading
from .days import PlanDays

# Catalogue keys: `kind_name` gives them in the runner's language.
KIND_NAMES = {
    RunDay.LONG: N_("Long run"),
    RunDay.HARD: N_("Hard run"),
    RunDay.EASY: N_("Easy run"),
    RunDay.REST: N_("Rest"),
}


def kind_name(kind: RunDay) -> str:
    """A kind of run as the page names it: "Long run", "Rest"."""
    return _(KIND_NAMES[kind])


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
        return _("your correction")
    if day.weekday() in every:
        return _("your choice for every %(day)s", day=weekday_names()[day.weekday()])
    if read is None:
        return ""
    return describe(read)


def describe(read: DayReading) -> str:
    """What one date's kind was read from, in the runner's words."""
    quoted = [_("“%(title)s”", title=t) for t in read.titles if t]
    titles = ", ".join(quoted) or _("an event without a title")
    if read.basis is Basis.WORD:
        return _("%(titles)s: says “%(word)s”", titles=titles, word=read.word)
    if read.basis is Basis.LONGEST:
        return _("%(titles)s: the week's longest run", titles=titles)
    if read.basis is Basis.UNNAMED:
        return _("%(titles)s: no word for its kind, so an easy run", titles=titles)
    if read.basis is Basis.NO_EVENT:
        return _("nothing planned")
    return _("your correction")
