"""A managed plan's running plan: read when the runner saves, refreshed per worker for feeds.

The database keeps the address, each date's kind as last saved and the runner's corrections;
a feed uses the freshest reading this worker holds (never waiting for a fetch) and serves the
events it moves one SEQUENCE past the stored one, without writing anything.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import cast

from flask import Flask, current_app

from .. import clock
from ..choices import Choices
from ..errors import FeedError, InvalidParameter
from ..i18n import _
from ..plans import Library
from ..runplan import FetchPolicy, parse_allow, read_plan
from ..runplan.cache import Kept, Key, Readings
from ..runplan.days import PlanDays, of_reading
from ..schedule import build

# How far a feed's SEQUENCE may run ahead of the stored one for a fresher reading.
AHEAD = 1


def init_app(app: Flask) -> None:
    """Check FEEDS_RUNPLAN_ALLOW at start-up (a bad entry stops the app) and open the cache."""
    allow = parse_allow(str(app.config.setdefault("RUNPLAN_ALLOW", "")))
    # Background fetches run in the app's context: their problems are worded in its locale.
    app.extensions["runplan_readings"] = Readings(FetchPolicy(allow=allow), context=app.app_context)


def readings() -> Readings:
    """This worker's running-plan readings."""
    return cast(Readings, current_app.extensions["runplan_readings"])


def span(library: Library, choices: Choices) -> tuple[date, date]:
    """The dates a running plan is read over: Monday of the plan's first week to race day."""
    schedule = build(library, replace(choices.request, run_days=()))
    return schedule.weeks[0].monday, choices.race


def key_of(url: str, first: date, last: date, choices: Choices) -> Key:
    return Key(url, first, last, choices.tz.key if choices.tz else None)


def attach(
    library: Library, choices: Choices, old: Choices | None, ics: bytes | None = None
) -> Choices:
    """Choices as saved: the running plan read again when it has an address, or read from
    `ics` (an uploaded calendar); errors name the field.

    A plan keeping the address it had keeps its last good days when the fetch fails.
    """
    if ics is not None:
        return uploaded(library, choices, ics)
    url = choices.running_plan_url
    if url is None:
        return _without(choices, old)
    key = key_of(url, *span(library, choices), choices)
    try:
        kept = readings().read_now(key, clock.now())
    except FeedError:
        if old is not None and old.running_plan_url == url and choices.running_plan_days:
            return choices
        raise
    return replace(choices, running_plan_days=_days(kept, choices.running_plan_days))


def uploaded(library: Library, choices: Choices, ics: bytes) -> Choices:
    """Choices with the days of an uploaded running plan; the runner's corrections stay."""
    if choices.running_plan_url is not None:
        raise InvalidParameter(
            _(
                "Give your running plan's address or its calendar file, not both (set"
                " running_plan_url to null to follow the file instead)."
            ),
            field="running_plan_url",
        )
    reading = read_plan(ics, *span(library, choices), choices.tz)
    base = choices.running_plan_days
    return replace(choices, running_plan_days=base.reread(reading) if base else of_reading(reading))


def _without(choices: Choices, old: Choices | None) -> Choices:
    """An address taken away takes the days read from it, unless new ones came with it."""
    if old and old.running_plan_url and choices.running_plan_days == old.running_plan_days:
        return replace(choices, running_plan_days=None)
    return choices


def _days(kept: Kept, base: PlanDays | None) -> PlanDays | None:
    if kept.reading is None:
        return base
    return base.reread(kept.reading) if base else of_reading(kept.reading)


def kept(choices: Choices) -> Kept | None:
    """What this worker knows of the plan's running plan, starting a refresh when stale."""
    days, url = choices.running_plan_days, choices.running_plan_url
    if days is None or url is None:
        return None
    return readings().current(key_of(url, days.first, days.last, choices), clock.now())


def live(choices: Choices) -> Choices:
    """The choices with the freshest reading this worker holds (the stored one otherwise)."""
    found = kept(choices)
    if found is None or found.reading is None or choices.running_plan_days is None:
        return choices
    return replace(choices, running_plan_days=choices.running_plan_days.reread(found.reading))


def version(choices: Choices) -> str | None:
    """What names the running-plan days a feed is rendered with (part of its cache key)."""
    days = live(choices).running_plan_days
    return days.text if days else None


def ahead(choices: Choices) -> int:
    """How far served sequences may be ahead of stored ones for this plan."""
    return AHEAD if choices.running_plan_url else 0
