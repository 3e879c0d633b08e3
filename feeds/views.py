"""The public routes (the URL contract in the README)."""

from __future__ import annotations

import hashlib
from typing import cast

from flask import Blueprint, Response, current_app, render_template, request

from . import clock
from .calendars import Feed, feed_for
from .errors import NotFound
from .params import check_distance, parse
from .plans import DISTANCE_NAMES, DISTANCES, Library

bp = Blueprint("views", __name__)
CACHE_SECONDS = 3600


def library() -> Library:
    return cast(Library, current_app.extensions["library"])


def base_url() -> str:
    return str(current_app.config["PUBLIC_URL"] or request.url_root)


@bp.get("/healthz")
def healthz() -> Response:
    return Response("ok\n", mimetype="text/plain")


@bp.get("/")
def home() -> str:
    programs = [library().programs[d] for d in DISTANCES]
    return render_template("home.html", programs=programs, names=DISTANCE_NAMES)


@bp.get("/plans/<distance>")
def plan(distance: str) -> str:
    program = library().programs[check_distance(distance)]
    feed = None
    if "race" in request.args:
        feed = _feed(distance)
    return render_template("plan.html", program=program, feed=feed, lib=library())


@bp.get("/feeds/<distance>.ics")
def calendar(distance: str) -> Response:
    feed = _feed(distance)
    response = Response(feed.body, mimetype="text/calendar")
    response.set_etag(hashlib.sha256(feed.body).hexdigest())
    response.last_modified = feed.modified
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    download = request.args.get("download") == "1"
    kind = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{kind}; filename="{feed.filename}"'
    response.make_conditional(request)
    return response


@bp.get("/routines/<slug>")
def routine(slug: str) -> str:
    lib = library()
    if slug not in lib.routines:
        raise NotFound(
            f"There is no routine '{slug[:40]}'. Known routines: {', '.join(sorted(lib.routines))}."
        )
    return render_template("routine.html", routine=lib.routine(slug))


def _feed(distance: str) -> Feed:
    args = {k: request.args.getlist(k) for k in request.args}
    return feed_for(library(), parse(distance, args, clock.today()), base_url())
