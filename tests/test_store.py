"""The store on SQLite and PostgreSQL: schema, round trips, optimistic writes, atomicity."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Table, func, select
from sqlalchemy.exc import IntegrityError

from feeds.choices import read
from feeds.managed.migrate import upgrade
from feeds.managed.revisions import SlotState
from feeds.managed.store import (
    Kind,
    Store,
    Subscription,
    engine_for,
    metadata,
    retired_tokens,
    slot_states,
    subscriptions,
)

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
CHOICES = read(
    "marathon", {"race": "2027-04-18", "days": "tue,thu,sat", "time": "07:00", "tz": "UTC"}
)
SUBSCRIPTION = Subscription("a" * 32, 0, CHOICES, date(2026, 11, 25), "salt")
DIGESTS: dict[Kind, str] = {"manage": "m" * 64, "feed": "f" * 64}
STATES = [SlotState("introduction", "fp1", 0, NOW), SlotState("race", "fp2", 0, NOW)]


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
    store.create(SUBSCRIPTION, DIGESTS, STATES, NOW)
    assert store.find("manage", DIGESTS["manage"]) == SUBSCRIPTION
    assert store.find("feed", DIGESTS["feed"]) == SUBSCRIPTION
    assert store.find("feed", DIGESTS["manage"]) is None
    slots = store.slots(SUBSCRIPTION.id)
    assert slots == {s.slot: s for s in STATES}
    assert slots["race"].modified.tzinfo == UTC


def test_a_write_on_an_outdated_revision_changes_nothing(store: Store) -> None:
    store.create(SUBSCRIPTION, DIGESTS, STATES, NOW)
    edited = replace(SUBSCRIPTION, choices=replace(CHOICES, alarm=30), revision=1)
    change = [SlotState("race", "fp3", 1, LATER), SlotState("new", "fp4", 0, LATER)]
    assert store.save(edited, 0, change, {"introduction", "race"}, LATER)
    assert not store.save(replace(edited, revision=2), 0, [], {"race"}, LATER)
    assert store.find("feed", DIGESTS["feed"]) == edited
    slots = store.slots(SUBSCRIPTION.id)
    assert slots["race"] == SlotState("race", "fp3", 1, LATER)
    assert slots["new"].sequence == 0


def test_a_failed_write_leaves_the_old_version_whole(store: Store) -> None:
    store.create(SUBSCRIPTION, DIGESTS, STATES, NOW)
    edited = replace(SUBSCRIPTION, choices=replace(CHOICES, alarm=30), revision=1)
    # "race" already exists, so inserting it again fails after the subscription row was updated.
    with pytest.raises(IntegrityError):
        store.save(edited, 0, [SlotState("race", "x", 1, LATER)], set(), LATER)
    assert store.find("feed", DIGESTS["feed"]) == SUBSCRIPTION
    assert store.slots(SUBSCRIPTION.id) == {s.slot: s for s in STATES}


def test_concurrent_writes_on_one_revision_let_exactly_one_win(store: Store) -> None:
    store.create(SUBSCRIPTION, DIGESTS, STATES, NOW)
    barrier = threading.Barrier(6)
    results: list[bool] = []

    def write(alarm: int) -> None:
        edited = replace(SUBSCRIPTION, choices=replace(CHOICES, alarm=alarm), revision=1)
        barrier.wait()
        results.append(store.save(edited, 0, [], {"race"}, LATER))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 5 + [True]
    found = store.find("feed", DIGESTS["feed"])
    assert found is not None and found.revision == 1


def test_rotation_retires_the_old_feed_digest(store: Store) -> None:
    store.create(SUBSCRIPTION, DIGESTS, STATES, NOW)
    assert store.rotate(SUBSCRIPTION.id, 0, DIGESTS["feed"], "n" * 64, "salt2")
    assert not store.rotate(SUBSCRIPTION.id, 0, "n" * 64, "o" * 64, "salt3")
    assert store.find("feed", DIGESTS["feed"]) is None
    assert store.is_retired("feed", DIGESTS["feed"])
    assert not store.is_retired("manage", DIGESTS["feed"])
    found = store.find("feed", "n" * 64)
    assert found is not None and (found.feed_salt, found.revision) == ("salt2", 1)


def test_deletion_keeps_nothing_but_retired_digests(store: Store) -> None:
    store.create(SUBSCRIPTION, DIGESTS, STATES, NOW)
    store.delete(SUBSCRIPTION.id, DIGESTS)
    assert count(store, subscriptions) == 0
    assert count(store, slot_states) == 0
    assert count(store, retired_tokens) == 2
    assert store.is_retired("manage", DIGESTS["manage"])
    assert store.is_retired("feed", DIGESTS["feed"])


def test_a_second_engine_on_the_same_database_sees_everything(
    store: Store, database_url: str
) -> None:
    store.create(SUBSCRIPTION, DIGESTS, STATES, NOW)
    store.close()
    again = Store(engine_for(database_url))
    try:
        assert again.find("manage", DIGESTS["manage"]) == SUBSCRIPTION
        assert again.slots(SUBSCRIPTION.id) == {s.slot: s for s in STATES}
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
