"""What a runner needs to own for their schedule (pure)."""

from __future__ import annotations

from .plans import Library
from .schedule import Schedule


def needs(library: Library, schedule: Schedule) -> tuple[str, ...]:
    """Every item this runner's sessions call for, each once, in the order first needed."""
    request = schedule.request
    # Each routine once, in the order first met (a plan has 40-130 sessions of a few routines).
    routines = dict.fromkeys(session.routine for session in schedule.sessions)
    wanted = (
        item
        for routine in routines
        for item in library.variant(routine, request.equipment, request.level).needs
    )
    return tuple(dict.fromkeys(wanted))
