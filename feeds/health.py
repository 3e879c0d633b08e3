"""Liveness (`/healthz`, in views.py) and readiness: can this server reach its store?"""

from __future__ import annotations

from typing import cast

from flask import Blueprint, Response, current_app
from sqlalchemy import text

from .store import Store

bp = Blueprint("health", __name__)


@bp.get("/readyz")
def readyz() -> Response:
    """`ready` when the store answers a query; a database error becomes a 503 at the edge."""
    store = cast(Store, current_app.extensions["store"])
    with store.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return Response("ready\n", mimetype="text/plain")
