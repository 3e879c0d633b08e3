"""The app's shared state, typed: the plan library, the store and the per-worker caches."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from flask import current_app

from .cache import LRU
from .calendars import Feed
from .plans import Library

if TYPE_CHECKING:
    from .managed.store import Store


def library() -> Library:
    """Every program and routine, loaded once at start-up."""
    return cast(Library, current_app.extensions["library"])


def store() -> Store:
    """Managed plans (SQLite or PostgreSQL)."""
    return cast("Store", current_app.extensions["store"])


def feed_cache() -> LRU[Feed]:
    """Rendered feeds kept per worker."""
    return cast("LRU[Feed]", current_app.extensions["feed_cache"])


def etag_memo() -> LRU[tuple[str, datetime]]:
    """ETags and Last-Modified of managed feeds, for 304s without rendering."""
    return cast("LRU[tuple[str, datetime]]", current_app.extensions["etag_memo"])
