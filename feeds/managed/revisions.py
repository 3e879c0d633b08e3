"""Decide which events of a managed plan changed, and give those a higher SEQUENCE (pure).

RFC 5545 section 3.8.7.4: a revised event keeps its UID and raises its SEQUENCE; clients such as
Google ignore edits otherwise. Unchanged events keep their sequence and LAST-MODIFIED untouched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from ..events import Entry
from ..ics import Revision, Timing, spans
from .unlock import unlock_day


@dataclass(frozen=True)
class SlotState:
    """What was last served for one plan slot; `live` is false once the slot left the plan."""

    slot: str
    fingerprint: str
    sequence: int
    modified: datetime
    live: bool = True


def fingerprints(
    entries: Iterable[Entry], timing: Timing | None, alarm: int | None, unlock_weekly: bool
) -> dict[str, str]:
    """A hash per slot of everything that shapes its rendered event."""
    entries = list(entries)
    times = spans(entries, timing)
    return {e.slot: _digest(e, times[e.slot], alarm, unlock_weekly) for e in entries}


def _digest(entry: Entry, span: object, alarm: int | None, unlock_weekly: bool) -> str:
    fields = [entry.slot, entry.day, entry.summary, entry.description, entry.minutes, entry.url]
    fields += [entry.category, entry.unlock, span]
    fields.append(alarm if entry.minutes is not None else None)
    fields.append(unlock_weekly if unlock_day(entry) is not None else None)
    return hashlib.sha256(json.dumps(fields, default=str).encode()).hexdigest()


def reconcile(
    current: Mapping[str, str], stored: Mapping[str, SlotState], now: datetime, ahead: int = 0
) -> list[SlotState]:
    """The slot states to write so that the stored ones describe `current` (slot -> fingerprint).

    New slots start at sequence 0. Changed slots, and slots coming back after they left the plan,
    go one past anything served so far; `ahead` is how far served sequences may have run ahead of
    the stored ones (weekly unlocking adds one). Slots that left the plan keep their row.
    """
    changes = []
    for slot, fingerprint in current.items():
        old = stored.get(slot)
        if old is None:
            changes.append(SlotState(slot, fingerprint, 0, now))
        elif not old.live or old.fingerprint != fingerprint:
            changes.append(SlotState(slot, fingerprint, old.sequence + ahead + 1, now))
    gone = [replace(s, live=False) for slot, s in stored.items() if s.live and slot not in current]
    return changes + gone


def revisions_of(states: Iterable[SlotState]) -> dict[str, Revision]:
    """The Revision of every slot still in the plan, for `ics.render`."""
    return {s.slot: Revision(s.sequence, s.modified) for s in states if s.live}
