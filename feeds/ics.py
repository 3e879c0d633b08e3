"""Serialise calendar entries to deterministic iCalendar bytes."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from icalendar import Calendar, vText

from . import contentlines, dates, events, placement, schedule, shifts
from .contentlines import (
    INSTANTS_KEPT,
    LINES_KEPT,
    LineParts,
    alarm_block,
    build,
    dated_line_parts,
    line,
    shared_line_parts,
    to_ical,
    when,
)
from .events import Entry

PRODID = "-//Strength Feeds//Race Strength Plans 1.0//EN"
# Clients may poll at most this often (RFC 7986 section 5.7; Outlook reads X-PUBLISHED-TTL).
REFRESH = timedelta(hours=12)
UID_ROOT = uuid.UUID("6f1c3c55-8a4e-4a53-9a5e-3d0f8f2b7c11")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MARK = "placeholder-4f0c9a"
# The scopes of managed plans ("sub/<id>", "sub/<id>/download"): one plan's each.
OWN_SCOPE = "sub/"
# Every event's properties in the order icalendar writes them (its canonical ones, then
# alphabetical); URL and a VALARM follow only where an entry has them.
NAMES = (
    "SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "UID", "SEQUENCE",
    "CATEGORIES", "DESCRIPTION", "LAST-MODIFIED", "TRANSP",
)  # fmt: skip
TRANSP = {True: b"TRANSP:OPAQUE\r\n", False: b"TRANSP:TRANSPARENT\r\n"}
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Timing:
    """Timed sessions: a local start time in an IANA zone, or a time per weekday over it."""

    at: time
    zone: ZoneInfo
    # (weekday, time) pairs, Monday 0: these weekdays start at their own time instead of `at`.
    by_day: tuple[tuple[int, time], ...] = ()

    def start_on(self, day: date) -> time:
        """The local start time of the first session on `day`."""
        if self.by_day:
            weekday = day.weekday()
            for each, at in self.by_day:
                if each == weekday:
                    return at
        return self.at


class Revision(NamedTuple):
    """How often a slot's event has changed and when it last did (a named tuple: a managed
    feed builds one per event on every read)."""

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
    """A stable, opaque UID for one plan slot within one feed scope (no personal data).

    `str(uuid.uuid5(UID_ROOT, f"{scope}/{slot}"))`, without building a UUID object: the SHA-1's
    first 32 hex digits with the version digit set to 5 and the variant bits to 10 (RFC 9562
    section 5.5).
    """
    hashed = _UID_HASH.copy()
    hashed.update(f"{scope}/{slot}".encode())
    h = hashed.hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


_UID_HASH = hashlib.sha1(UID_ROOT.bytes, usedforsecurity=False)
# A hex digit with its two high bits set to the RFC's variant, 10.
_VARIANT = {f"{n:x}": f"{n & 0x3 | 0x8:x}" for n in range(16)}


def _uid_lines(scope: str) -> Callable[[str, str], bytes]:
    """What writes an event's UID line in `scope`. A managed plan's scope is its own, so its
    UIDs are new to this worker on every fetch: kept, they would only push out the UIDs many
    feeds share."""
    return _line_of_uid if scope.startswith(OWN_SCOPE) else _shared_uid_line


def _line_of_uid(scope: str, slot: str) -> bytes:
    return f"UID:{uid_for(scope, slot)}\r\n".encode()


_shared_uid_line = lru_cache(maxsize=LINES_KEPT)(_line_of_uid)


def render(
    entries: Iterable[Entry], meta: FeedMeta, revisions: Mapping[str, Revision] | None = None
) -> bytes:
    """The calendar's bytes, exactly as `icsplain.render` (icalendar) writes them, only faster.

    Same entries and meta give the same bytes.
    """
    parts = [header(meta)]
    used: dict[date, int] = {}
    unchanged = Revision(0, meta.stamp)
    revision_of = (revisions or {}).get
    uid_line = _uid_lines(meta.scope)
    # Most events of a feed share one revision: its lines written once for them.
    last: Revision | None = None
    revised = (b"", b"", b"")
    for entry in entries:
        revision = revision_of(entry.slot) or unchanged
        if revision is not last:
            last, revised = revision, _revised(revision)
        times = _times(entry, meta.timing, used)
        parts += _event(entry, meta, revised, uid_line(meta.scope, entry.slot), times)
    parts.append(b"END:VCALENDAR\r\n")
    # Joined once: an event's lines go into the calendar without being joined on the way.
    return b"".join(parts)


def _revised(revision: Revision) -> tuple[bytes, bytes, bytes]:
    """A revision's DTSTAMP, SEQUENCE and LAST-MODIFIED lines."""
    stamp, modified = _stamps(revision.modified, revision.modified.tzinfo)
    return stamp, b"SEQUENCE:%d\r\n" % revision.sequence, modified


def forget() -> None:
    """Drop every kept line, header, UID, text, week, plan and placement (the benchmark's
    start-up state)."""
    contentlines.forget()
    dates.forget()
    events.forget()
    shifts.forget()
    placement.forget()
    schedule.forget()
    _template.cache_clear()
    _first_instant.cache_clear()
    _all_day_lines.cache_clear()
    _timed_lines.cache_clear()
    _shared_uid_line.cache_clear()


def calendar(meta: FeedMeta) -> Calendar:
    """The calendar component without its events."""
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
    return cal


def header(meta: FeedMeta) -> bytes:
    """The calendar's lines before its first event, as icalendar writes them."""
    # One template per description and zone; the name and UID lines differ per feed.
    zone = meta.timing and Timing(time(), meta.timing.zone)
    template = _template(FeedMeta(MARK, meta.description, MARK, EPOCH, zone))
    uid = b"UID:%s\r\n" % uid_for(meta.scope, "calendar").encode()
    names = (line("NAME", meta.name), line("X-WR-CALNAME", meta.name))
    return template % (*names, uid)


@lru_cache(maxsize=LINES_KEPT)
def _template(meta: FeedMeta) -> bytes:
    """The header with %s where the name, display name and UID lines go."""
    uid = uid_for(MARK, "calendar")
    marks = {f"NAME:{MARK}\r\n", f"X-WR-CALNAME:{MARK}\r\n", f"UID:{uid}\r\n"}
    lines = to_ical(calendar(meta)).replace(b"%", b"%%").splitlines(keepends=True)
    whole = b"".join(b"%s" if each.decode() in marks else each for each in lines)
    return whole.removesuffix(b"END:VCALENDAR\r\n")


def _event(
    entry: Entry,
    meta: FeedMeta,
    revised: tuple[bytes, bytes, bytes],
    uid: bytes,
    times: tuple[bytes, bytes],
) -> LineParts:
    """One event's lines, as parts that join into them; `revised`: its revision's
    (`_revised`), `uid`: its UID line, `times`: its DTSTART and DTEND lines and its TRANSP line
    (`_times`)."""
    stamp, sequence, modified = revised
    span, transp = times
    alarm = b""
    if meta.alarm is not None and entry.minutes is not None:
        alarm = alarm_block(meta.alarm, entry.summary)
    # NAMES, then URL: icalendar's order (tested).
    return (
        b"BEGIN:VEVENT\r\n",
        line("SUMMARY", entry.summary),
        span,
        stamp,
        uid,
        sequence,
        _categories(entry.categories),
        *_description(entry),
        modified,
        transp,
        b"" if entry.url is None else line("URL", entry.url),
        alarm,
        b"END:VEVENT\r\n",
    )


def _description(entry: Entry) -> LineParts:
    if entry.dating is not None:
        return dated_line_parts("DESCRIPTION", entry.text, entry.shared, entry.dating)
    if entry.shared:
        return shared_line_parts("DESCRIPTION", entry.text, entry.shared)
    return (line("DESCRIPTION", entry.text),)


@cache
def _categories(names: tuple[str, ...]) -> bytes:
    """The CATEGORIES line: a comma-separated list of TEXT values (RFC 5545 3.8.1.2)."""
    return build("CATEGORIES", list(names))


@lru_cache(maxsize=256)
def _stamps(at: datetime, zone: object) -> tuple[bytes, bytes]:
    """DTSTAMP and LAST-MODIFIED of a revision, kept by time and zone (equal times in different
    zones hash alike)."""
    return when("DTSTAMP", at), when("LAST-MODIFIED", at)


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
        return entry.day, entry.day + ONE_DAY
    day, minutes = entry.day, entry.minutes
    return _timed_span(day, timing.start_on(day), timing.zone, _offset(day, minutes, used), minutes)


def _offset(day: date, minutes: int, used: dict[date, int]) -> int:
    """Minutes of earlier sessions on a timed session's day (`used`, counted on by its own)."""
    offset = used.get(day, 0)
    used[day] = offset + minutes
    return offset


def _timed_span(
    day: date, at: time, zone: ZoneInfo, offset: int, minutes: int
) -> tuple[datetime, datetime]:
    """A session of `minutes` that starts `offset` minutes after `at` on `day`, in UTC."""
    # Later sessions follow the earlier ones in elapsed time: added to the UTC instant, not to
    # the local clock, which jumps on a daylight-saving day. A local time the clock skips or
    # repeats reads with the offset in force before the change (PEP 495, fold=0).
    start = _first_instant(day, at, zone) + timedelta(minutes=offset)
    return start, start + timedelta(minutes=minutes)


def _times(entry: Entry, timing: Timing | None, used: dict[date, int]) -> tuple[bytes, bytes]:
    """The DTSTART and DTEND lines of the entry's `_span`, and its TRANSP line: kept by what
    decides them, so that a feed's events look up one pair each instead of building two dates
    or instants and looking up each one's line."""
    day, minutes = entry.day, entry.minutes
    if timing is None or minutes is None:
        return _all_day_lines(day)
    offset = _offset(day, minutes, used)
    return _timed_lines(day, timing.start_on(day), timing.zone, offset, minutes)


@lru_cache(maxsize=LINES_KEPT)
def _all_day_lines(day: date) -> tuple[bytes, bytes]:
    return when("DTSTART", day) + when("DTEND", day + ONE_DAY), TRANSP[False]


@lru_cache(maxsize=INSTANTS_KEPT)
def _timed_lines(
    day: date, at: time, zone: ZoneInfo, offset: int, minutes: int
) -> tuple[bytes, bytes]:
    start, end = _timed_span(day, at, zone, offset, minutes)
    return when("DTSTART", start) + when("DTEND", end), TRANSP[True]


@lru_cache(maxsize=INSTANTS_KEPT)
def _first_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of `at` on `day` in `zone` (timed plans share their days and times)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
