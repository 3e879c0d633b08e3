"""Pack each plan's slot states into one column of its row, and drop the per-slot table.

Every UID (scope and slot name), SEQUENCE and LAST-MODIFIED a subscriber has seen is kept:
slot names become their 4-byte keys, fingerprints their prefix, times whole seconds (the
resolution feeds are written in). It wrote version 1 of feeds/managed/packing.py (8-byte
fingerprints); it now writes the current version, which 0004 leaves as it is.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

from feeds.managed.packing import pack
from feeds.managed.revisions import FINGERPRINT_CHARS, SlotState, from_slots, slot_key
from feeds.managed.store import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("slots", sa.LargeBinary(), nullable=True))
    subscriptions = sa.table("subscriptions", sa.column("id", sa.String))
    slots = sa.table("subscriptions", sa.column("id", sa.String), sa.column("slots"))
    conn = op.get_bind()
    ids = [row.id for row in conn.execute(sa.select(subscriptions.c.id)).all()]
    for at in range(0, len(ids), BATCH):
        packed = _packed(conn, ids[at : at + BATCH])
        update = slots.update().where(slots.c.id == sa.bindparam("b_id"))
        conn.execute(update.values(slots=sa.bindparam("b_slots")), packed)
    with op.batch_alter_table("subscriptions") as batch:
        batch.alter_column("slots", existing_type=sa.LargeBinary(), nullable=False)
    op.drop_table("slot_states")


def _packed(conn: sa.Connection, ids: list[str]) -> list[dict[str, Any]]:
    """The packed states of some plans, as update parameters."""
    table = sa.table(
        "slot_states",
        sa.column("subscription_id", sa.String),
        sa.column("slot", sa.String),
        sa.column("fingerprint", sa.String),
        sa.column("sequence", sa.Integer),
        sa.column("modified", UTCDateTime),
        sa.column("live", sa.Boolean),
    )
    states: dict[str, dict[int, SlotState]] = defaultdict(dict)
    for row in conn.execute(sa.select(table).where(table.c.subscription_id.in_(ids))).all():
        state = SlotState(
            row.fingerprint[:FINGERPRINT_CHARS], row.sequence, row.modified, bool(row.live)
        )
        states[row.subscription_id][slot_key(row.slot)] = state
    # Day 0: the plan data these fingerprints were taken from is not recorded.
    return [{"b_id": i, "b_slots": pack(from_slots(0, states[i]))} for i in ids]


def downgrade() -> None:
    raise NotImplementedError("0003 is one-way: slot names are kept as 4-byte keys only.")
