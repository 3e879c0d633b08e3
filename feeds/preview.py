"""What the plan page shows once a runner has entered dates (pure: today is an argument)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from .cache import hashed_once
from .dates import Anchored, week_numbers, weekday_names
from .i18n import _
from .plans import Library
from .schedule import Schedule, Session, Week
from .subscribe import with_param
from .wording import describe_adaptation, session_note


@dataclass(frozen=True)
class Preview:
    """A dated schedule with the links that put it in a calendar."""

    schedule: Schedule
    feed_url: str
    page_url: str
    qr_url: str  # the page's QR code, drawn by its own route (pages.plan_qr)
    name: str
    today: date

    @property
    def current(self) -> int | None:
        """The index of the week holding today, if the plan is running."""
        return next((w.index for w in self.schedule.weeks if is_current(w, self.today)), None)

    @property
    def download_url(self) -> str:
        """The feed as a file to download once (it won't update)."""
        return with_param(self.feed_url, "download", "1")

    @property
    def adaptation(self) -> list[str]:
        return adaptation(self.schedule)

    @property
    def training_days(self) -> str:
        names = weekday_names()
        return ", ".join(names[d] for d in sorted(self.schedule.training_days))


def adaptation(schedule: Schedule) -> list[str]:
    """How the program was fitted to the weeks there are, one paragraph an item."""
    return describe_adaptation(schedule).split("\n\n")


def week_end(week: Week) -> date:
    return week.monday + timedelta(days=6)


def is_current(week: Week, today: date) -> bool:
    return week.monday <= today <= week_end(week)


@dataclass(frozen=True)
class Cell:
    """One day of the calendar grid: its date and the session on it, if any (with its name)."""

    day: date
    session: Session | None
    heavy: bool
    today: bool
    name: str = ""


def cells(library: Library, week: Week, today: date) -> tuple[Cell, ...]:
    """A week's row of the grid, Monday to Sunday."""
    by_day = {s.day: s for s in week.sessions}
    days = (week.monday + timedelta(days=n) for n in range(7))
    return tuple(_cell(library, d, by_day.get(d), today) for d in days)


def _cell(library: Library, day: date, session: Session | None, today: date) -> Cell:
    if session is None:
        return Cell(day, None, False, day == today)
    routine = library.routine(session.routine)
    return Cell(day, session, routine.heavy, day == today, routine.name)


@dataclass(frozen=True)
class WeekShown:
    """A week as the grid and the week-by-week list show it: its last day, whether it is now.

    Equal ones look the same, so a page keeps their HTML by it (`{% kept %}`): runners whose
    races fall in the same week with the same choices share most weeks.
    """

    week: Week
    end: date
    current: bool
    past: bool
    # The plan's count of weeks (its week numbers are marked against it: `number`).
    weeks: int

    def __hash__(self) -> int:
        """Hashed once: a week's hash walks its sessions and unit, and a page looks each up
        twice (grid, list)."""
        return hashed_once(self)

    @property
    def number(self) -> str:
        """The week's number; within `dates.marked`, a mark counted from the race."""
        return week_numbers(self.week.index, self.weeks)[0]

    def anchored(self, today: date | None = None) -> Anchored | WeekShown:
        """Its key for kept HTML at any whole-week shift: its kind (its unit, sessions and
        unplaced ones by weekday), how many weeks it lies from the race, its unlock day, whether
        it is now or done, and where `today` falls in it, dated from its Monday
        (`dates.Anchored`). Plans with the same choices share it wherever their races fall (the
        program is laid out back from the race); a week of no kind (a runner's moves, a running
        plan's days) is its own key."""
        week = self.week
        if week.kind is None:
            return self
        inside = None if today is None else (today - week.monday).days
        unlock = (week.unlock - week.monday).days
        facts = (week.kind, week.index - self.weeks, unlock, self.current, self.past, inside)
        return Anchored(facts, week.monday, self.weeks)


def weeks_shown(schedule: Schedule, today: date) -> tuple[WeekShown, ...]:
    """The schedule's weeks as a page shows them on `today`."""
    weeks = len(schedule.weeks)
    return tuple(_shown(w, today, weeks) for w in schedule.weeks)


def _shown(week: Week, today: date, weeks: int) -> WeekShown:
    end = week_end(week)
    return WeekShown(week, end, is_current(week, today), end < today, weeks)


@dataclass(frozen=True)
class Line:
    """A session as the week-by-week list shows it: the routine's name, link and minutes."""

    session: Session
    name: str
    url: str
    minutes: str
    note: str


# A routine's name, link and "45 min", made once a page.
Words = dict[str, tuple[str, str, str]]


def session_lines(
    library: Library, week: Week, link: Callable[[str], str], made: Words
) -> tuple[Line, ...]:
    """A week's sessions as its list shows them; `made` keeps each routine's words."""

    def line(s: Session) -> Line:
        if s.routine not in made:
            routine = library.routine(s.routine)
            minutes = _("%(minutes)s min", minutes=routine.minutes)
            made[s.routine] = (routine.name, link(s.routine), minutes)
        return Line(s, *made[s.routine], session_note(s))

    return tuple(map(line, week.sessions))


def next_session(schedule: Schedule, today: date) -> Session | None:
    """Today's session, else the next one; None once the last is done."""
    return next((s for w in schedule.weeks for s in w.sessions if s.day >= today), None)


def weeks_done(schedule: Schedule, today: date) -> int:
    """How many of the plan's weeks are behind the runner, counting this one as under way."""
    return sum(1 for w in schedule.weeks if w.monday <= today)
