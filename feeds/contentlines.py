"""Content lines as icalendar writes them, each distinct one escaped and folded only once.

Most lines of a feed repeat across feeds and requests: the same routine text, cue and link in
every runner's calendar. icalendar stays the authority on escaping and folding (RFC 5545 3.1,
3.3.11); this module asks it once per distinct (property, value) and keeps the answer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from icalendar import Alarm, Event

# Distinct lines kept per worker: session descriptions are 1-2 kB, so a few megabytes.
LINES_KEPT = 4096


def line(name: str, value: str) -> bytes:
    """One text or URI property of an event, escaped and folded by icalendar, with its CRLF."""
    return _kept(name, value)


def build(name: str, value: object) -> bytes:
    """One event property, escaped and folded by icalendar, with its CRLF (not kept)."""
    event = Event()
    event.add(name, value)
    folded: bytes = event.content_line(name, event[name]).to_ical()
    return folded + b"\r\n"


# Keyed by text only: equal datetimes in different zones hash alike, so they are never kept.
_kept = lru_cache(maxsize=LINES_KEPT, typed=True)(build)


@lru_cache(maxsize=LINES_KEPT)
def alarm_block(minutes: int, summary: str) -> bytes:
    """A display reminder `minutes` before the start, as icalendar writes it."""
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", summary)
    alarm.add("TRIGGER", timedelta(minutes=-minutes))
    block: bytes = alarm.to_ical()
    return block


def when(name: str, value: date | datetime) -> bytes:
    """A DATE or UTC DATE-TIME line (RFC 5545 3.3.4, 3.3.5), formatted directly.

    Other values (a zoned time, microseconds) go through icalendar each time.
    """
    if type(value) is date:
        return b"%s;VALUE=DATE:%04d%02d%02d\r\n" % (name.encode(), *value.timetuple()[:3])
    if isinstance(value, datetime) and value.tzinfo is UTC and not value.microsecond:
        stamp = value.timetuple()[:6]
        return b"%s:%04d%02d%02dT%02d%02d%02dZ\r\n" % (name.encode(), *stamp)
    return build(name, value)
