"""The service's exception tree; views translate it to HTTP status codes."""

from __future__ import annotations


class FeedError(Exception):
    """Base class for every error a runner can cause with a request."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, words: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        # What a page shows a runner when `message` names parameters or echoes input, which
        # only developers reading the feed's text or the API's JSON need.
        self.words = words or message


class InvalidParameter(FeedError):
    """A parameter is malformed, unknown or repeated (400)."""

    status = 400


class NotFound(FeedError):
    """An unknown distance, routine or page (404)."""

    status = 404


class Impossible(FeedError):
    """A well-formed request that cannot be scheduled (422)."""

    status = 422


class PlanDataError(Exception):
    """The plan files are invalid; lists every problem with its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Conflict(FeedError):
    """An edit based on an outdated revision of a subscription (409)."""

    status = 409


class Gone(FeedError):
    """A retired address: a rotated feed URL or a deleted plan (410)."""

    status = 410


class UnsupportedMediaType(FeedError):
    """An API write that is not JSON (415)."""

    status = 415
