"""Feed reads never write, and edits without a revision all land, on both backends."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest
from flask import Flask
from freezegun import freeze_time
from icscheck import parse_both
from sqlalchemy import select

from feeds import create_app
from feeds.managed.store import subscriptions

HOST = "https://plans.example.org"
OLD, NEW = "Band work for the outer hip", "Band work for the side of the hip"


def local(url: str) -> str:
    return url.removeprefix(HOST)


def sequences(body: bytes) -> dict[str, int]:
    return {str(e["UID"]): int(e["SEQUENCE"]) for e in parse_both(body).events}


def stored_row(app: Flask) -> tuple[Any, ...]:
    with app.extensions["store"].engine.connect() as conn:
        return tuple(conn.execute(select(subscriptions)).one())


@pytest.fixture
def revised_app(store_app: Flask, database_url: str, plans_copy: Path) -> Iterator[Flask]:
    """A second server on the same database whose plan data changed one text and its date."""
    routines = plans_copy / "routines.toml"
    text = (
        routines.read_text()
        .replace(OLD, NEW)
        .replace("revised = 2026-11-25", "revised = 2026-12-04")
    )
    routines.write_text(text)
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "PLANS_DIR": str(plans_copy),
            "PUBLIC_URL": HOST,
            "SECRET_KEY": "t",
        }
    )
    try:
        yield app
    finally:
        app.extensions["store"].close()


def test_two_servers_with_different_plan_data_never_raise_sequences_on_read(
    store_app: Flask, revised_app: Flask
) -> None:
    old, new = store_app.test_client(), revised_app.test_client()
    created = old.post("/api/subscriptions", json={"distance": "10k", "race": "2027-04-18"})
    plan = created.json or {}
    first = sequences(old.get(local(plan["feed_url"])).data)
    row = stored_row(store_app)
    seen: list[dict[str, int]] = []
    for n in range(10):
        client = (old, new)[n % 2]
        with freeze_time(f"2026-12-05 0{n}:00:00"):
            seen.append(sequences(client.get(local(plan["feed_url"])).data))
    assert stored_row(store_app) == row  # no GET wrote anything
    changed = {uid for uid in first if seen[1][uid] != first[uid]}
    assert changed and len(changed) < len(first)
    for n, got in enumerate(seen):
        assert max(got[uid] - first[uid] for uid in first) == n % 2  # never past +1
    edit = new.patch(local(plan["api_url"]), json={"alarm": 15, "revision": 0})
    assert edit.status_code == 200, edit.json
    after = sequences(new.get(local(plan["feed_url"])).data)
    assert all(after[uid] > seen[1][uid] for uid in changed)


def test_concurrent_edits_without_a_revision_all_land(store_app: Flask) -> None:
    client = store_app.test_client()
    plan = (
        client.post("/api/subscriptions", json={"distance": "5k", "race": "2027-04-18"}).json or {}
    )
    writers, rounds = 8, 4
    barrier = threading.Barrier(writers)
    statuses: list[int] = []

    def edit(n: int) -> None:
        mine = store_app.test_client()
        barrier.wait()
        for r in range(rounds):
            field = (
                {"alarm": 5 + n * rounds + r}
                if n % 2
                else {"days": [["mon", "wed"], ["tue", "thu"]][r % 2]}
            )
            statuses.append(mine.patch(local(plan["api_url"]), json=field).status_code)

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * writers * rounds
    final = client.get(local(plan["api_url"])).json or {}
    assert final["revision"] == writers * rounds
    body = client.get(local(plan["feed_url"])).data
    assert isinstance(parse_both(body), icalendar.Calendar)
