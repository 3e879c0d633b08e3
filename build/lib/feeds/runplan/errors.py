"""What can go wrong reading a runner's running plan; each names the field it concerns."""

from __future__ import annotations

from ..errors import FeedError

FIELD = "running_plan_url"


class RunPlanRefused(FeedError):
    """A running-plan address the service will not fetch: not https, or a private host (400)."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message, field=FIELD)


class RunPlanUnreachable(FeedError):
    """The running plan could not be fetched: no answer, an error status, too large (422)."""

    status = 422

    def __init__(self, message: str) -> None:
        super().__init__(message, field=FIELD)


class RunPlanUnreadable(FeedError):
    """The running plan was fetched or uploaded but is not a usable calendar (422)."""

    status = 422

    def __init__(self, message: str) -> None:
        super().__init__(message, field=FIELD)
