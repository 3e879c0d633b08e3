"""Migration 0005 repacks plan states from about 9 bytes a slot to about 4: every feed a
subscriber has seen stays byte for byte."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from test_migration_0003 import Row, migrate_to
from test_migration_0004 import plans_at_0003, varint

from feeds.managed.migrate import upgrade
from feeds.managed.packing import VERSION, PackError, unpack
from feeds.managed.revisions import slot_key
from feeds.managed.store import engine_for
from feeds.plans import Library


def pack_v3(rows: list[Row], build: int) -> bytes:
    """Slot states as version 3 of the packing wrote them: per slot its key, its 4-byte
    fingerprint and one state byte (or 0xFF and two varints past its reach)."""
    times = sorted({int(r.modified.timestamp()) for r in rows})
    out = bytearray([3]) + varint(0) + build.to_bytes(4, "big") + varint(len(times))
    for t in times:
        out += t.to_bytes(4, "big")
    for row in sorted(rows, key=lambda r: slot_key(r.slot)):
        out += slot_key(row.slot).to_bytes(4, "big") + bytes.fromhex(row.fingerprint[:8])
        at = times.index(int(row.modified.timestamp()))
        if row.sequence <= 6 and at <= 15:
            out.append(row.live | row.sequence << 1 | at << 4)
        else:
            out += bytes([0xFF]) + varint(row.sequence * 2 + row.live) + varint(at)
    return bytes(out)


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """These tests build an old schema themselves: they start without a table."""
    return empty_database_url


@pytest.fixture
def v3_plans(
    library: Library, database_url: str, frozen_today: None
) -> Iterator[list[dict[str, Any]]]:
    """The plans of migration 0003's tests as version 3 stored them (0004's packing)."""
    plans = plans_at_0003(library, database_url, [])
    migrate_to(database_url, "0004")
    table = sa.table("subscriptions", sa.column("id"), sa.column("slots"))
    engine = engine_for(database_url)
    try:
        with engine.begin() as conn:
            for n, plan in enumerate(plans):
                packed = pack_v3(plan["rows"], build=n)
                plan["v3"] = packed
                where = table.c.id == bytes.fromhex(plan["row"]["id"])
                conn.execute(table.update().where(where).values(slots=packed))
    finally:
        engine.dispose()
    yield plans


def test_repacked_plans_serve_the_same_bytes(
    v3_plans: list[dict[str, Any]], store_client: FlaskClient
) -> None:
    for plan in v3_plans:
        response = store_client.get(f"/s/{plan['token']}.ics")
        assert response.status_code == 200
        assert response.data == plan["body"], plan["row"]["choices"]
    bodies = b"".join(plan["body"] for plan in v3_plans)
    assert b"SEQUENCE:57" in bodies and b"SEQUENCE:1\r\n" in bodies


def test_repacked_states_take_about_4_bytes_a_slot_and_mean_the_same(
    v3_plans: list[dict[str, Any]], database_url: str
) -> None:
    engine = engine_for(database_url)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            stored = dict(conn.execute(sa.text("SELECT id, slots FROM subscriptions")).all())
    finally:
        engine.dispose()
    assert len(stored) == len(v3_plans)
    sizes = []
    for plan in v3_plans:
        v4 = bytes(stored[bytes.fromhex(plan["row"]["id"])])
        assert v4[0] == VERSION and unpack(v4) == unpack(plan["v3"])
        revisions = Counter((r.sequence, r.modified) for r in plan["rows"] if r.live)
        others = revisions.total() - revisions.most_common(1)[0][1]
        # 4 bytes a slot, 7 for each slot off the plan's usual revision, 4 a time.
        assert len(v4) <= 4 * revisions.total() + 7 * others + 4 * len(revisions) + 12
        sizes.append((len(v4), len(plan["v3"])))
    assert sum(v4 for v4, _ in sizes) < 0.6 * sum(v3 for _, v3 in sizes)


def test_a_row_that_cannot_be_repacked_stops_the_migration_and_names_itself(
    v3_plans: list[dict[str, Any]], database_url: str
) -> None:
    table = sa.table("subscriptions", sa.column("id"), sa.column("slots"))
    odd = bytes.fromhex(v3_plans[2]["row"]["id"])
    engine = engine_for(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(table.update().where(table.c.id == odd).values(slots=b"\x03\x00"))
        with pytest.raises(PackError, match=f"subscriptions row {odd.hex()}: slots: "):
            upgrade(engine)
        with engine.connect() as conn:  # nothing half-written: every row as it was
            rows = dict(conn.execute(sa.select(table.c.id, table.c.slots)).all())
    finally:
        engine.dispose()
    for plan in v3_plans:
        plan_id = bytes.fromhex(plan["row"]["id"])
        assert bytes(rows[plan_id]) == (b"\x03\x00" if plan_id == odd else plan["v3"])
