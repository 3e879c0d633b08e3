"""The calendar routes: a feed by distance (stateless) and a managed plan's stored feed."""

from __future__ import annotations

from flask import Blueprint, Response, request

from . import clock, policy, state
from .calendars import Feed, feed_for
from .http import base_url, calendar_response, not_modified, private, revalidate
from .managed import service
from .params import parse

bp = Blueprint("views", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    return Response("ok\n", mimetype="text/plain")


@bp.get("/feeds/<distance>.ics")
def calendar(distance: str) -> Response:
    return calendar_response(feed_from_query(distance))


def feed_from_query(distance: str) -> Feed:
    """Build (or reuse) the feed the current request's query string asks for."""
    args = {k: request.args.getlist(k) for k in request.args}
    wanted = policy.check(parse(distance, args).choices, clock.today())
    base = base_url()
    # The date policy above reads today; the bytes depend only on the choices, so they are shared.
    return state.feed_cache().get_or_make(
        (wanted, base), lambda: feed_for(state.library(), wanted, base)
    )


@bp.get("/s/<token>.ics")
def stored_feed(token: str) -> Response:
    """A managed plan's feed; its URL is a secret, so the answer is private."""
    today, base = clock.today(), base_url()
    found = service.find(state.store(), "feed", token)
    key = service.feed_key(found, base, today)
    memo = state.etag_memo()
    known = memo.get(key)
    if known is not None and known[0] in request.if_none_match:
        return private(revalidate(not_modified(*known)))
    built = service.feed(
        state.store(),
        state.library(),
        token,
        base,
        today,
        cache=state.feed_cache(),
        found=found,
    )
    memo.put(key, (built.etag, built.modified))
    return private(revalidate(calendar_response(built)))
