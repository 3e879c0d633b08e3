"""Read the runs of a running-plan calendar (.ics bytes), recurrences and time zones included."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

import recurring_ical_events  # type: ignore[import-untyped]
from icalendar import Calendar

from ..i18n import _
from .errors import RunPlanUnreadable

MAX_BYTES = 2_000_000
KM_PER_MILE = 1.609344
DISTANCE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:[.,]\d{1,2})?)\s?(km|k|kms|kilomet\w*|mi|mile|miles|meilen)(?!\w)",
    re.IGNORECASE,
)
MINUTES = re.compile(r"(?<![\w.])(\d{1,3})\s?(?:min\w*|')(?!\w)", re.IGNORECASE)
HOURS = re.compile(
    r"(?<![\w.])(\d{1,2}(?:[.,]\d{1,2})?)\s?(?:h|hr|hrs|hours?|std|stunden?|horas?|ore|uur)(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Run:
    """One event of the running plan on the date the runner sees it."""

    day: date
    title: str
    minutes: int | None = None
    km: float | None = None
    details: str = ""  # the description: read only when the title names no kind of run


def read_runs(data: bytes, first: date, last: date, zone: tzinfo | None = None) -> tuple[Run, ...]:
    """The plan's events from `first` to `last`; timed events dated in `zone` or their own."""
    if len(data) > MAX_BYTES:
        raise RunPlanUnreadable(
            _(
                "The running plan is %(size)s kB; plans up to %(most)s MB are read.",
                size=len(data) // 1000,
                most=MAX_BYTES // 1_000_000,
            )
        )
    events = _occurrences(_calendar(data), first, last)
    runs = (_run(event, zone) for event in events if "DTSTART" in event)
    return tuple(sorted((r for r in runs if first <= r.day <= last), key=_order))


def _order(run: Run) -> tuple[date, str]:
    return run.day, run.title


def _calendar(data: bytes) -> Calendar:
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as error:
        raise RunPlanUnreadable(
            _(
                "The running plan is not an iCalendar file (.ics) this service can read; export"
                " it again from the app that made it."
            )
        ) from error
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise RunPlanUnreadable(_("The running plan is not a calendar: it holds no VCALENDAR."))
    return calendar


def _occurrences(calendar: Calendar, first: date, last: date) -> list[Any]:
    try:
        query = recurring_ical_events.of(calendar, skip_bad_series=True)
        return list(query.between(first, last + timedelta(days=1)))
    except (ValueError, TypeError) as error:
        raise RunPlanUnreadable(
            _(
                "The running plan's events could not be read: %(error)s. Export it again from"
                " the app that made it, or upload the file.",
                error=error,
            )
        ) from error


def _run(event: Any, zone: tzinfo | None) -> Run:
    start = event["DTSTART"].dt
    title = f"{event.get('SUMMARY', '')}".strip()
    details = f"{event.get('DESCRIPTION', '')}".strip()
    return Run(
        day=_local_day(start, zone),
        title=title,
        minutes=_duration(event, start) or _minutes(title) or _minutes(details),
        km=_km(title) or _km(details),
        details=details,
    )


def _local_day(start: date, zone: tzinfo | None) -> date:
    if not isinstance(start, datetime):
        return start
    if zone is not None and start.tzinfo is not None:
        start = start.astimezone(zone)
    return start.date()


def _duration(event: Any, start: date) -> int | None:
    """Minutes between a timed event's start and end; all-day events have none."""
    if not isinstance(start, datetime):
        return None
    if "DURATION" in event:
        length = event["DURATION"].dt
    elif "DTEND" in event and isinstance(event["DTEND"].dt, datetime):
        length = event["DTEND"].dt - start
    else:
        return None
    minutes = int(length.total_seconds() // 60)
    return minutes if 0 < minutes < 24 * 60 else None


def _minutes(text: str) -> int | None:
    hours = HOURS.search(text)
    if hours:
        return round(float(hours.group(1).replace(",", ".")) * 60)
    found = MINUTES.search(text)
    return int(found.group(1)) if found else None


def _km(text: str) -> float | None:
    """The run's distance: the largest named in its title or description (a 5x1 km
    session names 1 km; its total, when given, is larger)."""
    distances = []
    for number, unit in DISTANCE.findall(text):
        value = float(number.replace(",", "."))
        miles = unit.lower().startswith(("mi", "meil"))
        distances.append(value * KM_PER_MILE if miles else value)
    return max(distances, default=None)
