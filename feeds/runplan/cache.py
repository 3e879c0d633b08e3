"""Running plans read per worker: conditional GETs at most every few hours, never on a feed's time.

A feed asks `current`, which answers at once with what this worker knows and, when that is
older than the refresh interval, fetches again in a background thread. A failed fetch keeps
the last good reading and records why, for the manage page. Saves use `read_now`, which waits
and raises, so the runner hears what went wrong.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..errors import FeedError
from ..i18n import _
from . import read_plan
from .classify import Reading
from .fetch import Fetched, FetchPolicy, fetch

REFRESH = timedelta(hours=6)
SIZE = 2048
Fetcher = Callable[..., Fetched]
# What a background fetch runs inside: the app's context, so its problem is in the app's words.
Context = Callable[[], AbstractContextManager[object]]


@dataclass(frozen=True)
class Key:
    """One running plan read over one span, its timed events dated in `zone`."""

    url: str
    first: date
    last: date
    zone: str | None = None


@dataclass(frozen=True)
class Kept:
    """What this worker knows of one running plan."""

    checked_at: datetime
    reading: Reading | None = None
    read_at: datetime | None = None  # when `reading` was last confirmed
    etag: str | None = None
    last_modified: str | None = None
    problem: str | None = None  # why the latest fetch failed, if it did


class Readings:
    """A bounded, thread-safe map from running plans to their latest reading."""

    def __init__(
        self,
        policy: FetchPolicy,
        refresh: timedelta = REFRESH,
        fetcher: Fetcher = fetch,
        context: Context = nullcontext,
    ) -> None:
        self.policy, self.refresh, self.fetcher = policy, refresh, fetcher
        self.context = context
        self._kept: OrderedDict[Key, Kept] = OrderedDict()
        self._busy: dict[Key, threading.Thread] = {}
        self._lock = threading.Lock()

    def peek(self, key: Key) -> Kept | None:
        with self._lock:
            return self._kept.get(key)

    def current(self, key: Key, now: datetime) -> Kept | None:
        """What this worker knows now; a missing or stale entry is fetched in the background."""
        kept = self.peek(key)
        if kept is None or now - kept.checked_at >= self.refresh:
            self._start(key, kept, now)
        return kept

    def read_now(self, key: Key, now: datetime) -> Kept:
        """Fetch and read now (for a save); a RunPlan error says what went wrong."""
        kept = self._read(key, self.peek(key), now)
        self._put(key, kept)
        return kept

    def wait(self, timeout: float = 30.0) -> None:
        """Let background fetches finish (tests, shutdown)."""
        with self._lock:
            threads = list(self._busy.values())
        for thread in threads:
            thread.join(timeout)

    def _start(self, key: Key, kept: Kept | None, now: datetime) -> None:
        with self._lock:
            if key in self._busy:
                return
            thread = threading.Thread(target=self._background, args=(key, kept, now), daemon=True)
            self._busy[key] = thread
        thread.start()

    def _background(self, key: Key, kept: Kept | None, now: datetime) -> None:
        try:
            with self.context():
                self._refresh(key, kept, now)
        finally:
            with self._lock:
                self._busy.pop(key, None)

    def _refresh(self, key: Key, kept: Kept | None, now: datetime) -> None:
        try:
            self._put(key, self._read(key, kept, now))
        except FeedError as error:
            self._put(key, _failed(key, kept, now, error.message))
        except Exception as error:  # a feed must outlive any bad calendar
            why = _("it could not be read (%(error)s)", error=type(error).__name__)
            self._put(key, _failed(key, kept, now, why))

    def _read(self, key: Key, kept: Kept | None, now: datetime) -> Kept:
        etag = kept.etag if kept and kept.reading else None
        since = kept.last_modified if kept and kept.reading else None
        got = self.fetcher(key.url, self.policy, etag=etag, last_modified=since)
        if got.not_modified and kept is not None and kept.reading is not None:
            return replace(kept, checked_at=now, read_at=now, problem=None)
        zone = ZoneInfo(key.zone) if key.zone else None
        reading = read_plan(got.body, key.first, key.last, zone)
        return Kept(now, reading, now, got.etag, got.last_modified)

    def _put(self, key: Key, kept: Kept) -> None:
        with self._lock:
            self._kept[key] = kept
            self._kept.move_to_end(key)
            while len(self._kept) > SIZE:
                self._kept.popitem(last=False)


def _failed(key: Key, kept: Kept | None, now: datetime, problem: str) -> Kept:
    if kept is None:
        return Kept(now, problem=problem)
    return replace(kept, checked_at=now, problem=problem)
