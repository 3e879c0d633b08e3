"""The rules that depend on today: which race dates a new plan may have."""

from __future__ import annotations

from datetime import date, timedelta

from .choices import Choices
from .errors import Impossible

MAX_DAYS_AHEAD = 366


def check(choices: Choices, today: date) -> Choices:
    """Refuse a race already past or more than a year away; return the choices unchanged."""
    if choices.race < today:
        raise Impossible(
            f"The race date {choices.race} has already passed; choose a date from {today} on.",
            field="race",
        )
    latest = today + timedelta(days=MAX_DAYS_AHEAD)
    if choices.race > latest:
        raise Impossible(
            f"The race date {choices.race} is more than a year away; plans cover races up to"
            f" {latest}.",
            field="race",
        )
    return choices
