"""The plan and manage forms: what the runner entered, read into choices (pure)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from . import policy
from .choices import Choices, read, texts
from .errors import FeedError, InvalidParameter
from .fields import BY_NAME, FIELDS, LABELS
from .i18n import _

DEFAULT_TIME = "07:00"
# Aliases and technical zones, left out of the suggestions (still accepted when typed).
LEGACY_ZONES = ("Etc/", "posix", "right/", "SystemV/", "US/", "Canada/", "Mexico/", "Brazil/")
# Fields a form shows as a group of checkboxes (each ticked box a value).
CHECKBOXES = ("days", "hard")


@dataclass(frozen=True)
class PlanForm:
    """What the runner entered (text per field, as typed), ready to show in the form again.

    Templates read a field as `form.race`; checkbox groups come back as lists.
    """

    entered: Mapping[str, str] = field(default_factory=dict)
    timed: bool = False
    submitted: bool = False

    def __getitem__(self, name: str) -> Any:
        if name == "timed":
            return self.timed
        raw = self.entered.get(name, "")
        if name in CHECKBOXES:
            return [part for part in raw.split(",") if part]
        if name == "time":
            return raw or DEFAULT_TIME
        if not raw and name in BY_NAME and isinstance(BY_NAME[name].default, str):
            return BY_NAME[name].default
        if name == "long" and not raw:
            return BY_NAME["long"].text(BY_NAME["long"].default)
        return raw

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in (*BY_NAME, "timed", "distance"):
            raise AttributeError(name)
        return self[name]

    def query(self) -> dict[str, str]:
        """The choices as text, once the form-only checks pass."""
        for problem in self.problems():
            raise problem
        return self.fields()

    def fields(self) -> dict[str, str]:
        """The feed parameters in the table's order, leaving out empty and default ones."""
        values = {f.name: self.entered.get(f.name, "") for f in FIELDS if f.in_feed}
        if not self.timed:
            values |= {"time": "", "tz": ""}
        return {
            name: value for name, value in values.items() if value and not _default(name, value)
        }

    def problems(self) -> list[InvalidParameter]:
        """The problems only a form can have; the field table checks everything else."""
        found = []
        if not self.entered.get("race"):
            found.append(InvalidParameter("Enter the date of your race.", field="race"))
        if self.timed and not self.entered.get("time"):
            found.append(
                InvalidParameter(
                    "Choose the time your sessions start, or choose all-day events.", field="time"
                )
            )
        if self.timed and not self.entered.get("tz"):
            found.append(
                InvalidParameter(
                    "Enter your time zone, for example Europe/London or America/New_York,"
                    " or choose all-day events.",
                    field="tz",
                )
            )
        return found


def read_form(args: Mapping[str, Sequence[str]], today: date | None = None) -> PlanForm:
    """Read a submitted form (each name mapped to all its values); a feed query reads too.

    With `today`, an empty start date means today (the plan page's default).
    """

    def last(name: str) -> str:
        return (args.get(name) or [""])[-1].strip()

    entered = {f.name: last(f.name) for f in FIELDS}
    for name in CHECKBOXES:
        entered[name] = _ticked(args.get(name, ()))
    entered["unlock_weekly"] = "1" if last("unlock_weekly") in ("on", "1", "true") else ""
    if today is not None and not entered["start"]:
        entered["start"] = today.isoformat()
    when = last("when")
    if last("distance"):
        entered["distance"] = last("distance")
    return PlanForm(
        entered=entered,
        timed=when == "timed" or (not when and bool(entered["time"])),
        submitted="race" in args,
    )


def _default(name: str, value: str) -> bool:
    default = BY_NAME[name].default
    return isinstance(default, (str, int)) and value == BY_NAME[name].text(default)


def form_of(choices: Choices) -> PlanForm:
    """The form as it shows stored choices."""
    entered = {"distance": choices.distance, **texts(choices)}
    return PlanForm(entered=entered, timed=choices.timing is not None)


def _ticked(values: Sequence[str]) -> str:
    """Ticked boxes arrive repeated (days=mon&days=wed), a feed query comma-joined."""
    parts = (part.strip().lower() for value in values for part in value.split(","))
    return ",".join(part for part in parts if part)


def choices_of(distance: str, entered: PlanForm, today: date) -> Choices:
    """Read and check the form as a new plan: the field table, then the date policy."""
    return policy.check(read(distance, entered.query()), today)


def every_error(
    distance: str,
    entered: PlanForm,
    first: FeedError,
    today: date,
    slots: Collection[str] = tuple(LABELS),
) -> dict[str, str]:
    """The first error, then any other field's, found by reading each field on its own.

    Keys are the fields in `slots` the messages stand next to; "" holds the rest.
    """
    found = [first, *entered.problems()]
    for name, raw in entered.fields().items():
        try:
            value = BY_NAME[name].parse(raw)
            if name == "race":
                policy.check(Choices(distance, value), today)
        except FeedError as exc:
            found.append(exc)
    own = {p.message for p in entered.problems()}
    errors: dict[str, str] = {}
    for problem in found:
        slot = problem.field if problem.field and problem.field in slots else ""
        errors.setdefault(slot, problem.message if problem.message in own else in_words(problem))
    return errors


def in_words(problem: FeedError) -> str:
    """A problem as a form shows it: what fixes the field, never the value or parameter name."""
    field = BY_NAME.get(problem.field or "")
    if isinstance(problem, InvalidParameter) and field and field.fix:
        return _(field.fix)
    message = problem.words
    for name, label in LABELS.items():
        message = message.replace(f"'{name}'", label)
    return message[:1].upper() + message[1:]


@cache
def time_zones() -> tuple[str, ...]:
    """Zone names a runner would pick from (Region/City), for the form's suggestions."""
    zones = (z for z in available_timezones() if "/" in z and not z.startswith(LEGACY_ZONES))
    return ("UTC", *sorted(zones))
