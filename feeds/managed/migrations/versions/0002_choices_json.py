"""Keep a plan's choices (beyond distance and race) as one JSON text column.

The field table (feeds/fields.py) writes and reads it, so a new option needs no migration.
Existing rows are converted with the same canonical text the table writes: defaults left out.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OLD = ("start", "days", "long_day", "time", "tz", "alarm", "unlock_weekly")


def _choices(row: Any) -> str:
    values: dict[str, str] = {}
    if row.start is not None:
        values["start"] = row.start.isoformat()
    if row.days:
        values["days"] = row.days
    if row.long_day and row.long_day != "sun":
        values["long"] = row.long_day
    if row.time and row.tz:
        values["time"], values["tz"] = row.time, row.tz
    if row.alarm is not None:
        values["alarm"] = str(row.alarm)
    if row.unlock_weekly:
        values["unlock_weekly"] = "1"
    return json.dumps(values, separators=(",", ":"))


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("choices", sa.Text(), nullable=True))
    table = sa.table(
        "subscriptions",
        sa.column("id", sa.String),
        sa.column("choices", sa.Text),
        sa.column("start", sa.Date),
        *(sa.column(name) for name in OLD[1:]),
    )
    conn = op.get_bind()
    for row in conn.execute(sa.select(table)).all():
        conn.execute(table.update().where(table.c.id == row.id).values(choices=_choices(row)))
    with op.batch_alter_table("subscriptions") as batch:
        batch.alter_column("choices", existing_type=sa.Text(), nullable=False)
        for name in OLD:
            batch.drop_column(name)


def downgrade() -> None:
    raise NotImplementedError("0002 is one-way: the old columns cannot hold newer options.")
