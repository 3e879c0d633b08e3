"""Decide which events of a managed plan changed, and give those a higher SEQUENCE (pure).

RFC 5545 section 3.8.7.4: a revised event keeps its UID and raises its SEQUENCE; clients such as
Google ignore edits otherwise. Unchanged events keep their sequence and LAST-MODIFIED untouched.

Stored state is keyed by a 4-byte hash of the slot name and keeps a 4-byte fingerprint prefix,
so a plan's states pack into about 9 bytes a slot (see `packing`). Four bytes mean a change to
an event goes unnoticed (its SEQUENCE not raised) only if the changed event's SHA-256 starts
with the same 32 bits as before: a 1 in 2**32 chance per changed event.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from json.encoder import encode_basestring_ascii as _text
from typing import NamedTuple

from ..calendars import DATA_EPOCH
from ..events import Entry
from ..ics import Revision, Timing, spans
from .unlock import unlock_day

# Escaped descriptions kept per worker (2 kB each, beside the texts events keep): 16 MB at most.
DESCRIPTIONS_KEPT = 8192
_DESCRIPTIONS: dict[tuple[str, str], bytes] = {}

FINGERPRINT_CHARS = 8  # 4 bytes, as hex: a missed change needs a 1 in 2**32 collision


class SlotState(NamedTuple):
    """What was last stored for one plan slot; `live` is false once the slot left the plan.

    A named tuple rather than a frozen dataclass (both immutable): each feed read builds one for
    each of the plan's 60-130 slots, and a tuple is built in a third of the time.
    """

    fingerprint: str
    sequence: int
    modified: datetime
    live: bool = True


@dataclass(frozen=True)
class PlanState:
    """Every slot's state by `slot_key`, the plan-data day its fingerprints were taken on
    (0: not recorded), so an operator can tell which plans predate a data revision, and the
    build that took them (`build.build_id`; 0: not recorded)."""

    data_day: int = 0
    slots: Mapping[int, SlotState] = field(default_factory=dict)
    build: int = 0


def data_day(revised: date) -> int:
    """The plan data's revision as a small counter: days since DATA_EPOCH, at least 1."""
    return max(1, (revised - DATA_EPOCH).days + 1)


@lru_cache(maxsize=16384)
def slot_key(slot: str) -> int:
    """A 4-byte key for a slot name (the shipped data's slot names never collide: tested)."""
    return int.from_bytes(hashlib.blake2b(slot.encode(), digest_size=4).digest(), "big")


def fingerprints(
    entries: Iterable[Entry],
    timing: Timing | None,
    alarm: int | None,
    unlock_weekly: bool,
    site: str = "/",
) -> dict[str, str]:
    """A hash per slot of everything that shapes its rendered event; links to routine pages at
    `site` count as `/routines/...`, so a new host name changes no event."""
    entries = list(entries)
    times = spans(entries, timing)
    here = site.rstrip("/") + "/routines/"
    return {e.slot: _digest(e, times[e.slot], alarm, unlock_weekly, here) for e in entries}


def _digest(
    entry: Entry, span: tuple[object, object], alarm: int | None, weekly: bool, here: str
) -> str:
    """The first bytes of SHA-256 over the entry's fields as `json.dumps(fields, default=str)`
    writes them (stored plans compare against these), built without the encoder's set-up.

    Dates and times print as digits, dashes, colons, a space and a plus: JSON strings as they
    are. The other texts go through the encoder's own escaping; descriptions, shared by many
    plans, are escaped once.
    """
    digest = hashlib.sha256(
        f'[{_text(entry.slot)}, "{entry.day}", {_text(entry.summary)}, '.encode()
    )
    digest.update(_description(entry.description, here))
    digest.update(
        f", {_number(entry.minutes)},"
        f" {'null' if entry.url is None else _text(entry.url)}, {_text(entry.category)},"
        f" {_day(entry.unlock)},"
        f' ["{span[0]}", "{span[1]}"], {_number(None if entry.minutes is None else alarm)},'
        f" {_flag(None if unlock_day(entry) is None else weekly)}]".encode()
    )
    return digest.hexdigest()[:FINGERPRINT_CHARS]


def _description(text: str, here: str) -> bytes:
    """The description with links to `here` made relative, as a JSON string; kept, since a
    worker sees the same texts (the same objects) again and again."""
    key = (text, here)
    got = _DESCRIPTIONS.get(key)
    if got is None:
        if len(_DESCRIPTIONS) >= DESCRIPTIONS_KEPT:
            _DESCRIPTIONS.clear()
        got = _DESCRIPTIONS[key] = _text(text.replace(here, "/routines/")).encode()
    return got


def _day(value: date | None) -> str:
    return "null" if value is None else f'"{value}"'


def _number(value: int | None) -> str:
    return "null" if value is None else int.__repr__(value)


def _flag(value: bool | None) -> str:
    return "null" if value is None else "true" if value else "false"


def reconcile(
    current: Mapping[str, str],
    stored: Mapping[int, SlotState],
    now: datetime,
    ahead: int = 0,
) -> dict[int, SlotState]:
    """The slot states that describe `current` (slot -> fingerprint), by slot key.

    New slots start at sequence 0. Changed slots, and slots coming back after they left the plan,
    go one past anything served so far; `ahead` is how far served sequences may have run ahead
    of the stored ones (weekly unlocking adds one). Slots that left the plan stay, not live.
    """
    fresh = {slot_key(slot): fingerprint for slot, fingerprint in current.items()}
    # In the stored order, then the new slots: as every earlier version listed them.
    out = {key: s if key in fresh or not s.live else _left(s) for key, s in stored.items()}
    for key, fingerprint in fresh.items():
        old = stored.get(key)
        if old is None:
            out[key] = SlotState(fingerprint, 0, now)
        elif not old.live or old.fingerprint != fingerprint:
            modified = max(old.modified, now)
            out[key] = SlotState(fingerprint, old.sequence + ahead + 1, modified)
        else:
            out[key] = old
    return out


def _left(state: SlotState) -> SlotState:
    """The state of a slot that left the plan."""
    return SlotState(state.fingerprint, state.sequence, state.modified, False)


def drift(current: Mapping[str, str], stored: PlanState, stamp: datetime) -> dict[int, SlotState]:
    """The states as plan data revised at `stamp` shows them: computed on read, never stored.

    Servers with different plan data each compute the same answer from the same stored state,
    so reads never write and never climb: an event the data changed goes one past its stored
    sequence, dated no earlier than the data. The next edit stores it.
    """
    return reconcile(current, stored.slots, stamp)


def revisions_of(slots: Iterable[str], states: Mapping[int, SlotState]) -> dict[str, Revision]:
    """The Revision of every slot of the plan, for `ics.render`."""
    found = {slot: states.get(slot_key(slot)) for slot in slots}
    return {slot: Revision(s.sequence, s.modified) for slot, s in found.items() if s is not None}
