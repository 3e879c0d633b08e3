"""Managed subscriptions, their per-slot revisions and retired token digests.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("manage_digest", sa.String(64), nullable=False),
        sa.Column("feed_digest", sa.String(64), nullable=False),
        sa.Column("feed_salt", sa.String(32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("distance", sa.String(20), nullable=False),
        sa.Column("race", sa.Date(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("days", sa.String(40), nullable=True),
        sa.Column("long_day", sa.String(3), nullable=False),
        sa.Column("time", sa.String(5), nullable=True),
        sa.Column("tz", sa.String(64), nullable=True),
        sa.Column("alarm", sa.Integer(), nullable=True),
        sa.Column("unlock_weekly", sa.Boolean(), nullable=False),
        sa.Column("saved_on", sa.Date(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
        sa.UniqueConstraint("manage_digest", name="uq_subscriptions_manage_digest"),
        sa.UniqueConstraint("feed_digest", name="uq_subscriptions_feed_digest"),
    )
    op.create_table(
        "slot_states",
        sa.Column("subscription_id", sa.String(32), nullable=False),
        sa.Column("slot", sa.String(120), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("subscription_id", "slot", name="pk_slot_states"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name="fk_slot_states_subscription_id_subscriptions",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "retired_tokens",
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("digest", name="pk_retired_tokens"),
    )


def downgrade() -> None:
    op.drop_table("retired_tokens")
    op.drop_table("slot_states")
    op.drop_table("subscriptions")
