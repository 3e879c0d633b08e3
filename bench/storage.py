"""Bytes stored per managed plan: the packed layout against the per-event rows it replaced.

Both are filled with the same random plans in SQLite files of their own in one run: the new one
through `bulk_load`, the old one at migration 0002 with one `slot_states` row per event, as the
service stored them before migration 0003.
"""

from __future__ import annotations

import random
import secrets
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import bulk_load
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, MetaData

from feeds.choices import Choices
from feeds.events import entries
from feeds.managed.migrate import MIGRATIONS, upgrade
from feeds.managed.revisions import fingerprints
from feeds.managed.store import Subscription, _columns, engine_for
from feeds.plans import Library
from feeds.schedule import build

PLANS = 10_000
SHAPES = 200


def sqlite_bytes(engine: Engine) -> int:
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
        return int(pages * conn.exec_driver_sql("PRAGMA page_size").scalar_one())


def load_old(engine: Engine, library: Library, n: int) -> None:
    """`n` plans as migration 0002 stored them: a row per plan and a row per event."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
    tables = MetaData()
    tables.reflect(engine)
    today, now = date.today(), datetime.now(UTC)
    rng = random.Random(1)
    shaped = [
        _old_shape(library, bulk_load.random_choices(rng, today), today) for _ in range(SHAPES)
    ]
    with engine.begin() as conn:
        for at in range(0, n, 500):
            plans, slots = [], []
            for row in bulk_load.rows(shaped, min(500, n - at), today, now):
                states = row.pop("_states")
                plans.append(row)
                slots += [{"subscription_id": row["id"], **s, "modified": now} for s in states]
            conn.execute(tables.tables["subscriptions"].insert(), plans)
            conn.execute(tables.tables["slot_states"].insert(), slots)


def _old_shape(library: Library, choices: Choices, today: date) -> dict[str, Any]:
    """A plan's columns at 0002 and its per-event rows (full 64-character fingerprints)."""
    events = entries(library, build(library, choices.request), "/")
    prints = fingerprints(events, choices.timing, choices.alarm, choices.unlock_weekly)
    states = [
        {"slot": s, "fingerprint": f + secrets.token_hex(24), "sequence": 0, "live": True}
        for s, f in prints.items()
    ]
    plan = Subscription("", 0, choices, today, "")
    columns = {k: v for k, v in _columns(plan).items() if k != "slots"}
    return {**columns, "_states": states}


def report(folder: Path, library: Library) -> None:
    """Print bytes per plan in both layouts and their ratio."""
    sizes, slots = {}, 0.0
    for name in ("old", "new"):
        engine = engine_for(f"sqlite:///{folder / name}.sqlite3")
        try:
            if name == "old":
                load_old(engine, library, PLANS)
            else:
                upgrade(engine)
                bulk_load.load(engine, library, PLANS, SHAPES)
            sizes[name] = sqlite_bytes(engine) / PLANS
            if name == "new":
                slots = bulk_load.bytes_per_plan(engine)[1]
        finally:
            engine.dispose()
    print(f"3. Storage: {PLANS:,} random plans in SQLite (page usage of the whole file)")
    print(f"   per-event rows (0002)  {sizes['old']:8,.0f} bytes per plan")
    print(
        f"   packed column (0003)   {sizes['new']:8,.0f} bytes per plan,"
        f" {slots:,.0f} of them slot states"
    )
    print(f"   {sizes['old'] / sizes['new']:.1f}x smaller")
