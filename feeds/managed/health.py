"""Liveness (`/healthz`, in views.py), readiness (can this server reach its store?), and a
start-up that survives a database outage."""

from __future__ import annotations

from flask import Blueprint, Flask, Response
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from .. import state
from .migrate import upgrade

bp = Blueprint("health", __name__)


@bp.get("/readyz")
def readyz() -> Response:
    """`ready` when the store answers a query; a database error becomes a 503 at the edge."""
    with state.store().engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return Response("ready\n", mimetype="text/plain")


def migrate_at_start(app: Flask, engine: Engine) -> None:
    """Migrate the store at start-up, or start without it while the database is unreachable.

    A server that refused to start during an outage would take the stateless feeds down with
    the store; started, it serves them and answers 503 for saved plans until the database is
    back (a deployment runs migrations as a release step, so the schema is current by then).
    """
    try:
        upgrade(engine)
    except DBAPIError as exc:
        summary = (str(exc.orig or exc).splitlines() or [type(exc).__name__])[0]
        app.logger.warning("Database unavailable at start-up, not migrated: %s", summary)
