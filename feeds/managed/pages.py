"""The managed plan's pages and forms: create from the plan page, see, edit, rotate, delete."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers.response import Response as BaseResponse

from .. import clock, csrf, state
from ..errors import FeedError
from ..form import choices_of, read_form
from ..http import private
from ..params import check_distance
from ..plans import DISTANCE_NAMES
from ..subscribe import OPENS, subscribe_links
from . import apibody, context, runplan_create, service, writes
from .links import feed_url, manage_url
from .service import Managed

bp = Blueprint("manage", __name__)
bp.before_request(csrf.check_form)
bp.after_request(private)


@bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    # The plan page (another blueprint) also shows the create form, so every template gets it.
    return {"csrf_token": csrf.token, "csrf_field": csrf.FIELD}


@bp.post("/plans/<distance>/subscribe")
def create_from_form(distance: str) -> BaseResponse | tuple[str, int]:
    """Store the previewed plan, then post/redirect/get: a reload shows it, never a second one."""
    entered = read_form(request.form.to_dict(flat=False))
    choices = choices_of(check_distance(distance), entered, clock.today())
    choices = replace(choices, unlock_weekly=entered.entered.get("unlock_weekly") == "1")
    try:
        choices = runplan_create.at_creation(choices)
    except FeedError as exc:
        return runplan_create.creation_refused(distance, entered, exc)
    created = writes.create(choices)
    # One-time: the plan's page shows its link with copy and email buttons on this visit only.
    flash("Your plan is saved.", "created")
    client = request.form.get("client")
    if client in OPENS:
        # "Add to Apple Calendar": the page shows that calendar first and opens it, this once.
        flash(client, "open")
    if choices.running_plan_days:
        flash(runplan_create.read_at_creation())
    if _wants_json():
        return _created_json(created, client)
    return redirect(url_for("manage.page", token=created.manage_token), 303)


def _wants_json() -> bool:
    # plan.js asks for JSON to open a calendar while the tap still counts; a plain form never does.
    offered = request.accept_mimetypes
    return offered.best_match(["text/html", "application/json"]) == "application/json"


def _created_json(created: Managed, client: str | None) -> BaseResponse:
    """The new plan's addresses, and the calendar page to open in a new tab for `client`.

    The flashed banner waits in the session, so the plan's page shows it as after the redirect.
    Google's page needs the feed URL pasted ("paste"); Outlook.com's link carries it.
    """
    feed, manage = feed_url(created), manage_url(created)
    body: dict[str, Any] = {"manage_url": manage, "feed_url": feed}
    links = subscribe_links(feed, str(DISTANCE_NAMES[created.subscription.choices.distance]))
    if client == "google":
        body |= {"open_url": links.google_add_by_url, "paste": True}
    elif client == "outlook":
        body |= {"open_url": links.outlook_com, "paste": False}
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = manage
    return response


@bp.get("/manage/<token>")
def page(token: str) -> str:
    return render_template("manage.html", **_page(_plan(token)))


@bp.post("/manage/<token>")
def edit(token: str) -> BaseResponse | tuple[str, int]:
    form = request.form
    revision = form.get("revision", "")
    given = apibody.Given(values=context.edit_values(form), distance=form.get("distance") or None)
    try:
        writes.edit(
            token,
            lambda old: given.apply(old, clock.today()),
            int(revision) if revision.isdigit() else None,
        )
    except FeedError as exc:
        plan = _plan(token)
        errors = context.edit_errors(form, plan.subscription.choices, exc, clock.today())
        return render_template("manage.html", **_page(plan, form, errors)), exc.status
    flash("Saved. Your calendar moves the events on its next refresh; the feed URL stays the same.")
    return redirect(url_for("manage.page", token=token), 303)


@bp.post("/manage/<token>/rotate")
def rotate(token: str) -> BaseResponse:
    service.rotate(state.store(), token)
    flash(
        "The feed has a new URL: subscribe to it and remove the old subscription, which now"
        " answers 410 Gone."
    )
    return redirect(url_for("manage.page", token=token), 303)


@bp.post("/manage/<token>/delete")
def delete(token: str) -> str | tuple[str, int]:
    if request.form.get("confirm") != "yes":
        errors = {"confirm": "Tick the box to confirm the deletion."}
        return render_template("manage.html", **_page(_plan(token), errors=errors)), 400
    service.delete(state.store(), token)
    message = (
        "Your plan is deleted and nothing of it is kept. Its feed URL now answers 410 Gone;"
        " remove the subscription from your calendar app."
    )
    return render_template("error.html", title="Plan deleted", message=message)


def _plan(token: str) -> Managed:
    return Managed(service.find(state.store(), "manage", token), token)


def _page(
    plan: Managed,
    form: MultiDict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """What manage.html shows; `form` refills the edit form after an error."""
    links = {"feed_url": feed_url(plan), "manage_url": manage_url(plan)}
    return context.context(state.library(), plan, clock.today(), links, form, errors)
