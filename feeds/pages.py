"""The human pages: home, a distance's plan with its form and preview, a routine."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from .errors import NotFound
from .params import check_distance, show
from .plans import DISTANCE_NAMES, DISTANCES
from .views import feed_from_query, library

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    programs = [library().programs[d] for d in DISTANCES]
    return render_template("home.html", programs=programs, names=DISTANCE_NAMES)


@bp.get("/plans/<distance>")
def plan(distance: str) -> str:
    program = library().programs[check_distance(distance)]
    feed = None
    if "race" in request.args:
        feed = feed_from_query(distance)
    return render_template("plan.html", program=program, feed=feed, lib=library())


@bp.get("/routines/<slug>")
def routine(slug: str) -> str:
    lib = library()
    if slug not in lib.routines:
        raise NotFound(
            f"There is no routine '{show(slug)}'."
            f" Known routines: {', '.join(sorted(lib.routines))}."
        )
    return render_template("routine.html", routine=lib.routine(slug))
