"""A plan's slot states packed into one binary column: about 9 bytes a slot.

Layout (version 3): version byte, data day (varint), the build that took the fingerprints (4
bytes, big-endian), the distinct LAST-MODIFIED times (varint
count, then 4-byte big-endian UTC seconds each), then per slot, sorted by key: the 4-byte slot
key, the 4-byte fingerprint, and one state byte `live | sequence << 1 | time index << 4` when
the sequence is at most 6 and the time index at most 15; otherwise the byte 0xFF followed by
sequence * 2 + live and the time index as varints. LAST-MODIFIED is written to the second
(RFC 5545 DATE-TIME), so seconds lose nothing.

Version 2 is version 3 without the build (read as build 0: fingerprints checked on every read
until the next write). Version 1 (migration 0003) kept an 8-byte fingerprint and two varints a
slot, about 14 bytes. It is still read, its fingerprints cut to their first 4 bytes: the prefix
that `fingerprints` gives today, so a plan packed as version 1 sees no change where there was
none.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from datetime import UTC, datetime

from .revisions import FINGERPRINT_CHARS, PlanState, SlotState

VERSION = 3
FINGERPRINT_BYTES = FINGERPRINT_CHARS // 2
ESCAPE = 0xFF
MAX_SHORT_SEQUENCE, MAX_SHORT_INDEX = 6, 15


class PackError(ValueError):
    """Stored slot states that this code cannot read."""


def pack(state: PlanState) -> bytes:
    """The packed bytes of a plan's slot states (version 3)."""
    times = sorted({_seconds(s.modified) for s in state.slots.values()})
    index = {t: i for i, t in enumerate(times)}
    out = bytearray([VERSION]) + _varint(state.data_day) + state.build.to_bytes(4, "big")
    out += _varint(len(times))
    for t in times:
        out += t.to_bytes(4, "big")
    for key in sorted(state.slots):
        s = state.slots[key]
        out += key.to_bytes(4, "big") + _fingerprint(s.fingerprint)
        out += _state_bytes(s.sequence, s.live, index[_seconds(s.modified)])
    return bytes(out)


def _fingerprint(fingerprint: str) -> bytes:
    packed = bytes.fromhex(fingerprint)
    if len(packed) != FINGERPRINT_BYTES:
        raise PackError(f"fingerprint {fingerprint!r} is not {FINGERPRINT_BYTES} bytes")
    return packed


def _state_bytes(sequence: int, live: bool, at: int) -> bytes:
    if sequence <= MAX_SHORT_SEQUENCE and at <= MAX_SHORT_INDEX:
        return bytes([live | sequence << 1 | at << 4])
    return bytes([ESCAPE]) + _varint(sequence * 2 + live) + _varint(at)


def unpack(data: bytes) -> PlanState:
    """The slot states packed in `data` (version 3, 2, or 1 as migration 0003 wrote it)."""
    if not data or data[0] not in (1, 2, 3):
        raise PackError(f"unknown slot-state format {data[:1]!r}")
    reader = _Reader(data, 1)
    day = reader.varint()
    build = reader.fixed(4) if data[0] == 3 else 0
    count = reader.varint()
    times = [datetime.fromtimestamp(reader.fixed(4), UTC) for _ in range(count)]
    slot = _slot_v1 if data[0] == 1 else _slot_v2
    slots = _all_short(data, reader.at, times) if slot is _slot_v2 else None
    if slots is not None:
        return PlanState(day, slots, build)
    slots = {}
    while not reader.done():
        key = reader.fixed(4)
        slots[key] = slot(reader, times)
    return PlanState(day, slots, build)


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
