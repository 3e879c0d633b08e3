"""Content lines as icalendar writes them, each distinct one built only once.

Most lines of a feed repeat across feeds and requests: the same routine text, cue and link in
every runner's calendar. icalendar stays the authority on property types, escaping (RFC 5545
3.3.11) and line layout; this module folds its lines (RFC 5545 3.1) exactly as icalendar's
character-by-character loop does, but a chunk at a time, and keeps each distinct line.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from icalendar import Alarm, Component, Event
from icalendar.parser import _escape_char

from .dates import Dating, Marks, day_words, mark_fillings, pieces, template, written_out

# Distinct lines kept per worker of each other kind (links and names; the shared beginnings of
# session texts, 1-2 kB each, of which a worker meets a few hundred; days).
LINES_KEPT = 8192
# Summaries and whole descriptions (an introduction, a week's overview, a reminder) kept apart
# from the other lines, each by their own count: on a million random plans a worker met about
# 24,000 summaries (60 characters) and 27,000 such descriptions (350) in 18,000 fetches, and in
# one shared place of 8,192 lines 39% and 57% of them were built again. Kept, with their keys:
# about 8 MB of summaries and 25 MB of descriptions.
SUMMARIES_KEPT = 32768
TEXTS_KEPT = 32768
# Escaped lines kept (about 60 characters each, kept with their key): about 8 MB. A worker met
# 7% of them again after 8,192 were kept.
ESCAPED_KEPT = 32768
# UTC instants kept, here and as the first of each timed day (`ics`): a worker met about 84,000
# in 18,000 fetches of timed plans, and found only 27% again among 8,192 kept, 71% among 32,768
# (about 8 MB each).
INSTANTS_KEPT = 32768
# Marked texts (a session's or week's, as kept weeks hold them) cut at their marks, their words
# escaped, kept by text: on a million random plans a worker met about 53,000 in 20,000 fetches,
# and 95% of them again among 32,768 kept (about 1 kB each, with the text's own kept elsewhere).
DATED_KEPT = 32768
# Dated lines' folded ends (`_dated_end`, `_end_folds`; 400-1,000 octets): about 8 MB each.
ENDS_KEPT = 8192
# Dates as TEXT, kept by day number, kind and locale (a worker writes a few thousand).
DAYS_KEPT = 4096
# A content line as bytes that join into it (CRLF included).
LineParts = tuple[bytes, ...]
# icalendar's fold: at most 74 octets before each CRLF-space, whole UTF-8 characters only, and
# a trailing backslash or caret (an escape's first half) moved to the next line.
OCTETS = 74
ESCAPES = (ord("\\"), ord("^"))
# Properties icalendar gives a TEXT value (RFC 5545 3.3.11) when added as a str.
TEXT = frozenset({"SUMMARY", "DESCRIPTION"})


def fold(line: str) -> bytes:
    """One unfolded content line as folded UTF-8, byte for byte as icalendar folds it."""
    return _folded(line.encode())


def _folded(raw: bytes) -> bytes:
    chunks, rest = _chunks(raw)
    chunks.append(rest)
    return b"\r\n ".join(chunks)


def _chunks(raw: bytes) -> tuple[list[bytes], bytes]:
    """The whole chunks of a line and what is left after them (at most OCTETS). Where a chunk
    ends depends only on the bytes up to that end, so the chunks of a line's beginning are the
    first chunks of the whole line."""
    chunks, start, size = [], 0, len(raw)
    wide = not raw.isascii()  # else no chunk can end inside a character
    while size - start > OCTETS:
        end = start + OCTETS
        while wide and raw[end] & 0xC0 == 0x80:  # inside a multi-octet character
            end -= 1
        if raw[end - 1] in ESCAPES and end - 1 > start:
            end -= 1
        chunks.append(raw[start:end])
        start = end
    return chunks, raw[start:]


def to_ical(component: Component) -> bytes:
    """`component.to_ical()`: icalendar's content lines, folded by `fold`."""
    return b"".join(fold(line) + b"\r\n" for line in component.content_lines() if line)


def line(name: str, value: str) -> bytes:
    """One text or URI property of an event, as icalendar writes it, with its CRLF (kept)."""
    return _KEPT_BY_NAME.get(name, _kept)(name, value)


def build(name: str, value: object) -> bytes:
    """One event property, as icalendar writes it, with its CRLF (not kept)."""
    if name in TEXT and type(value) is str:
        # What an Event would write, without building one: a session's text with its dates is
        # new in every feed, so this runs for each of them.
        return fold(f"{name}:{_escaped(value)}") + b"\r\n"
    event = Event()
    event.add(name, value)
    return fold(event.content_line(name, event[name])) + b"\r\n"


# Keyed by text only: equal datetimes in different zones hash alike, so they are never kept.
_kept = lru_cache(maxsize=LINES_KEPT, typed=True)(build)
_summaries = lru_cache(maxsize=SUMMARIES_KEPT)(build)
_texts = lru_cache(maxsize=TEXTS_KEPT)(build)
_KEPT_BY_NAME = {"SUMMARY": _summaries, "DESCRIPTION": _texts}


def shared_line(name: str, value: str, shared: int) -> bytes:
    """`line(name, value)` for a text whose first `shared` characters begin many others (a
    session's instructions before this plan's own dates): that beginning is escaped and folded
    once, the rest in each line. TEXT escaping (RFC 5545 3.3.11) reads one character at a time
    except in `\\N` and CRLF, so a beginning that ends in neither half escapes on its own."""
    return b"".join(shared_line_parts(name, value, shared))


def shared_line_parts(name: str, value: str, shared: int) -> LineParts:
    """`shared_line` as parts that join into it, for a writer that joins a whole calendar at
    once: a session's line is 1-2 kB, most of it its kept beginning, which is then copied once,
    into the calendar, and not into a line and an event on the way."""
    head = value[:shared]
    if not head or head[-1] in "\\\r" or name not in TEXT:
        return (build(name, value),)
    chunks, rest = _begun(name, head)
    return chunks, _folded(rest + _escaped(value[shared:]).encode()), b"\r\n"


@lru_cache(maxsize=LINES_KEPT)
def _begun(name: str, head: str) -> tuple[bytes, bytes]:
    """A line's whole folded chunks from `head`, each with its fold, and the bytes left over."""
    chunks, rest = _chunks(f"{name}:{_escaped(head)}".encode())
    return b"".join(chunk + b"\r\n " for chunk in chunks), rest


def dated_line(name: str, text: str, shared: int, dating: Dating) -> bytes:
    """`shared_line(name, written_out(text, dating), shared)` for a marked text (`dates.marked`),
    without writing the text out: its beginning is folded and the words between its marks are
    escaped once per text (kept), and each line only fills in the escaped dates and folds its
    end. A date or number escapes on its own, and a mark never splits an escape (a text where a
    word before a mark ends in a backslash or carriage return is written out instead)."""
    return b"".join(dated_line_parts(name, text, shared, dating))


def dated_line_parts(name: str, text: str, shared: int, dating: Dating) -> LineParts:
    """`dated_line` as parts that join into it (as `shared_line_parts`)."""
    parts = _dated_parts(name, text, shared)
    if parts is None:
        return shared_line_parts(name, written_out(text, dating), shared)
    chunks, rest, form, marks = parts
    filling = mark_fillings(marks, dating, _escaped_day)
    said = "".join(filling)
    if said.isascii() and "\\" not in said and "^" not in said:
        folded = _end_folds(rest, form, tuple(map(len, filling)))
        if folded is not None:
            return chunks, folded % tuple(said.encode()), b"\r\n"
    return chunks, _dated_end(rest, form, filling), b"\r\n"


@lru_cache(maxsize=ENDS_KEPT)
def _dated_end(rest: bytes, form: str, filling: tuple[str, ...]) -> bytes:
    """A dated line's folded end: the bytes its kept chunks left over, then its end's template
    filled in (kept by what fills it)."""
    return _folded(rest + (form % filling).encode())


# What stands for each character a mark writes while a dated line's end is folded: one octet of
# ASCII that is neither half of an escape, as every character of a plain filling is.
HOLE = "\x01"


@lru_cache(maxsize=ENDS_KEPT)
def _end_folds(rest: bytes, form: str, widths: tuple[int, ...]) -> bytes | None:
    """A dated line's folded end, as `_dated_end` folds it for any filling of these widths that
    is plain ASCII without a backslash or caret, with a `%c` for each of the filling's octets
    (None where the text itself holds a HOLE). The fold reads only where multi-octet characters
    and escapes fall, so every such filling folds at the same places: its octets only go into
    them. Kept by the widths, not by what fills them: the dates and week numbers a session's
    text writes differ from plan to plan, and all it says after them was folded again each time."""
    if HOLE.encode() in rest or HOLE in form:
        return None
    holes = tuple(HOLE * width for width in widths)
    folded = _folded(rest + (form % holes).encode())
    return folded.replace(b"%", b"%%").replace(HOLE.encode(), b"%c")


@lru_cache(maxsize=DATED_KEPT)
def _dated_parts(name: str, text: str, shared: int) -> tuple[bytes, bytes, str, Marks] | None:
    """A marked text's folded chunks up to `shared`, the bytes left over, and its end's template
    with its words escaped (`Template.form`) and its marks; None where they do not escape
    apart. A plain tuple of plain values, which the garbage collector stops walking: a worker
    keeps some 20,000 of them, and a named tuple is walked on every collection that reaches it."""
    head = text[:shared]
    if name not in TEXT or head[-1:] in ("\\", "\r"):
        return None
    words, marks = pieces(text[shared:])
    if any(word[-1:] in ("\\", "\r") for word in words[:-1]):
        return None
    chunks, rest = _begun(name, head) if head else (b"", f"{name}:".encode())
    return chunks, rest, template(map(_escaped, words), marks).form, marks


@lru_cache(maxsize=DAYS_KEPT)
def _escaped_day(ordinal: int, kind: str, locale: str) -> str:
    """A marked date's words as TEXT (a German date has a comma)."""
    return _escape_char(day_words(ordinal, kind, locale))


def _escaped(text: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11) by icalendar's own function, the one `vText.to_ical`
    calls, without building a vText and its parameters for each dated text (tested equal).

    Line by line, each line kept: the lines of session texts (a week's label and focus, a
    video, a day of the week's plan) repeat across plans far more than whole texts do, and
    escaping reads a text seven times where a kept line is read once. Without a carriage return
    (a CRLF escapes as one line break) every escape is inside one line, so escaping the lines
    and joining them with an escaped line break is escaping the whole."""
    if "\r" in text:
        return _escape_char(text)
    return "\\n".join(map(_escaped_line, text.split("\n")))


_escaped_line = lru_cache(maxsize=ESCAPED_KEPT)(_escape_char)


def alarm_block(minutes: int, summary: str) -> bytes:
    """A display reminder `minutes` before the start, as icalendar writes it: the frame around
    its description built by icalendar once per lead time, the description a kept line (a
    summary names the plan's own week, so few repeat across plans)."""
    begin, end = _alarm_frame(minutes)
    return begin + line("DESCRIPTION", summary) + end


@lru_cache(maxsize=64)
def _alarm_frame(minutes: int) -> tuple[bytes, bytes]:
    """What icalendar writes before and after a reminder's description."""
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", "-")
    alarm.add("TRIGGER", timedelta(minutes=-minutes))
    begin, end = to_ical(alarm).split(b"DESCRIPTION:-\r\n")
    return begin, end


def forget() -> None:
    """Drop every kept line (the benchmark's start-up state)."""
    _kept.cache_clear()
    _summaries.cache_clear()
    _texts.cache_clear()
    _begun.cache_clear()
    _dated_parts.cache_clear()
    _dated_end.cache_clear()
    _end_folds.cache_clear()
    _escaped_day.cache_clear()
    _escaped_line.cache_clear()
    _day.cache_clear()
    _instant.cache_clear()
    _alarm_frame.cache_clear()


@lru_cache(maxsize=LINES_KEPT)
def _day(name: str, day: date) -> bytes:
    """A DATE line: feeds share their days (each written twice an event), so each is kept."""
    return b"%s;VALUE=DATE:%04d%02d%02d\r\n" % (name.encode(), *day.timetuple()[:3])


def when(name: str, value: date | datetime) -> bytes:
    """A DATE or UTC DATE-TIME line (RFC 5545 3.3.4, 3.3.5), formatted directly.

    Other values (a zoned time, microseconds) go through icalendar each time.
    """
    if type(value) is date:
        return _day(name, value)
    if isinstance(value, datetime) and value.tzinfo is UTC and not value.microsecond:
        return _instant(name, value)
    return build(name, value)


@lru_cache(maxsize=INSTANTS_KEPT)
def _instant(name: str, value: datetime) -> bytes:
    """A UTC DATE-TIME line: timed plans share their start times, so each is kept (only UTC
    ones: equal times in different zones hash alike, but write differently)."""
    stamp = value.timetuple()[:6]
    return b"%s:%04d%02d%02dT%02d%02d%02dZ\r\n" % (name.encode(), *stamp)
