"""Repack every plan's state from about 9 bytes a slot to about 4 (packing version 4).

Version 3 kept each slot's key, fingerprint, revision and whether it was still in the plan.
Version 4 keeps the live slots' fingerprints, one revision for most slots and the others by
slot key, and the plan's highest sequence (slots that left the plan included), so an event that
changes or comes back later goes past any SEQUENCE its UID was served with. Every UID, SEQUENCE
and LAST-MODIFIED a subscriber sees now is kept: the feed of every plan reads the same before
and after (tested).

Rows are rewritten in place, a batch at a time in key order; PostgreSQL reuses the freed space
after its next VACUUM (VACUUM FULL gives it back to the system), SQLite after VACUUM.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from feeds.managed.packing import VERSION, PackError, pack, unpack

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 2_000


def upgrade() -> None:
    conn = op.get_bind()
    table = sa.table("subscriptions", sa.column("id", sa.LargeBinary), sa.column("slots"))
    query = sa.select(table.c.id, table.c.slots).order_by(table.c.id).limit(BATCH)
    update = table.update().where(table.c.id == sa.bindparam("b_id"))
    update = update.values(slots=sa.bindparam("b_slots"))
    rows = conn.execute(query).all()
    while rows:
        repacked = [
            {"b_id": row.id, "b_slots": _repacked(bytes(row.slots), row.id)}
            for row in rows
            if row.slots[:1] != bytes([VERSION])
        ]
        if repacked:
            conn.execute(update, repacked)
        rows = conn.execute(query.where(table.c.id > rows[-1].id)).all()


def _repacked(slots: bytes, key: bytes) -> bytes:
    try:
        return pack(unpack(slots))
    except PackError as error:
        raise PackError(f"subscriptions row {key.hex()}: slots: {error}") from error


def downgrade() -> None:
    raise NotImplementedError(
        "0005 is one-way: slots that left a plan are kept only as the plan's highest sequence."
    )
