"""Turn the plan form's fields into the canonical feed query (pure: today is an argument)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from zoneinfo import available_timezones

from .errors import FeedError, InvalidParameter
from .params import parse_values
from .plans import PROGRAM_WEEKS
from .schedule import DEFAULT_LONG_DAY, WEEKDAYS

DEFAULT_LONG = WEEKDAYS[DEFAULT_LONG_DAY]
DEFAULT_TIME = "07:00"
# Aliases and technical zones, left out of the suggestions (still accepted when typed).
LEGACY_ZONES = ("Etc/", "posix", "right/", "SystemV/", "US/", "Canada/", "Mexico/", "Brazil/")
# How each feed parameter is named in a sentence a runner reads.
LABELS = {
    "race": "the race date",
    "start": "the start date",
    "days": "the training days",
    "long": "the long-run day",
    "time": "the time of day",
    "tz": "the time zone",
    "alarm": "the reminder",
}


@dataclass(frozen=True)
class PlanForm:
    """What the runner entered, ready to show in the form again."""

    race: str = ""
    start: str = ""
    days: tuple[str, ...] = ()
    long: str = DEFAULT_LONG
    timed: bool = False
    time: str = DEFAULT_TIME
    tz: str = ""
    alarm: str = ""
    submitted: bool = False

    def query(self) -> dict[str, str]:
        """The feed parameters, once the form-only checks pass."""
        for problem in self.problems():
            raise problem
        return self.fields()

    def fields(self) -> dict[str, str]:
        """The feed parameters in the contract's order, leaving out empty and default ones."""
        pairs = {
            "race": self.race,
            "start": self.start,
            "days": ",".join(self.days),
            "long": "" if self.long == DEFAULT_LONG else self.long,
        }
        if self.timed:
            pairs |= {"time": self.time, "tz": self.tz}
        pairs["alarm"] = self.alarm
        return {name: value for name, value in pairs.items() if value}

    def problems(self) -> list[InvalidParameter]:
        """The problems only a form can have; feeds.params checks everything else."""
        found = []
        if not self.race:
            found.append(InvalidParameter("Enter the date of your race.", field="race"))
        if self.timed and not self.time:
            found.append(
                InvalidParameter(
                    "Choose the time your sessions start, or choose all-day events.", field="time"
                )
            )
        if self.timed and not self.tz:
            found.append(
                InvalidParameter(
                    "Enter your time zone, for example Europe/London or America/New_York,"
                    " or choose all-day events.",
                    field="tz",
                )
            )
        return found


def read_form(args: Mapping[str, Sequence[str]], today: date) -> PlanForm:
    """Read the submitted form (each name mapped to all its values); a feed query reads too."""

    def last(name: str) -> str:
        return (args.get(name) or [""])[-1].strip()

    when = last("when")
    return PlanForm(
        race=last("race"),
        start=last("start") or today.isoformat(),
        days=_days(args.get("days", ())),
        long=last("long").lower() or DEFAULT_LONG,
        timed=when == "timed" or (not when and bool(last("time"))),
        time=last("time") or DEFAULT_TIME,
        tz=last("tz"),
        alarm=last("alarm"),
        submitted="race" in args,
    )


def _days(values: Sequence[str]) -> tuple[str, ...]:
    """Ticked boxes arrive repeated (days=mon&days=wed), a feed query comma-joined."""
    parts = (part.strip().lower() for value in values for part in value.split(","))
    return tuple(part for part in parts if part)


def every_error(
    distance: str,
    entered: PlanForm,
    first: FeedError,
    today: date,
    slots: Collection[str] = tuple(LABELS),
) -> dict[str, str]:
    """The first error, then any other field's, found by checking each field on its own.

    Keys are the fields in `slots` the messages stand next to; "" holds the rest.
    """
    # A race date that is always valid, so each field below is judged alone.
    probe = {"race": (today + timedelta(weeks=PROGRAM_WEEKS)).isoformat()}
    fields = entered.fields()
    found = [first, *entered.problems()]
    for group in (("days",), ("long",), ("time", "tz"), ("alarm",)):
        try:
            parse_values(distance, probe | {k: fields[k] for k in group if k in fields}, today)
        except FeedError as exc:
            found.append(exc)
    errors: dict[str, str] = {}
    for problem in found:
        slot = problem.field if problem.field and problem.field in slots else ""
        errors.setdefault(slot, in_words(problem.message))
    return errors


def in_words(message: str) -> str:
    """Name fields as a runner knows them instead of by their parameter names."""
    for name, label in LABELS.items():
        message = message.replace(f"'{name}'", label)
    return message[:1].upper() + message[1:]


@cache
def time_zones() -> tuple[str, ...]:
    """Zone names a runner would pick from (Region/City), for the form's suggestions."""
    zones = (z for z in available_timezones() if "/" in z and not z.startswith(LEGACY_ZONES))
    return ("UTC", *sorted(zones))
