"""Migration 0004 compacts plan rows: every feed a subscriber has seen stays byte for byte, and
every token already issued still opens its plan (or is still known as retired)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from test_migration_0003 import (
    CREATED,
    PLANS,
    Row,
    full_digest,
    migrate_to,
    old_feed,
    old_plan,
)

from feeds.choices import read
from feeds.managed.migrate import upgrade
from feeds.managed.packing import VERSION, unpack
from feeds.managed.revisions import PlanState, SlotState, slot_key
from feeds.managed.store import engine_for
from feeds.plans import Library

RETIRED = "a-feed-token-rotated-away"


def pack_v1(data_day: int, slots: dict[int, SlotState]) -> bytes:
    """Slot states as version 1 of the packing wrote them (8-byte fingerprints, two varints)."""
    times = sorted({int(s.modified.timestamp()) for s in slots.values()})
    out = bytearray([1]) + varint(data_day) + varint(len(times))
    for t in times:
        out += t.to_bytes(4, "big")
    for key in sorted(slots):
        s = slots[key]
        out += key.to_bytes(4, "big") + bytes.fromhex(s.fingerprint)
        out += varint(s.sequence * 2 + s.live) + varint(times.index(int(s.modified.timestamp())))
    return bytes(out)


def varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    return bytes(out + bytes([value]))


def v1_slots(rows: list[Row]) -> bytes:
    states = {
        slot_key(r.slot): SlotState(r.fingerprint[:16], r.sequence, r.modified, r.live)
        for r in rows
    }
    return pack_v1(0, states)


def insert(url: str, rows: list[dict[str, Any]], retired: list[dict[str, str]]) -> None:
    meta = sa.MetaData()
    engine = engine_for(url)
    try:
        meta.reflect(engine)
        with engine.begin() as conn:
            conn.execute(meta.tables["subscriptions"].insert(), rows)
            if retired:
                conn.execute(meta.tables["retired_tokens"].insert(), retired)
    finally:
        engine.dispose()


def long_lived(library: Library, plan: dict[str, Any]) -> dict[str, Any]:
    """The plan with slots edited many times at many moments: past one state byte's reach."""
    rows = plan["rows"]
    rows[:20] = [
        replace(r, sequence=i % 4 * 19, modified=CREATED + timedelta(hours=i))
        for i, r in enumerate(rows[:20])
    ]
    choices = read("marathon", {"race": "2027-04-18"})
    return plan | {"body": old_feed(library, plan["row"]["id"], choices, rows)}


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """These tests build an old schema themselves: they start without a table."""
    return empty_database_url


@pytest.fixture
def old_plans(
    library: Library, database_url: str, frozen_today: None
) -> Iterator[list[dict[str, Any]]]:
    yield plans_at_0003(library, database_url, [{"digest": full_digest(RETIRED), "kind": "feed"}])


def plans_at_0003(
    library: Library, url: str, retired: list[dict[str, str]]
) -> list[dict[str, Any]]:
    """Migration 0003's test plans (the first edited many times) stored as 0003 left them."""
    migrate_to(url, "0003")
    plans = [old_plan(library, n, first, edit) for n, (first, edit) in enumerate(PLANS)]
    plans[0] = long_lived(library, plans[0])
    insert(url, [plan["row"] | {"slots": v1_slots(plan["rows"])} for plan in plans], retired)
    return plans


def test_compacted_plans_serve_the_same_bytes_to_every_token_already_issued(
    old_plans: list[dict[str, Any]], store_client: FlaskClient
) -> None:
    for n, plan in enumerate(old_plans):
        response = store_client.get(f"/s/{plan['token']}.ics")
        assert response.status_code == 200
        assert response.data == plan["body"], plan["row"]["choices"]
        assert store_client.get(f"/manage/manage-{n}").status_code == 200
    bodies = b"".join(plan["body"] for plan in old_plans)
    assert b"SEQUENCE:57" in bodies and b"LAST-MODIFIED:20261121T040000Z" in bodies
    assert store_client.get(f"/s/{RETIRED}.ics").status_code == 410


def test_compacted_plans_keep_every_slot_state_compactly(
    old_plans: list[dict[str, Any]], database_url: str
) -> None:
    engine = engine_for(database_url)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT id, slots FROM subscriptions")).all()
    finally:
        engine.dispose()
    before = {plan["row"]["id"]: v1_slots(plan["rows"]) for plan in old_plans}
    for plan_id, slots in stored:
        v1 = before[bytes(plan_id).hex()]
        # 0004 repacked to about 9 bytes a slot, 0005 to about 4.
        assert bytes(slots)[0] == VERSION and len(slots) < len(v1) * 0.5
        assert unpack(bytes(slots)) == unpack(v1)
    assert len(stored) == len(before)


def test_version_1_states_are_read_with_their_fingerprints_cut_to_4_bytes() -> None:
    slot = SlotState("0123456789abcdef", 9, CREATED, False)
    live = slot._replace(live=True)
    assert unpack(pack_v1(5, {7: slot})) == PlanState(5, top=9)
    assert unpack(pack_v1(5, {7: live})).fingerprints == {"01234567"}


def test_a_row_that_cannot_be_compacted_stops_the_migration_and_names_itself(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'odd.sqlite3'}"
    migrate_to(url, "0003")
    digests = {"manage_digest": full_digest("m"), "feed_digest": full_digest("f")}
    row = {"id": "not-a-hex-id", **digests, "feed_salt": "s", "revision": 0, "distance": "5k"}
    row |= {
        "race": CREATED.date(),
        "saved_on": CREATED.date(),
        "created": CREATED,
        "updated": CREATED,
    }
    insert(url, [row | {"choices": "{}", "slots": pack_v1(0, {})}], [])
    engine = engine_for(url)
    try:
        with pytest.raises(ValueError, match="subscriptions row 'not-a-hex-id': id is not"):
            upgrade(engine)
    finally:
        engine.dispose()
