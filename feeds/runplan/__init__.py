"""A runner's running plan: fetch its calendar safely, read its runs, classify each date."""

from __future__ import annotations

from datetime import date, tzinfo

from ..i18n import _
from .classify import Basis, DayReading, Reading, classify
from .errors import RunPlanRefused, RunPlanUnreachable, RunPlanUnreadable
from .fetch import Fetched, FetchPolicy, fetch, parse_allow
from .reading import MAX_BYTES, Run, read_runs

__all__ = [
    "MAX_BYTES",
    "Basis",
    "DayReading",
    "FetchPolicy",
    "Fetched",
    "Reading",
    "Run",
    "RunPlanRefused",
    "RunPlanUnreachable",
    "RunPlanUnreadable",
    "classify",
    "fetch",
    "parse_allow",
    "read_plan",
    "read_runs",
]


def read_plan(data: bytes, first: date, last: date, zone: tzinfo | None = None) -> Reading:
    """Each date of the running plan (.ics bytes) from `first` to `last`, classified."""
    runs = read_runs(data, first, last, zone)
    if not runs:
        raise RunPlanUnreadable(
            _(
                "The running plan has no events between %(first)s and %(last)s; check that it"
                " is the plan for this race.",
                first=first,
                last=last,
            )
        )
    return classify(runs)
