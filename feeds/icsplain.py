"""The plain icalendar build of a feed: the reference `ics.render` matches byte for byte.

Tests compare the two over many feeds and texts; the benchmark measures the fast path against
this one. The service itself never calls it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

from icalendar import Alarm, Event

from .events import Entry
from .ics import FeedMeta, Revision, _span, calendar, uid_for


def render(
    entries: Iterable[Entry], meta: FeedMeta, revisions: Mapping[str, Revision] | None = None
) -> bytes:
    """Build the calendar with icalendar: one Event per entry, then `to_ical()`."""
    cal = calendar(meta)
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
        categories=list(entry.categories),
    )
    timed = isinstance(start, datetime)
    event.add("TRANSP", "OPAQUE" if timed else "TRANSPARENT")
    if meta.alarm is not None and entry.minutes is not None:
        event.add_component(_alarm(meta.alarm, entry.summary))
    return event


def _alarm(minutes: int, summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", summary)
    alarm.add("TRIGGER", timedelta(minutes=-minutes))
    return alarm
