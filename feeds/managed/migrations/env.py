"""Alembic environment: migrate the connection the app hands over, or DATABASE_URL (CLI)."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection, func, select

from feeds.managed.store import engine_for, metadata

# Several app servers may start at once against one PostgreSQL: one migrates, the others wait.
ADVISORY_LOCK = 0x5EED5


def run(connection: Connection) -> None:
    # Batch mode lets later migrations alter SQLite tables (it has no ALTER COLUMN).
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(ADVISORY_LOCK)))
        context.run_migrations()


def run_from_cli() -> None:
    url = os.environ.get("DATABASE_URL") or context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("Set DATABASE_URL to the database to migrate.")
    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            run(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run against a database.")
given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    run_from_cli()
