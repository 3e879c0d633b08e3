"""Compact plan rows: ids and token digests as bytes, slot states repacked compactly.

Every UID, SEQUENCE and LAST-MODIFIED a subscriber has seen is kept, and every issued token
still finds its plan or its retirement:
- the id (32 hex digits, the scope of every UID) is kept as its 16 bytes, read back as the same
  hex;
- token digests (64 hex digits of SHA-256) are cut to their first 16 bytes, what
  `tokens.digest` computes now;
- in SQLite, the created and updated times become Unix seconds (integers, not text);
- slot states are repacked from version 1 to the current version of feeds/managed/packing.py
  (2 when this was written; 3 adds the build, 0 here: not recorded): keys, sequences, times and
  the live flag as they were, fingerprints cut to their first 4 bytes (the prefix
  `revisions.fingerprints` gives now).

Both tables are rebuilt (renamed aside, created anew, copied in batches, the old dropped), so
the new rows are packed as tightly as freshly loaded ones on both backends.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from feeds.managed.packing import PackError, pack, unpack

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 2_000
HEX = "0123456789abcdef"
DIGEST_BYTES = 16
OLD = "_0003"


def upgrade() -> None:
    _aside("subscriptions", ["pk_subscriptions", *_unique("manage_digest", "feed_digest")])
    _aside("retired_tokens", ["pk_retired_tokens"])
    _create_subscriptions()
    _create_retired_tokens()
    _copy("subscriptions", "id", _subscription)
    _copy("retired_tokens", "digest", _retired)
    op.drop_table("subscriptions" + OLD)
    op.drop_table("retired_tokens" + OLD)


def _unique(*columns: str) -> list[str]:
    return [f"uq_subscriptions_{c}" for c in columns]


def _aside(table: str, constraints: list[str]) -> None:
    """Rename `table` out of the way (PostgreSQL constraint names are per schema, so those too)."""
    op.rename_table(table, table + OLD)
    if op.get_bind().dialect.name == "postgresql":
        for name in constraints:
            op.execute(f"ALTER TABLE {table}{OLD} RENAME CONSTRAINT {name} TO {name}{OLD}")


def _create_subscriptions() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.LargeBinary(16), nullable=False),
        sa.Column("manage_digest", sa.LargeBinary(16), nullable=False),
        sa.Column("feed_digest", sa.LargeBinary(16), nullable=False),
        sa.Column("feed_salt", sa.String(32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("distance", sa.String(20), nullable=False),
        sa.Column("race", sa.Date(), nullable=False),
        sa.Column("choices", sa.Text(), nullable=False),
        sa.Column("saved_on", sa.Date(), nullable=False),
        sa.Column("created", _instant(), nullable=False),
        sa.Column("updated", _instant(), nullable=False),
        sa.Column("slots", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
        sa.UniqueConstraint("manage_digest", name="uq_subscriptions_manage_digest"),
        sa.UniqueConstraint("feed_digest", name="uq_subscriptions_feed_digest"),
    )


def _instant() -> sa.types.TypeEngine[Any]:
    """What `store.Instant` is on this backend: integer seconds in SQLite."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    return sa.Integer() if sqlite else sa.DateTime(timezone=True)


def _create_retired_tokens() -> None:
    op.create_table(
        "retired_tokens",
        sa.Column("digest", sa.LargeBinary(16), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("digest", name="pk_retired_tokens"),
    )


def _copy(table: str, key: str, convert: Callable[[Any], dict[str, Any]]) -> None:
    """Copy every row of the old table into the new one, `convert`ed, `BATCH` rows at a time."""
    conn = op.get_bind()
    old = sa.Table(table + OLD, sa.MetaData(), autoload_with=conn)
    new = sa.Table(table, sa.MetaData(), autoload_with=conn)
    for rows in _batches(conn, old, key):
        conn.execute(new.insert(), [convert(row) for row in rows])


def _batches(conn: sa.Connection, table: sa.Table, key: str) -> Iterator[Sequence[Any]]:
    """The rows of `table` in key order, a batch at a time (keyset paging)."""
    column = table.c[key]
    query = sa.select(table).order_by(column).limit(BATCH)
    rows = conn.execute(query).all()
    while rows:
        yield rows
        rows = conn.execute(query.where(column > rows[-1]._mapping[key])).all()


def _subscription(row: Any) -> dict[str, Any]:
    values = dict(row._mapping)
    place = f"subscriptions row {values['id']!r}"
    values["id"] = _hex(values["id"], 32, f"{place}: id")
    for name in ("manage_digest", "feed_digest"):
        values[name] = _hex(values[name], 64, f"{place}: {name}")[:DIGEST_BYTES]
    values["slots"] = _repacked(values["slots"], place)
    if op.get_bind().dialect.name == "sqlite":
        values["created"], values["updated"] = (
            _seconds(values["created"]),
            _seconds(values["updated"]),
        )
    return values


def _repacked(slots: bytes, place: str) -> bytes:
    try:
        return pack(unpack(bytes(slots)))
    except PackError as error:
        raise PackError(f"{place}: slots: {error}") from error


def _seconds(moment: datetime) -> int:
    """Unix seconds of a time SQLite kept as naive UTC text."""
    return int(moment.replace(tzinfo=UTC).timestamp())


def _retired(row: Any) -> dict[str, Any]:
    place = f"retired_tokens row {row.digest!r}: digest"
    return {"digest": _hex(row.digest, 64, place)[:DIGEST_BYTES], "kind": row.kind}


def _hex(value: str, digits: int, place: str) -> bytes:
    if len(value) != digits or value.strip(HEX):
        raise ValueError(f"{place} is not {digits} lower-case hex digits, so it cannot be bytes")
    return bytes.fromhex(value)


def downgrade() -> None:
    raise NotImplementedError("0004 is one-way: digests and fingerprints are kept cut short.")
