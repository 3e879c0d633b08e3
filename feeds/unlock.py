"""Weekly unlock, as the original challenge did it: details appear on the unlock day (pure).

Future sessions keep their date and title; their routine, doses and video appear from the day
the week unlocks (the Sunday before it). Unlocking changes an event, so it gets one more
SEQUENCE and a LAST-MODIFIED of that day, computed rather than stored, so the bytes, the ETag and
Last-Modified depend only on the stored plan and today.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time

from .events import Entry
from .ics import Revision

# How far an unlocked event's SEQUENCE runs ahead of the stored one (see revisions.reconcile).
AHEAD = 1


def hide_locked(entries: Iterable[Entry], today: date) -> list[Entry]:
    """Replace the details of sessions whose week unlocks after `today` with a short teaser."""
    return [_teaser(e) if e.unlock is not None and e.unlock > today else e for e in entries]


def _teaser(entry: Entry) -> Entry:
    assert entry.unlock is not None
    week = entry.description.splitlines()[0]
    note = (
        f"The routine, its doses and the video appear on {entry.unlock:%A %d %B %Y},"
        " when this week unlocks."
    )
    return replace(entry, description=f"{week}\n\n{note}", url=None)


def effective(
    revisions: Mapping[str, Revision], entries: Iterable[Entry], today: date
) -> dict[str, Revision]:
    """Raise each unlocked session's revision by one, dated no earlier than its unlock day."""
    out = dict(revisions)
    for entry in entries:
        if entry.unlock is not None and entry.unlock <= today and entry.slot in out:
            old = out[entry.slot]
            opened = datetime.combine(entry.unlock, time(), tzinfo=UTC)
            out[entry.slot] = Revision(old.sequence + AHEAD, max(old.modified, opened))
    return out
