"""What a managed plan's page shows (manage.html), and its edit form read back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from werkzeug.datastructures import MultiDict

from ..choices import Choices
from ..dates import weekday_names
from ..errors import FeedError
from ..fields import LABELS
from ..form import PlanForm, every_error, form_of, read_form
from ..i18n import _
from ..plans import DISTANCE_NAMES, DISTANCES, Library
from ..preview import adaptation, next_session, weeks_done
from ..schedule import WEEKDAYS, build
from . import service as managed
from .service import Managed

# The edit form's fields an error can stand next to; any other error heads the page alone.
FORM_FIELDS = (*LABELS, "distance")


def context(
    library: Library,
    plan: Managed,
    today: date,
    links: Mapping[str, str],
    form: MultiDict[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The template names; `links` holds feed_url and manage_url, `form` refills the edit form."""
    choices = plan.subscription.choices
    schedule = build(library, choices.request)
    return {
        **links,
        "plan": plan,
        "choices": choices,
        "schedule": schedule,
        "today": today,
        "progress": managed.progress(schedule, today),
        "next": next_session(schedule, today),
        "done": weeks_done(schedule, today),
        "mailto": mailto(links["manage_url"]),
        "adaptation": adaptation(schedule),
        "name": DISTANCE_NAMES[choices.distance],
        "distances": [(d, DISTANCE_NAMES[d]) for d in DISTANCES],
        "weekdays": list(zip(WEEKDAYS, weekday_names(), strict=True)),
        "lib": library,
        "values": form_of(choices) if form is None else submitted(form),
        "errors": errors or {},
    }


def mailto(manage_url: str) -> str:
    """An email to oneself with the plan's link, written by the runner's own email app."""
    body = _("The private link to change or delete my strength plan:\n%(link)s\n", link=manage_url)
    subject = _("My strength plan's link")
    query = urlencode({"subject": subject, "body": body}, quote_via=quote)
    return f"mailto:?{query}"


def submitted(form: MultiDict[str, str]) -> PlanForm:
    """What the runner sent, shown again for correction."""
    return read_form(form.to_dict(flat=False))


def edit_values(form: MultiDict[str, str]) -> dict[str, str | None]:
    """Every field of the edit form: it shows them all, so an empty one clears it."""
    entered = submitted(form)
    values = entered.fields()
    if entered.entered.get("unlock_weekly"):
        values["unlock_weekly"] = "1"
    # The running plan and the week changes have sections of their own: this form leaves them.
    return {name: values.get(name) for name in LABELS if not name.startswith(("running_", "adj"))}


def edit_errors(
    form: MultiDict[str, str], stored: Choices, first: FeedError, today: date
) -> dict[str, str]:
    """Each wrong field's message, the way the plan form reports them."""
    given = form.get("distance", "")
    distance = given if given in DISTANCES else stored.distance
    return every_error(distance, submitted(form), first, today, FORM_FIELDS)
