"""A plan's creation and edits as the routes make them: this app's store and plan data, today's
clock (the service itself stays free of Flask)."""

from __future__ import annotations

from collections.abc import Callable

from .. import clock, state
from ..choices import Choices
from . import service
from .service import Managed


def create(choices: Choices) -> Managed:
    """Store a new plan."""
    return service.create(state.store(), state.library(), choices, clock.today(), clock.now())


def edit(token: str, change: Callable[[Choices], Choices], expected: int | None = None) -> Managed:
    """Apply `change` to the plan `token` opens (`expected`: the revision the runner read)."""
    return service.edit(
        state.store(),
        state.library(),
        token,
        change,
        expected=expected,
        today=clock.today(),
        now=clock.now(),
    )
