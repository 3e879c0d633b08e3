"""The absolute addresses of a managed plan: its feed, its manage page and its API resource."""

from __future__ import annotations

from flask import url_for

from ..http import base_url
from .service import Managed


def _absolute(path: str) -> str:
    return base_url().rstrip("/") + path


def api_url(plan: Managed) -> str:
    return _absolute(url_for("api.read", token=plan.manage_token))


def feed_url(plan: Managed) -> str:
    return _absolute(url_for("views.stored_feed", token=plan.feed_token))


def manage_url(plan: Managed) -> str:
    return _absolute(url_for("manage.page", token=plan.manage_token))
