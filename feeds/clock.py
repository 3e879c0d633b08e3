"""The one place that reads the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime


def today() -> date:
    """Return today's date (tests pin it with freezegun)."""
    return date.today()


def now() -> datetime:
    """Return the current UTC time to the second (iCalendar and HTTP dates have no fractions)."""
    return datetime.now(UTC).replace(microsecond=0)
