"""What the manage page's running-plan forms send, read into changes of the plan (no I/O).

The save form sends the days as shown (`running_plan_days`), each date's select
(`day-YYYY-MM-DD`) and each weekday's (`every-tue`); the undo buttons send one correction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from werkzeug.datastructures import MultiDict

from ..choices import Choices
from ..dates import long_date, weekday_names
from ..errors import InvalidParameter
from ..i18n import _
from ..placement import RunDay
from ..runplan.address import parse_url
from ..runplan.days import PlanDays, parse_days
from ..runplan.view import KIND_NAMES, kind_name
from ..schedule import WEEKDAYS


def undoing(raw: str) -> Callable[[Choices], Choices]:
    """Undo one correction, `day:YYYY-MM-DD` or `every:tue` (400 naming the form if unreadable)."""
    undone = _undone(raw)
    return lambda old: replace(old, running_plan_days=_apply(undone, old.running_plan_days))


def _undone(raw: str) -> Callable[[PlanDays], PlanDays]:
    kind, _sep, what = raw.partition(":")
    if kind == "every" and what in WEEKDAYS:
        return lambda days: days.without_every(WEEKDAYS.index(what))
    if kind == "day" and len(what) == 10:
        try:
            day = date.fromisoformat(what)
        except ValueError:
            pass
        else:
            return lambda days: days.without_fix(day)
    raise InvalidParameter(
        _("Undo takes one correction: day:YYYY-MM-DD or every:<weekday> such as every:tue."),
        field="running_plan_days",
    )


def _apply(undone: Callable[[PlanDays], PlanDays], days: PlanDays | None) -> PlanDays | None:
    return undone(days) if days else None


def change(form: MultiDict[str, str]) -> Callable[[Choices], Choices]:
    """The save form: remove the running plan, or its address and days with the selects applied."""
    if form.get("action") == "remove":
        return lambda old: replace(old, running_plan_url=None, running_plan_days=None)
    url = parse_url(form["running_plan_url"]) if form.get("running_plan_url") else None
    days = parse_days(form.get("running_plan_days", "")).corrected(_chosen(form), _weekly(form))
    return lambda old: replace(old, running_plan_url=url, running_plan_days=days)


def _weekly(form: MultiDict[str, str]) -> dict[int, RunDay] | None:
    """The weekday selects, `every-tue` = long, hard, easy, rest or "" (as the plan says);
    None when the form has none (the weekday choices then stay)."""
    if not any(f"every-{name}" in form for name in WEEKDAYS):
        return None
    kinds = {kind.value: kind for kind in RunDay}
    chosen = {}
    for weekday, name in enumerate(WEEKDAYS):
        value = form.get(f"every-{name}", "")
        if value and value not in kinds:
            raise InvalidParameter(
                _(
                    "The kind of run for every %(day)s must be one of %(kinds)s, or none to"
                    " follow your running plan.",
                    day=weekday_names()[weekday],
                    kinds=_kind_names(),
                ),
                field="running_plan_days",
            )
        if value:
            chosen[weekday] = kinds[value]
    return chosen


def _kind_names() -> str:
    """The kinds a select offers, as it names them: "Long run, Hard run, Easy run, Rest"."""
    return ", ".join(kind_name(kind) for kind in KIND_NAMES)


def _chosen(form: MultiDict[str, str]) -> dict[date, RunDay]:
    """Each date's select, `day-YYYY-MM-DD` = long, hard, easy or rest."""
    kinds = {kind.value: kind for kind in RunDay}
    chosen = {}
    for name, value in form.items():
        if not name.startswith("day-"):
            continue
        try:
            day = date.fromisoformat(name[4:])
        except ValueError:
            continue
        if value not in kinds:
            raise InvalidParameter(
                _(
                    "The kind of run on %(day)s must be one of %(kinds)s.",
                    day=long_date(day),
                    kinds=_kind_names(),
                ),
                field="running_plan_days",
            )
        chosen[day] = kinds[value]
    return chosen
