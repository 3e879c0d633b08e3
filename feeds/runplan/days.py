"""A running plan's days as a plan stores them: one letter per date and the runner's choices (pure).

The text is `YYYY-MM-DD:<letters>` and then any `;`-separated parts. A letter is the date's kind
as read from the running plan: `l`, `h`, `e` or `r` for long, hard, easy or rest. A part
`tue=h` says every Tuesday of the span is hard, whatever was read; a part `+3=e` corrects the
fourth date alone (`+N` counts from the first date) and outranks a weekday's choice. A capital
letter is an older form of a correction (the read kind is then not known) and reads as `+N`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ..errors import InvalidParameter
from ..i18n import _
from ..placement import RunDay
from ..schedule import WEEKDAYS
from .classify import Reading

FIELD = "running_plan_days"
LETTERS = {RunDay.LONG: "l", RunDay.HARD: "h", RunDay.EASY: "e", RunDay.REST: "r"}
KINDS = {letter: kind for kind, letter in LETTERS.items()}
# About a year of days: the longest span a plan can have, with room to spare.
MAX_DAYS = 400
FORM = re.compile(r"(\d{4}-\d{2}-\d{2}):([lherLHER]{1," + str(MAX_DAYS) + r"})((?:;[^;]*)*)")
EVERY = re.compile(r"(" + "|".join(WEEKDAYS) + r")=([lher])")
ONE = re.compile(r"\+(\d{1,3})=([lher])")


@dataclass(frozen=True)
class PlanDays:
    """Each date's kind of run from `first` on, as read, with the runner's corrections."""

    first: date
    letters: str  # as read, lower case
    fixed: tuple[tuple[date, RunDay], ...] = ()  # single dates, in date order
    weekly: tuple[tuple[int, RunDay], ...] = ()  # weekday (0 = Monday) and its kind

    @property
    def text(self) -> str:
        every = [f"{WEEKDAYS[d]}={LETTERS[k]}" for d, k in self.weekly]
        ones = [f"+{(d - self.first).days}={LETTERS[k]}" for d, k in self.fixed]
        return ";".join([f"{self.first.isoformat()}:{self.letters}", *every, *ones])

    @property
    def last(self) -> date:
        return self.first + timedelta(days=len(self.letters) - 1)

    def day(self, index: int) -> date:
        return self.first + timedelta(days=index)

    def read(self, index: int) -> RunDay:
        return KINDS[self.letters[index]]

    def base(self, index: int) -> RunDay:
        """The kind before any single-date correction: the weekday's choice, else as read."""
        return dict(self.weekly).get(self.day(index).weekday(), self.read(index))

    def kind(self, index: int) -> RunDay:
        """The kind used: a single-date correction first, then the weekday's, then as read."""
        return dict(self.fixed).get(self.day(index), self.base(index))

    def run_days(self) -> tuple[tuple[date, RunDay], ...]:
        """Every date's kind, corrections applied: what `schedule.Request.run_days` takes."""
        return tuple((self.day(i), self.kind(i)) for i in range(len(self.letters)))

    def fixes(self) -> dict[date, RunDay]:
        """The runner's single-date corrections."""
        return dict(self.fixed)

    def every(self) -> dict[int, RunDay]:
        """The runner's choices by weekday."""
        return dict(self.weekly)

    def corrected(
        self, kinds: Mapping[date, RunDay], weekly: Mapping[int, RunDay] | None = None
    ) -> PlanDays:
        """The form's choices: `weekly` (when given) replaces the weekday choices; a date whose
        kind changed from the one shown becomes a correction, unless it is now its base kind."""
        new = self if weekly is None else replace(self, weekly=tuple(sorted(weekly.items())))
        fixed = self.fixes()
        for i in range(len(self.letters)):
            chosen = kinds.get(self.day(i))
            if chosen is None or chosen is self.kind(i):
                continue
            if chosen is new.base(i):
                fixed.pop(self.day(i), None)
            else:
                fixed[self.day(i)] = chosen
        return replace(new, fixed=tuple(sorted(fixed.items())))

    def without_fix(self, day: date) -> PlanDays:
        """The date back to its weekday's choice or the running plan's kind."""
        return replace(self, fixed=tuple(f for f in self.fixed if f[0] != day))

    def without_every(self, weekday: int) -> PlanDays:
        """That weekday back to what the running plan says."""
        return replace(self, weekly=tuple(w for w in self.weekly if w[0] != weekday))

    def reread(self, reading: Reading) -> PlanDays:
        """A new reading of the running plan with this plan's corrections kept (on its dates)."""
        fresh = of_reading(reading)
        fixed = tuple(f for f in self.fixed if fresh.first <= f[0] <= fresh.last)
        return replace(fresh, fixed=fixed, weekly=self.weekly)


def of_reading(reading: Reading) -> PlanDays:
    """A reading in stored form, with no corrections."""
    return PlanDays(reading.days[0].day, "".join(LETTERS[d.kind] for d in reading.days))


def parse_days(raw: str) -> PlanDays:
    """The stored form; InvalidParameter says what is accepted."""
    match = FORM.fullmatch(raw.strip())
    try:
        if match is None:
            raise ValueError
        first = date.fromisoformat(match[1])
        days = PlanDays(first, match[2].lower())
        fixed = {days.day(i): KINDS[c.lower()] for i, c in enumerate(match[2]) if c.isupper()}
        return _parts(days, fixed, match[3].split(";")[1:])
    except ValueError:
        raise _malformed() from None


def _parts(days: PlanDays, fixed: dict[date, RunDay], parts: list[str]) -> PlanDays:
    weekly: dict[int, RunDay] = {}
    for part in parts:
        if every := EVERY.fullmatch(part):
            weekday = WEEKDAYS.index(every[1])
            if weekday in weekly:
                raise ValueError(part)
            weekly[weekday] = KINDS[every[2]]
        elif (one := ONE.fullmatch(part)) and int(one[1]) < len(days.letters):
            day = days.day(int(one[1]))
            if day in fixed:
                raise ValueError(part)
            fixed[day] = KINDS[one[2]]
        else:
            raise ValueError(part)
    return replace(days, fixed=tuple(sorted(fixed.items())), weekly=tuple(sorted(weekly.items())))


def _malformed() -> InvalidParameter:
    return InvalidParameter(
        _(
            "'%(field)s' must be a date YYYY-MM-DD, a colon and one letter per day from that"
            " date: l (long), h (hard), e (easy) or r (rest), at most %(most)s; then, each after"
            " a ';', a weekday's kind such as tue=h (every Tuesday hard) or one day's correction"
            " such as +3=e (the fourth day easy), once each.",
            field=FIELD,
            most=MAX_DAYS,
        ),
        field=FIELD,
    )
