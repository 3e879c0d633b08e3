"""Managed plans: create, edit, rotate and delete them, and build a stored plan's feed.

Every write is a read-modify-write checked against the subscription's revision; on a clash it is
retried from a fresh read (so concurrent edits of different fields all land), unless the caller
named the revision it edited, which then answers 409 Conflict.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from ..cache import LRU
from ..calendars import Feed, feed_of
from ..choices import Choices
from ..errors import Conflict, Gone, NotFound
from ..events import entries, unit_label
from ..plans import Library
from ..schedule import Schedule, build
from . import running, unlock
from .revisions import SlotState, fingerprints, reconcile, revisions_of
from .store import Kind, Store, Subscription
from .tokens import digest, feed_token, new_salt, new_token

MAX_TRIES = 10
# Fingerprints ignore where the app is reached from, so a new host name changes no event.
FINGERPRINT_BASE = "/"
RETIRED = {
    "feed": (
        "This feed address was replaced or its plan deleted. Open the manage link you saved"
        " when you created the plan to get the current feed address."
    ),
    "manage": "This plan was deleted; nothing of it is kept.",
}


@dataclass(frozen=True)
class Managed:
    """A subscription as its manage-token holder sees it."""

    subscription: Subscription
    manage_token: str

    @property
    def feed_token(self) -> str:
        return feed_token(self.manage_token, self.subscription.feed_salt)


def create(store: Store, library: Library, choices: Choices, today: date, now: datetime) -> Managed:
    """Store a new plan; every event starts at SEQUENCE 0."""
    subscription = Subscription(secrets.token_hex(16), 0, choices, today, new_salt())
    managed = Managed(subscription, new_token())
    states = reconcile(_fingerprints(library, subscription), {}, now)
    digests: dict[Kind, str] = {
        "manage": digest(managed.manage_token),
        "feed": digest(managed.feed_token),
    }
    store.create(subscription, digests, states, now)
    return managed


def find(store: Store, kind: Kind, token: str) -> Subscription:
    """The subscription a token opens, or 404 (never existed) / 410 (retired)."""
    found = store.find(kind, digest(token))
    if found is not None:
        return found
    if store.is_retired(kind, digest(token)):
        raise Gone(RETIRED[kind])
    raise NotFound("There is no plan at this address. Check the link you saved.")


def edit(
    store: Store,
    library: Library,
    token: str,
    change: Callable[[Choices], Choices],
    *,
    expected: int | None,
    today: date,
    now: datetime,
) -> Managed:
    """Apply `change` to the stored choices; changed events get a higher SEQUENCE."""
    for _ in range(MAX_TRIES):
        old = find(store, "manage", token)
        if expected is not None and expected != old.revision:
            raise _stale(old)
        new = replace(old, choices=change(old.choices), saved_on=today, revision=old.revision + 1)
        if _write(store, library, old, new, now):
            return Managed(new, token)
        if expected is not None:
            raise _stale(find(store, "manage", token))
    raise Conflict("The plan is being changed by many requests at once; try again.")


def _stale(current: Subscription) -> Conflict:
    return Conflict(
        f"The plan changed since you read it (now at revision {current.revision});"
        " read it again and repeat your change.",
        field="revision",
    )


def _write(
    store: Store, library: Library, old: Subscription, new: Subscription, now: datetime
) -> bool:
    stored = store.slots(old.id)
    changes = _changes(library, old, new, stored, now)
    return store.save(new, old.revision, changes, stored.keys(), now)


def _changes(
    library: Library,
    old: Subscription,
    new: Subscription,
    stored: dict[str, SlotState],
    now: datetime,
) -> list[SlotState]:
    # Sequences served while weekly unlock was on may be one ahead of the stored ones.
    ahead = unlock.AHEAD if old.choices.unlock_weekly else 0
    ahead += running.ahead(old.choices)
    return reconcile(_fingerprints(library, new), stored, now, ahead)


def _fingerprints(library: Library, subscription: Subscription) -> dict[str, str]:
    choices = subscription.choices
    events = entries(library, build(library, choices.request), FINGERPRINT_BASE)
    return fingerprints(events, choices.timing, choices.alarm, choices.unlock_weekly)


def rotate(store: Store, token: str) -> Managed:
    """Give the plan a new feed token; the old feed URL answers 410 from now on."""
    for _ in range(MAX_TRIES):
        old = find(store, "manage", token)
        new = replace(old, feed_salt=new_salt(), revision=old.revision + 1)
        retired, fresh = Managed(old, token).feed_token, Managed(new, token).feed_token
        if store.rotate(old.id, old.revision, digest(retired), digest(fresh), new.feed_salt):
            return Managed(new, token)
    raise Conflict("The plan is being changed by many requests at once; try again.")


def delete(store: Store, token: str) -> None:
    """Delete the plan; both of its addresses answer 410 from now on."""
    found = find(store, "manage", token)
    managed = Managed(found, token)
    store.delete(found.id, {"manage": digest(token), "feed": digest(managed.feed_token)})


def feed(
    store: Store,
    library: Library,
    token: str,
    base_url: str,
    today: date,
    now: datetime,
    cache: LRU[Feed] | None = None,
    found: Subscription | None = None,
) -> Feed:
    """The feed of the plan a feed token opens, as of `today` (`found`: already looked up)."""
    for _ in range(MAX_TRIES):
        subscription = found or find(store, "feed", token)
        found = None
        key = feed_key(subscription, base_url, today)
        if cache is not None and (hit := cache.get(key)) is not None:
            return hit
        stored = store.slots(subscription.id)
        # Plan data edited since the last write changes events too: record that first.
        changes = _changes(library, subscription, subscription, stored, now)
        if not changes:
            built = _render(library, subscription, stored, base_url, today)
            if cache is not None:
                cache.put(key, built)
            return built
        bumped = replace(subscription, revision=subscription.revision + 1)
        store.save(bumped, subscription.revision, changes, stored.keys(), now)
    raise Conflict("The plan is being changed by many requests at once; try again.")


def feed_key(subscription: Subscription, base_url: str, today: date) -> Hashable:
    """What names one exact rendering of a plan's feed.

    Every write raises the revision, and plan data only changes with a restart (new caches), so a
    rendering, or its ETag, kept under this key is still exact.
    """
    day = today if subscription.choices.unlock_weekly else None
    runs = running.version(subscription.choices)
    return ("sub", subscription.id, subscription.revision, day, base_url, runs)


def _render(
    library: Library,
    subscription: Subscription,
    stored: dict[str, SlotState],
    base_url: str,
    today: date,
) -> Feed:
    choices = running.live(subscription.choices)
    schedule = build(library, choices.request)
    events = entries(library, schedule, base_url)
    revisions = running.revised(
        library, subscription.choices, choices, stored, revisions_of(stored.values())
    )
    if subscription.choices.unlock_weekly:
        revisions = unlock.effective(revisions, events, today)
        events = unlock.hide_locked(events, today)
    scope = f"sub/{subscription.id}"
    return feed_of(library, choices, schedule, events, scope=scope, revisions=revisions)


def progress(schedule: Schedule, today: date) -> str:
    """Where the runner stands today, in one sentence."""
    race, weeks = schedule.race, schedule.weeks
    if today > race:
        return f"Race done on {race:%A %d %B %Y}. Take an easy week or two before lifting heavy."
    if today == race:
        return "Race day today. No strength work: good luck!"
    if today < schedule.first_day:
        days = (schedule.first_day - today).days
        plural = "" if days == 1 else "s"
        return f"Your plan starts in {days} day{plural}, on {schedule.first_day:%A %d %B %Y}."
    for week in weeks:
        if week.monday <= today <= week.monday + timedelta(days=6):
            return f"You are in week {week.index} of {len(weeks)}: {unit_label(week)}."
    return f"Week 1 of {len(weeks)} starts on Monday {weeks[0].monday:%d %B %Y}."
