"""Compose a runner's calendar: schedule, entries, bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from .choices import Choices
from .dates import medium_date
from .events import Entry, drop_weeks
from .i18n import _
from .ics import OWN_SCOPE, FeedMeta, Revision, render
from .plans import DISTANCE_NAMES, Library
from .shifts import built


@dataclass(frozen=True)
class Feed:
    # The name a download is saved under.
    filename: str
    body: bytes
    modified: datetime
    # Hashed once with the bytes, so a cache hit or a 304 never hashes them again; a managed
    # plan's is named by what its bytes are made from instead (`service.feed_etag`).
    etag: str = ""

    def __post_init__(self) -> None:
        if not self.etag:
            object.__setattr__(self, "etag", etag_of(self.body))


def etag_of(body: bytes) -> str:
    """A strong ETag: the SHA-256 of the exact bytes (same request, same bytes)."""
    return hashlib.sha256(body).hexdigest()


# Plan-data revisions are counted in days from here (RFC 5545 3.8.7.4: a stateless feed's events
# take this as their SEQUENCE, so it rises, small, whenever the data is revised).
DATA_EPOCH = date(2026, 11, 1)


def data_sequence(library: Library) -> int:
    """The plan data's revision as a small, rising number: days from DATA_EPOCH to `revised`."""
    return max(0, (library.revised - DATA_EPOCH).days)


def stamp_of(library: Library) -> datetime:
    """The plan data's revision as a UTC timestamp: the feed's only notion of "when"."""
    return datetime.combine(library.revised, time(), tzinfo=UTC)


def calendar_name(distance: str, race: date, *, managed: bool = False) -> str:
    """The calendar's display name, as clients list it.

    A managed plan's name leaves out the race date: apps keep the first name they saw, and its
    race can move. A stateless feed's URL carries its race, so its name does too.
    """
    if managed:
        return _("%(distance)s strength", distance=DISTANCE_NAMES[distance])
    return _(
        "%(distance)s strength · race %(race)s",
        distance=DISTANCE_NAMES[distance],
        race=medium_date(race),
    )


def feed_for(
    library: Library,
    choices: Choices,
    base_url: str,
    *,
    scope: str | None = None,
    revisions: Mapping[str, Revision] | None = None,
) -> Feed:
    """Build the feed for the runner's choices; `scope` separates UID spaces."""
    events = built(library, choices.request, base_url, weekly=choices.unlock_weekly)
    return feed_of(
        library, choices, events, scope=scope, revisions=revisions, brief=not choices.unlock_weekly
    )


def feed_of(
    library: Library,
    choices: Choices,
    events: Iterable[Entry],
    *,
    scope: str | None = None,
    revisions: Mapping[str, Revision] | None = None,
    etag: str = "",
    brief: bool = False,
) -> Feed:
    """Serialise a plan's (possibly adjusted) entries; `etag`: the feed's, where it is named
    by what the bytes are made from (else the bytes' hash).

    Week events stay only for runners who chose the weekly unlock; for everyone else each
    week's overview is already in its first session (`brief`: the entries come without them
    already, as `built(weekly=False)` writes them).
    """
    meta = meta_of(library, choices, scope)
    shown = list(events) if choices.unlock_weekly or brief else drop_weeks(list(events))
    if revisions is None:
        revision = Revision(data_sequence(library), meta.stamp)
        revisions = {e.slot: revision for e in shown}
    body = render(shown, meta, revisions)
    modified = max([meta.stamp, *(r.modified for r in (revisions or {}).values())])
    name = f"{choices.distance}-strength-race-{choices.race}.ics"
    return Feed(name, body, modified, etag)


def meta_of(library: Library, choices: Choices, scope: str | None = None) -> FeedMeta:
    """The calendar-wide facts of a feed."""
    distance = choices.distance
    program = library.programs[distance]
    return FeedMeta(
        name=calendar_name(distance, choices.race, managed=_managed(scope)),
        description=f"{program.name}. {program.focus}",
        scope=scope or distance,
        stamp=stamp_of(library),
        timing=choices.timing,
        alarm=choices.alarm,
    )


def _managed(scope: str | None) -> bool:
    """Whether a feed is a managed plan's: those are rendered in their own scope, "sub/<id>"."""
    return scope is not None and scope.startswith(OWN_SCOPE)
