"""The calendar routes: a feed by distance (stateless) and a managed plan's stored feed.

A repeated request is usually answered before it reaches these views, by the layer in front of
Flask (`frontcache`), which keeps what the views offer. Here a request is looked up by its raw
form (path, query string, base URL, today) before anything is parsed, and answered with headers
built once: a 304 for a current client.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date, datetime

from flask import Blueprint, Response, request

from . import clock, frontcache, policy, state
from .calendars import Feed, feed_for
from .http import (
    Answer,
    answer_of,
    answers,
    base_url,
    not_modified,
    private,
    revalidate,
)
from .managed import service
from .managed.store import Subscription
from .managed.tokens import digest
from .params import parse

bp = Blueprint("views", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    return Response("ok\n", mimetype="text/plain")


@bp.get("/feeds/<distance>.ics")
def calendar(distance: str) -> Response:
    # Today is in the key: the date policy reads it, so a kept answer is re-checked each day.
    today = clock.today()
    key: Hashable = (distance, request.query_string, base_url(), today)
    kept = answers().get(key)
    if kept is None:
        feed, download = feed_from_query(distance)
        kept = answer_of(feed, download=download, secret=False)
        answers().put(key, kept)
    frontcache.offer(frontcache.Stateless(today), kept.feed.etag, kept.feed.modified)
    return kept.response()


def feed_from_query(distance: str) -> tuple[Feed, bool]:
    """Build (or reuse) the feed the current request's query string asks for; a download?"""
    args = {k: request.args.getlist(k) for k in request.args}
    query = parse(distance, args)
    wanted = policy.check_feed(query.choices, clock.today())
    base = base_url()
    # A download gets UIDs of its own: imported beside a subscription, it never collides.
    scope = f"download/{distance}" if query.download else None
    # The date policy above reads today; the bytes depend only on the choices, so they are shared.
    feed = state.feed_cache().get_or_make(
        (wanted, base, scope), lambda: feed_for(state.library(), wanted, base, scope=scope)
    )
    return feed, query.download


@bp.get("/s/<token>.ics")
def stored_feed(token: str) -> Response:
    """A managed plan's feed; its URL is a secret, so the answer is private."""
    today, base = clock.today(), base_url()
    download = request.args.get("download") == "1"
    found = service.find(state.store(), "feed", token)
    rendering = (service.feed_key(found, base, today), download)
    key = ("sub", *rendering)
    kept = answers().get(key)
    if kept is None:
        # A feed that left the answer cache can still get a 304 without a rendering.
        known = state.etag_memo().get(key) or _validators(found, rendering, today)
        if known is not None and _still_current(*known):
            _offer(token, found, today, *known)
            return private(revalidate(not_modified(*known)))
        kept = _stored_answer(token, found, base, download)
        answers().put(key, kept)
        state.etag_memo().put(key, (kept.feed.etag, kept.feed.modified))
    _offer(token, found, today, kept.feed.etag, kept.feed.modified)
    return kept.response()


def _validators(
    found: Subscription, rendering: tuple[Hashable, bool], today: date
) -> tuple[str, datetime] | None:
    """The ETag and Last-Modified a rendering would have, for a conditional request, where the
    stored plan holds them (`service.stored_modified`)."""
    if not (request.if_none_match or request.if_modified_since):
        return None
    modified = service.stored_modified(state.library(), found, today)
    if modified is None:
        return None
    return service.feed_etag(state.library(), rendering), modified


def _offer(token: str, found: Subscription, today: date, etag: str, modified: datetime) -> None:
    """Let the layer in front keep this answer, unless it follows a linked running plan (whose
    readings change inside this worker, not through a write)."""
    choices = found.choices
    if choices.running_plan_url is None:
        day = today if choices.unlock_weekly else None
        holds = frontcache.Managed(digest(token), found.revision, day)
        frontcache.offer(holds, etag, modified)


def _still_current(etag: str, modified: datetime) -> bool:
    """What a full rendering's conditional GET would answer (RFC 9110 13.2.2): If-None-Match
    decides when sent, else If-Modified-Since (Apple Calendar revalidates by date)."""
    if request.if_none_match:
        return etag in request.if_none_match
    since = request.if_modified_since
    return since is not None and modified <= since


def _stored_answer(token: str, found: Subscription, base: str, download: bool) -> Answer:
    built = service.feed(
        state.store(),
        state.library(),
        token,
        base,
        clock.today(),
        cache=state.feed_cache(),
        found=found,
        download=download,
    )
    return answer_of(built, download=download, secret=True)
