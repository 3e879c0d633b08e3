"""Locks taken by several processes, or several servers, on one database.

Start-up migrations of one SQLite file wait for each other (PostgreSQL's take an advisory lock
inside their transaction: `migrations/env.py`). A restamp started by every server at start-up
is shared among them: each restamps the parts of the plans no other holds (`claimed`).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select

# PostgreSQL advisory lock keys, with a part number (the two-number space; migrations use the
# one-number key 0x5EED5).
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


def claimed(engine: Engine, name: str, parts: int) -> Iterator[int]:
    """The parts (0 to `parts` - 1) of a job this process does, each held by it alone from when
    it is given until the job ends: processes on other servers that run the same job at once
    each take the parts no other has taken, without waiting. A part whose job has ended before
    another comes to it is given again (a restamp then reads it and finds it done).

    PostgreSQL: a session advisory lock per part, on a connection kept for the job, let go also
    if the process dies. SQLite serves from one machine: the first process does every part, the
    others none (a lock file beside the database). An in-memory database is this process's
    alone."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            try:
                for part in range(parts):
                    if _advisory(connection, KEYS[name], part):
                        yield part
            finally:
                connection.scalar(select(func.pg_advisory_unlock_all()))
                connection.commit()
        return
    database = sqlite_file(engine)
    if database is None:
        yield from range(parts)
        return
    with file_lock(Path(f"{database}.{name}-lock"), wait=False) as alone:
        if alone:
            yield from range(parts)


def sqlite_file(engine: Engine) -> str | None:
    """The path of `engine`'s SQLite database file (None: another database, or one in memory,
    which no other process shares)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return database


def _advisory(connection: Connection, key: int, part: int) -> bool:
    """Whether this session now holds the advisory lock (`key`, `part`), without waiting."""
    held = bool(connection.scalar(select(func.pg_try_advisory_lock(key, part))))
    # The lock is the session's: no transaction stays open while the part is done (minutes, for
    # a part of a restamp of millions of plans).
    connection.commit()
    return held
