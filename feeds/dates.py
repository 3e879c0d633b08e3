"""Dates as people write them, for every message a runner reads."""

from __future__ import annotations

from datetime import date


def long_date(day: date) -> str:
    """A date as people write it: "Sunday 18 April 2027"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    """A date in a list of days: "Mon 7 Dec"."""
    return f"{day:%a} {day.day} {day:%b}"
