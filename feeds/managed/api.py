"""The JSON API of managed plans: create, read, edit, delete, rotate (errors answer as JSON)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from .. import clock, csrf, state
from ..choices import Choices, as_json
from ..errors import InvalidParameter
from ..http import private
from . import adjust_pages, apibody, running, service, writes
from .links import api_url, feed_url, manage_url
from .service import Managed

bp = Blueprint("api", __name__, url_prefix="/api/subscriptions")
bp.before_request(csrf.check_json)
bp.after_request(private)


@bp.post("")
def create() -> Response:
    given = apibody.read(_json_body())
    choices = running.attach(state.library(), given.apply(None, clock.today()), None, given.ics)
    created = writes.create(choices)
    response = _answer(created)
    response.status_code = 201
    response.headers["Location"] = api_url(created)
    return response


@bp.get("/<token>")
def read(token: str) -> Response:
    return _answer(Managed(service.find(state.store(), "manage", token), token))


@bp.patch("/<token>")
def edit(token: str) -> Response:
    ops, body = adjust_pages.operations(_json_body())
    given = apibody.read(body)
    expected = given.revision if given.revision is not None else _if_match()
    edited = writes.edit(
        token,
        lambda old: _adjusted(
            ops,
            old,
            running.attach(state.library(), given.apply(old, clock.today()), old, given.ics),
        ),
        expected,
    )
    return _answer(edited)


@bp.delete("/<token>")
def delete(token: str) -> Response:
    service.delete(state.store(), token)
    return Response(status=204)


@bp.post("/<token>/rotate")
def rotate(token: str) -> Response:
    return _answer(service.rotate(state.store(), token))


def _attached(given: apibody.Given, old: Choices) -> Choices:
    """The body over the stored plan, its running plan read again (or from the given text)."""
    return running.attach(state.library(), given.apply(old, clock.today()), old, given.ics)


def _adjusted(ops: list[adjust_pages.Operation], old: Choices, new: Choices) -> Choices:
    """`new` with the body's move/skip/pause applied, each new change checked against the plan."""
    field = ops[0].field if ops else "adjust"
    new = adjust_pages.applied(ops, new)
    return adjust_pages.checked(state.library(), old, new, clock.today(), field)


def _json_body() -> Any:
    body = request.get_json(silent=True)
    if body is None:
        raise InvalidParameter("The body is not valid JSON.")
    return body


def _if_match() -> int | None:
    if request.if_match.star_tag or not request.if_match:
        return None
    tags = request.if_match.as_set()
    tag = tags.pop() if len(tags) == 1 else ""
    if not tag.isdigit():
        raise InvalidParameter(
            'If-Match must hold one revision as read, for example If-Match: "3".', field="revision"
        )
    return int(tag)


def _answer(plan: Managed) -> Response:
    response = jsonify(
        {
            "feed_url": feed_url(plan),
            "manage_url": manage_url(plan),
            "api_url": api_url(plan),
            "revision": plan.subscription.revision,
            "plan": as_json(plan.subscription.choices),
        }
    )
    response.set_etag(str(plan.subscription.revision))
    return response
