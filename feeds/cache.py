"""Values kept per worker: a small thread-safe LRU for rendered feeds (many subscribers share a
race and its options), and what plan-data objects always make the same (`Kept`)."""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

V = TypeVar("V")
T = TypeVar("T")


class LRU(Generic[V]):
    """Keep at most `size` values; the least recently used goes first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> V | None:
        """The value kept for `key`, counted as a hit or a miss."""
        with self._lock:
            if key not in self._items:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return self._items[key]

    def peek(self, key: Hashable) -> V | None:
        """The value kept for `key`, neither counted nor moved up."""
        with self._lock:
            return self._items.get(key)

    def put(self, key: Hashable, value: V) -> None:
        """Keep `value`, dropping the least recently used beyond `size`."""
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def full(self) -> bool:
        """Whether the next value kept makes the least recently used go."""
        return len(self._items) >= self.size

    def discard(self, key: Hashable) -> None:
        """Forget `key`, if kept."""
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._items.clear()

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """Return the cached value for `key`, making (outside the lock) and keeping it if new."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def __len__(self) -> int:
        return len(self._items)


class Kept(Generic[T]):
    """Values (texts, a week's demands) built from plan-data objects, kept by the objects'
    identity and some plain values.

    Plan data is loaded once and never changes, so the same objects give the same value. The
    objects named by id in the keys are held here (once each, not with every value), so no id
    in a key is reused while a value is kept; a key of plain values, and a value of plain
    values, are tuples the garbage collector stops walking.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: dict[tuple[Hashable, ...], T] = {}
        self._held: dict[int, object] = {}

    def get(
        self, objects: tuple[object, ...], values: tuple[Hashable, ...], make: Callable[[], T]
    ) -> T:
        """The value kept for these objects and values, or `make()` (then kept)."""
        hit = self.peek(objects, values)
        if hit is not None:
            return hit
        made = make()
        self.put(objects, values, made)
        return made

    def peek(self, objects: tuple[object, ...], values: tuple[Hashable, ...]) -> T | None:
        """The value kept for these objects and values, or None."""
        if not holds(self._held, objects):
            return None
        return self._kept.get((*map(id, objects), *values))

    def put(self, objects: tuple[object, ...], values: tuple[Hashable, ...], value: T) -> None:
        """Keep `value` for these objects and values."""
        if self.full():
            self.clear()
        hold(self._held, objects)
        self._kept[(*map(id, objects), *values)] = value

    def full(self) -> bool:
        """Whether the next value kept makes room by forgetting every other."""
        return len(self._kept) >= self._size

    def clear(self) -> None:
        self._kept.clear()
        self._held.clear()

    def __len__(self) -> int:
        return len(self._kept)


def holds(held: dict[int, object], objects: Iterable[object]) -> bool:
    """Whether `held` (objects by id) holds each of these very objects: a key that names them
    by id names them alone, since no other object can have an id while it is held."""
    for each in objects:  # noqa: SIM110 (a loop, not all(): kept weeks and texts ask it per session)
        if held.get(id(each)) is not each:
            return False
    return True


def hold(held: dict[int, object], objects: Iterable[object]) -> None:
    """Hold these objects in `held` by id (see `holds`)."""
    for each in objects:
        held[id(each)] = each


class Numbered:
    """A small integer for each value (a unit, a week's demands), so that the keys of kept texts
    and placements hold a plain number the garbage collector stops walking where the value is
    an object it walks on every full collection. A number is never given to two values: once
    `size` values are numbered they are forgotten and numbering goes on (a value numbered again
    gets a new number; keys with its old one are no longer met)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._numbers: dict[Hashable, int] = {}
        self._next = itertools.count()

    def __call__(self, value: Hashable) -> int:
        found = self._numbers.get(value)
        if found is None:
            if len(self._numbers) >= self._size:
                self._numbers.clear()
            # Both atomic: threads numbering one value at once agree on the first stored.
            found = self._numbers.setdefault(value, next(self._next))
        return found

    def clear(self) -> None:
        self._numbers.clear()


class Sightings:
    """Keys met before, remembered by their hash alone: the garbage collector has one set of
    integers to walk, not a tuple per key (a full collection walks every tracked object, and a
    worker remembers tens of thousands of keys). Two keys with one hash count as one: the second
    is then taken as met before, which only keeps it one meeting early."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._hashes: set[int] = set()

    def first(self, key: Hashable) -> bool:
        """Whether `key` is met for the first time; it is remembered from now on (all are
        forgotten once `size` are remembered)."""
        hashed = hash(key)
        if hashed in self._hashes:
            return False
        if len(self._hashes) >= self._size:
            self._hashes.clear()
        self._hashes.add(hashed)
        return True

    def clear(self) -> None:
        self._hashes.clear()

    def __len__(self) -> int:
        return len(self._hashes)


def hashed_once(data: Any) -> int:
    """The hash a frozen dataclass would compute from its fields, computed on first use and kept
    on the object (in this process only: `hash` of text differs between processes)."""
    found: int | None = data.__dict__.get("_hash")
    if found is None:
        found = hash(tuple(getattr(data, f.name) for f in fields(data)))
        object.__setattr__(data, "_hash", found)
    return found


def plain(data: Any) -> tuple[Hashable, ...]:
    """A frozen dataclass's field values as plain values (a set as a sorted tuple, a dataclass
    as its own): equal for equal objects, and a key the garbage collector stops walking, where
    the object and its sets are walked on every full collection."""
    return tuple(_plain(getattr(data, f.name)) for f in fields(data))


def _plain(value: Any) -> Hashable:
    if isinstance(value, frozenset | set):
        return tuple(sorted(value))
    if isinstance(value, tuple):
        return tuple(map(_plain, value))
    if is_dataclass(value) and not isinstance(value, type):
        return plain(value)
    return value  # type: ignore[no-any-return]


class Singletons(Enum):
    """An enum whose members hash by identity (in C) rather than by name (in Python): members
    are singletons compared by identity, and they key kept placements and texts in every feed."""

    __hash__ = object.__hash__
