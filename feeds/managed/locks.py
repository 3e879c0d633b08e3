"""Locks taken by several processes, or several servers, on one database.

Start-up migrations of one SQLite file wait for each other (PostgreSQL's take an advisory lock
inside their transaction: `migrations/env.py`). A restamp started by every server at start-up
runs on one of them only: the others find the lock held and stop (`only_one`).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, func, select

# PostgreSQL advisory lock keys (one 64-bit space per database); migrations use 0x5EED5.
KEYS = {"restamp": 0x5EED6}


@contextmanager
def file_lock(path: Path, *, wait: bool = True) -> Iterator[bool]:
    """An exclusive lock on `path` for the block; without `wait`, False at once where another
    process holds it (the block then runs without it)."""
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def only_one(engine: Engine, name: str) -> Iterator[bool]:
    """Whether this process alone, of all on `engine`'s database, holds the lock `name` for the
    block (False, without waiting, where another holds it). PostgreSQL: a session advisory lock
    on a connection kept for the block, let go when it closes, also if the process dies. SQLite:
    a lock file beside the database. An in-memory database is this process's alone."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            held = bool(connection.scalar(select(func.pg_try_advisory_lock(KEYS[name]))))
            # The lock is the session's: no transaction stays open while the block runs (hours,
            # for a restamp of millions of plans).
            connection.commit()
            try:
                yield held
            finally:
                if held:
                    connection.scalar(select(func.pg_advisory_unlock(KEYS[name])))
                    connection.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield True
        return
    with file_lock(Path(f"{database}.{name}-lock"), wait=False) as held:
        yield held
