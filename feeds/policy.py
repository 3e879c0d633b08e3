"""The rules that depend on today: which race dates a new plan, or a feed, may have."""

from __future__ import annotations

from datetime import date, timedelta

from .choices import Choices
from .errors import Impossible
from .plans import MAX_AFTER_WEEKS

MAX_DAYS_AHEAD = 366
# A feed already subscribed keeps serving after its race for race week's remaining days and
# every week after the race (recovery and maintenance): 7 * (1 + 6) = 49 days.
FEED_DAYS_AFTER_RACE = 7 * (1 + MAX_AFTER_WEEKS)


def check(choices: Choices, today: date) -> Choices:
    """Refuse a race already past or more than a year away; return the choices unchanged."""
    if choices.race < today:
        raise Impossible(
            f"The race date {choices.race} has already passed; choose a date from {today} on.",
            field="race",
        )
    latest = today + timedelta(days=MAX_DAYS_AHEAD)
    if choices.race > latest:
        raise Impossible(
            f"The race date {choices.race} is more than a year away; plans cover races up to"
            f" {latest}.",
            field="race",
        )
    return choices


def check_feed(choices: Choices, today: date) -> Choices:
    """Like `check`, but a feed whose race passed at most FEED_DAYS_AFTER_RACE days ago serves.

    Subscribed calendars fetch the same URL for weeks after the race; answering 422 the day
    after would make them fail or empty while the recovery weeks are still ahead.
    """
    oldest = today - timedelta(days=FEED_DAYS_AFTER_RACE)
    if oldest <= choices.race < today:
        return choices
    if choices.race < oldest:
        raise Impossible(
            f"The race date {choices.race} passed more than {FEED_DAYS_AFTER_RACE} days ago,"
            " and so did the weeks after it; choose a coming race date.",
            field="race",
        )
    return check(choices, today)
