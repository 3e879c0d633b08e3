"""Managed subscriptions over HTTP: the JSON API, the stored feed, the manage pages and forms."""

from __future__ import annotations

import os
import secrets
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers.response import Response as BaseResponse

from . import apibody, clock, csrf, manage_page, managed
from .cache import LRU
from .calendars import Feed
from .choices import as_json
from .errors import FeedError, InvalidParameter
from .form import choices_of, read_form
from .health import migrate_at_start
from .managed import Managed
from .params import check_distance
from .store import Store, engine_for
from .views import base_url, calendar_response, etag_of, library, not_modified

bp = Blueprint("subscriptions", __name__)
bp.before_request(csrf.check)


def init_app(app: Flask) -> None:
    """Open the store (migrated to the newest schema) and register the routes."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    url = app.config["DATABASE_URL"] or f"sqlite:///{instance / 'feeds.sqlite3'}"
    engine = engine_for(url)
    migrate_at_start(app, engine)
    app.extensions["store"] = Store(engine)
    app.register_blueprint(bp)


def _instance_secret(path: Path) -> str:
    """Read the instance's secret key, creating it once (atomically: workers start together)."""
    if not path.exists():
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def store() -> Store:
    return cast(Store, current_app.extensions["store"])


@bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    return {"csrf_token": csrf.token, "csrf_field": csrf.FIELD}


@bp.after_request
def _private(response: Response) -> Response:
    # Manage URLs are secrets: keep them out of Referer headers, search engines and caches.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Robots-Tag"] = "noindex"
    if response.mimetype != "text/calendar":
        response.cache_control.no_store = True
    return response


# The stored feed -------------------------------------------------------------------------


@bp.get("/s/<token>.ics")
def feed(token: str) -> Response:
    today, base = clock.today(), base_url()
    found = managed.find(store(), "feed", token)
    key = managed.feed_key(found, base, today)
    memo = cast("LRU[tuple[str, datetime]]", current_app.extensions["etag_memo"])
    known = memo.get(key)
    if known is not None and known[0] in request.if_none_match:
        return _revalidate(not_modified(*known))
    cache = cast("LRU[Feed]", current_app.extensions["feed_cache"])
    built = managed.feed(
        store(), library(), token, base, today, clock.now(), cache=cache, found=found
    )
    response = calendar_response(built.body, built.modified, built.filename)
    memo.put(key, (etag_of(built.body), built.modified))
    return _revalidate(response)


def _revalidate(response: Response) -> Response:
    # A managed plan changes whenever its runner edits it, and its URL is a secret: no shared
    # caches, and revalidate every time (a cheap 304 when nothing changed).
    response.cache_control.public = False
    response.cache_control.max_age = None
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response


# The JSON API ----------------------------------------------------------------------------


@bp.post("/api/subscriptions")
def api_create() -> Response:
    given = apibody.read(_json_body())
    choices = given.apply(None, clock.today())
    created = managed.create(store(), library(), choices, clock.today(), clock.now())
    response = _api_answer(created)
    response.status_code = 201
    response.headers["Location"] = _api_url(created)
    return response


@bp.get("/api/subscriptions/<token>")
def api_read(token: str) -> Response:
    return _api_answer(Managed(managed.find(store(), "manage", token), token))


@bp.patch("/api/subscriptions/<token>")
def api_edit(token: str) -> Response:
    given = apibody.read(_json_body())
    expected = given.revision if given.revision is not None else _if_match()
    edited = managed.edit(
        store(),
        library(),
        token,
        lambda old: given.apply(old, clock.today()),
        expected=expected,
        today=clock.today(),
        now=clock.now(),
    )
    return _api_answer(edited)


@bp.delete("/api/subscriptions/<token>")
def api_delete(token: str) -> Response:
    managed.delete(store(), token)
    return Response(status=204)


@bp.post("/api/subscriptions/<token>/rotate")
def api_rotate(token: str) -> Response:
    return _api_answer(managed.rotate(store(), token))


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


def _api_answer(plan: Managed) -> Response:
    response = jsonify(
        {
            "feed_url": _feed_url(plan),
            "manage_url": _manage_url(plan),
            "api_url": _api_url(plan),
            "revision": plan.subscription.revision,
            "plan": as_json(plan.subscription.choices),
        }
    )
    response.set_etag(str(plan.subscription.revision))
    return response


def _absolute(path: str) -> str:
    return base_url().rstrip("/") + path


def _api_url(plan: Managed) -> str:
    return _absolute(url_for("subscriptions.api_read", token=plan.manage_token))


def _feed_url(plan: Managed) -> str:
    return _absolute(url_for("subscriptions.feed", token=plan.feed_token))


def _manage_url(plan: Managed) -> str:
    return _absolute(url_for("subscriptions.manage", token=plan.manage_token))


# The pages and their forms ---------------------------------------------------------------


@bp.post("/plans/<distance>/subscribe")
def create_from_form(distance: str) -> tuple[str, int]:
    entered = read_form(request.form.to_dict(flat=False))
    choices = choices_of(check_distance(distance), entered, clock.today())
    unlock = entered.entered.get("unlock_weekly") == "1"
    choices = replace(choices, unlock_weekly=unlock)
    created = managed.create(store(), library(), choices, clock.today(), clock.now())
    return render_template("created.html", **_page(created)), 201


@bp.get("/manage/<token>")
def manage(token: str) -> str:
    plan = Managed(managed.find(store(), "manage", token), token)
    return render_template("manage.html", **_page(plan))


@bp.post("/manage/<token>")
def manage_edit(token: str) -> BaseResponse | tuple[str, int]:
    form = request.form
    revision = form.get("revision", "")
    given = apibody.Given(
        values=manage_page.edit_values(form), distance=form.get("distance") or None
    )
    try:
        managed.edit(
            store(),
            library(),
            token,
            lambda old: given.apply(old, clock.today()),
            expected=int(revision) if revision.isdigit() else None,
            today=clock.today(),
            now=clock.now(),
        )
    except FeedError as exc:
        plan = Managed(managed.find(store(), "manage", token), token)
        stored = plan.subscription.choices
        errors = manage_page.edit_errors(form, stored, exc, clock.today())
        return render_template("manage.html", **_page(plan, form, errors)), exc.status
    flash("Saved. Your calendar moves the events on its next refresh; the feed URL stays the same.")
    return redirect(url_for("subscriptions.manage", token=token), 303)


@bp.post("/manage/<token>/rotate")
def manage_rotate(token: str) -> BaseResponse:
    managed.rotate(store(), token)
    flash(
        "The feed has a new URL: subscribe to it and remove the old subscription, which now"
        " answers 410 Gone."
    )
    return redirect(url_for("subscriptions.manage", token=token), 303)


@bp.post("/manage/<token>/delete")
def manage_delete(token: str) -> str | tuple[str, int]:
    if request.form.get("confirm") != "yes":
        plan = Managed(managed.find(store(), "manage", token), token)
        errors = {"confirm": "Tick the box to confirm the deletion."}
        return render_template("manage.html", **_page(plan, errors=errors)), 400
    managed.delete(store(), token)
    message = (
        "Your plan is deleted and nothing of it is kept. Its feed URL now answers 410 Gone;"
        " remove the subscription from your calendar app."
    )
    return render_template("error.html", title="Plan deleted", message=message)


def _page(
    plan: Managed,
    form: MultiDict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """What manage.html and created.html show; `form` refills the edit form after an error."""
    links = {"feed_url": _feed_url(plan), "manage_url": _manage_url(plan)}
    return manage_page.context(library(), plan, clock.today(), links, form, errors)
