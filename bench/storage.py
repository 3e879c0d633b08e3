"""Bytes stored per managed plan: the compact layout against the per-event rows it replaced.

Both are filled with the same random plans in SQLite files of their own in one run: the new one
through `bulk_load`, the old one at migration 0002 with one `slot_states` row per event and
whole hex digests, as the service stored them before migration 0003. Each is given in all and
beyond its choices (the JSON text of the options a runner picked, which grows with them).
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
TARGET = 1_024  # bytes per plan beyond its choices (issue 12)


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
                # Whole SHA-256 digests in hex, as 0002 stored them.
                digests = {k: secrets.token_hex(32) for k in ("manage_digest", "feed_digest")}
                plans.append(row | digests)
                slots += [{"subscription_id": row["id"], **s, "modified": now} for s in states]
            conn.execute(tables.tables["subscriptions"].insert(), plans)
            conn.execute(tables.tables["slot_states"].insert(), slots)


def _old_shape(library: Library, choices: Choices, today: date) -> dict[str, Any]:
    """A plan's columns at 0002 and its per-event rows (full 64-character fingerprints)."""
    events = entries(library, build(library, choices.request), "/")
    prints = fingerprints(events, choices.timing, choices.alarm, choices.unlock_weekly)
    states = [
        {
            "slot": s,
            "fingerprint": f + secrets.token_hex(32 - len(f) // 2),
            "sequence": 0,
            "live": True,
        }
        for s, f in prints.items()
    ]
    plan = Subscription("", 0, choices, today, "")
    columns = {k: v for k, v in _columns(plan).items() if k != "slots"}
    return {**columns, "_states": states}


def report(folder: Path, library: Library) -> None:
    """Print bytes per plan in both layouts, in all and beyond the choices, and their ratios."""
    sizes = {}
    for name in ("old", "new"):
        engine = engine_for(f"sqlite:///{folder / name}.sqlite3")
        try:
            if name == "old":
                load_old(engine, library, PLANS)
            else:
                upgrade(engine)
                bulk_load.load(engine, library, PLANS, SHAPES)
            sizes[name] = bulk_load.bytes_per_plan(engine)
        finally:
            engine.dispose()
    old, new = sizes["old"], sizes["new"]
    verdict = "met" if new.beyond_choices <= TARGET else "MISSED"
    print(f"3. Storage: {PLANS:,} random plans in SQLite (page usage of the whole file)")
    print(f"   {'':26} {'per plan':>9} {'beyond its choices':>19}")
    print(f"   {'per-event rows (0002)':26} {old.total:9,.0f} {old.beyond_choices:19,.0f}")
    print(f"   {'compact row (0005)':26} {new.total:9,.0f} {new.beyond_choices:19,.0f}")
    print(
        f"   {old.total / new.total:.1f}x smaller per plan,"
        f" {old.beyond_choices / new.beyond_choices:.1f}x beyond its choices"
        f" ({new.choices:,.0f} bytes of choices, {new.slots:,.0f} of packed slot states)"
    )
    print(f"   target: at most {TARGET:,} bytes per plan beyond its choices: {verdict}")
