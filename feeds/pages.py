"""The human pages: home, a distance's plan with its form and preview, a routine."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast
from urllib.parse import urljoin

from flask import (
    Blueprint,
    Flask,
    Response,
    after_this_request,
    current_app,
    g,
    json,
    redirect,
    render_template,
    request,
    url_for,
)

from . import clock, dates, fragments
from .assets import cache, zones_response
from .calendars import calendar_name
from .errors import FeedError, InvalidParameter, NotFound
from .events import PHASE_NAMES, unit_label
from .fields import EQUIPMENT_NAMES, LABELS, LEVEL_NAMES, show
from .form import PlanForm, choices_of, every_error, read_form
from .i18n import N_, _
from .kit import needs
from .params import check_distance
from .plans import DISTANCE_NAMES, DISTANCES, Library, Program, Variant
from .preview import Line, Preview, WeekShown, cells, session_lines, weeks_shown
from .qr import qr_file, qr_svg
from .schedule import WEEKDAYS, Schedule, Week, build
from .state import library
from .subscribe import device_of, subscribe_links
from .usage import routine_usage
from .wording import change_text, session_note, unplaced_note

bp = Blueprint("pages", __name__)
bp.record_once(lambda state: fragments.init_app(cast(Flask, state.app)))
SITE_NAME = N_("Strength plans for runners")
THEME_COLOUR = "#0f4c5c"
BACKGROUND_COLOUR = "#faf8f3"
# The plan form's fields folded under "More options"; a choice or an error in one unfolds them.
MORE_OPTIONS = frozenset({"hard", "equipment", "level", "time", "tz", "alarm"})


@bp.app_context_processor
def helpers() -> dict[str, object]:
    """Names every page template can use, including the reusable _subscribe.html and _weeks.html."""
    return {
        "site_name": _(SITE_NAME),
        "theme_colour": THEME_COLOUR,
        "subscribe_links": subscribe_links,
        "qr_svg": qr_svg,
        "names": DISTANCE_NAMES,
        "phase_names": PHASE_NAMES,
        "unit_label": unit_label,
        "weeks_shown": _weeks_shown,
        "session_lines": _session_lines,
        "grid_cells": cells,
        "unplaced_note": unplaced_note,
        "session_note": session_note,
        "change_text": change_text,
        "equipment_names": EQUIPMENT_NAMES,
        "level_names": LEVEL_NAMES,
        "device": _device(),
        "day_names": dates.weekday_names,
        "day_choices": day_choices,
        "day_list": day_list,
        "field_title": field_title,
        "in_field_order": in_field_order,
    }


# The form fields as their labels name them, for the error summary's links.
FIELD_TITLES = {
    "distance": N_("Distance"),
    "race": N_("Race date"),
    "start": N_("Start date"),
    "days": N_("Training days"),
    "long": N_("Long-run day"),
    "hard": N_("Hard run days"),
    "equipment": N_("Equipment"),
    "level": N_("Lifting experience"),
    "time": N_("Time of day"),
    "tz": N_("Time zone"),
    "alarm": N_("Reminder"),
    "confirm": N_("Delete the plan"),
}


def in_field_order(errors: dict[str, str]) -> list[tuple[str, str]]:
    """The errors as the form lists its fields: the form's own first, unknown fields last."""
    order = {name: place for place, name in enumerate(["", *FIELD_TITLES])}
    return sorted(errors.items(), key=lambda item: order.get(item[0], len(order)))


def field_title(name: str) -> str:
    """A form field's name as its label shows it: "Race date"; the field table's words otherwise."""
    if name in FIELD_TITLES:
        return _(FIELD_TITLES[name])
    words = _(LABELS.get(name, name))
    return words[:1].upper() + words[1:]


def _weeks_shown(schedule: Schedule, today: date) -> tuple[WeekShown, ...]:
    """The weeks the grid and the week list show, made once a request for both (a kept week's
    look-up hashes and compares its sessions)."""
    made = g.get("weeks_shown")
    if made is None or made[0] is not schedule or made[1] != today:
        made = g.weeks_shown = (schedule, today, weeks_shown(schedule, today))
    return cast("tuple[WeekShown, ...]", made[2])


def _session_lines(lib: Library, week: Week) -> tuple[Line, ...]:
    """A week's sessions as the week-by-week list shows them, with links to the routines."""
    made = g.setdefault("routine_words", {})
    return session_lines(lib, week, lambda slug: url_for("pages.routine", slug=slug), made)


def day_list(days: Iterable[int]) -> str:
    """Weekdays (Monday 0) in order, named in the page's locale: "Tuesday, Thursday"."""
    names = dates.weekday_names()
    return ", ".join(names[d] for d in sorted(days))


def _device() -> str:
    """The device's likely calendar; the page then depends on the User-Agent, so caches must too."""

    @after_this_request
    def vary(response: Response) -> Response:
        response.vary.add("User-Agent")
        return response

    return device_of(request.user_agent.string)


def day_choices() -> list[tuple[str, str]]:
    """The weekdays as form choices: (code, name in the page's locale), Monday first."""
    return list(zip(WEEKDAYS, dates.weekday_names(), strict=True))


# Templates write dates as the calendar does: one module formats them for both.
bp.add_app_template_filter(dates.long_date, "long_date")
bp.add_app_template_filter(dates.short_date, "short_date")


@bp.get("/")
def home() -> str:
    programs = [library().programs[d] for d in DISTANCES]
    return render_template("home.html", programs=programs, today=clock.today())


@bp.get("/plan")
def start_plan() -> Response:
    """The home page's race form, without JavaScript: on to the distance's dated plan."""
    distance = check_distance(request.args.get("distance", ""))
    race = request.args.get("race", "").strip()
    if race and not _is_iso_date(race):
        raise InvalidParameter(
            "We could not read that race date. Pick the day in the date field, or type it as"
            " year-month-day: 2027-04-18 for 18 April 2027.",
            words=_(
                "We could not read that race date: go back and pick the day in the date field."
            ),
            field="race",
        )
    query: dict[str, Any] = {"race": race, "_anchor": "result"} if race else {}
    return cast(Response, redirect(url_for("pages.plan", distance=distance, **query), 303))


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == len("2027-04-18")


@bp.get("/about")
def about() -> str:
    return render_template("about.html")


@bp.get("/time-zones.json")
def time_zones() -> Response:
    """The time-zone suggestions for the form, fetched once by its script and cached."""
    return zones_response()


@bp.get("/plans/<distance>")
def plan(distance: str) -> tuple[str, int]:
    program = library().programs[check_distance(distance)]
    entered = read_form(request.args.to_dict(flat=False), clock.today())
    if not entered.submitted:
        return _plan_page(program, entered), 200
    try:
        preview = _preview(distance, entered)
    except FeedError as exc:
        errors = every_error(distance, entered, exc, clock.today())
        return _plan_page(program, entered, errors=errors), exc.status
    return _plan_page(program, entered, preview=preview), 200


def _preview(distance: str, entered: PlanForm) -> Preview:
    """Validate exactly as the feed will, and build the feed the buttons subscribe to."""
    today = clock.today()
    choices = choices_of(distance, entered, today)
    query = entered.fields()
    # The schedule is all the page shows (the program's weeks, not those after the race); the
    # calendar itself is rendered when it is fetched.
    schedule = build(library(), choices.request, after_race=False)
    return Preview(
        schedule=schedule,
        feed_url=external_url("views.calendar", distance, query),
        page_url=external_url("pages.plan", distance, query),
        qr_url=_url("pages.plan_qr", distance, query),
        name=calendar_name(distance, schedule.race),
        today=today,
    )


@bp.get("/plans/<distance>/qr.svg")
def plan_qr(distance: str) -> Response:
    """The plan page's QR code (the page itself, for a phone), as an image the page loads lazily.

    Drawn only from a query the page would show a plan for (the same 400/404/422 otherwise), so
    it encodes no text of the asker's own. The page's own link (the plan's canonical query) always
    draws the same code: kept a year; any other spelling (a start date left to today) briefly.
    """
    asked = request.args.to_dict(flat=False)
    entered = read_form(asked, clock.today())
    preview = _preview(check_distance(distance), entered)
    answer = Response(qr_file(preview.page_url + "#subscribe"), mimetype="image/svg+xml")
    canonical = {name: [value] for name, value in entered.fields().items()}
    return cache(answer, immutable=asked == canonical)


def external_url(endpoint: str, distance: str, query: dict[str, str]) -> str:
    """An absolute URL on PUBLIC_URL when set, as links inside feeds are; else this host's."""
    base = current_app.config["PUBLIC_URL"] or request.host_url
    return urljoin(base, _url(endpoint, distance, query))


def _url(endpoint: str, distance: str, query: dict[str, str]) -> str:
    values: dict[str, Any] = {"distance": distance, **query}
    return url_for(endpoint, **values)


def _plan_page(
    program: Program,
    entered: PlanForm,
    *,
    preview: Preview | None = None,
    errors: dict[str, str] | None = None,
) -> str:
    shown: dict[str, object] = {}
    if preview:
        shown["needs"] = needs(library(), preview.schedule)
    return render_template(
        "plan.html",
        program=program,
        lib=library(),
        form=entered,
        preview=preview,
        errors=errors or {},
        today=clock.today(),
        more_open=bool({*(errors or {}), *entered.fields()} & MORE_OPTIONS),
        **shown,
    )


@bp.get("/routines/<slug>")
def routine(slug: str) -> str:
    lib = library()
    if slug not in lib.routines:
        raise NotFound(
            f"There is no routine '{show(slug)}'."
            f" Known routines: {', '.join(sorted(lib.routines))}.",
            words=_("There is no such routine: every program below links the routines it uses."),
        )
    found = lib.routine(slug)
    return render_template(
        "routine.html",
        routine=found,
        usage=routine_usage(lib, slug),
        instead=lib.routines.get(found.new_lifters),
        variants=[(_variant_title(v), v) for v in found.variants],
    )


# How the routine page names the equipment tracks and lifting levels.
ROUTINE_EQUIPMENT_NAMES = {"gym": N_("Gym"), "home": N_("Home"), "none": N_("No equipment")}
ROUTINE_LEVEL_NAMES = {"new": N_("new to lifting"), "experienced": N_("experienced lifters")}


def _variant_title(variant: Variant) -> str:
    """'Gym · Home: new to lifting', or '... : everyone' when one variant serves both levels."""
    tracks = " · ".join(_(ROUTINE_EQUIPMENT_NAMES[e]) for e in variant.equipment)
    levels = [_(ROUTINE_LEVEL_NAMES[level]) for level in variant.levels]
    return f"{tracks}: {levels[0] if len(levels) == 1 else _('new and experienced lifters')}"


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest, so "Add to Home Screen" gets a name and proper icons."""
    icons = [
        _icon("icons/icon-192.png", "192x192", "image/png"),
        _icon("icons/icon-512.png", "512x512", "image/png"),
        _icon("icons/icon-maskable-512.png", "512x512", "image/png", purpose="maskable"),
        _icon("icons/icon.svg", "any", "image/svg+xml"),
    ]
    body = {
        "name": _(SITE_NAME),
        "short_name": "Race strength",
        "description": "A 16-week strength program for your race, in your calendar.",
        "start_url": url_for("pages.home"),
        "scope": url_for("pages.home"),
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    return Response(json.dumps(body, indent=2), mimetype="application/manifest+json")


def _icon(path: str, sizes: str, kind: str, purpose: str = "any") -> dict[str, str]:
    src = url_for("static", filename=path)
    return {"src": src, "sizes": sizes, "type": kind, "purpose": purpose}
