"""Parse and validate feed parameters; every error names the parameter and the accepted form."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from .errors import Impossible, InvalidParameter, NotFound
from .ics import Timing
from .plans import DISTANCES
from .schedule import DEFAULT_LONG_DAY, WEEKDAY_NAMES, WEEKDAYS, Request

ACCEPTED = ("race", "start", "days", "long", "time", "tz", "alarm", "download")
MAX_VALUE_LENGTH = 64
MAX_ALARM_MINUTES = 7 * 24 * 60
MAX_DAYS_AHEAD = 366
DATE_FORM = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME_FORM = re.compile(r"(\d{2}):(\d{2})")


@dataclass(frozen=True)
class FeedRequest:
    """A validated feed request."""

    plan: Request
    timing: Timing | None = None
    alarm: int | None = None
    download: bool = False


def check_distance(distance: str) -> str:
    if distance not in DISTANCES:
        raise NotFound(
            f"There is no '{show(distance)}' program. Choose one of: {', '.join(DISTANCES)}.",
            field="distance",
        )
    return distance


def parse_values(distance: str, values: Mapping[str, str], today: date) -> FeedRequest:
    """`parse` for parameters that already have one value each (forms, stored choices)."""
    return parse(distance, {name: [value] for name, value in values.items()}, today)


def parse(distance: str, args: Mapping[str, Sequence[str]], today: date) -> FeedRequest:
    """Validate query arguments (each name mapped to all its values) against `today`."""
    check_distance(distance)
    values = _single_values(args)
    race = _date(values, "race", required=True)
    assert race is not None
    start = _date(values, "start")
    if race < today:
        raise Impossible(
            f"The race date {race} has already passed; choose a date from {today} on.",
            field="race",
        )
    if race > today + timedelta(days=MAX_DAYS_AHEAD):
        raise Impossible(
            f"The race date {race} is more than a year away; plans cover races up to"
            f" {today + timedelta(days=MAX_DAYS_AHEAD)}.",
            field="race",
        )
    long_day = _weekday(values.get("long"), "long") if "long" in values else DEFAULT_LONG_DAY
    plan = Request(distance, race, start, _days(values.get("days")), long_day)
    return FeedRequest(plan, _timing(values), _alarm(values.get("alarm")), _flag(values))


def _single_values(args: Mapping[str, Sequence[str]]) -> dict[str, str]:
    unknown = sorted(k for k in args if k not in ACCEPTED)
    if unknown:
        raise InvalidParameter(
            f"Unknown parameter '{show(unknown[0])}'. Accepted: {', '.join(ACCEPTED)}.",
            field=unknown[0] if unknown[0] in ACCEPTED else None,
        )
    out = {}
    for name, given in args.items():
        if len(given) != 1:
            raise InvalidParameter(f"Give '{name}' once, not {len(given)} times.", field=name)
        value = given[0].strip()
        if len(value) > MAX_VALUE_LENGTH or not value.isascii() or not value.isprintable():
            raise InvalidParameter(
                f"'{name}' is too long or has characters outside plain ASCII.", field=name
            )
        out[name] = value
    return out


def show(text: str) -> str:
    """A short, printable echo of user input for an error message."""
    clean = "".join(c if c.isascii() and c.isprintable() else "?" for c in text)
    return clean[:30]


def _date(values: Mapping[str, str], name: str, *, required: bool = False) -> date | None:
    raw = values.get(name)
    if raw is None:
        if required:
            raise InvalidParameter(f"'{name}' is required, as YYYY-MM-DD.", field=name)
        return None
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


def _weekday(raw: str | None, name: str) -> int:
    value = (raw or "").lower()
    for index, (short, full) in enumerate(zip(WEEKDAYS, WEEKDAY_NAMES, strict=True)):
        if value in (short, full.lower()):
            return index
    raise InvalidParameter(
        f"'{name}' must be a weekday: one of {', '.join(WEEKDAYS)}; got '{show(raw or '')}'.",
        field=name,
    )


def _days(raw: str | None) -> frozenset[int] | None:
    if raw is None:
        return None
    parts = [p.strip() for p in raw.split(",")]
    if not parts or any(not p for p in parts):
        raise InvalidParameter(
            f"'days' must be weekdays separated by commas, for example tue,thu,sat;"
            f" got '{show(raw)}'.",
            field="days",
        )
    return frozenset(_weekday(p, "days") for p in parts)


def _timing(values: Mapping[str, str]) -> Timing | None:
    at, zone = values.get("time"), values.get("tz")
    if at is None and zone is None:
        return None
    if at is None or zone is None:
        raise InvalidParameter(
            "'time' and 'tz' go together: give both (for example time=07:00&tz=Europe/Berlin)"
            " for timed events, or neither for all-day events.",
            field="time" if at is None else "tz",
        )
    return Timing(_clock(at), _zone(zone))


def _clock(raw: str) -> time:
    match = TIME_FORM.fullmatch(raw)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    raise InvalidParameter(
        f"'time' must be a 24-hour time as HH:MM, for example 07:00; got '{show(raw)}'.",
        field="time",
    )


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _zone(raw: str) -> ZoneInfo:
    if raw not in _zones():
        raise InvalidParameter(
            f"'tz' must be an IANA time zone such as Europe/Berlin or America/New_York;"
            f" got '{show(raw)}'.",
            field="tz",
        )
    return ZoneInfo(raw)


def _alarm(raw: str | None) -> int | None:
    if raw is None:
        return None
    if raw.isdigit() and int(raw) <= MAX_ALARM_MINUTES:
        return int(raw)
    raise InvalidParameter(
        f"'alarm' must be whole minutes before the session, 0 to {MAX_ALARM_MINUTES};"
        f" got '{show(raw)}'.",
        field="alarm",
    )


def _flag(values: Mapping[str, str]) -> bool:
    raw = values.get("download", "0")
    if raw not in ("0", "1"):
        raise InvalidParameter(f"'download' must be 1 or 0; got '{show(raw)}'.", field="download")
    return raw == "1"
