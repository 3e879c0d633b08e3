"""When the week doesn't go to plan: move, skip or pause, from the manage page and the API."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers.response import Response as BaseResponse

from .. import clock, csrf, state
from ..adjustments import MAX_PAUSE_DAYS, NO_CHANGES, Adjustments, Pause
from ..choices import Choices
from ..dates import short_date
from ..errors import FeedError, Impossible, InvalidParameter
from ..fields import BY_NAME, wrong_type
from ..http import private
from ..i18n import N_, _, ngettext
from ..plans import Library
from ..schedule import Schedule, Session, Week, build
from ..wording import refusal_text
from . import context, service, writes
from .links import feed_url, manage_url
from .service import Managed

bp = Blueprint("adjust", __name__)
bp.before_request(csrf.check_form)
bp.after_request(private)
OPERATIONS = ("move", "skip", "pause")


@dataclass(frozen=True)
class ThisWeek:
    """The week the manage page offers to change: its days and its sessions still to come."""

    week: Week
    days: tuple[date, ...]
    sessions: tuple[Session, ...]


def this_week(schedule: Schedule, today: date) -> ThisWeek | None:
    """The first week that still has a session from today on, or None."""
    for week in schedule.all_weeks:
        coming = tuple(s for s in week.sessions if s.day >= today)
        if coming:
            days = tuple(week.monday + timedelta(days=i) for i in range(7))
            return ThisWeek(week, tuple(d for d in days if d >= today), coming)
    return None


@dataclass(frozen=True)
class Change:
    """One of the runner's changes as the manage page lists it, with what undoes it."""

    item: str  # as `Adjustments.text` writes it; the undo form sends it back
    text: str


def changes(library: Library, choices: Choices) -> tuple[Change, ...]:
    """Each move, skip and pause of the plan, in words, in the order they are stored."""
    if not choices.adjust:
        return ()
    plain = build(library, replace(choices, adjust=NO_CHANGES).request)
    found = {s.slot: (w, s) for w in plain.all_weeks for s in w.sessions}
    adjust = choices.adjust
    out = [
        Change(f"move:{slot}:{to.isoformat()}", _moved(library, found.get(slot), to))
        for slot, to in adjust.moves
    ]
    out += [Change(f"skip:{slot}", _skipped(library, found.get(slot))) for slot in adjust.skips]
    out += [Change(f"pause:{p.start.isoformat()}+{p.days}", _paused(p)) for p in adjust.pauses]
    return tuple(sorted(out, key=lambda change: _when(change, found)))


def _when(change: Change, found: Mapping[str, tuple[Week, Session]]) -> date:
    """The day a change concerns, so the list reads in calendar order."""
    kind, _sep, rest = change.item.partition(":")
    if kind == "pause":
        return date.fromisoformat(rest.split("+")[0])
    slot = rest.rsplit(":", 1)[0] if kind == "move" else rest
    return found[slot][1].day if slot in found else date.max


def _short(day: date) -> str:
    return short_date(day)


def _session(library: Library, found: tuple[Week, Session] | None) -> str:
    if found is None:
        return _("A session no longer in your plan")
    week, session = found
    return _(
        "%(routine)s, week %(week)s",
        routine=library.routine(session.routine).name,
        week=week.index,
    )


def _moved(library: Library, found: tuple[Week, Session] | None, to: date) -> str:
    what = _session(library, found)
    if found is None:
        return _("%(what)s: moved to %(to)s", what=what, to=_short(to))
    return _(
        "%(what)s: moved from %(day)s to %(to)s",
        what=what,
        day=_short(found[1].day),
        to=_short(to),
    )


def _skipped(library: Library, found: tuple[Week, Session] | None) -> str:
    what = _session(library, found)
    if found is None:
        return _("%(what)s: skipped", what=what)
    return _("%(what)s on %(day)s: skipped", what=what, day=_short(found[1].day))


def _paused(pause: Pause) -> str:
    return ngettext(
        "Paused on %(start)s (%(num)s day)",
        "Paused from %(start)s to %(last)s (%(num)s days)",
        pause.days,
        start=_short(pause.start),
        last=_short(pause.last),
    )


@bp.app_context_processor
def _adjust_helpers() -> dict[str, Any]:
    return {"adjust_week": this_week, "adjust_changes": changes}


@dataclass(frozen=True)
class Operation:
    """One change asked for, named by the field that asked (its errors name it)."""

    field: str
    change: Callable[[Adjustments], Adjustments]


def operation(name: str, value: Any) -> Operation:
    """A `move`, `skip` or `pause` value (JSON or form) read into its change; shapes only."""
    if not isinstance(value, Mapping):
        raise wrong_type(name, SHAPES[name], value)
    if name == "pause":
        start, days = _text(value, "from", name), value.get("days")
        if isinstance(days, str) and days.isdigit():
            days = int(days)
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_PAUSE_DAYS:
            raise InvalidParameter(
                _(
                    "'pause' needs \"days\": a whole number from 1 to %(most)s.",
                    most=MAX_PAUSE_DAYS,
                ),
                field=name,
            )
        pause = Pause(_day(start, name), days)
        return Operation(name, lambda a: a.with_pause(pause))
    slot = _text(value, "slot", name)
    if name == "skip":
        return Operation(name, lambda a: a.with_skip(slot))
    to = _day(_text(value, "to", name), name)
    return Operation(name, lambda a: a.with_move(slot, to))


SHAPES = {
    "move": 'an object {"slot": "<session>", "to": "YYYY-MM-DD"}',
    "skip": 'an object {"slot": "<session>"}',
    "pause": 'an object {"from": "YYYY-MM-DD", "days": 7}',
}


def _text(value: Mapping[str, Any], key: str, name: str) -> str:
    found = value.get(key)
    if not isinstance(found, str) or not found:
        raise wrong_type(name, SHAPES[name], value)
    return found


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text) if len(text) == 10 else date.fromisoformat("x")
    except ValueError:
        raise InvalidParameter(
            _(
                "'%(name)s' needs a real calendar date as YYYY-MM-DD; got '%(got)s'.",
                name=name,
                got=text[:30],
            ),
            field=name,
        ) from None


def operations(body: Any) -> tuple[list[Operation], Any]:
    """The body's move/skip/pause operations, and the body without them."""
    if not isinstance(body, dict):
        return [], body
    ops = [operation(name, body[name]) for name in OPERATIONS if name in body]
    return ops, {k: v for k, v in body.items() if k not in OPERATIONS}


def applied(ops: list[Operation], choices: Choices) -> Choices:
    adjust = choices.adjust
    for op in ops:
        adjust = op.change(adjust)
    # Read back through the table, so its limits hold for every way in.
    return replace(choices, adjust=BY_NAME["adjust"].parse(adjust.text))


def checked(
    library: Library, old: Choices | None, new: Choices, today: date, field: str
) -> Choices:
    """`new`, once each change it adds fits the plan: a known session, a day not yet passed,
    and no rule broken (422, the rule in words)."""
    before = old.adjust if old else NO_CHANGES
    added = [(s, d) for s, d in new.adjust.moves if (s, d) not in before.moves]
    fresh = [s for s in new.adjust.skips if s not in before.skips] + [s for s, _day in added]
    known = {
        s.slot
        for w in build(library, replace(new, adjust=NO_CHANGES).request).all_weeks
        for s in w.sessions
    }
    for slot in fresh:
        if slot not in known:
            raise Impossible(
                _("Your plan has no session '%(slot)s' to change.", slot=slot[:60]), field=field
            )
    for _slot, day in added:
        if day < today:
            raise Impossible(
                _("%(day)s has passed; pick a day from today on.", day=short_date(day)),
                field=field,
            )
    refused = {s: why for w in build(library, new.request).all_weeks for s, why in w.refused}
    for slot, _day in added:
        if slot in refused:
            raise Impossible(
                _("That session cannot move there: %(why)s.", why=refusal_text(refused[slot])),
                field=field,
            )
    return new


@bp.post("/manage/<token>/adjust/<kind>")
def adjust(token: str, kind: str) -> BaseResponse | tuple[str, int]:
    """One move, skip or pause from the manage page's forms; errors show on the page."""
    try:
        if kind not in OPERATIONS:
            raise InvalidParameter(
                _("Choose one of %(operations)s.", operations=", ".join(OPERATIONS)),
                field="adjust",
            )
        op = operation(kind, request.form.to_dict())
        _edit(
            token,
            lambda old: checked(state.library(), old, applied([op], old), clock.today(), "adjust"),
        )
    except FeedError as exc:
        return _page_with(token, exc.message), exc.status
    flash(_(DONE[kind]), "adjust")
    return redirect(url_for("manage.page", token=token) + "#adjust-title", 303)


@bp.post("/manage/<token>/adjust-clear")
def clear(token: str) -> BaseResponse:
    """Drop every move, skip and pause: the plan as placement lays it out."""
    _edit(token, lambda old: replace(old, adjust=NO_CHANGES))
    flash(_("Your changes are undone: every week is as the plan lays it out."), "adjust")
    return redirect(url_for("manage.page", token=token) + "#adjust-title", 303)


@bp.post("/manage/<token>/adjust-undo")
def undo(token: str) -> BaseResponse | tuple[str, int]:
    """Undo one move, skip or pause (`item` as listed); the other changes stay."""
    item = request.form.get("item", "")
    try:
        _edit(token, lambda old: replace(old, adjust=old.adjust.undone(item)))
    except FeedError as exc:
        return _page_with(token, exc.message), exc.status
    flash(_("Undone. The other changes stay; your calendar follows on its next refresh."), "adjust")
    return redirect(url_for("manage.page", token=token) + "#adjust-title", 303)


DONE = {
    "move": N_("Moved. Your calendar shows the session on its new day after its next refresh."),
    "skip": N_("Skipped. The session leaves your calendar on its next refresh."),
    "pause": N_("Paused. Those days are free; the weeks around them are placed again."),
}


def _edit(token: str, change: Callable[[Choices], Choices]) -> None:
    writes.edit(token, change)


def _page_with(token: str, message: str) -> str:
    plan = Managed(service.find(state.store(), "manage", token), token)
    links = {"feed_url": feed_url(plan), "manage_url": manage_url(plan)}
    page = context.context(state.library(), plan, clock.today(), links, None, {"adjust": message})
    return render_template("manage.html", **page)
