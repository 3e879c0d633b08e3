"""Decide which events of a managed plan changed, and give those a higher SEQUENCE (pure).

RFC 5545 section 3.8.7.4: a revised event keeps its UID and raises its SEQUENCE; clients such as
Google ignore edits otherwise. Unchanged events keep their sequence and LAST-MODIFIED untouched.

A plan stores the 4-byte fingerprint of each of its events (a SHA-256 prefix over everything
that shapes the event, its slot name included) and one revision for most of them, with the few
that differ by slot key: about 4 bytes a slot (see `packing`). A change to an event goes
unnoticed (its SEQUENCE not raised) only if its new fingerprint equals one of the plan's stored
ones: n in 2**32 for a plan of n events, under 1 in 20 million for the longest plans.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property, lru_cache
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
    """One slot as versions 1-3 of the packed states kept it (a slot key, its fingerprint and
    revision, and whether it was still in the plan): read by `packing` and migration 0003,
    which turn them into a PlanState with `from_slots`."""

    fingerprint: str
    sequence: int
    modified: datetime
    live: bool = True


# The revision of a plan with nothing stored.
NOTHING = Revision(0, datetime(1970, 1, 1, tzinfo=UTC))


@dataclass(frozen=True)
class PlanState:
    """What a plan keeps so that each event's SEQUENCE and LAST-MODIFIED follow its changes.

    - `prints`: the fingerprint of every slot of the plan (4 bytes each, sorted, joined): an
      event whose fingerprint is among them has not changed since it was stored.
    - `usual`: the revision most of its slots have; `others`: those of the rest, by slot key.
    - `top`: the highest SEQUENCE ever stored for a slot of this plan, slots that have left it
      included (-1: nothing stored yet). A changed or returning event goes past it, so past
      anything its UID was ever served with.
    - `data_day`: the plan-data day the fingerprints were taken on (0: not recorded), so an
      operator can tell which plans predate a data revision; `build`: the build that took
      them (`build.build_id`; 0: not recorded).

    A feed read looks up each event's revision by its slot, never its fingerprint: the prints
    are read only when the plan data or the plan changed, and stay packed bytes until then.
    """

    data_day: int = 0
    prints: bytes = b""
    usual: Revision = NOTHING
    others: Mapping[int, Revision] = field(default_factory=dict)
    top: int = -1
    build: int = 0

    def revision(self, slot: str) -> Revision:
        """The stored revision of one of the plan's slots."""
        return self.revision_by_key(slot_key(slot))

    def revision_by_key(self, key: int) -> Revision:
        """`revision` of the slot with this `slot_key`."""
        return self.others.get(key, self.usual)

    @cached_property
    def fingerprints(self) -> frozenset[str]:
        """The stored fingerprints, as `fingerprints` writes them."""
        data = self.prints
        return frozenset(data[at : at + 4].hex() for at in range(0, len(data), 4))

    @property
    def newest(self) -> datetime | None:
        """The latest LAST-MODIFIED of the plan's events (None: nothing stored)."""
        if not self.prints:
            return None
        return max([self.usual.modified, *(r.modified for r in self.others.values())])


def state_of(
    revisions: Mapping[int, Revision],
    prints: Iterable[str],
    top: int,
    data_day: int = 0,
    build: int = 0,
) -> PlanState:
    """The PlanState of slots with these revisions (by slot key) and fingerprints."""
    packed = []
    for fingerprint in prints:
        if len(fingerprint) != FINGERPRINT_CHARS:
            raise ValueError(f"fingerprint {fingerprint!r} is not {FINGERPRINT_CHARS // 2} bytes")
        packed.append(bytes.fromhex(fingerprint))
    counted = Counter(revisions.values()).most_common(1)
    usual = counted[0][0] if counted else NOTHING
    others = {key: r for key, r in revisions.items() if r != usual}
    return PlanState(data_day, b"".join(sorted(set(packed))), usual, others, top, build)


def from_slots(data_day: int, slots: Mapping[int, SlotState], build: int = 0) -> PlanState:
    """The PlanState of slots as versions 1-3 kept them: the live slots' fingerprints and
    revisions, and the highest sequence any slot had, so a slot that left and comes back
    goes past it."""
    live = {key: s for key, s in slots.items() if s.live}
    return state_of(
        {key: Revision(s.sequence, s.modified) for key, s in live.items()},
        (s.fingerprint for s in live.values()),
        max((s.sequence for s in slots.values()), default=-1),
        data_day,
        build,
    )


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
    current: Mapping[str, str], stored: PlanState, now: datetime, ahead: int = 0
) -> PlanState:
    """The state that describes `current` (slot -> fingerprint), with `stored`'s day and build.

    An event whose fingerprint is stored keeps its revision. The others (changed, new, or back
    after leaving the plan) go past the plan's highest stored sequence, so past any their UIDs
    were served with, dated `now` or the plan's latest time if later; `ahead` is how far served
    sequences may have run ahead of the stored ones (weekly unlocking adds one). A plan with
    nothing stored starts every event at sequence 0.
    """
    known = stored.fingerprints
    newest = stored.newest
    fresh = Revision(stored.top + ahead + 1, now if newest is None else max(newest, now))
    revisions = {}
    for slot, fingerprint in current.items():
        key = slot_key(slot)
        revisions[key] = stored.revision_by_key(key) if fingerprint in known else fresh
    top = max(stored.top, fresh.sequence) if fresh in revisions.values() else stored.top
    return state_of(revisions, current.values(), top, stored.data_day, stored.build)


def drift(current: Mapping[str, str], stored: PlanState, stamp: datetime) -> PlanState:
    """The state as plan data revised at `stamp` shows it: computed on read, never stored.

    Servers with different plan data each compute the same answer from the same stored state,
    so reads never write and never climb: an event the data changed goes one past the plan's
    stored sequences, dated no earlier than the data. The next edit stores it.
    """
    return reconcile(current, stored, stamp)


def revisions_of(slots: Iterable[str], state: PlanState) -> dict[str, Revision]:
    """The Revision of every slot of the plan, for `ics.render`."""
    return {slot: state.revision(slot) for slot in slots}
