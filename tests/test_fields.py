"""The field table: one definition of each choice serves URL, forms, API and store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from feeds.choices import Choices, read, texts
from feeds.errors import InvalidParameter
from feeds.fields import FIELDS
from feeds.managed.apibody import ACCEPTED as API_FIELDS
from feeds.managed.migrate import MIGRATIONS
from feeds.managed.store import Store
from feeds.params import ACCEPTED as FEED_PARAMETERS

RACE = "2027-04-18"
EVERY_CHOICE = {
    "race": RACE,
    "start": "2026-12-07",
    "days": "mon,wed,fri",
    "long": "sat",
    "hard": "tue,thu",
    "time": "18:30",
    "tz": "America/New_York",
    "alarm": "30",
    "equipment": "none",
    "level": "new",
    "unlock_weekly": "1",
    "running_plan_url": "https://plans.example.com/runner.ics",
    "running_plan_days": "2026-12-28:rhehelr",
    "adjust": "move:week-05/heavy-lower-a/1:2027-01-28;skip:week-06/plyo/1;pause:2027-02-01+7",
}


def test_every_field_reads_back_to_the_same_text() -> None:
    assert set(EVERY_CHOICE) == {f.name for f in FIELDS}
    choices = read("marathon", EVERY_CHOICE)
    assert texts(choices) == EVERY_CHOICE
    assert read("marathon", texts(choices)) == choices


def test_defaults_are_left_out_of_the_canonical_text() -> None:
    choices = read("5k", {"race": RACE, "long": "sun", "equipment": "gym", "level": "experienced"})
    assert texts(choices) == {"race": RACE}
    assert choices == Choices("5k", date(2027, 4, 18))


def test_every_field_is_accepted_by_the_api_and_every_feed_field_by_the_feed_url() -> None:
    assert {f.name for f in FIELDS} <= set(API_FIELDS)
    assert {f.name for f in FIELDS if f.in_feed} <= set(FEED_PARAMETERS)
    assert "unlock_weekly" not in FEED_PARAMETERS


@pytest.mark.parametrize(
    ("name", "value", "accepted"),
    [
        ("equipment", "barbell", "gym, home, none"),
        ("level", "expert", "new, experienced"),
        ("hard", "tue,,thu", "tue,thu,sat"),
    ],
)
def test_a_wrong_option_names_what_is_accepted(name: str, value: str, accepted: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        read("10k", {"race": RACE, name: value})
    assert caught.value.field == name and accepted in caught.value.message


def test_the_long_run_day_cannot_also_be_a_hard_day() -> None:
    with pytest.raises(InvalidParameter) as caught:
        read("10k", {"race": RACE, "long": "sat", "hard": "tue,sat"})
    assert caught.value.field == "hard"


def test_the_feed_url_takes_the_new_options(client: FlaskClient) -> None:
    query = f"race={RACE}&equipment=home&level=new&hard=tue,thu"
    assert client.get(f"/feeds/marathon.ics?{query}").status_code == 200
    refused = client.get(f"/feeds/marathon.ics?race={RACE}&equipment=barbell")
    assert refused.status_code == 400 and b"gym, home, none" in refused.data


def test_the_plan_page_carries_the_options_into_the_preview(client: FlaskClient) -> None:
    page = client.get(f"/plans/half-marathon?race={RACE}&equipment=none&level=new&hard=wed")
    html = page.text
    assert page.status_code == 200
    assert "No equipment (bodyweight" in html and "new to lifting" in html
    assert "equipment=none&amp;level=new" in html or "hard=wed&amp;equipment=none" in html
    assert 'name="equipment" value="none" checked' in html
    assert 'name="hard" value="wed" checked' in html


def test_the_api_stores_and_edits_the_options(store_client: FlaskClient) -> None:
    body: dict[str, Any] = {"distance": "marathon", "race": RACE, "hard": ["tue", "thu"]}
    created = store_client.post("/api/subscriptions", json=body | {"equipment": "home"})
    plan = created.get_json()
    assert plan["plan"]["equipment"] == "home" and plan["plan"]["hard"] == ["tue", "thu"]
    api = plan["api_url"].removeprefix("https://plans.example.org")
    edited = store_client.patch(api, json={"level": "new", "equipment": None})
    assert edited.get_json()["plan"] | {"hard": None} == plan["plan"] | {
        "level": "new",
        "equipment": "gym",
        "hard": None,
    }
    assert store_client.patch(api, json={"level": 3}).status_code == 400


def test_migration_0002_keeps_every_stored_choice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(
            text(
                f"INSERT INTO subscriptions VALUES ('{'ab' * 16}', '{'d' * 64}', '{'f' * 64}',"
                " 's', 3, 'ultra', '2027-06-12',"
                " '2026-12-02', 'tue,thu', 'sat', '06:15', 'Europe/Berlin', 45, 1,"
                " '2026-11-25', '2026-11-25 10:00:00', '2026-11-25 10:00:00')"
            )
        )
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        stored = json.loads(conn.execute(text("SELECT choices FROM subscriptions")).scalar_one())
    found = Store(engine).find("manage", "d" * 32)  # 0004 keeps digests' first 16 bytes
    engine.dispose()
    assert stored == {
        "start": "2026-12-02",
        "days": "tue,thu",
        "long": "sat",
        "time": "06:15",
        "tz": "Europe/Berlin",
        "alarm": "45",
        "unlock_weekly": "1",
    }
    assert found is not None and found.revision == 3
    assert texts(found.choices) == {"race": "2027-06-12", **stored}
