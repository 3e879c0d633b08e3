"""The rules that depend on today: which race dates a new plan, or a feed, may have."""

from __future__ import annotations

from datetime import date, timedelta

from .choices import Choices
from .dates import long_date
from .errors import Impossible
from .i18n import _
from .plans import MAX_AFTER_WEEKS

MAX_DAYS_AHEAD = 366
# A feed already subscribed keeps serving after its race for race week's remaining days and
# every week after the race (recovery and maintenance): 7 * (1 + 6) = 49 days.
FEED_DAYS_AFTER_RACE = 7 * (1 + MAX_AFTER_WEEKS)


def check(choices: Choices, today: date) -> Choices:
    """Refuse a race already past or more than a year away; return the choices unchanged."""
    if choices.race < today:
        raise Impossible(
            _(
                "%(race)s has already passed: choose a race day from today on.",
                race=long_date(choices.race),
            ),
            field="race",
        )
    latest = today + timedelta(days=MAX_DAYS_AHEAD)
    if choices.race > latest:
        raise Impossible(
            _(
                "%(race)s is more than a year away: choose a race day up to %(latest)s.",
                race=long_date(choices.race),
                latest=long_date(latest),
            ),
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
            _(
                "This race, %(race)s, and the weeks after it are over: choose a coming race day.",
                race=long_date(choices.race),
            ),
            field="race",
        )
    return check(choices, today)
