"""Managed plans: create, edit, rotate and delete them, and build a stored plan's feed.

Every write is a read-modify-write checked against the subscription's revision; on a clash it is
retried from a fresh read after a random pause (so concurrent edits of different fields all
land), unless the caller named the revision it edited, which then answers 409 Conflict.

Reading a feed never writes: plan data revised since the plan's last write is applied on read
(`revisions.drift`), the same way on every server.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

from ..cache import LRU
from ..calendars import Feed, feed_of, stamp_of
from ..choices import Choices
from ..dates import long_date
from ..errors import Conflict, Gone, NotFound
from ..events import Entry, unit_label
from ..i18n import N_, _, current_locale, ngettext
from ..ics import OWN_SCOPE
from ..plans import Library
from ..schedule import Schedule, build
from ..shifts import built
from . import running, unlock
from .build import build_id
from .revisions import PlanState, data_day, drift, fingerprints, reconcile, revisions_of
from .store import Kind, Store, Subscription
from .tokens import digest, feed_token, new_salt, new_token

# Optimistic writes retry with a random pause growing to PAUSE_CAP; writes take milliseconds, so
# this many tries outlast any burst of edits one plan sees (issue 11: 16 writers all land).
MAX_TRIES = 200
PAUSE = 0.002
PAUSE_CAP = 0.05
# Fingerprints ignore where the app is reached from, so a new host name changes no event.
FINGERPRINT_BASE = "/"
RETIRED = {
    "feed": N_(
        "This feed address was replaced or its plan deleted. Open the manage link you saved"
        " when you created the plan to get the current feed address."
    ),
    "manage": N_("This plan was deleted; nothing of it is kept."),
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
    now = now.replace(microsecond=0)
    bare = Subscription(secrets.token_hex(16), 0, choices, today, new_salt())
    states = reconcile(_fingerprints(library, bare), PlanState(), now)
    subscription = replace(bare, state=_plan_state(library, states))
    managed = Managed(subscription, new_token())
    digests: dict[Kind, str] = {
        "manage": digest(managed.manage_token),
        "feed": digest(managed.feed_token),
    }
    store.create(subscription, digests, now)
    return managed


def find(store: Store, kind: Kind, token: str) -> Subscription:
    """The subscription a token opens, or 404 (never existed) / 410 (retired)."""
    found = store.find(kind, digest(token))
    if found is not None:
        return found
    if store.is_retired(kind, digest(token)):
        raise Gone(_(RETIRED[kind]))
    raise NotFound(_("There is no plan at this address. Check the link you saved."))


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
    now = now.replace(microsecond=0)
    for attempt in range(MAX_TRIES):
        old = find(store, "manage", token)
        if expected is not None and expected != old.revision:
            raise _stale(old)
        new = replace(old, choices=change(old.choices), saved_on=today, revision=old.revision + 1)
        new = replace(new, state=_next_state(library, old, new, now))
        if store.save(new, old.revision, now):
            return Managed(new, token)
        if expected is not None:
            raise _stale(find(store, "manage", token))
        _pause(attempt)
    raise Conflict("The plan is being changed by many requests at once; try again.")


def _pause(attempt: int) -> None:
    """A random pause before retrying, so clashing writers spread out."""
    time.sleep(random.uniform(0, min(PAUSE_CAP, PAUSE * 2 ** min(attempt, 5))))


def _stale(current: Subscription) -> Conflict:
    return Conflict(
        _(
            "The plan changed since you read it (now at revision %(revision)s); read it again"
            " and repeat your change.",
            revision=current.revision,
        ),
        field="revision",
    )


def _next_state(library: Library, old: Subscription, new: Subscription, now: datetime) -> PlanState:
    """The stored states after an edit: the plan data's changes, then the edit's."""
    seen = _effective(library, old)
    # Sequences served while weekly unlock was on may be one ahead of the stored ones.
    ahead = unlock.AHEAD if old.choices.unlock_weekly else 0
    ahead += running.ahead(old.choices)
    states = reconcile(_fingerprints(library, new), seen, now, ahead)
    return _plan_state(library, states)


def _plan_state(library: Library, state: PlanState) -> PlanState:
    """The state to store, with the plan-data day and the build that took its fingerprints."""
    return replace(state, data_day=data_day(library.revised), build=_build(library))


def _effective(
    library: Library, subscription: Subscription, served: Served | None = None
) -> PlanState:
    """The plan's state as this server's plan data shows it (never written by a read).

    The build that stored it computes the same fingerprints again from the stored choices, so
    it takes it as stored (unless a linked running plan's readings changed the events).
    """
    stored = subscription.state
    if as_stored(library, subscription, served is None or served.stored):
        return stored
    current = _fingerprints(library, subscription, served)
    return drift(current, stored, stamp_of(library))


def as_stored(library: Library, subscription: Subscription, stored: bool = True) -> bool:
    """Whether a read takes the plan's states as stored: this build stored them, and the events
    are built from the stored choices (`stored`: not from a running plan's fresher days)."""
    return stored and subscription.state.build == _build(library)


@dataclass(frozen=True)
class Served:
    """Events already built for a feed at `base_url`, to fingerprint without building again."""

    events: list[Entry]
    base_url: str
    # Built from the stored choices (not from a running plan read since they were stored).
    stored: bool = True


def _fingerprints(
    library: Library, subscription: Subscription, served: Served | None = None
) -> dict[str, str]:
    """Each slot's fingerprint; links to this site count as if at FINGERPRINT_BASE."""
    choices = subscription.choices
    if served is None:
        events = built(library, choices.request, FINGERPRINT_BASE)
        site = FINGERPRINT_BASE
    else:
        events, site = served.events, served.base_url
    return fingerprints(events, choices.timing, choices.alarm, choices.unlock_weekly, site)


def restamp(store: Store, library: Library, plans: list[Subscription]) -> int:
    """Store the plans' states as this build reads them, so their later reads take them as
    stored; how many were stored (not those already this build's, nor those written meanwhile).

    Nothing a subscriber sees changes: the states are the ones every read computes anyway.
    """
    stale = [p for p in plans if not as_stored(library, p)]
    return store.restamp(
        [replace(p, state=_plan_state(library, _effective(library, p))) for p in stale]
    )


def rotate(store: Store, token: str) -> Managed:
    """Give the plan a new feed token; the old feed URL answers 410 from now on."""
    for attempt in range(MAX_TRIES):
        old = find(store, "manage", token)
        new = replace(old, feed_salt=new_salt(), revision=old.revision + 1)
        retired, fresh = Managed(old, token).feed_token, Managed(new, token).feed_token
        if store.rotate(old.id, old.revision, digest(retired), digest(fresh), new.feed_salt):
            return Managed(new, token)
        _pause(attempt)
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
    cache: LRU[Feed] | None = None,
    found: Subscription | None = None,
    download: bool = False,
) -> Feed:
    """The feed of the plan a feed token opens, as of `today` (`found`: already looked up).

    A pure function of the stored plan, the plan data and `today`: nothing is written. A
    download has UIDs of its own, so importing it beside the subscription collides with nothing.
    """
    subscription = found or find(store, "feed", token)
    key = (feed_key(subscription, base_url, today), download)
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit
    built = _render(library, subscription, base_url, today, download, feed_etag(library, key))
    if cache is not None:
        cache.put(key, built)
    return built


def feed_etag(library: Library, rendering: tuple[Hashable, bool]) -> str:
    """A strong ETag for a plan's feed, named by everything its bytes are made from: a
    rendering's `feed_key` (the plan at its revision, the base URL, the day with weekly unlock,
    the running plan's days) and download or not, with this build. So a conditional GET is
    answered without rendering; same inputs give the same bytes on every server of a release.
    """
    made_of = (*rendering, _build(library))
    return hashlib.blake2b(repr(made_of).encode(), digest_size=16).hexdigest()


def stored_modified(library: Library, subscription: Subscription, today: date) -> datetime | None:
    """The feed's Last-Modified as of `today` from the stored states, when they are the ones a
    read serves (this build's, without a running plan's fresher days); else None. With weekly
    unlock, a week that has opened dates its events no earlier than its unlock day, so the
    schedule is walked for those days (a fraction of a rendering)."""
    choices, state = subscription.choices, subscription.state
    if state.build != _build(library) or choices.running_plan_url:
        return None
    times = [stamp_of(library)]
    if state.newest is not None:
        times.append(state.newest)
    if choices.unlock_weekly:
        weeks = build(library, choices.request).all_weeks
        times += [
            datetime.combine(w.unlock, dtime(), tzinfo=UTC) for w in weeks if w.unlock <= today
        ]
    return max(times)


def _build(library: Library) -> int:
    """This build, in the request's locale (see `build.build_id`)."""
    return build_id(library, current_locale())


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
    base_url: str,
    today: date,
    download: bool = False,
    etag: str = "",
) -> Feed:
    choices = running.live(subscription.choices)
    stored = choices is subscription.choices
    # Week events show only with weekly unlock; fingerprinting the events again needs them all.
    weekly = choices.unlock_weekly or not as_stored(library, subscription, stored)
    events = built(library, choices.request, base_url, weekly=weekly)
    states = _effective(library, subscription, Served(events, base_url, stored))
    revisions = revisions_of((e.slot for e in events), states)
    if subscription.choices.unlock_weekly:
        revisions = unlock.effective(revisions, events, today)
        events = unlock.hide_locked(events, today)
    scope = f"{OWN_SCOPE}{subscription.id}" + ("/download" if download else "")
    return feed_of(
        library, choices, events, scope=scope, revisions=revisions, etag=etag, brief=not weekly
    )


def progress(schedule: Schedule, today: date) -> str:
    """Where the runner stands today, in one sentence."""
    race, weeks = schedule.race, schedule.weeks
    if today > race:
        return _(
            "Race done on %(race)s. Take an easy week or two before lifting heavy.",
            race=long_date(race),
        )
    if today == race:
        return _("Race day today. No strength work: good luck!")
    if today < schedule.first_day:
        return ngettext(
            "Your plan starts in %(num)s day, on %(first)s.",
            "Your plan starts in %(num)s days, on %(first)s.",
            (schedule.first_day - today).days,
            first=long_date(schedule.first_day),
        )
    for week in weeks:
        if week.monday <= today <= week.monday + timedelta(days=6):
            return _(
                "You are in week %(n)s of %(total)s: %(label)s.",
                n=week.index,
                total=len(weeks),
                label=unit_label(week),
            )
    return _(
        "Week 1 of %(total)s starts on %(monday)s.",
        total=len(weeks),
        monday=long_date(weeks[0].monday),
    )
