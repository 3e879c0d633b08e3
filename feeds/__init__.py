"""Race-specific strength programs served as calendar feeds."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask

from . import (
    assets,
    compression,
    errors_http,
    frontcache,
    headers,
    https,
    i18n,
    instance,
    limits,
    logs,
    managed,
    pages,
    requests,
    views,
)
from .cache import LRU
from .calendars import Feed
from .plans import DEFAULT_PLANS, Library, load_library


def _library(directory: Path) -> Library:
    """The plan data, read once per process for as long as the files stay the same."""
    files = sorted(directory.glob("*.toml"))
    signature = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return _load(str(directory.resolve()), signature)


@lru_cache(maxsize=8)
def _load(directory: str, signature: tuple[tuple[str, int, int], ...]) -> Library:
    return load_library(Path(directory))


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; refuse to start on invalid plan data."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        PLANS_DIR=str(DEFAULT_PLANS),
        # Absolute base for links inside feeds, e.g. https://plans.example.org; else the request's.
        PUBLIC_URL="",
        # Rendered stateless feeds kept per worker (about 100-250 kB each); 0 turns it off.
        FEED_CACHE_SIZE=256,
        # ETags of managed feeds kept per worker (a few hundred bytes each), for 304s that skip
        # rendering even when the feed itself has left FEED_CACHE_SIZE; 0 turns it off.
        ETAG_MEMO_SIZE=20000,
        # Feed answers kept in front of Flask, whole, by raw URL (feeds/frontcache.py); 0: off.
        # Unset: as many as FEED_CACHE_SIZE (so turning that off turns every feed cache off).
        FRONT_CACHE_SIZE=None,
        # How long a kept managed feed is served before its plan's revision is checked again
        # (an edit made in another worker or server shows within this many seconds).
        FRONT_CACHE_CHECK_SECONDS=5,
        # Managed plans: a SQLite file in the instance folder unless this names PostgreSQL.
        DATABASE_URL=os.environ.get("DATABASE_URL", ""),
        # PostgreSQL connections each worker keeps open: one per gunicorn thread (THREADS), so
        # busy threads never open and close extra ones (a new connection forks a server process).
        DATABASE_POOL_SIZE=int(os.environ.get("THREADS", "8")),
        # Signs sessions (form tokens); generated once into the instance folder when unset.
        SECRET_KEY=os.environ.get("SECRET_KEY"),
        # Bodies are small JSON or forms; anything larger is refused with a 413.
        MAX_CONTENT_LENGTH=64 * 1024,
        MAX_FORM_MEMORY_SIZE=16 * 1024,
        SESSION_COOKIE_SAMESITE="Lax",
        # How many reverse proxies in front set X-Forwarded-*; 0 trusts none of those headers.
        TRUSTED_PROXIES=0,
        # New plans per client address (both creation routes); feeds are never limited.
        CREATE_LIMIT="20 per hour;100 per day",
        # Where the limit counts: memory:// per server; redis://... shared by several servers.
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_HEADERS_ENABLED=True,
    )
    app.config.from_prefixed_env("FEEDS")
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.extensions["library"] = _library(Path(app.config["PLANS_DIR"]))
    app.extensions["feed_cache"] = LRU[Feed](int(app.config["FEED_CACHE_SIZE"]))
    app.extensions["etag_memo"] = LRU[tuple[str, datetime]](int(app.config["ETAG_MEMO_SIZE"]))
    instance.init_app(app)
    i18n.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(pages.bp)
    managed.init_app(app)
    # Before https: a proxy fix in front must have corrected host and scheme before the lookup.
    frontcache.install(app)
    for module in (errors_http, headers, https, limits, logs, requests):
        module.register(app)
    assets.init_app(app)
    compression.init_app(app)
    return app
