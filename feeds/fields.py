"""The runner's choices as one table: each field's name, syntax, canonical text, JSON and label.

This table drives the feed query parser, the plan and manage forms, the JSON API, the stored
plan and the templates' values. A new option is one `Field` here (plus its wording and tests).
Parsing checks syntax only; rules that depend on today live in `policy`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

from . import adjustments
from .errors import InvalidParameter
from .i18n import N_, _
from .runplan.address import parse_url
from .runplan.days import PlanDays, parse_days
from .schedule import DEFAULT_LONG_DAY, WEEKDAY_NAMES, WEEKDAYS
from .zones import canonical

EQUIPMENT = ("gym", "home", "none")
LEVELS = ("new", "experienced")
# How each option is named to a runner (pages, the calendar's introduction).
# Catalogue messages (N_): translated where shown, with `_()`.
EQUIPMENT_NAMES = {
    "gym": N_("Gym (barbell, rack, machines)"),
    "home": N_("Home (dumbbells or kettlebells, a bench or step, a band)"),
    "none": N_("No equipment (bodyweight, a band, a backpack, a chair or stairs)"),
}
LEVEL_NAMES = {"new": N_("New to lifting"), "experienced": N_("Experienced lifter")}
MAX_ALARM_MINUTES = 7 * 24 * 60
DATE_FORM = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME_FORM = re.compile(r"(\d{2}):(\d{2})")


@dataclass(frozen=True)
class Field:
    """One choice: `parse` reads its text (raising InvalidParameter), `text` writes it back."""

    name: str
    label: str
    parse: Callable[[str], Any]
    text: Callable[[Any], str]
    default: Any
    # What the JSON API accepts, in an error message's words.
    json_hint: str
    # Accepted on the stateless feed URL (else forms and the API only).
    in_feed: bool = True
    json_kind: str = "text"
    # What fixes a malformed value, in a runner's words, for the forms (catalogued, see `N_`).
    fix: str = ""

    def to_json(self, value: Any) -> Any:
        """The value as the API shows it."""
        if value is None or self.json_kind in ("bool", "int"):
            return value
        if self.json_kind == "list":
            return self.text(value).split(",") if value else []
        return self.text(value)

    def from_json(self, value: Any) -> str | None:
        """A JSON value as this field's text; None clears an optional field."""
        if value is None and self.default is not REQUIRED:
            return None
        if self.json_kind == "list" and isinstance(value, list):
            if all(isinstance(v, str) for v in value):
                return ",".join(value)
        elif self.json_kind == "int":
            if isinstance(value, int) and not isinstance(value, bool):
                return str(value)
        elif self.json_kind == "bool":
            if isinstance(value, bool):
                return "1" if value else "0"
        elif isinstance(value, str):
            return value
        raise wrong_type(self.name, self.json_hint, value)


REQUIRED: Any = object()


def show(text: str) -> str:
    """A short, printable echo of user input for an error message."""
    clean = "".join(c if c.isascii() and c.isprintable() else "?" for c in text)
    return clean[:30]


# What a JSON value is, in the words of a "got ..." (null is JSON's own word).
GOT = {bool: N_("true/false"), int: N_("a number"), float: N_("a number"), str: N_("a string")}
GOT |= {list: N_("a list"), dict: N_("an object"), type(None): "null"}


def wrong_type(name: str, what: str, value: Any) -> InvalidParameter:
    """`name` holds a JSON value of the wrong type; `what` says what it takes."""
    got = GOT.get(type(value), N_("something else"))
    return InvalidParameter(
        _("'%(name)s' must be %(what)s; got %(got)s.", name=name, what=what, got=_(got)),
        field=name,
    )


def _date(name: str) -> Callable[[str], date]:
    def parse(raw: str) -> date:
        if DATE_FORM.fullmatch(raw):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                pass
        raise InvalidParameter(
            f"'{name}' must be a real calendar date as YYYY-MM-DD, for example 2027-04-18;"
            f" got '{show(raw)}'.",
            field=name,
        )

    return parse


def weekday(raw: str, name: str) -> int:
    value = raw.strip().lower()
    for index, (short, full) in enumerate(zip(WEEKDAYS, WEEKDAY_NAMES, strict=True)):
        if value in (short, full.lower()):
            return index
    raise InvalidParameter(
        f"'{name}' must be a weekday: one of {', '.join(WEEKDAYS)}; got '{show(raw)}'.",
        field=name,
    )


def _weekdays(name: str) -> Callable[[str], frozenset[int]]:
    def parse(raw: str) -> frozenset[int]:
        parts = [p.strip() for p in raw.split(",")]
        if any(not p for p in parts):
            raise InvalidParameter(
                f"'{name}' must be weekdays separated by commas, for example tue,thu,sat;"
                f" got '{show(raw)}'.",
                field=name,
            )
        return frozenset(weekday(p, name) for p in parts)

    return parse


def weekdays_text(days: frozenset[int]) -> str:
    return ",".join(WEEKDAYS[d] for d in sorted(days))


def _clock(raw: str) -> time:
    match = TIME_FORM.fullmatch(raw)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    raise InvalidParameter(
        f"'time' must be a 24-hour time as HH:MM, for example 07:00; got '{show(raw)}'.",
        field="time",
    )


@dataclass(frozen=True)
class DayTimes:
    """A start time per weekday (Monday 0), over an optional default for every other day."""

    default: time | None
    by_day: tuple[tuple[int, time], ...]

    @property
    def text(self) -> str:
        days = [f"{WEEKDAYS[d]}:{t:%H:%M}" for d, t in self.by_day]
        return ",".join([f"{self.default:%H:%M}", *days] if self.default else days)

    @property
    def first(self) -> time:
        """The time of a day without one of its own: the default, else the first day's."""
        return self.default or self.by_day[0][1]

    def strftime(self, _format: str) -> str:
        """Templates show a single time with strftime; several show as written."""
        return self.text


def _times(raw: str) -> time | DayTimes:
    """One time (07:00), or times by weekday (mon:06:30,thu:18:00) over an optional default."""
    if "," not in raw and raw.count(":") < 2:
        return _clock(raw)
    default, by_day = None, {}
    for part in (p.strip() for p in raw.split(",")):
        day, _, at = part.rpartition(":")
        if ":" not in day:
            if default is not None:
                raise _times_error(raw, "give one time without a weekday at most")
            default = _clock(part)
            continue
        index = weekday(day.partition(":")[0], "time")
        if index in by_day:
            raise _times_error(raw, f"{WEEKDAYS[index]} is named twice")
        by_day[index] = _clock(f"{day.partition(':')[2]}:{at}")
    return DayTimes(default, tuple(sorted(by_day.items())))


def _times_error(raw: str, why: str) -> InvalidParameter:
    return InvalidParameter(
        f"'time' must be one time such as 07:00, or times by weekday such as"
        f" mon:06:30,thu:18:00 (with an optional default first: 07:00,thu:18:00): {why};"
        f" got '{show(raw)}'.",
        field="time",
    )


def _times_text(value: time | DayTimes) -> str:
    return value.text if isinstance(value, DayTimes) else f"{value:%H:%M}"


def _zone(raw: str) -> ZoneInfo:
    """A place's IANA zone; old names such as US/Eastern read as their canonical one."""
    return ZoneInfo(canonical(raw))


def _alarm(raw: str) -> int:
    if raw.isdigit() and int(raw) <= MAX_ALARM_MINUTES:
        return int(raw)
    raise InvalidParameter(
        f"'alarm' must be whole minutes before the session, 0 to {MAX_ALARM_MINUTES};"
        f" got '{show(raw)}'.",
        field="alarm",
    )


def _one_of(name: str, allowed: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw.lower() in allowed:
            return raw.lower()
        raise InvalidParameter(
            f"'{name}' must be one of {', '.join(allowed)}; got '{show(raw)}'.", field=name
        )

    return parse


def _flag(name: str) -> Callable[[str], bool]:
    def parse(raw: str) -> bool:
        if raw.lower() in ("1", "true", "on", "yes"):
            return True
        if raw.lower() in ("0", "false", "off", "no"):
            return False
        raise InvalidParameter(f"'{name}' must be 1 or 0; got '{show(raw)}'.", field=name)

    return parse


def _plan_days_text(days: PlanDays) -> str:
    return days.text


def _iso(value: Any) -> str:
    return str(value.isoformat())


WEEKDAYS_HINT = 'a list of weekdays such as ["tue", "thu"], a string "tue,thu", or null'

FIELDS: tuple[Field, ...] = (
    Field(
        "race",
        "the race date",
        _date("race"),
        _iso,
        REQUIRED,
        "a date string YYYY-MM-DD",
        fix=N_("Pick your race day in the date field."),
    ),
    Field(
        "start",
        "the start date",
        _date("start"),
        _iso,
        None,
        "a date string or null",
        fix=N_("Pick your start day in the date field, or leave it empty."),
    ),
    Field(
        "days",
        "the training days",
        _weekdays("days"),
        weekdays_text,
        None,
        WEEKDAYS_HINT,
        True,
        "list",
        fix=N_("Tick the days you can do strength work."),
    ),
    Field(
        "long",
        "the long-run day",
        lambda raw: weekday(raw, "long"),
        lambda d: WEEKDAYS[d],
        DEFAULT_LONG_DAY,
        'a weekday string such as "sun"',
        fix=N_("Choose your long-run day from the list."),
    ),
    Field(
        "hard",
        "the hard run days",
        _weekdays("hard"),
        weekdays_text,
        frozenset(),
        WEEKDAYS_HINT,
        True,
        "list",
        fix=N_("Tick your hard run days, or none."),
    ),
    Field(
        "time",
        "the time of day",
        _times,
        _times_text,
        None,
        'a string HH:MM such as "07:00", times by weekday such as "mon:06:30,thu:18:00", or null',
        fix=N_(
            "Enter the time as hours and minutes, such as 07:00, or a time per day such as"
            " mon:06:30,thu:18:00."
        ),
    ),
    Field(
        "tz",
        "the time zone",
        _zone,
        lambda z: str(z.key),
        None,
        'an IANA zone string such as "Europe/Berlin", or null',
        fix=N_(
            "Enter your time zone as region and city, such as Europe/London or America/New_York."
        ),
    ),
    Field(
        "alarm",
        "the reminder",
        _alarm,
        str,
        None,
        "a whole number of minutes, or null",
        True,
        "int",
        fix=N_("Enter the reminder as whole minutes before the session, from 0 to 10080 (a week)."),
    ),
    Field(
        "equipment",
        "the equipment",
        _one_of("equipment", EQUIPMENT),
        str,
        "gym",
        f"one of {', '.join(EQUIPMENT)}",
        fix=N_("Choose your equipment from the list."),
    ),
    Field(
        "level",
        "your lifting experience",
        _one_of("level", LEVELS),
        str,
        "experienced",
        f"one of {', '.join(LEVELS)}",
        fix=N_("Choose your lifting experience from the list."),
    ),
    Field(
        "unlock_weekly",
        "weekly unlocking",
        _flag("unlock_weekly"),
        lambda b: "1" if b else "0",
        False,
        "true or false",
        False,
        "bool",
    ),
    # Managed plans only: the running plan is read when the plan is saved, never per feed URL.
    Field(
        "running_plan_url",
        "your running plan's address",
        parse_url,
        str,
        None,
        "an https URL string, or null",
        False,
    ),
    Field(
        "running_plan_days",
        "your running plan's days",
        parse_days,
        _plan_days_text,
        None,
        'a string "YYYY-MM-DD:" plus one letter per day (l, h, e, r), then any ";tue=h"'
        ' (every Tuesday) or ";+3=e" (the fourth day) corrections, or null',
        False,
    ),
    # Managed plans only: the runner's moves, skips and pauses (see `adjustments`).
    Field(
        "adjust",
        "your changes to single weeks",
        adjustments.parse,
        lambda a: str(a.text),
        adjustments.NO_CHANGES,
        'a string such as "move:week-05/heavy-lower-a/1:2027-02-11;skip:...;pause:2027-02-01+7",'
        " or null",
        False,
    ),
)
BY_NAME = {f.name: f for f in FIELDS}
FEED_FIELDS = tuple(f.name for f in FIELDS if f.in_feed)
LABELS = {f.name: f.label for f in FIELDS}
