"""A plan's slot states packed into one binary column: about 14 bytes a slot.

Layout (version 1): version byte, data day (varint), the distinct LAST-MODIFIED times (varint
count, then 4-byte big-endian UTC seconds each), then per slot, sorted by key: the 4-byte slot
key, the 8-byte fingerprint prefix, sequence * 2 + live (varint) and the index of its time
(varint). LAST-MODIFIED is written to the second (RFC 5545 DATE-TIME), so seconds lose nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from .revisions import PlanState, SlotState

VERSION = 1


class PackError(ValueError):
    """Stored slot states that this code cannot read."""


def pack(state: PlanState) -> bytes:
    """The packed bytes of a plan's slot states."""
    times = sorted({_seconds(s.modified) for s in state.slots.values()})
    index = {t: i for i, t in enumerate(times)}
    out = bytearray([VERSION]) + _varint(state.data_day) + _varint(len(times))
    for t in times:
        out += t.to_bytes(4, "big")
    for key in sorted(state.slots):
        s = state.slots[key]
        out += key.to_bytes(4, "big") + bytes.fromhex(s.fingerprint)
        out += _varint(s.sequence * 2 + s.live) + _varint(index[_seconds(s.modified)])
    return bytes(out)


def unpack(data: bytes) -> PlanState:
    """The slot states packed in `data`."""
    if not data or data[0] != VERSION:
        raise PackError(f"unknown slot-state format {data[:1]!r}")
    reader = _Reader(data, 1)
    day, count = reader.varint(), reader.varint()
    times = [datetime.fromtimestamp(reader.fixed(4), UTC) for _ in range(count)]
    slots: dict[int, SlotState] = {}
    while not reader.done():
        key, fingerprint = reader.fixed(4), reader.take(8).hex()
        flags, at = reader.varint(), reader.varint()
        slots[key] = SlotState(fingerprint, flags >> 1, times[at], bool(flags & 1))
    return PlanState(day, slots)


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
