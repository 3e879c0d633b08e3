"""Weekly unlock, as the original challenge did it: details appear on the unlock day (pure).

Future sessions and week events keep their date and title; the routines, doses and videos
appear from the day the week unlocks (the Sunday before it). Unlocking changes an event, so it
gets one more SEQUENCE and a LAST-MODIFIED of that day, computed rather than stored, so the
bytes, the ETag and Last-Modified depend only on the stored plan and today.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from functools import lru_cache

from ..dates import MARK, long_date, written_out
from ..events import Entry
from ..i18n import _, catalogue
from ..ics import Revision

# How far an unlocked event's SEQUENCE runs ahead of the stored one (see revisions.reconcile).
AHEAD = 1


def unlock_day(entry: Entry) -> date | None:
    """When an entry's details open: a session's week unlock, or a week event's own day."""
    return entry.day if entry.category == "Week" else entry.unlock


def hide_locked(entries: Iterable[Entry], today: date) -> list[Entry]:
    """Replace the details of entries that unlock after `today` with a short teaser."""
    return [_teaser(e, day) if (day := unlock_day(e)) and day > today else e for e in entries]


def _teaser(entry: Entry, day: date) -> Entry:
    week = _first_line(entry.text)
    if entry.dating is not None:  # only the first line's marks written out
        week = written_out(week, entry.dating)
    return entry.replaced(description=f"{week}\n\n{_note(day)}", url=None, shared=0)


def _first_line(text: str) -> str:
    """`text.splitlines()[0]` without splitting the whole 2 kB text: a first line holding no
    character that `splitlines` also breaks at (all unprintable but a date's mark, which holds
    none) ends at the first newline."""
    head = text.partition("\n")[0]
    return head if head.replace(MARK, "").isprintable() and head else text.splitlines()[0]


def _note(day: date) -> str:
    """Said by every hidden event of a week (kept per day and catalogue: a plan hides many)."""
    return _kept_note(day, catalogue())


@lru_cache(maxsize=512)
def _kept_note(day: date, _catalogue: object) -> str:
    return _(
        "This week's routines, doses and videos appear on %(day)s, when it unlocks.",
        day=long_date(day),
    )


def effective(
    revisions: Mapping[str, Revision], entries: Iterable[Entry], today: date
) -> dict[str, Revision]:
    """Raise each unlocked entry's revision by one, dated no earlier than its unlock day."""
    out = dict(revisions)
    for entry in entries:
        day = unlock_day(entry)
        if day is not None and day <= today and entry.slot in out:
            old = out[entry.slot]
            opened = datetime.combine(day, time(), tzinfo=UTC)
            out[entry.slot] = Revision(old.sequence + AHEAD, max(old.modified, opened))
    return out
