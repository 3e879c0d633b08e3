"""The store on SQLite and PostgreSQL: schema, round trips, optimistic writes, atomicity."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Table, func, select
from sqlalchemy.exc import IntegrityError

from feeds.choices import read
from feeds.managed.migrate import upgrade
from feeds.managed.packing import PackError, pack, unpack
from feeds.managed.revisions import PlanState, SlotState
from feeds.managed.store import (
    Kind,
    Store,
    Subscription,
    engine_for,
    metadata,
    retired_tokens,
    subscriptions,
)

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
CHOICES = read(
    "marathon", {"race": "2027-04-18", "days": "tue,thu,sat", "time": "07:00", "tz": "UTC"}
)
DIGESTS: dict[Kind, str] = {"manage": "d" * 32, "feed": "f" * 32}
STATES = PlanState(30, {1: SlotState("0" * 8, 0, NOW), 2: SlotState("1" * 8, 0, NOW)})
SUBSCRIPTION = Subscription("a" * 32, 0, CHOICES, date(2026, 11, 25), "salt", STATES)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    engine = engine_for(database_url)
    upgrade(engine)
    store = Store(engine)
    yield store
    store.close()


def count(store: Store, table: Table) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_migrations_build_exactly_the_declared_schema(store: Store) -> None:
    upgrade(store.engine)  # a second start changes nothing
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    engine = engine_for(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_a_subscription_round_trips(store: Store) -> None:
    store.create(SUBSCRIPTION, DIGESTS, NOW)
    assert store.find("manage", DIGESTS["manage"]) == SUBSCRIPTION
    assert store.find("feed", DIGESTS["feed"]) == SUBSCRIPTION
    assert store.find("feed", DIGESTS["manage"]) is None
    found = store.find("feed", DIGESTS["feed"])
    assert found is not None and found.state.slots[2].modified.tzinfo == UTC


def test_a_write_on_an_outdated_revision_changes_nothing(store: Store) -> None:
    store.create(SUBSCRIPTION, DIGESTS, NOW)
    slots = {**STATES.slots, 2: SlotState("2" * 8, 1, LATER), 3: SlotState("3" * 8, 0, LATER)}
    edited = replace(
        SUBSCRIPTION,
        choices=replace(CHOICES, alarm=30),
        revision=1,
        state=PlanState(31, slots),
    )
    assert store.save(edited, 0, LATER)
    assert not store.save(replace(edited, revision=2, state=STATES), 0, LATER)
    assert store.find("feed", DIGESTS["feed"]) == edited


def test_a_failed_write_leaves_the_old_version_whole(store: Store) -> None:
    store.create(SUBSCRIPTION, DIGESTS, NOW)
    # The other plan's feed digest is taken, so the update fails after its values were set.
    store.create(replace(SUBSCRIPTION, id="b" * 32), {"manage": "c" * 32, "feed": "e" * 32}, NOW)
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(
            subscriptions.update()
            .where(subscriptions.c.id == SUBSCRIPTION.id)
            .values(choices="{}", slots=b"", feed_digest="e" * 32)
        )
    assert store.find("feed", DIGESTS["feed"]) == SUBSCRIPTION


def test_packed_states_round_trip_in_about_9_bytes_a_slot() -> None:
    keys = range(0, 2**32, 2**32 // 62)
    slots = {key: SlotState(f"{key:08x}"[-8:], key % 7, NOW, key % 5 != 0) for key in keys}
    state = PlanState(400, slots, build=0xFEEDFACE)
    packed = pack(state)
    assert unpack(packed) == state
    assert len(packed) <= 9 * len(slots) + 14
    for bad in (b"", b"\x09", packed[:-3]):
        with pytest.raises(PackError):
            unpack(bad)


def test_large_sequences_and_many_times_round_trip_past_the_one_byte_form() -> None:
    times = [NOW + timedelta(hours=h) for h in range(40)]
    slots = {
        key: SlotState(f"{key:08x}", sequence, times[key % 37], key % 3 != 0)
        for key, sequence in enumerate((0, 6, 7, 300, 70_000) * 20)
    }
    state = PlanState(2**20, slots)
    assert unpack(pack(state)) == state


@pytest.mark.parametrize("escaped", [9, 1])
def test_long_form_slots_read_right_whatever_their_length_adds_up_to(escaped: int) -> None:
    # Nine 11-byte long-form slots fill a multiple of nine bytes, as short ones would: the
    # reader must still see the long form (a sequence past 6) in each.
    slots = {key: SlotState(f"{key:08x}", 7 if key < escaped else 1, NOW) for key in range(12)}
    state = PlanState(3, slots)
    assert unpack(pack(state)) == state


def test_a_fingerprint_of_another_length_is_refused_not_cut() -> None:
    with pytest.raises(PackError, match="not 4 bytes"):
        pack(PlanState(1, {1: SlotState("0" * 16, 0, NOW)}))


def test_concurrent_writes_on_one_revision_let_exactly_one_win(store: Store) -> None:
    store.create(SUBSCRIPTION, DIGESTS, NOW)
    barrier = threading.Barrier(6)
    results: list[bool] = []

    def write(alarm: int) -> None:
        edited = replace(SUBSCRIPTION, choices=replace(CHOICES, alarm=alarm), revision=1)
        barrier.wait()
        results.append(store.save(edited, 0, LATER))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 5 + [True]
    found = store.find("feed", DIGESTS["feed"])
    assert found is not None and found.revision == 1


def test_rotation_retires_the_old_feed_digest(store: Store) -> None:
    store.create(SUBSCRIPTION, DIGESTS, NOW)
    assert store.rotate(SUBSCRIPTION.id, 0, DIGESTS["feed"], "9" * 32, "salt2")
    assert not store.rotate(SUBSCRIPTION.id, 0, "9" * 32, "8" * 32, "salt3")
    assert store.find("feed", DIGESTS["feed"]) is None
    assert store.is_retired("feed", DIGESTS["feed"])
    assert not store.is_retired("manage", DIGESTS["feed"])
    found = store.find("feed", "9" * 32)
    assert found is not None and (found.feed_salt, found.revision) == ("salt2", 1)


def test_deletion_keeps_nothing_but_retired_digests(store: Store) -> None:
    store.create(SUBSCRIPTION, DIGESTS, NOW)
    store.delete(SUBSCRIPTION.id, DIGESTS)
    assert count(store, subscriptions) == 0
    assert count(store, retired_tokens) == 2
    assert store.is_retired("manage", DIGESTS["manage"])
    assert store.is_retired("feed", DIGESTS["feed"])


def test_a_second_engine_on_the_same_database_sees_everything(
    store: Store, database_url: str
) -> None:
    store.create(SUBSCRIPTION, DIGESTS, NOW)
    store.close()
    again = Store(engine_for(database_url))
    try:
        assert again.find("manage", DIGESTS["manage"]) == SUBSCRIPTION
    finally:
        again.close()


@pytest.mark.parametrize(
    "given", ["postgres://u:p@h/db", "postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"]
)
def test_postgres_urls_use_psycopg_3(given: str) -> None:
    engine = engine_for(given)
    try:
        assert engine.url.drivername == "postgresql+psycopg"
    finally:
        engine.dispose()
