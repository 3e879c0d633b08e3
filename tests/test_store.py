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
from feeds.ics import Revision
from feeds.managed.migrate import upgrade
from feeds.managed.packing import PackError, pack, unpack
from feeds.managed.revisions import SlotState, from_slots, state_of
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
STATES = state_of({1: Revision(0, NOW), 2: Revision(0, NOW)}, ["0" * 8, "1" * 8], 0, 30)
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
    assert found is not None and found.state.usual.modified.tzinfo == UTC


def test_a_write_on_an_outdated_revision_changes_nothing(store: Store) -> None:
    store.create(SUBSCRIPTION, DIGESTS, NOW)
    revisions = {1: Revision(0, NOW), 2: Revision(1, LATER), 3: Revision(1, LATER)}
    edited = replace(
        SUBSCRIPTION,
        choices=replace(CHOICES, alarm=30),
        revision=1,
        state=state_of(revisions, ["0" * 8, "2" * 8, "3" * 8], 1, 31),
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


def test_packed_states_round_trip_in_about_4_bytes_a_slot() -> None:
    prints = [f"{n * 0x2468ACE:08x}"[-8:] for n in range(120)]
    revisions = {n: Revision(0, NOW) for n in range(120)}
    revisions |= {7: Revision(3, LATER), 2**32 - 1: Revision(3, LATER)}
    state = state_of(revisions, prints, 5, 400, build=0xFEEDFACE)
    packed = pack(state)
    assert unpack(packed) == state
    assert (state.usual, len(state.others)) == (Revision(0, NOW), 2)
    assert len(packed) <= 4 * len(prints) + 2 * 6 + 22
    for bad in (b"", b"\x09", packed[:-3], packed[:12]):
        with pytest.raises(PackError):
            unpack(bad)


def test_large_sequences_and_many_times_round_trip() -> None:
    times = [NOW + timedelta(hours=h) for h in range(40)]
    revisions = {
        key: Revision(sequence, times[key % 37])
        for key, sequence in enumerate((0, 6, 7, 300, 70_000) * 20)
    }
    state = state_of(revisions, (f"{key:08x}" for key in revisions), 70_000, 2**20)
    assert unpack(pack(state)) == state


def test_version_3_states_are_read_with_slots_that_left_counted_in_the_top() -> None:
    # Version 3: day, build, times, then per slot: key, fingerprint, state byte (short form
    # `live | sequence << 1 | time << 4`, or 0xFF and two varints).
    stamp = int(NOW.timestamp()).to_bytes(4, "big")
    v3 = bytes([3, 30, 0, 0, 0, 9, 1]) + stamp
    v3 += (1).to_bytes(4, "big") + bytes.fromhex("aaaaaaaa") + bytes([1 | 2 << 1])
    v3 += (2).to_bytes(4, "big") + bytes.fromhex("bbbbbbbb") + bytes([0xFF, 9 * 2, 0])
    v3 += (3).to_bytes(4, "big") + bytes.fromhex("cccccccc") + bytes([1])
    slots = {
        1: SlotState("aaaaaaaa", 2, NOW),
        2: SlotState("bbbbbbbb", 9, NOW, live=False),
        3: SlotState("cccccccc", 0, NOW),
    }
    state = unpack(v3)
    assert state == from_slots(30, slots, build=9)
    assert (state.top, state.fingerprints) == (9, {"aaaaaaaa", "cccccccc"})
    revisions = {key: state.others.get(key, state.usual) for key in (1, 3)}
    assert revisions == {1: Revision(2, NOW), 3: Revision(0, NOW)}


def test_a_fingerprint_of_another_length_is_refused_not_cut() -> None:
    with pytest.raises(ValueError, match="not 4 bytes"):
        state_of({1: Revision(0, NOW)}, ["0" * 16], 0)


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
