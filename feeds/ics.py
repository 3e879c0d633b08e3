"""Serialise calendar entries to deterministic iCalendar bytes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vText

from .events import Entry

PRODID = "-//Strength Feeds//Race Strength Plans 1.0//EN"
# Clients may poll at most this often (RFC 7986 section 5.7; Outlook reads X-PUBLISHED-TTL).
REFRESH = timedelta(hours=12)
UID_ROOT = uuid.UUID("6f1c3c55-8a4e-4a53-9a5e-3d0f8f2b7c11")


@dataclass(frozen=True)
class Timing:
    """Timed sessions: a local start time in an IANA zone."""

    at: time
    zone: ZoneInfo


@dataclass(frozen=True)
class Revision:
    """How often a slot's event has changed and when it last did."""

    sequence: int
    modified: datetime


@dataclass(frozen=True)
class FeedMeta:
    name: str
    description: str
    scope: str
    stamp: datetime
    timing: Timing | None = None
    alarm: int | None = None


def uid_for(scope: str, slot: str) -> str:
    """A stable, opaque UID for one plan slot within one feed scope (no personal data)."""
    return str(uuid.uuid5(UID_ROOT, f"{scope}/{slot}"))


def render(
    entries: Iterable[Entry], meta: FeedMeta, revisions: Mapping[str, Revision] | None = None
) -> bytes:
    """Build the calendar; same entries and meta give the same bytes."""
    cal = Calendar.new(
        prodid=PRODID,
        uid=uid_for(meta.scope, "calendar"),
        name=meta.name,
        description=meta.description,
    )
    # icalendar writes this X- property raw; as TEXT (RFC 5545 3.3.11) a comma is escaped, or
    # parsers such as vobject read a list and keep only what precedes the first comma.
    cal["X-WR-CALDESC"] = vText(meta.description)
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", "PT12H")
    if meta.timing is not None:
        # Events are in UTC; this only tells Google which zone to show the calendar in.
        cal.add("X-WR-TIMEZONE", meta.timing.zone.key)
    used: dict[date, int] = {}
    for entry in entries:
        revision = (revisions or {}).get(entry.slot) or Revision(0, meta.stamp)
        cal.add_component(_event(entry, meta, revision, used))
    body: bytes = cal.to_ical()
    return body


def _event(entry: Entry, meta: FeedMeta, revision: Revision, used: dict[date, int]) -> Event:
    start, end = _span(entry, meta.timing, used)
    event = Event.new(
        uid=uid_for(meta.scope, entry.slot),
        stamp=revision.modified,
        last_modified=revision.modified,
        sequence=revision.sequence,
        start=start,
        end=end,
        summary=entry.summary,
        description=entry.description,
        url=entry.url,
        categories=[entry.category],
    )
    timed = isinstance(start, datetime)
    event.add("TRANSP", "OPAQUE" if timed else "TRANSPARENT")
    if meta.alarm is not None and entry.minutes is not None:
        event.add_component(_alarm(meta.alarm, entry.summary))
    return event


def spans(
    entries: Iterable[Entry], timing: Timing | None
) -> dict[str, tuple[date | datetime, date | datetime]]:
    """Each entry's start and end by slot, exactly as `render` writes them."""
    used: dict[date, int] = {}
    return {entry.slot: _span(entry, timing, used) for entry in entries}


def _span(
    entry: Entry, timing: Timing | None, used: dict[date, int]
) -> tuple[date | datetime, date | datetime]:
    """All-day with an exclusive end (RFC 5545 3.6.1), or a UTC block after earlier sessions."""
    if timing is None or entry.minutes is None:
        return entry.day, entry.day + timedelta(days=1)
    offset = used.get(entry.day, 0)
    used[entry.day] = offset + entry.minutes
    # Later sessions follow the earlier ones in elapsed time: added to the UTC instant, not to
    # the local clock, which jumps on a daylight-saving day. A local time the clock skips or
    # repeats reads with the offset in force before the change (PEP 495, fold=0).
    first = datetime.combine(entry.day, timing.at, tzinfo=timing.zone).astimezone(UTC)
    start = first + timedelta(minutes=offset)
    return start, start + timedelta(minutes=entry.minutes)


def _alarm(minutes: int, summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", summary)
    alarm.add("TRIGGER", timedelta(minutes=-minutes))
    return alarm
