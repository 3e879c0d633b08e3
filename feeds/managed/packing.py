"""A plan's state packed into one binary column: about 4 bytes a slot.

Layout (version 4): version byte, data day (varint), the build that took the fingerprints (4
bytes, big-endian), the plan's highest sequence plus one (varint), the distinct LAST-MODIFIED
times (varint count, then 4-byte big-endian UTC seconds each), the usual revision (sequence and
time index as varints), the slots with another (varint count, then per slot, by key: the 4-byte
slot key, sequence and time index as varints), and to the end the 4-byte fingerprints, sorted.
LAST-MODIFIED is written to the second (RFC 5545 DATE-TIME), so seconds lose nothing.

Versions 1-3 kept every slot: its key, fingerprint and revision and whether it was still in the
plan (about 9 bytes a slot in version 3), and are still read (`revisions.from_slots`). Version
3: the layout above up to the times, then per slot, sorted by key: the 4-byte slot key, the
4-byte fingerprint, and one state byte `live | sequence << 1 | time index << 4` when the
sequence is at most 6 and the time index at most 15; otherwise the byte 0xFF followed by
sequence * 2 + live and the time index as varints. Version 2 is version 3 without the build
(read as build 0: fingerprints checked on every read until the next write). Version 1
(migration 0003) kept an 8-byte fingerprint and two varints a slot; its fingerprints are cut to
their first 4 bytes, the prefix that `fingerprints` gives today, so a plan packed as version 1
sees no change where there was none.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from datetime import UTC, datetime

from ..ics import Revision
from .revisions import FINGERPRINT_CHARS, PlanState, SlotState, from_slots

VERSION = 4
FINGERPRINT_BYTES = FINGERPRINT_CHARS // 2
ESCAPE = 0xFF


class PackError(ValueError):
    """Stored slot states that this code cannot read."""


def pack(state: PlanState) -> bytes:
    """The packed bytes of a plan's state (version 4)."""
    revisions = [state.usual, *state.others.values()]
    times = sorted({_seconds(r.modified) for r in revisions})
    index = {t: i for i, t in enumerate(times)}
    out = bytearray([VERSION]) + _varint(state.data_day) + state.build.to_bytes(4, "big")
    out += _varint(state.top + 1) + _varint(len(times))
    for t in times:
        out += t.to_bytes(4, "big")
    out += _revision(state.usual, index) + _varint(len(state.others))
    for key in sorted(state.others):
        out += key.to_bytes(4, "big") + _revision(state.others[key], index)
    if len(state.prints) % FINGERPRINT_BYTES:
        raise PackError(f"fingerprints of {len(state.prints)} bytes are not 4 bytes each")
    return bytes(out + state.prints)


def _revision(revision: Revision, index: dict[int, int]) -> bytes:
    return _varint(revision.sequence) + _varint(index[_seconds(revision.modified)])


def unpack(data: bytes) -> PlanState:
    """The state packed in `data` (version 4; 3, 2, or 1 as migration 0003 wrote it)."""
    if not data or data[0] not in (1, 2, 3, 4):
        raise PackError(f"unknown slot-state format {data[:1]!r}")
    reader = _Reader(data, 1)
    day = reader.varint()
    build = reader.fixed(4) if data[0] >= 3 else 0
    if data[0] == 4:
        return _unpack_v4(reader, day, build)
    times = _times(reader)
    slot = _slot_v1 if data[0] == 1 else _slot_v2
    slots = _all_short(data, reader.at, times) if slot is _slot_v2 else None
    if slots is None:
        slots = {}
        while not reader.done():
            key = reader.fixed(4)
            slots[key] = slot(reader, times)
    return from_slots(day, slots, build)


def _unpack_v4(reader: _Reader, day: int, build: int) -> PlanState:
    top = reader.varint() - 1
    times = _times(reader)
    usual = _read_revision(reader, times)
    others = {}
    for _ in range(reader.varint()):
        key = reader.fixed(4)
        others[key] = _read_revision(reader, times)
    prints = reader.rest()
    if len(prints) % FINGERPRINT_BYTES:
        raise PackError("fingerprints end early")
    return PlanState(day, prints, usual, others, top, build)


def _times(reader: _Reader) -> list[datetime]:
    return [datetime.fromtimestamp(reader.fixed(4), UTC) for _ in range(reader.varint())]


def _read_revision(reader: _Reader, times: list[datetime]) -> Revision:
    sequence = reader.varint()
    return Revision(sequence, _time(times, reader.varint()))


SHORT = struct.Struct(">I4sB")  # a short-form slot: key, fingerprint, state byte


def _all_short(data: bytes, at: int, times: list[datetime]) -> dict[int, SlotState] | None:
    """Every slot from `at` on, read in one pass when all are in the short form (nearly every
    plan: a feed read unpacks one); None when any is not. An escaped slot cannot hide: the slots
    before it are 9 bytes each, so its escape byte falls where a short slot's state byte would."""
    if (len(data) - at) % SHORT.size:
        return None
    slots = {}
    for key, fingerprint, byte in SHORT.iter_unpack(memoryview(data)[at:]):
        if byte == ESCAPE or byte >> 4 >= len(times):
            return None
        slots[key] = SlotState(fingerprint.hex(), byte >> 1 & 7, times[byte >> 4], bool(byte & 1))
    return slots


def _slot_v1(reader: _Reader, times: list[datetime]) -> SlotState:
    fingerprint = reader.take(8)[:FINGERPRINT_BYTES].hex()
    flags, at = reader.varint(), reader.varint()
    return SlotState(fingerprint, flags >> 1, _time(times, at), bool(flags & 1))


def _slot_v2(reader: _Reader, times: list[datetime]) -> SlotState:
    fingerprint = reader.take(FINGERPRINT_BYTES).hex()
    byte = reader.fixed(1)
    if byte == ESCAPE:
        flags, at = reader.varint(), reader.varint()
        return SlotState(fingerprint, flags >> 1, _time(times, at), bool(flags & 1))
    return SlotState(fingerprint, byte >> 1 & 7, _time(times, byte >> 4), bool(byte & 1))


def _time(times: list[datetime], at: int) -> datetime:
    if at >= len(times):
        raise PackError(f"slot time {at} of only {len(times)}")
    return times[at]


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


class _Reader:
    def __init__(self, data: bytes, at: int) -> None:
        self.data, self.at = data, at

    def done(self) -> bool:
        return self.at >= len(self.data)

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise PackError("slot states end early")
        chunk = self.data[self.at : self.at + n]
        self.at += n
        return chunk

    def rest(self) -> bytes:
        chunk = self.data[self.at :]
        self.at = len(self.data)
        return bytes(chunk)

    def fixed(self, n: int) -> int:
        return int.from_bytes(self.take(n), "big")

    def varint(self) -> int:
        value = shift = 0
        for byte in self._bytes():
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value
            shift += 7
        raise PackError("slot states end early")

    def _bytes(self) -> Iterator[int]:
        while not self.done():
            yield self.take(1)[0]
