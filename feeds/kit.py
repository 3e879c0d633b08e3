"""What a runner needs to own for their schedule (pure)."""

from __future__ import annotations

from .plans import Library
from .schedule import Schedule


def needs(library: Library, schedule: Schedule) -> tuple[str, ...]:
    """Every item this runner's sessions call for, each once, in the order first needed."""
    request = schedule.request
    wanted = (
        item
        for session in schedule.sessions
        for item in library.variant(session.routine, request.equipment, request.level).needs
    )
    return tuple(dict.fromkeys(wanted))
