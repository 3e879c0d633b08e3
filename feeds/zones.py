"""Time-zone names a runner may give (IANA location zones)."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def canonical_zone(name: str) -> str | None:
    """The zone's IANA name if it is one we accept, else None."""
    return name if name in _zones() else None
