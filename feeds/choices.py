"""A runner's choices, typed and frozen, read from and written to text through `fields.FIELDS`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

from .adjustments import NO_CHANGES, Adjustments
from .errors import InvalidParameter
from .fields import FIELDS, REQUIRED, DayTimes
from .ics import Timing
from .runplan.days import PlanDays
from .schedule import DEFAULT_LONG_DAY, WEEKDAYS, Request


@dataclass(frozen=True)
class Choices:
    """Everything the runner chose for one plan (syntax checked; see `policy` for dates)."""

    distance: str
    race: date
    start: date | None = None
    days: frozenset[int] | None = None
    long: int = DEFAULT_LONG_DAY
    hard: frozenset[int] = frozenset()
    time: time | DayTimes | None = None
    tz: ZoneInfo | None = None
    alarm: int | None = None
    equipment: str = "gym"
    level: str = "experienced"
    unlock_weekly: bool = False
    running_plan_url: str | None = None
    running_plan_days: PlanDays | None = None
    adjust: Adjustments = NO_CHANGES

    @property
    def timing(self) -> Timing | None:
        if self.time is None or self.tz is None:
            return None
        if isinstance(self.time, DayTimes):
            return Timing(self.time.first, self.tz, self.time.by_day)
        return Timing(self.time, self.tz)

    @property
    def request(self) -> Request:
        """What the pure scheduler needs."""
        return Request(
            self.distance,
            self.race,
            self.start,
            self.days,
            self.long,
            equipment=self.equipment,
            level=self.level,
            hard=self.hard,
            run_days=self.running_plan_days.run_days() if self.running_plan_days else (),
            adjust=self.adjust,
        )


# Attributes that are choices (the table's fields), in table order.
NAMES = tuple(f.name for f in FIELDS)
assert set(NAMES) == {f.name for f in fields(Choices)} - {"distance"}


def read(distance: str, values: Mapping[str, str]) -> Choices:
    """Choices from one text value per field (a query, a form, a stored plan); syntax only."""
    parsed: dict[str, Any] = {}
    for field in FIELDS:
        raw = values.get(field.name)
        if raw is None:
            if field.default is REQUIRED:
                raise InvalidParameter(
                    f"'{field.name}' is required, as YYYY-MM-DD.", field=field.name
                )
            continue
        parsed[field.name] = field.parse(raw)
    choices = Choices(distance, **parsed)
    _check_together(choices)
    return choices


def _check_together(choices: Choices) -> None:
    if (choices.time is None) != (choices.tz is None):
        raise InvalidParameter(
            "'time' and 'tz' go together: give both (for example time=07:00&tz=Europe/Berlin)"
            " for timed events, or neither for all-day events.",
            field="time" if choices.time is None else "tz",
        )
    if isinstance(choices.time, DayTimes) and choices.time.default is None:
        _check_every_day(choices.time, choices.days)
    if choices.long in choices.hard:
        raise InvalidParameter(
            "'hard' names your interval and tempo days; your long-run day ('long') cannot be"
            " one of them.",
            field="hard",
        )


def _check_every_day(times: DayTimes, days: frozenset[int] | None) -> None:
    """Times by weekday without a default name every training day, so none is guessed."""
    named = {d for d, _ in times.by_day}
    if days is None:
        raise InvalidParameter(
            "'time' names weekdays without a default time, so give your training days too"
            " (days=), or put a default first, for example 07:00,thu:18:00.",
            field="time",
        )
    if missing := sorted(days - named):
        raise InvalidParameter(
            f"'time' has no time for {', '.join(WEEKDAYS[d] for d in missing)}, one of your"
            " training days: add it (such as thu:18:00) or put a default first, for example"
            " 07:00,thu:18:00.",
            field="time",
        )


def texts(choices: Choices, *, feed_only: bool = False) -> dict[str, str]:
    """The choices as text, in table order, leaving out defaults (the canonical query)."""
    out = {}
    for field in FIELDS:
        value = getattr(choices, field.name)
        if (feed_only and not field.in_feed) or value is None or value == field.default:
            continue
        out[field.name] = field.text(value)
    return out


def as_json(choices: Choices) -> dict[str, Any]:
    """The choices as the API shows them: every field, with null for unset ones."""
    values = {f.name: f.to_json(getattr(choices, f.name)) for f in FIELDS}
    return {"distance": choices.distance, **values}


def merged(base: Choices | None, distance: str, given: Mapping[str, str | None]) -> Choices:
    """`given` over `base` (None clears a field), read again as a whole."""
    values: dict[str, str] = texts(base) if base else {}
    for name, value in given.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    return read(distance, values)
