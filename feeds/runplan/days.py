"""A running plan's days as a plan stores them: a start date and one letter per date (pure).

`l`, `h`, `e`, `r` are long, hard, easy and rest as read from the running plan; a capital
letter is the runner's correction and outlives a new reading of the same date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import InvalidParameter
from ..placement import RunDay
from .classify import Reading

FIELD = "running_plan_days"
LETTERS = {RunDay.LONG: "l", RunDay.HARD: "h", RunDay.EASY: "e", RunDay.REST: "r"}
KINDS = {letter: kind for kind, letter in LETTERS.items()}
# About a year of days: the longest span a plan can have, with room to spare.
MAX_DAYS = 400
FORM = re.compile(r"(\d{4}-\d{2}-\d{2}):([lherLHER]{1," + str(MAX_DAYS) + "})")


@dataclass(frozen=True)
class PlanDays:
    """Each date's kind of run from `first` on; capitals mark the runner's corrections."""

    first: date
    letters: str

    @property
    def text(self) -> str:
        return f"{self.first.isoformat()}:{self.letters}"

    @property
    def last(self) -> date:
        return self.first + timedelta(days=len(self.letters) - 1)

    def run_days(self) -> tuple[tuple[date, RunDay], ...]:
        """Every date's kind, corrections applied: what `schedule.Request.run_days` takes."""
        return tuple((self.day(i), KINDS[c.lower()]) for i, c in enumerate(self.letters))

    def fixes(self) -> dict[date, RunDay]:
        """The runner's corrections alone."""
        return {self.day(i): KINDS[c.lower()] for i, c in enumerate(self.letters) if c.isupper()}

    def day(self, index: int) -> date:
        return self.first + timedelta(days=index)

    def corrected(self, kinds: Mapping[date, RunDay]) -> PlanDays:
        """The runner's choice per date: a kind other than the one read becomes a correction."""
        letters = []
        for i, c in enumerate(self.letters):
            chosen = kinds.get(self.day(i), KINDS[c.lower()])
            read = c.lower() if c.islower() else None
            letters.append(LETTERS[chosen] if chosen is _kind(read) else LETTERS[chosen].upper())
        return PlanDays(self.first, "".join(letters))

    def reread(self, reading: Reading) -> PlanDays:
        """A new reading of the running plan with this plan's corrections kept."""
        return of_reading(reading, self.fixes())


def _kind(letter: str | None) -> RunDay | None:
    return KINDS[letter] if letter else None


def of_reading(reading: Reading, fixes: Mapping[date, RunDay] | None = None) -> PlanDays:
    """A reading in stored form, with the runner's `fixes` on the dates it covers."""
    fixes = fixes or {}
    letters = (
        LETTERS[fixes[d.day]].upper() if d.day in fixes else LETTERS[d.kind] for d in reading.days
    )
    return PlanDays(reading.days[0].day, "".join(letters))


def parse_days(raw: str) -> PlanDays:
    """The stored form `YYYY-MM-DD:letters`; InvalidParameter says what is accepted."""
    match = FORM.fullmatch(raw.strip())
    if match:
        try:
            return PlanDays(date.fromisoformat(match[1]), match[2])
        except ValueError:
            pass
    raise InvalidParameter(
        f"'{FIELD}' must be a date YYYY-MM-DD, a colon and one letter per day from that date:"
        f" l (long), h (hard), e (easy) or r (rest), at most {MAX_DAYS}; capitals mark your"
        " corrections.",
        field=FIELD,
    )
