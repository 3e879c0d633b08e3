"""What the plan page shows once a runner has entered dates (pure: today is an argument)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .schedule import WEEKDAY_NAMES, Schedule, Week, describe_adaptation


@dataclass(frozen=True)
class Preview:
    """A dated schedule with the links that put it in a calendar."""

    schedule: Schedule
    feed_url: str
    page_url: str
    name: str
    today: date

    @property
    def current(self) -> int | None:
        """The index of the week holding today, if the plan is running."""
        return next((w.index for w in self.schedule.weeks if is_current(w, self.today)), None)

    @property
    def adaptation(self) -> list[str]:
        return adaptation(self.schedule)

    @property
    def training_days(self) -> str:
        return ", ".join(WEEKDAY_NAMES[d] for d in sorted(self.schedule.training_days))


def adaptation(schedule: Schedule) -> list[str]:
    """How the program was fitted to the weeks there are, one paragraph an item."""
    return describe_adaptation(schedule).split("\n\n")


def week_end(week: Week) -> date:
    return week.monday + timedelta(days=6)


def is_current(week: Week, today: date) -> bool:
    return week.monday <= today <= week_end(week)
