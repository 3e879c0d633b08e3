"""The one place that reads the clock."""

from __future__ import annotations

from datetime import date


def today() -> date:
    """Return today's date (tests pin it with freezegun)."""
    return date.today()
