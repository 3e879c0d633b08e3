"""The one place that reads the clock: once per request, so one request sees one instant."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import g, has_request_context


def now() -> datetime:
    """The current UTC time to the second (iCalendar and HTTP dates have no fractions).

    Within a request every call returns the instant of the first one; tests pin it with freezegun.
    """
    if not has_request_context():
        return _read()
    if "clock_now" not in g:
        g.clock_now = _read()
    instant: datetime = g.clock_now
    return instant


def today() -> date:
    """Today's date in UTC, as of `now`."""
    return now().date()


def _read() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
