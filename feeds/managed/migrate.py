"""Bring the database schema to the newest migration (Alembic), safely from several processes."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from .locks import file_lock, sqlite_file

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def upgrade(engine: Engine) -> None:
    """Run `alembic upgrade head` on `engine` inside one transaction (a schema already at the
    newest migration is only read: each worker and test app starts without running Alembic)."""
    config = _config()
    with _sqlite_lock(engine), engine.begin() as connection:
        if MigrationContext.configure(connection).get_current_revision() == head():
            return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def head() -> str | None:
    """The newest migration shipped with this code."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def _sqlite_lock(engine: Engine) -> AbstractContextManager[object]:
    """Serialise start-up migrations of one SQLite file (PostgreSQL uses an advisory lock)."""
    database = sqlite_file(engine)
    if database is None:
        return nullcontext()
    return file_lock(Path(database + ".migrate-lock"))
