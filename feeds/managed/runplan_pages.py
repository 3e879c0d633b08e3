"""The manage page's running-plan section: read a calendar (address or upload), correct, save."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers.response import Response as BaseResponse

from .. import clock, csrf, state
from ..choices import Choices
from ..dates import weekday_names
from ..errors import FeedError, InvalidParameter
from ..http import private
from ..i18n import N_, _
from ..plans import Library
from ..runplan import MAX_BYTES, Reading, read_plan
from ..runplan.address import parse_url
from ..runplan.days import of_reading
from ..runplan.view import KIND_NAMES, RunPlanView, kind_name, rows
from ..schedule import WEEKDAYS, build
from ..wording import did_not_fit
from . import context, running, runplan_form, service, writes
from .links import feed_url, manage_url
from .service import Managed

bp = Blueprint("runplan", __name__)
# Room for a running plan's .ics besides the form's few fields; as JSON text its line ends and
# quotes are escaped, so the API's body gets an eighth more.
UPLOAD_CAP = MAX_BYTES + 64 * 1024
JSON_CAP = MAX_BYTES + MAX_BYTES // 8 + 64 * 1024
NO_SOURCE = N_("Give the address of your running plan's calendar, or choose its .ics file.")
SAVED = N_(
    "Saved your running plan's days. Your calendar moves the sessions on its next refresh;"
    " the feed URL stays the same."
)
REMOVED = N_("Your running plan is removed: sessions follow your long-run and hard days again.")


def init_app(app: Flask) -> None:
    """Check FEEDS_RUNPLAN_ALLOW, open the per-worker readings and add the routes."""
    running.init_app(app)
    app.register_blueprint(bp)


# The forms that may carry a running plan's .ics (the manage page's read and the Subscribe
# form) as a multipart upload, and the API's create and edit as `running_plan_ics`. Every other
# request keeps the app's body limit.
CARRY_UPLOADS = ("runplan.read", "manage.create_from_form")
CARRY_JSON = ("api.create", "api.edit")


@bp.before_app_request
def _room_for_upload() -> None:
    if request.endpoint in CARRY_UPLOADS and request.mimetype == "multipart/form-data":
        request.max_content_length = UPLOAD_CAP
    elif request.endpoint in CARRY_JSON and request.is_json:
        request.max_content_length = JSON_CAP


bp.before_request(csrf.check_form)
bp.after_request(private)


@bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    return {
        "runplan_view": view_of,
        "runplan_kinds": [(kind, kind_name(kind)) for kind in KIND_NAMES],
        "runplan_kind_name": kind_name,
        "runplan_weekdays": list(zip(WEEKDAYS, weekday_names(), strict=True)),
    }


def view_of(choices: Choices) -> RunPlanView | None:
    """The stored running plan with the freshest reading this worker holds."""
    days = choices.running_plan_days
    if days is None:
        return None
    kept = running.kept(choices)
    reading = kept.reading if kept else None
    shown = days.reread(reading) if reading else days
    problem, read_at = (kept.problem, kept.read_at) if kept else (None, None)
    return RunPlanView(
        choices.running_plan_url, shown, rows(shown, reading), False, problem, read_at
    )


@bp.post("/manage/<token>/running-plan/read")
def read(token: str) -> tuple[str, int]:
    plan = _plan(token)
    choices = plan.subscription.choices
    try:
        url, reading = _read(choices)
    except FeedError as exc:
        return _page(plan, {"running_plan_url": exc.message}), exc.status
    base = choices.running_plan_days
    days = base.reread(reading) if base else of_reading(reading)
    view = RunPlanView(url, days, rows(days, reading), preview=True)
    return _page(plan, runplan_preview=view), 200


def _read(choices: Choices) -> tuple[str | None, Reading]:
    """The running plan the form gives: the uploaded file first, else the address."""
    upload = request.files.get("running_plan_file")
    first, last = running.span(state.library(), choices)
    if upload is not None and upload.filename:
        return None, read_plan(upload.read(MAX_BYTES + 1), first, last, choices.tz)
    given = request.form.get("running_plan_url", "").strip()
    if not given:
        raise InvalidParameter(_(NO_SOURCE), field="running_plan_url")
    url = parse_url(given)
    kept = running.readings().read_now(running.key_of(url, first, last, choices), clock.now())
    assert kept.reading is not None  # read_now raises instead
    return url, kept.reading


@bp.post("/manage/<token>/running-plan")
def save(token: str) -> BaseResponse | tuple[str, int]:
    form = request.form
    revision = form.get("revision", "")
    try:
        expected = int(revision) if revision.isdigit() else None
        notes = _edit(token, runplan_form.change(form), expected)
    except FeedError as exc:
        return _page(_plan(token), {exc.field or "": exc.message}), exc.status
    flash(_saved(form), "runplan")
    for note in notes:
        flash(note, "runplan")
    return redirect(url_for("manage.page", token=token) + "#running-plan", 303)


@bp.post("/manage/<token>/running-plan/undo")
def undo(token: str) -> BaseResponse | tuple[str, int]:
    """Undo one correction, `day:YYYY-MM-DD` or `every:tue`; the others stay."""
    try:
        notes = _edit(token, runplan_form.undoing(request.form.get("undo", "")))
    except FeedError as exc:
        return _page(_plan(token), {"running_plan_days": exc.message}), exc.status
    flash(
        _("Undone. That day follows your running plan again; your other corrections stay."),
        "runplan",
    )
    for note in notes:
        flash(note, "runplan")
    return redirect(url_for("manage.page", token=token) + "#running-plan", 303)


def _edit(
    token: str, change: Callable[[Choices], Choices], expected: int | None = None
) -> list[str]:
    """Save the change; what it left unplaced that was placed before, week by week."""
    before = service.find(state.store(), "manage", token).choices
    edited = writes.edit(token, change, expected)
    return newly_unplaced(state.library(), before, edited.subscription.choices)


def newly_unplaced(library: Library, old: Choices, new: Choices) -> list[str]:
    """Sessions `new` cannot place that `old` could, each with its week and the reasons."""
    was = {w.monday: set(w.unplaced) for w in build(library, old.request).all_weeks}
    return [
        _(
            "Week %(n)s: %(what)s Its week below says why each day could not take it.",
            n=week.index,
            what=did_not_fit(library, missed.demand),
        )
        for week in build(library, new.request).all_weeks
        for missed in week.unplaced
        if missed not in was.get(week.monday, set())
    ]


def _saved(form: MultiDict[str, str]) -> str:
    return _(REMOVED if form.get("action") == "remove" else SAVED)


def _plan(token: str) -> Managed:
    return Managed(service.find(state.store(), "manage", token), token)


def _page(plan: Managed, errors: dict[str, str] | None = None, **extra: Any) -> str:
    links = {"feed_url": feed_url(plan), "manage_url": manage_url(plan)}
    values = context.context(state.library(), plan, clock.today(), links, None, errors)
    return render_template("manage.html", **values, **extra)
