"""Managed subscriptions over HTTP, on SQLite and PostgreSQL: one feed URL through every edit."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from icscheck import parse_both
from werkzeug.http import http_date
from werkzeug.test import TestResponse

from feeds import create_app
from feeds.managed import apibody
from feeds.plans import Library

HOST = "https://plans.example.org"
PLAN = {"distance": "half-marathon", "race": "2027-04-18", "days": ["tue", "thu", "sat"]}
LATER = "2026-11-27 10:30:00"


def newest(library: Library, moment: datetime) -> str:
    """The feed's Last-Modified: the later of a change and the plan data's own revision."""
    return http_date(max(moment, datetime.combine(library.revised, time(), tzinfo=UTC)))


def local(url: str) -> str:
    return url.removeprefix(HOST)


def create(client: FlaskClient, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/subscriptions", json={**PLAN, **fields})
    assert response.status_code == 201, response.json
    return dict(response.json or {})


def patch(client: FlaskClient, plan: dict[str, Any], **fields: Any) -> TestResponse:
    return client.patch(local(plan["api_url"]), json=fields)


def events(body: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in parse_both(body).events}


def fetch(client: FlaskClient, plan: dict[str, Any]) -> dict[str, icalendar.Event]:
    response = client.get(local(plan["feed_url"]))
    assert response.status_code == 200, response.text
    return events(response.data)


def sequence(event: icalendar.Event) -> int:
    return int(event["SEQUENCE"])


def modified(event: icalendar.Event) -> datetime:
    return event["LAST-MODIFIED"].dt  # type: ignore[no-any-return]


# Creating and reading ---------------------------------------------------------------------


def test_creating_a_plan_returns_a_feed_url_and_a_manage_url(store_client: FlaskClient) -> None:
    plan = create(store_client)
    feed_token = plan["feed_url"].removeprefix(f"{HOST}/s/").removesuffix(".ics")
    manage_token = plan["manage_url"].removeprefix(f"{HOST}/manage/")
    assert len(feed_token) >= 43 and len(manage_token) >= 43 and feed_token != manage_token
    assert plan["revision"] == 0
    assert plan["plan"] == {
        **PLAN,
        "start": None,
        "long": "sun",
        "time": None,
        "tz": None,
        "alarm": None,
        "unlock_weekly": False,
        "hard": [],
        "equipment": "gym",
        "level": "experienced",
        "running_plan_url": None,
        "running_plan_days": None,
        "adjust": "",
    }
    read = store_client.get(local(plan["api_url"]))
    assert read.status_code == 200 and read.json == plan
    assert read.headers["ETag"] == '"0"'


def test_the_feed_is_a_valid_calendar_of_its_own(store_client: FlaskClient) -> None:
    plan = create(store_client)
    response = store_client.get(local(plan["feed_url"]))
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["Cache-Control"] == "private, no-cache"
    managed = events(response.data)
    assert {sequence(e) for e in managed.values()} == {0}
    assert {modified(e) for e in managed.values()} == {datetime(2026, 11, 25, tzinfo=UTC)}
    stateless = store_client.get("/feeds/half-marathon.ics?race=2027-04-18&days=tue,thu,sat")
    # Same plan, separate UID space: a download of the public feed never collides with it.
    assert len(managed) == len(events(stateless.data))
    assert not set(managed) & set(events(stateless.data))
    assert create(store_client)["feed_url"] != plan["feed_url"]


def test_a_download_is_the_same_calendar_as_an_attachment(store_client: FlaskClient) -> None:
    plan = create(store_client)
    feed = store_client.get(local(plan["feed_url"]))
    download = store_client.get(local(plan["feed_url"]) + "?download=1")
    # UIDs of its own: imported beside the subscription, it updates none of its events.
    uids = re.compile(rb"UID:\S+")
    assert uids.sub(b"", download.data) == uids.sub(b"", feed.data)
    assert not set(uids.findall(download.data)) & set(uids.findall(feed.data))
    assert download.headers["Content-Disposition"].startswith("attachment; filename=")


def test_the_feed_answers_conditional_gets(store_client: FlaskClient, library: Library) -> None:
    plan = create(store_client)
    first = store_client.get(local(plan["feed_url"]))
    again = store_client.get(
        local(plan["feed_url"]), headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
    by_date = store_client.get(
        local(plan["feed_url"]), headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert by_date.status_code == 304
    with freeze_time(LATER):
        assert patch(store_client, plan, race="2027-04-25").status_code == 200
        moved = store_client.get(
            local(plan["feed_url"]), headers={"If-None-Match": first.headers["ETag"]}
        )
    assert moved.status_code == 200
    assert moved.headers["Last-Modified"] == newest(
        library, datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
    )


# Editing: same UIDs, higher sequences, vanished slots gone -----------------------------------


def check_edit(before: dict[str, icalendar.Event], after: dict[str, icalendar.Event]) -> set[str]:
    """Shared slots keep their UID; moved ones go one up, dated now; return the moved UIDs."""
    assert set(after) & set(before), "the edit must keep UIDs of surviving slots"
    moved = set()
    for uid, event in after.items():
        assert event.get("STATUS") != "CANCELLED"
        if uid not in before:
            # A week event is left out while its week has sessions, but its slot stays stored:
            # when the week loses them, the event comes back past its stored sequence.
            assert sequence(event) == 0 or "Week" in event.categories
        elif event["DTSTART"].dt != before[uid]["DTSTART"].dt:
            assert sequence(event) == sequence(before[uid]) + 1
            assert modified(event) == datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
            moved.add(uid)
    return moved


@pytest.mark.parametrize("race", ["2027-04-19", "2027-04-25", "2027-05-23"])
def test_moving_the_race_moves_the_same_events(store_client: FlaskClient, race: str) -> None:
    plan = create(store_client)
    before = fetch(store_client, plan)
    with freeze_time(LATER):
        assert patch(store_client, plan, race=race).status_code == 200
        after = fetch(store_client, plan)
    moved = check_edit(before, after)
    assert len(moved) >= len(before) - 3
    assert len(after) >= len(before) - 2


def test_fewer_weeks_remove_slots_from_the_feed(store_client: FlaskClient) -> None:
    plan = create(store_client, start="2026-11-30")
    before = fetch(store_client, plan)
    with freeze_time(LATER):
        assert patch(store_client, plan, race="2027-03-14").status_code == 200
        after = fetch(store_client, plan)
    check_edit(before, after)
    gone = set(before) - set(after)
    assert gone, "five weeks fewer must leave program weeks out"
    summaries = {str(after[uid]["SUMMARY"]) for uid in after}
    # 20 weeks from that start became 15: the plan says so in every session's title.
    assert "week 15 of 15" in " ".join(summaries)


def test_an_edit_leaves_unchanged_events_untouched(store_client: FlaskClient) -> None:
    plan = create(store_client)
    before = fetch(store_client, plan)
    with freeze_time(LATER):
        assert patch(store_client, plan, alarm=30).status_code == 200
        after = fetch(store_client, plan)
    assert set(after) == set(before)
    for uid, event in after.items():
        if "VALARM" in event.to_ical().decode():
            assert sequence(event) == 1
        else:
            assert event.to_ical() == before[uid].to_ical()


def test_a_slot_that_comes_back_goes_past_its_old_sequence(store_client: FlaskClient) -> None:
    plan = create(store_client, start="2026-11-30")
    first = fetch(store_client, plan)
    with freeze_time(LATER):
        patch(store_client, plan, race="2027-03-14")
        gone = set(first) - set(fetch(store_client, plan))
        patch(store_client, plan, race="2027-04-18")
        back = fetch(store_client, plan)
    assert gone <= set(back)
    assert all(sequence(back[uid]) > sequence(first[uid]) for uid in gone)


def test_changing_the_distance_keeps_the_feed_url(store_client: FlaskClient) -> None:
    plan = create(store_client)
    before = fetch(store_client, plan)
    edited = patch(store_client, plan, distance="marathon", days="mon,wed,fri")
    assert edited.status_code == 200 and edited.json is not None
    assert edited.json["feed_url"] == plan["feed_url"]
    after = fetch(store_client, plan)
    assert "Marathon" in str(parse_both(store_client.get(local(plan["feed_url"])).data)["NAME"])
    assert set(after) & set(before)


# Concurrency -------------------------------------------------------------------------------


EDITS: list[dict[str, Any]] = [
    {"alarm": 15},
    {"time": "06:30", "tz": "Europe/Berlin"},
    {"long": "sat", "days": ["mon", "wed", "thu"]},
    {"start": "2026-12-07"},
    {"unlock_weekly": True},
    {"race": "2027-04-25"},
]


def test_concurrent_patches_lose_no_update(store_app: Flask) -> None:
    plan = create(store_app.test_client())
    barrier = threading.Barrier(len(EDITS))
    statuses: list[int] = []

    def edit(fields: dict[str, Any]) -> None:
        client = store_app.test_client()
        barrier.wait()
        statuses.append(patch(client, plan, **fields).status_code)

    threads = [threading.Thread(target=edit, args=(fields,)) for fields in EDITS]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * len(EDITS)
    final = store_app.test_client().get(local(plan["api_url"])).json
    assert final is not None and final["revision"] == len(EDITS)
    for fields in EDITS:
        for name, value in fields.items():
            assert final["plan"][name] == value, name


def test_an_outdated_revision_answers_409(store_client: FlaskClient) -> None:
    plan = create(store_client)
    assert patch(store_client, plan, alarm=10, revision=0).status_code == 200
    stale = patch(store_client, plan, alarm=20, revision=0)
    assert stale.status_code == 409 and stale.json is not None
    assert "revision 1" in stale.json["error"]
    by_header = store_client.patch(
        local(plan["api_url"]), json={"alarm": 20}, headers={"If-Match": '"0"'}
    )
    assert by_header.status_code == 409
    fresh = store_client.patch(
        local(plan["api_url"]), json={"alarm": 20}, headers={"If-Match": '"1"'}
    )
    assert fresh.status_code == 200 and fresh.headers["ETag"] == '"2"'


# Rotation, deletion, secrecy -------------------------------------------------------------


def test_rotation_moves_the_feed_and_retires_the_old_url(store_client: FlaskClient) -> None:
    plan = create(store_client)
    before = fetch(store_client, plan)
    rotated = store_client.post(local(plan["api_url"]) + "/rotate", json={})
    assert rotated.status_code == 200 and rotated.json is not None
    assert rotated.json["manage_url"] == plan["manage_url"]
    assert rotated.json["feed_url"] != plan["feed_url"]
    old = store_client.get(local(plan["feed_url"]))
    assert old.status_code == 410
    assert "manage link" in old.text and plan["manage_url"] not in old.text
    assert fetch(store_client, rotated.json) == before  # UIDs and everything else survive


def test_deletion_retires_both_urls(store_client: FlaskClient) -> None:
    plan = create(store_client)
    assert store_client.delete(local(plan["api_url"])).status_code == 204
    assert store_client.get(local(plan["feed_url"])).status_code == 410
    assert store_client.get(local(plan["manage_url"])).status_code == 410
    assert store_client.get(local(plan["api_url"])).status_code == 410
    assert patch(store_client, plan, alarm=5).status_code == 410
    assert store_client.delete(local(plan["api_url"])).status_code == 410


def test_a_feed_token_opens_nothing_but_the_feed(store_client: FlaskClient) -> None:
    plan = create(store_client)
    feed_token = plan["feed_url"].removeprefix(f"{HOST}/s/").removesuffix(".ics")
    manage_token = plan["manage_url"].removeprefix(f"{HOST}/manage/")
    body = store_client.get(local(plan["feed_url"])).data.decode()
    assert manage_token not in body and feed_token not in body
    assert store_client.get(f"/manage/{feed_token}").status_code == 404
    assert store_client.get(f"/api/subscriptions/{feed_token}").status_code == 404
    assert store_client.patch(f"/api/subscriptions/{feed_token}", json={}).status_code == 404
    assert store_client.delete(f"/api/subscriptions/{feed_token}").status_code == 404
    assert store_client.post(f"/api/subscriptions/{feed_token}/rotate", json={}).status_code == 404
    assert store_client.get(f"/s/{manage_token}.ics").status_code == 404
    assert store_client.get(local(plan["api_url"])).status_code == 200


def test_unknown_tokens_answer_404(store_client: FlaskClient) -> None:
    response = store_client.get("/api/subscriptions/not-a-token")
    assert response.status_code == 404 and response.json is not None
    assert response.json["status"] == 404
    assert store_client.get("/s/not-a-token.ics").status_code == 404


def test_a_restarted_app_serves_the_same_feed(store_app: Flask, database_url: str) -> None:
    from conftest import app_on

    client = store_app.test_client()
    plan = create(client)
    with freeze_time(LATER):
        patch(client, plan, race="2027-05-02")
    body = client.get(local(plan["feed_url"])).data
    store_app.extensions["store"].close()
    second = app_on(database_url)
    restarted = next(second)
    try:
        assert restarted.test_client().get(local(plan["feed_url"])).data == body
    finally:
        second.close()


# Validation: the feed's rules and messages, in JSON ---------------------------------------


def feed_message(field: str, value: str) -> str:
    """What the stateless feed says about the same parameter value."""
    query = {"race": "2027-04-18", field: value}
    if field in ("time", "tz"):
        query |= {"time": "07:00", "tz": "UTC", field: value}
    return urlencode(query)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("race", "2027-02-30"),
        ("race", "18.04.2027"),
        ("start", "2027/01/01"),
        ("days", "tue,,thu"),
        ("days", "tue,funday"),
        ("long", "someday"),
        ("time", "25:00"),
        ("tz", "Mars/Olympus"),
        ("alarm", "20000"),
    ],
)
def test_bad_values_get_the_feed_s_own_message(
    store_client: FlaskClient, field: str, value: str
) -> None:
    body: dict[str, Any] = {**PLAN, field: int(value) if field == "alarm" else value}
    if field in ("time", "tz"):
        body = {"time": "07:00", "tz": "UTC", **body}
    response = store_client.post("/api/subscriptions", json=body)
    feed = store_client.get(f"/feeds/half-marathon.ics?{feed_message(field, value)}")
    assert response.status_code == feed.status_code == 400
    assert response.json is not None
    assert response.json["error"] == feed.text.strip()
    assert response.json["field"] == field


@pytest.mark.parametrize(
    ("body", "status", "field", "words"),
    [
        ({"race": "2026-11-01"}, 422, "race", "already passed"),
        ({"race": "2028-04-18"}, 422, "race", "more than a year"),
        ({"start": "2027-05-01"}, 422, "race", "comes before your start day"),
        ({"race": None}, 400, "race", "must be a date"),
        ({"race": 20270418}, 400, "race", "got a number"),
        ({"start": ["2027-01-01"]}, 400, "start", "got a list"),
        ({"days": [1, 2]}, 400, "days", "list of weekdays"),
        ({"days": {"tue": True}}, 400, "days", "got an object"),
        ({"long": 6}, 400, "long", "weekday"),
        ({"time": 7}, 400, "time", "HH:MM"),
        ({"time": "07:00"}, 400, "tz", "go together"),
        ({"tz": "Europe/Berlin"}, 400, "time", "go together"),
        ({"tz": 1}, 400, "tz", "IANA"),
        ({"alarm": "30"}, 400, "alarm", "whole number"),
        ({"alarm": True}, 400, "alarm", "got true/false"),
        ({"alarm": -5}, 400, "alarm", "whole minutes"),
        ({"alarm": 1.5}, 400, "alarm", "whole number"),
        ({"unlock_weekly": "yes"}, 400, "unlock_weekly", "true or false"),
        ({"distance": "6k"}, 400, "distance", "Choose one of"),
        ({"distance": 5}, 400, "distance", "a string"),
        ({"revision": "3"}, 400, "revision", "whole number"),
        ({"colour": "red"}, 400, None, "Unknown field 'colour'"),
    ],
)
def test_bad_fields_are_named_never_a_500(
    store_client: FlaskClient, body: dict[str, Any], status: int, field: str | None, words: str
) -> None:
    response = store_client.post("/api/subscriptions", json={**PLAN, **body})
    assert response.status_code == status, response.json
    assert response.json is not None
    assert words in response.json["error"]
    assert response.json.get("field") == field
    plan = create(store_client)
    edited = patch(store_client, plan, **body)
    assert (edited.status_code, edited.json) == (status, response.json)


def test_a_body_must_be_a_json_object(store_client: FlaskClient) -> None:
    post = store_client.post
    missing = post("/api/subscriptions", json={"race": "2027-04-18"})
    assert missing.status_code == 400 and "'distance' is required" in missing.text
    broken = post("/api/subscriptions", data="{", content_type="application/json")
    assert broken.status_code == 400 and "not valid JSON" in broken.text
    assert post("/api/subscriptions", json=["race"]).status_code == 400
    form = post("/api/subscriptions", data={"distance": "5k", "race": "2027-04-18"})
    assert form.status_code == 415 and form.json is not None
    assert "Content-Type: application/json" in form.json["error"]
    plan = create(store_client)
    bad_match = store_client.patch(local(plan["api_url"]), json={}, headers={"If-Match": '"abc"'})
    assert bad_match.status_code == 400


def test_the_api_sends_no_cors_headers(store_client: FlaskClient) -> None:
    response = store_client.post(
        "/api/subscriptions", json=PLAN, headers={"Origin": "https://evil.example"}
    )
    assert "Access-Control-Allow-Origin" not in response.headers
    options = store_client.options("/api/subscriptions", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in options.headers


# Weekly unlock ---------------------------------------------------------------------------


@pytest.fixture
def unlocking(store_client: FlaskClient) -> Iterator[dict[str, Any]]:
    # Week 1 unlocked on Sunday 22 November; week 2 unlocks on Sunday 29 November.
    yield create(store_client, unlock_weekly=True, race="2027-03-07")


def session_events(body: bytes) -> list[icalendar.Event]:
    return [e for e in events(body).values() if "Strength" in e.categories]


def test_weekly_unlock_shows_only_unlocked_weeks_in_full(
    store_client: FlaskClient, unlocking: dict[str, Any]
) -> None:
    body = store_client.get(local(unlocking["feed_url"])).data
    sessions = session_events(body)
    today = date(2026, 11, 25)
    locked = [e for e in sessions if "when it unlocks" in str(e["DESCRIPTION"])]
    unlocked = [e for e in sessions if e not in locked]
    assert locked and unlocked
    assert all(e.get("URL") is None and sequence(e) == 0 for e in locked)
    assert all(e.get("URL") is not None and sequence(e) == 1 for e in unlocked)
    assert all(e["DTSTART"].dt > today for e in locked)
    weeks = [e for e in events(body).values() if "unlocked:" in str(e["SUMMARY"])]
    future = [e for e in weeks if e["DTSTART"].dt > today]
    assert future and all("when it unlocks" in str(e["DESCRIPTION"]) for e in future)
    assert all("This week:" in str(e["DESCRIPTION"]) for e in weeks if e not in future)


def test_the_unlock_sunday_changes_the_feed_and_its_etag(
    store_client: FlaskClient, unlocking: dict[str, Any], library: Library
) -> None:
    url = local(unlocking["feed_url"])
    with freeze_time("2026-11-28 23:00:00"):
        saturday = store_client.get(url)
        again = store_client.get(url, headers={"If-None-Match": saturday.headers["ETag"]})
    with freeze_time("2026-11-29 06:00:00"):
        sunday = store_client.get(url)
        cached = store_client.get(url, headers={"If-None-Match": sunday.headers["ETag"]})
    assert again.status_code == 304 and cached.status_code == 304
    assert sunday.headers["ETag"] != saturday.headers["ETag"]
    assert sunday.headers["Last-Modified"] == newest(library, datetime(2026, 11, 29, tzinfo=UTC))
    before, after = events(saturday.data), events(sunday.data)
    opened = [uid for uid in after if sequence(after[uid]) > sequence(before[uid])]
    assert opened
    assert all(modified(after[uid]) == datetime(2026, 11, 29, tzinfo=UTC) for uid in opened)
    # Week 2's sessions get their video link; its week event (no link) its routine list.
    assert any("URL" in after[uid] for uid in opened)
    assert all("when it unlocks" not in str(after[uid]["DESCRIPTION"]) for uid in opened)


def test_turning_unlock_off_still_raises_sequences(
    store_client: FlaskClient, unlocking: dict[str, Any]
) -> None:
    before = fetch(store_client, unlocking)
    assert patch(store_client, unlocking, unlock_weekly=False).status_code == 200
    after = fetch(store_client, unlocking)
    changed = [uid for uid in after if after[uid].to_ical() != before[uid].to_ical()]
    assert changed
    assert all(sequence(after[uid]) > sequence(before[uid]) for uid in changed)


def test_edited_plan_data_raises_the_sequence_of_the_events_it_changes(
    store_app: Flask, database_url: str, plans_copy: Path
) -> None:
    plan = create(store_app.test_client())
    before = fetch(store_app.test_client(), plan)
    routines = plans_copy / "routines.toml"
    old = "Band work for the outer hip"
    routines.write_text(routines.read_text().replace(old, "Band work for the side of the hip"))
    store_app.extensions["store"].close()
    edited = create_app(
        {
            "DATABASE_URL": database_url,
            "PLANS_DIR": str(plans_copy),
            "PUBLIC_URL": HOST,
            "SECRET_KEY": "test",
        }
    )
    try:
        with freeze_time(LATER):
            after = fetch(edited.test_client(), plan)
            assert fetch(edited.test_client(), plan) == after  # recorded once, then stable
    finally:
        edited.extensions["store"].close()
    changed = {uid for uid in after if after[uid].to_ical() != before[uid].to_ical()}
    assert changed and len(changed) < len(after)
    assert all("the side of the hip" in str(after[uid]["DESCRIPTION"]) for uid in changed)
    assert all(sequence(after[uid]) == 1 for uid in changed)


ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    10**30,
    "",
    " ",
    "x" * 500,
    "é",
    "\x00",
    [],
    {},
    ["x"],
]


def test_no_odd_value_in_any_field_gives_a_500(store_client: FlaskClient) -> None:
    plan = create(store_client)
    for name in [*apibody.ACCEPTED, "other"]:
        for value in ODD_VALUES:
            created = store_client.post("/api/subscriptions", json={**PLAN, name: value})
            edited = patch(store_client, plan, **{name: value})
            for response in (created, edited):
                assert response.status_code in (200, 201, 400, 409, 422), (name, value)
                assert response.json is not None and response.is_json


def test_repeat_fetches_reuse_the_rendering_until_an_edit(
    store_app: Flask, store_client: FlaskClient
) -> None:
    plan = create(store_client, distance="10k", race="2027-04-18")
    url = local(plan["feed_url"])
    first = store_client.get(url).data
    cache = store_app.extensions["front_cache"].kept
    hits = cache.hits
    assert store_client.get(url).data == first
    assert cache.hits == hits + 1  # answered in front of Flask
    assert patch(store_client, plan, race="2027-04-25").status_code == 200
    moved = store_client.get(url).data
    assert moved != first
    assert b"20270425" in moved  # the race-day event moved: no stale rendering served


def test_a_cached_feed_is_gone_once_rotated_or_deleted(store_client: FlaskClient) -> None:
    plan = create(store_client, distance="5k", race="2027-04-18")
    url = local(plan["feed_url"])
    assert store_client.get(url).status_code == 200
    rotated = store_client.post(local(plan["api_url"]) + "/rotate", json={})
    assert rotated.status_code == 200
    assert store_client.get(url).status_code == 410
    fresh = local(rotated.get_json()["feed_url"])
    assert store_client.get(fresh).status_code == 200
    assert store_client.delete(local(plan["api_url"])).status_code == 204
    assert store_client.get(fresh).status_code == 410


def test_a_current_client_gets_a_304_without_a_rendering(
    store_app: Flask, store_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feeds.cache import LRU
    from feeds.managed import service as managed

    store_app.extensions["feed_cache"] = LRU(0)  # as if the feed had left the render cache
    renders = []
    real = managed._render
    monkeypatch.setattr(managed, "_render", lambda *a: renders.append(1) or real(*a))
    plan = create(store_client)
    url = local(plan["feed_url"])
    first = store_client.get(url)
    assert len(renders) == 1
    again = store_client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and len(renders) == 1
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert store_client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert patch(store_client, plan, race="2027-04-25").status_code == 200
    moved = store_client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert moved.status_code == 200 and moved.headers["ETag"] != first.headers["ETag"]
    assert store_client.delete(local(plan["api_url"])).status_code == 204
    gone = store_client.get(url, headers={"If-None-Match": moved.headers["ETag"]})
    assert gone.status_code == 410


def test_a_new_host_name_changes_no_event(store_app: Flask) -> None:
    client = store_app.test_client()
    plan = create(client)
    before = fetch(client, plan)
    store_app.config["PUBLIC_URL"] = "https://strength.example.net/"
    after = fetch(client, plan)
    assert {sequence(e) for e in before.values()} == {sequence(e) for e in after.values()} == {0}
    assert after.keys() == before.keys()
    texts = [str(e.get("DESCRIPTION")) for e in after.values()]
    assert any("strength.example.net/routines/" in text for text in texts)


def test_a_client_revalidating_by_date_gets_a_304_without_a_rendering(
    store_app: Flask, store_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Apple Calendar revalidates with If-Modified-Since only: the memo answers it too."""
    from feeds.cache import LRU
    from feeds.managed import service as managed

    store_app.extensions["feed_cache"] = LRU(0)
    store_app.extensions["answers"] = LRU(0)  # nothing rendered is kept: only the memo
    renders = []
    real = managed._render
    monkeypatch.setattr(managed, "_render", lambda *a: renders.append(1) or real(*a))
    plan = create(store_client)
    url = local(plan["feed_url"])
    first = store_client.get(url)
    since = {"If-Modified-Since": first.headers["Last-Modified"]}
    again = store_client.get(url, headers=since)
    assert again.status_code == 304 and len(renders) == 1
    assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
    stale = {"If-Modified-Since": "Mon, 02 Nov 2026 00:00:00 GMT"}
    again = store_client.get(url, headers=stale)
    # The whole answer is still kept in front of Flask (feeds/frontcache.py): no rendering.
    assert again.status_code == 200 and again.data == first.data and len(renders) == 1
