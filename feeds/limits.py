"""Bounded abuse: plan creation is rate-limited per client; feed fetches never are.

Google and Microsoft fetch the feeds of millions of runners from a few shared addresses, so
limiting feeds by address would cut off whole populations; creating plans is what costs storage.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# The two routes that store a new plan (endpoint names in feeds/managed/).
CREATION_ENDPOINTS = ("api.create", "manage.create_from_form")
TOO_MANY = (
    "Too many plans were created from your network address. Wait a while and try again;"
    " your existing plans and feeds keep working."
)


def _created(response: Response) -> bool:
    # Only stored plans count: a runner fixing a typo in the form is not using up the quota.
    # The form's plain post answers a stored plan with its redirect, never with 201.
    redirected = request.endpoint == "manage.create_from_form" and response.status_code == 303
    return response.status_code == 201 or redirected


def register(app: Flask) -> None:
    """Limit the creation routes by the client's address (behind a proxy: see TRUSTED_PROXIES)."""
    limiter = Limiter(get_remote_address, app=app, default_limits=[])
    # One quota for both routes: the form and the API store the same plans.
    rule = limiter.shared_limit(
        lambda: str(app.config["CREATE_LIMIT"]),
        scope="create-plan",
        error_message=TOO_MANY,
        deduct_when=_created,
    )
    for endpoint in CREATION_ENDPOINTS:
        view: Callable[..., Any] = app.view_functions[endpoint]
        app.view_functions[endpoint] = rule(view)
    # The wrapped views check their own limit when called; the limiter's app-wide check before
    # every request would only find nothing to limit, at a cost every feed fetch would pay.
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:  # absent when RATELIMIT_ENABLED is off
        hooks.remove(limiter._check_request_limit)
    _only_for_creation(app, limiter)
    # The wrapped views hold the limiter only weakly: the app must keep it alive.
    app.extensions["creation_limiter"] = limiter


def _only_for_creation(app: Flask, limiter: Limiter) -> None:
    """Run the limiter's after-request (headers, conditional deductions) and teardown hooks for
    the creation routes only: elsewhere they find nothing, at a cost every request would pay."""
    for hooks in (app.after_request_funcs.get(None, []), app.teardown_request_funcs.get(None, [])):
        for i, hook in enumerate(hooks):
            if getattr(hook, "__self__", None) is limiter or getattr(hook, "args", ()) == (
                limiter,
            ):
                hooks[i] = _when_creating(hook)


def _when_creating(hook: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def guarded(value: Any) -> Any:
        return hook(value) if request.endpoint in CREATION_ENDPOINTS else value

    return guarded
