"""Managed plans: a stored plan with a feed URL for good and a private link to change it."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from . import adjust_pages, api, build, health, pages, runplan_pages
from .store import Store, engine_for


def init_app(app: Flask) -> None:
    """Open the store (migrated to the newest schema) and register the API and the pages."""
    runplan_pages.init_app(app)  # first: a bad FEEDS_RUNPLAN_ALLOW stops the app before the store
    instance = Path(app.instance_path)
    url = app.config["DATABASE_URL"] or f"sqlite:///{instance / 'feeds.sqlite3'}"
    engine = engine_for(url, pool_size=int(app.config["DATABASE_POOL_SIZE"]))
    health.migrate_at_start(app, engine)
    app.extensions["store"] = Store(engine)
    # Which code shapes a stored plan's events is read from its imports once a process (about
    # 0.2 s): at start-up, not in the first fetch of a saved plan.
    build.code_digest()
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(adjust_pages.bp)
