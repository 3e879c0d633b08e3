"""Migration 0003 packs slot states: every feed a subscriber has seen stays byte for byte."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from flask.testing import FlaskClient

from feeds.calendars import feed_of
from feeds.choices import Choices, read, texts
from feeds.events import entries
from feeds.ics import Revision
from feeds.managed import unlock
from feeds.managed.migrate import MIGRATIONS
from feeds.managed.revisions import FINGERPRINT_CHARS, fingerprints
from feeds.managed.store import UTCDateTime, engine_for
from feeds.managed.tokens import feed_token
from feeds.plans import Library
from feeds.schedule import build

CREATED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
# Old rows kept microseconds; feeds are written to the second.
EDITED = datetime(2026, 11, 24, 17, 45, 12, 654321, tzinfo=UTC)
PLANS = [
    ({"race": "2027-04-18"}, None),
    ({"race": "2027-04-18", "alarm": "15", "time": "07:00", "tz": "Europe/Berlin"}, None),
    ({"race": "2027-05-02"}, {"race": "2027-05-16"}),
    ({"race": "2027-06-06", "days": "mon,wed,fri"}, {"race": "2027-06-06", "alarm": "30"}),
    ({"race": "2027-03-07", "unlock_weekly": "1"}, {"race": "2027-03-14", "unlock_weekly": "1"}),
]


# The per-slot table held whole 64-digit SHA-256 fingerprints.
PAD = "0" * (64 - FINGERPRINT_CHARS)


def full_digest(token: str) -> str:
    """A token's digest as stored before migration 0004: the whole SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Row:
    slot: str
    fingerprint: str
    sequence: int
    modified: datetime
    live: bool


def old_states(library: Library, first: Choices, edit: Choices | None) -> list[Row]:
    """What the per-slot table held after creating `first` and (maybe) editing it."""
    rows = {s: Row(s, f + PAD, 0, CREATED, True) for s, f in prints(library, first).items()}
    if edit is None:
        return list(rows.values())
    ahead = unlock.AHEAD if first.unlock_weekly else 0
    now = prints(library, edit)
    for slot, row in rows.items():
        if slot not in now:
            rows[slot] = Row(slot, row.fingerprint, row.sequence, row.modified, False)
    for slot, fp in now.items():
        old = rows.get(slot)
        if old is None:
            rows[slot] = Row(slot, fp + PAD, 0, EDITED, True)
        elif old.fingerprint[:FINGERPRINT_CHARS] != fp:
            rows[slot] = Row(slot, fp + PAD, old.sequence + ahead + 1, EDITED, True)
    return list(rows.values())


def prints(library: Library, choices: Choices) -> dict[str, str]:
    events = entries(library, build(library, choices.request), "/")
    return fingerprints(events, choices.timing, choices.alarm, choices.unlock_weekly)


def old_feed(library: Library, plan_id: str, choices: Choices, rows: list[Row]) -> bytes:
    """The feed as the per-slot layout rendered it (today pinned by the app fixture)."""
    schedule = build(library, choices.request)
    events = entries(library, schedule, "https://plans.example.org/")
    revisions = {r.slot: Revision(r.sequence, r.modified) for r in rows if r.live}
    if choices.unlock_weekly:
        revisions = unlock.effective(revisions, events, date(2026, 11, 25))
        events = unlock.hide_locked(events, date(2026, 11, 25))
    built = feed_of(library, choices, events, scope=f"sub/{plan_id}", revisions=revisions)
    return built.body


def migrate_to(url: str, revision: str) -> None:
    """Bring an empty database to an old schema revision."""
    engine = engine_for(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def insert(url: str, plans: list[dict[str, Any]]) -> None:
    meta = sa.MetaData()
    engine = engine_for(url)
    try:
        meta.reflect(engine)
        states = meta.tables["slot_states"]
        with engine.begin() as conn:
            for plan in plans:
                conn.execute(meta.tables["subscriptions"].insert().values(plan["row"]))
                rows = [{"subscription_id": plan["row"]["id"], **r.__dict__} for r in plan["rows"]]
                for r in rows:
                    r["modified"] = UTCDateTime().process_bind_param(r["modified"], conn.dialect)
                conn.execute(states.insert(), rows)
    finally:
        engine.dispose()


def old_plan(
    library: Library, n: int, first: dict[str, str], edit: dict[str, str] | None
) -> dict[str, Any]:
    before = read("marathon", first)
    choices = read("marathon", edit) if edit else before
    rows = old_states(library, before, choices if edit else None)
    manage, salt = f"manage-{n}", f"salt{n}"
    values = texts(choices)
    del values["race"]
    row = {
        "id": f"{n:032d}",
        "manage_digest": full_digest(manage),
        "feed_digest": full_digest(feed_token(manage, salt)),
        "feed_salt": salt,
        "revision": 1 if edit else 0,
        "distance": "marathon",
        "race": choices.race,
        "choices": json.dumps(values, separators=(",", ":")),
        "saved_on": date(2026, 11, 20),
        "created": CREATED,
        "updated": EDITED if edit else CREATED,
    }
    body = old_feed(library, row["id"], choices, rows)
    return {"row": row, "rows": rows, "token": feed_token(manage, salt), "body": body}


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """These tests build an old schema themselves: they start without a table."""
    return empty_database_url


@pytest.fixture
def old_plans(
    library: Library, database_url: str, frozen_today: None
) -> Iterator[list[dict[str, Any]]]:
    migrate_to(database_url, "0002")
    plans = [old_plan(library, n, first, edit) for n, (first, edit) in enumerate(PLANS)]
    insert(database_url, plans)
    yield plans


def test_migrated_plans_serve_the_same_bytes_uids_and_sequences(
    old_plans: list[dict[str, Any]], store_client: FlaskClient
) -> None:
    for plan in old_plans:
        response = store_client.get(f"/s/{plan['token']}.ics")
        assert response.status_code == 200
        assert response.data == plan["body"], plan["row"]["choices"]
    assert any(b"SEQUENCE:2" in plan["body"] for plan in old_plans)
    assert any(b"LAST-MODIFIED:20261124T174512Z" in plan["body"] for plan in old_plans)
