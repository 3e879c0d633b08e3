"""Dates as people write them, for every message a runner reads, in the wording's locale.

Babel formats them (CLDR names and orders). English keeps the house form, "Sunday 18 April
2027" and "Mon 7 Dec", which CLDR's own English patterns would write with a comma or "Sept";
another locale takes its own full date and its own short day-and-month. The locale comes from
`i18n.current_locale` (the request's, English outside an app) unless a caller names one.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal, NamedTuple

from babel import Locale
from babel.dates import format_date, format_skeleton, get_day_names

from .i18n import current_locale

Width = Literal["abbreviated", "narrow", "short", "wide"]
# The house form in English: CLDR's "full" would be "Sunday, April 18, 2027".
ENGLISH = {"long": "EEEE d MMMM y", "medium": "d MMM y", "short": "EEE d MMM"}


def long_date(day: date, locale: str | None = None) -> str:
    """A date as people write it: "Sunday 18 April 2027" ("Sonntag, 18. April 2027" in de)."""
    if _marking.get():
        return f"{MARK}L{day.toordinal()}{MARK}"
    return _formatted(day, "long", locale or current_locale())


def short_date(day: date, locale: str | None = None) -> str:
    """A date in a list of days: "Mon 7 Dec" ("Mo., 7. Dez." in de)."""
    if _marking.get():
        return f"{MARK}S{day.toordinal()}{MARK}"
    return _formatted(day, "short", locale or current_locale())


def medium_date(day: date, locale: str | None = None) -> str:
    """A date with a short month, as in a calendar's name: "18 Apr 2027" ("18.04.2027" in de)."""
    if _marking.get():
        return f"{MARK}M{day.toordinal()}{MARK}"
    return _formatted(day, "medium", locale or current_locale())


# Text written with `marked` holds each date as MARK, its kind and its day number, MARK; `moved`
# writes those dates some days later (NUL: never in plan data or a runner's words). A week's
# number is MARK, "w", its distance from the race week, MARK, and the plan's count of weeks
# MARK, "t", MARK: lower case, so a label lowered into a summary keeps its marks.
MARK = "\x00"
KINDS = {"L": "long", "S": "short", "M": "medium"}
NUMBERS = frozenset("wt")
_marking: ContextVar[bool] = ContextVar("marking", default=False)


@contextmanager
def marked() -> Iterator[None]:
    """Within this block, dates and week numbers are written as marks for `moved` to fill in."""
    token = _marking.set(True)
    try:
        yield
    finally:
        _marking.reset(token)


class Anchored(NamedTuple):
    """What a piece of HTML says, the same for it at any whole-week shift and in plans of any
    length, and the day its dates count from: kept once by `key` with its dates and week numbers
    marked (`marked`), it is written for another such piece as `Dating` from the anchor it was
    kept at writes it (`fragments`)."""

    key: Hashable
    anchor: date
    # The plan's count of weeks, which its marked week numbers are written for (`week_numbers`).
    weeks: int


class Dating(NamedTuple):
    """How one plan writes a marked text (`marked`): its dates `days` later than marked, its week
    numbers for a plan of `weeks` weeks, in `locale`."""

    days: int
    weeks: int
    locale: str


# A marked text cut at its marks: the words between them (one more than the marks), and each
# mark as its kind and number (a day number or a distance from the race; 0 for "t").
Marks = tuple[tuple[str, int], ...]
Pieces = tuple[list[str], Marks]
# Marked texts kept as templates (summaries, and descriptions read whole): as many as a worker's
# kept weeks hold, each with its text's own string kept elsewhere.
TEMPLATES_KEPT = 32768


class Template(NamedTuple):
    """A marked text ready to fill in: its words with "%s" where each mark was ("%" doubled),
    and its marks (`Pieces`)."""

    form: str
    marks: Marks
    # Whether any mark is a date (else it reads the same for every shift and locale).
    dated: bool = True


def moved(text: str, shift: timedelta, locale: str | None = None, weeks: int = 0) -> str:
    """Marked `text` with every date written `shift` later, in the locale, and week numbers
    written for a plan of `weeks` weeks (`marked`); within `marked`, marked again."""
    if not _marking.get():
        return written_out(text, Dating(shift.days, weeks, locale or current_locale()))
    parts = text.split(MARK)
    days = shift.days
    for i in range(1, len(parts), 2):
        mark = parts[i]
        kind = mark[0]
        if kind not in NUMBERS:  # still marked, for a build that is kept to be moved again
            parts[i] = f"{MARK}{kind}{int(mark[1:]) + days}{MARK}"
        else:
            parts[i] = f"{MARK}{mark}{MARK}"
    return "".join(parts)


def written_out(text: str, dating: Dating) -> str:
    """Marked `text` as `dating` writes it (never marked again)."""
    found = _template(text)
    if found.dated:
        return filled(found, dating)
    return _numbered(text, dating.weeks)


@lru_cache(maxsize=TEMPLATES_KEPT)
def _numbered(text: str, weeks: int) -> str:
    """Marked `text` with week numbers only, written for a plan of `weeks` weeks (the same for
    every plan as long: a session's summary names its week by number)."""
    return filled(_template(text), Dating(0, weeks, ""))


def pieces(text: str) -> Pieces:
    """`text` cut at its marks (`Pieces`)."""
    parts = text.split(MARK)
    return parts[0::2], tuple((mark[0], int(mark[1:] or 0)) for mark in parts[1::2])


def template(words: Iterable[str], marks: Marks) -> Template:
    """The template of these words with these marks between them."""
    form = "%s".join(word.replace("%", "%%") for word in words)
    return Template(form, marks, any(kind not in NUMBERS for kind, _ in marks))


@lru_cache(maxsize=TEMPLATES_KEPT)
def _template(text: str) -> Template:
    return template(*pieces(text))


def filled(
    template: Template, dating: Dating, day: Callable[[int, str, str], str] | None = None
) -> str:
    """The template with each mark written as `dating` writes it: a date by `day` (day number,
    kind, locale; `day_words` unless named), a week number as digits."""
    return template.form % mark_fillings(template.marks, dating, day)


def mark_fillings(
    marks: Marks, dating: Dating, day: Callable[[int, str, str], str] | None = None
) -> tuple[str, ...]:
    """What `dating` writes in place of each of these marks (`Pieces`), in order."""
    days, weeks, locale = dating
    words = day or day_words
    filling = []
    for kind, number in marks:
        if kind == "w":
            filling.append(str(weeks + number))
        elif kind == "t":
            filling.append(str(weeks))
        else:
            filling.append(words(number + days, kind, locale))
    return tuple(filling)


def forget() -> None:
    """Drop every kept template and written text (the benchmark's start-up state)."""
    _template.cache_clear()
    _numbered.cache_clear()


@lru_cache(maxsize=4096)
def day_words(ordinal: int, kind: str, locale: str) -> str:
    """A marked date's words, by its day number and kind (`_formatted` keeps them by date)."""
    return _formatted(date.fromordinal(ordinal), KINDS[kind], locale)


def week_numbers(index: int, weeks: int) -> tuple[str, str]:
    """A week's number and the plan's count of weeks. Within `marked`, marks that `moved` fills
    in for each plan: a kept week then serves plans of every length that have it as many weeks
    from the race (`index - weeks`)."""
    if _marking.get():
        return f"{MARK}w{index - weeks}{MARK}", f"{MARK}t{MARK}"
    return str(index), str(weeks)


def marking() -> bool:
    """Whether dates and week numbers are being written as marks (`marked`)."""
    return _marking.get()


def weekday_names(locale: str | None = None, width: Width = "wide") -> tuple[str, ...]:
    """Monday to Sunday in the locale: width "wide" (Monday), "abbreviated" or "narrow" (M)."""
    return _weekday_names(locale or current_locale(), width)


@lru_cache(maxsize=4096)
def _formatted(day: date, kind: str, locale: str) -> str:
    # A feed writes the same few dozen dates again and again: format each once.
    cldr = _locale(locale)
    if cldr.language == "en":
        # Plain "en" for every English: en_GB's CLDR abbreviation of September is "Sept".
        return str(format_date(day, ENGLISH[kind], locale=_locale("en")))
    if kind in ("long", "medium"):
        return str(format_date(day, "full" if kind == "long" else "medium", locale=cldr))
    return str(format_skeleton("MMMEd", day, locale=cldr))


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    """Babel's locale, parsed once (given a name, Babel parses it and looks its data up again
    on every call: half of a date's formatting)."""
    return Locale.parse(name)


@lru_cache(maxsize=64)
def _weekday_names(locale: str, width: Width) -> tuple[str, ...]:
    names = get_day_names(width, locale=_locale(locale))
    return tuple(str(names[n]) for n in range(7))
