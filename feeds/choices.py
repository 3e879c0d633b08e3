"""A runner's stored choices for a managed plan, validated by the same rules as feed parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .params import FeedRequest, parse_values
from .schedule import WEEKDAYS

# The feed parameters a managed plan keeps, in the order forms and the API show them.
FIELDS = ("race", "start", "days", "long", "time", "tz", "alarm")


@dataclass(frozen=True)
class Choices:
    """Everything the runner chose, normalised (weekdays as `tue,thu`, times as HH:MM)."""

    distance: str
    race: date
    start: date | None = None
    days: str | None = None
    long: str = "sun"
    time: str | None = None
    tz: str | None = None
    alarm: int | None = None
    unlock_weekly: bool = False


def args_of(choices: Choices) -> dict[str, str]:
    """The choices as the feed parameters `params.parse` reads."""
    values = {
        "race": choices.race.isoformat(),
        "start": choices.start.isoformat() if choices.start else None,
        "days": choices.days,
        "long": choices.long,
        "time": choices.time,
        "tz": choices.tz,
        "alarm": None if choices.alarm is None else str(choices.alarm),
    }
    return {k: v for k, v in values.items() if v is not None}


def validate(distance: str, args: Mapping[str, str], today: date, unlock_weekly: bool) -> Choices:
    """Check feed parameters against `today`; errors are the feed's own, word for word."""
    request = parse_values(distance, args, today)
    timing = request.timing
    plan = request.plan
    return Choices(
        distance=plan.distance,
        race=plan.race,
        start=plan.start,
        days=",".join(WEEKDAYS[d] for d in sorted(plan.days)) if plan.days else None,
        long=WEEKDAYS[plan.long_day],
        time=f"{timing.at:%H:%M}" if timing else None,
        tz=timing.zone.key if timing else None,
        alarm=request.alarm,
        unlock_weekly=unlock_weekly,
    )


def feed_request(choices: Choices, saved_on: date) -> FeedRequest:
    """The feed request of stored choices, checked against the day they were saved."""
    return parse_values(choices.distance, args_of(choices), saved_on)
