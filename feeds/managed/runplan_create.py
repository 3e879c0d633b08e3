"""A running plan given on the plan page's Subscribe form: read before the plan is stored."""

from __future__ import annotations

from dataclasses import replace

from flask import request
from markupsafe import Markup

from .. import pages as plan_pages
from .. import state
from ..choices import Choices
from ..errors import FeedError
from ..form import PlanForm
from ..i18n import _
from ..runplan import MAX_BYTES
from ..runplan.address import parse_url
from . import running


def read_at_creation() -> Markup:
    """What the new plan's page says when the Subscribe form brought a running plan: a link
    down to its days (the message is Markup, which the session keeps as Markup)."""
    return Markup(
        _(
            'We read your running plan: <a href="#running-plan">check how each day was read</a>'
            " and correct any day that is wrong."
        )
    )


def at_creation(choices: Choices) -> Choices:
    """A new plan with the running plan the Subscribe form gives (file first), read now."""
    upload = request.files.get("running_plan_file")
    if upload is not None and upload.filename:
        return running.attach(state.library(), choices, None, upload.read(MAX_BYTES + 1))
    given = request.form.get("running_plan_url", "").strip()
    if not given:
        return choices
    with_url = replace(choices, running_plan_url=parse_url(given))
    return running.attach(state.library(), with_url, None)


def _slot(error: FeedError) -> str:
    """The field the message stands beside: the file when one was sent, else the address."""
    upload = request.files.get("running_plan_file")
    return "running_plan_file" if upload is not None and upload.filename else error.field or ""


def creation_refused(distance: str, entered: PlanForm, error: FeedError) -> tuple[str, int]:
    """The plan page again, its preview and Subscribe form, the error beside the running plan."""
    program = state.library().programs[distance]
    preview = plan_pages._preview(distance, entered)
    errors = {_slot(error): error.message}
    return plan_pages._plan_page(program, entered, preview=preview, errors=errors), error.status
