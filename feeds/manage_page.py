"""What a managed plan's pages show (created.html, manage.html), and its edit form read back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

from . import managed
from .choices import FIELDS, Choices, args_of, feed_request
from .errors import FeedError
from .form import DEFAULT_LONG, DEFAULT_TIME, LABELS, every_error, read_form, time_zones
from .managed import Managed
from .plans import DISTANCE_NAMES, DISTANCES, Library
from .preview import adaptation
from .schedule import WEEKDAY_NAMES, WEEKDAYS, build

# The edit form's fields an error can stand next to; any other error heads the page alone.
FORM_FIELDS = (*LABELS, "distance")


def context(
    library: Library,
    plan: Managed,
    today: date,
    links: Mapping[str, str],
    form: MultiDict[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The template names; `links` holds feed_url and manage_url, `form` refills the edit form."""
    choices = plan.subscription.choices
    schedule = build(library, feed_request(choices, plan.subscription.saved_on).plan)
    return {
        **links,
        "plan": plan,
        "choices": choices,
        "schedule": schedule,
        "today": today,
        "progress": managed.progress(schedule, today),
        "adaptation": adaptation(schedule),
        "name": DISTANCE_NAMES[choices.distance],
        "distances": [(d, DISTANCE_NAMES[d]) for d in DISTANCES],
        "weekdays": list(zip(WEEKDAYS, WEEKDAY_NAMES, strict=True)),
        "zones": time_zones(),
        "lib": library,
        "values": stored_values(choices) if form is None else submitted_values(form),
        "errors": errors or {},
    }


def form_args(form: MultiDict[str, str]) -> dict[str, str]:
    """The feed parameters a form gave; checkboxes (days) arrive as several values."""
    args = {}
    for name in FIELDS:
        values = [v.strip() for v in form.getlist(name) if v.strip()]
        if values:
            args[name] = ",".join(values)
    return args


def edit_args(form: MultiDict[str, str]) -> dict[str, str | None]:
    """Every feed parameter of the edit form: it shows them all, so an empty one clears it."""
    args = form_args(form)
    if form.get("when") == "allday":
        args = {name: value for name, value in args.items() if name not in ("time", "tz")}
    return {name: args.get(name) for name in FIELDS}


def edit_errors(
    form: MultiDict[str, str], stored: Choices, first: FeedError, today: date
) -> dict[str, str]:
    """Each wrong field's message, the way the plan form reports them."""
    given = form.get("distance", "")
    distance = given if given in DISTANCES else stored.distance
    entered = read_form(form.to_dict(flat=False), today)
    return every_error(distance, entered, first, today, FORM_FIELDS)


def stored_values(choices: Choices) -> dict[str, Any]:
    timed = choices.time is not None
    return _values(args_of(choices), timed, choices.distance, choices.unlock_weekly)


def submitted_values(form: MultiDict[str, str]) -> dict[str, Any]:
    """What the runner sent, shown again for correction."""
    args = form_args(form)
    when = form.get("when") or ("timed" if "time" in args else "allday")
    return _values(args, when == "timed", form.get("distance", ""), "unlock_weekly" in form)


def _values(args: Mapping[str, str], timed: bool, distance: str, unlock: bool) -> dict[str, Any]:
    return {
        "distance": distance,
        "unlock_weekly": unlock,
        "race": args.get("race", ""),
        "start": args.get("start", ""),
        "days": args.get("days", "").split(","),
        "long": args.get("long", DEFAULT_LONG),
        "timed": timed,
        "time": args.get("time", DEFAULT_TIME),
        "tz": args.get("tz", ""),
        "alarm": args.get("alarm", ""),
    }
