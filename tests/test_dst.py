"""Two sessions on a daylight-saving day follow each other in elapsed time, in every zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import pytest

from feeds.events import Entry
from feeds.ics import Timing, spans

# The plans a runner can ask for on the suite's pinned day: races up to a year ahead.
WINDOW_START = datetime(2026, 11, 25, tzinfo=UTC)
WINDOW_DAYS = 366
SECOND_MINUTES = 40


@dataclass(frozen=True)
class Transition:
    instant: datetime
    before: timedelta
    after: timedelta

    @property
    def wall(self) -> datetime:
        """The local clock time at which the change happens (naive, old offset)."""
        return (self.instant + self.before).replace(tzinfo=None)


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(zone).utcoffset() or timedelta(0)


def _instant_of_change(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first minute in (low, high] whose offset is not low's, by bisection."""
    before = _offset(zone, low)
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        middle = middle.replace(second=0, microsecond=0)
        low, high = (middle, high) if _offset(zone, middle) == before else (low, middle)
    return high


@cache
def transitions(name: str) -> tuple[Transition, ...]:
    """Every change of offset in the window (each midnight UTC's offset read once: this runs
    for every zone while the tests are collected)."""
    zone, found = ZoneInfo(name), []
    midnights = [WINDOW_START + timedelta(days=day) for day in range(WINDOW_DAYS + 1)]
    offsets = [_offset(zone, midnight) for midnight in midnights]
    for day in range(WINDOW_DAYS):
        if offsets[day] != offsets[day + 1]:
            instant = _instant_of_change(zone, midnights[day], midnights[day + 1])
            found.append(Transition(instant, offsets[day], _offset(zone, instant)))
    return tuple(found)


ZONES = sorted(name for name in available_timezones() if transitions(name))


def starts_around(change: Transition) -> list[datetime]:
    """Local start times inside the skipped or repeated hour, and just before it."""
    shift = abs(change.after - change.before)
    if change.after > change.before:  # spring forward: a gap on the wall clock
        return [change.wall + shift / 2, change.wall - timedelta(minutes=30)]
    return [change.wall - shift / 2, change.wall - shift - timedelta(minutes=30)]


def test_the_window_holds_the_zones_the_issue_named() -> None:
    named = {"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Chatham"}
    assert named <= set(ZONES)
    assert len(ZONES) > 100


@pytest.mark.parametrize("name", ZONES)
def test_the_second_session_starts_when_the_first_ends(name: str) -> None:
    zone = ZoneInfo(name)
    for change in transitions(name):
        first_minutes = int(abs(change.after - change.before).total_seconds() // 60) + 30
        for local in starts_around(change):
            day = local.date()
            entries = [_entry("one", day, first_minutes), _entry("two", day, SECOND_MINUTES)]
            got = spans(entries, Timing(local.time(), zone))
            (start_1, end_1), (start_2, end_2) = got["one"], got["two"]
            place = f"{name} {local:%Y-%m-%d %H:%M}"
            assert start_1 == local.replace(tzinfo=zone).astimezone(UTC), place
            assert end_1 - start_1 == timedelta(minutes=first_minutes), place
            assert start_2 == end_1, f"{place}: overlap or idle time between the sessions"
            assert end_2 - start_2 == timedelta(minutes=SECOND_MINUTES), place


def _entry(slot: str, day: date, minutes: int) -> Entry:
    return Entry(slot=slot, day=day, summary=slot, text=slot, minutes=minutes)
