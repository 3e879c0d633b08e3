"""A managed feed's ETag names what its bytes are made from and its Last-Modified is in the
stored plan, so a conditional GET is answered 304 by any server of the release, cache or not,
without rendering the calendar."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from tests_support import local

from feeds import clock, state
from feeds.managed import service

PLANS: list[dict[str, Any]] = [
    {"distance": "10k", "race": "2027-04-18"},
    {"distance": "marathon", "race": "2027-05-02", "time": "07:00", "tz": "Europe/Berlin"},
    {"distance": "ultra", "race": "2027-09-12", "alarm": 30, "time": "18:30", "tz": "UTC"},
    {"distance": "5k", "race": "2027-02-28", "equipment": "none", "level": "new"},
    {"distance": "half-marathon", "race": "2027-03-21", "unlock_weekly": True},
]


@pytest.fixture
def second_server(database_url: str) -> Iterator[Flask]:
    """Another server of the same release on the same database, its caches empty."""
    from conftest import app_on

    yield from app_on(database_url)


def created(client: FlaskClient, fields: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/subscriptions", json=fields)
    assert response.status_code == 201, response.json
    return dict(response.json or {})


def renders(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Count the calendars rendered from now on."""
    calls: list[object] = []
    real = service._render
    monkeypatch.setattr(service, "_render", lambda *a, **k: calls.append(a) or real(*a, **k))
    return calls


def feed_token(plan: dict[str, Any]) -> str:
    return local(plan["feed_url"]).removeprefix("/s/").removesuffix(".ics")


# Before the first week opens, mid-plan, race week, after the race.
DAYS = ["2026-12-05 09:00:00", "2027-02-14 23:59:00", "2027-04-17 12:00:00", "2027-06-01 08:00:00"]


@pytest.mark.parametrize("unlock", [False, True])
def test_stored_last_modified_is_the_rendered_one(store_app: Flask, unlock: bool) -> None:
    client = store_app.test_client()
    for fields in PLANS:
        plan = created(client, fields | {"unlock_weekly": unlock})
        with freeze_time("2026-11-27 10:30:00"):
            edit = client.patch(local(plan["api_url"]), json={"days": ["tue", "sat"]})
        assert edit.status_code == 200, edit.json
        for moment in DAYS:
            with freeze_time(moment):
                served = client.get(local(plan["feed_url"]))
                with store_app.test_request_context():
                    found = service.find(state.store(), "feed", feed_token(plan))
                    today = clock.today()
                    modified = service.stored_modified(state.library(), found, today)
            assert modified is not None
            assert served.last_modified == modified, (fields, moment)


def test_a_plan_stored_by_another_build_leaves_last_modified_to_the_rendering(
    store_app: Flask,
) -> None:
    plan = created(store_app.test_client(), PLANS[0])
    with store_app.test_request_context():
        found = service.find(state.store(), "feed", feed_token(plan))
        other = replace(found, state=replace(found.state, build=0))
        assert service.stored_modified(state.library(), other, clock.today()) is None


@pytest.mark.parametrize("validator", ["If-None-Match", "If-Modified-Since"])
def test_any_server_answers_a_current_client_304_without_rendering(
    store_app: Flask, second_server: Flask, monkeypatch: pytest.MonkeyPatch, validator: str
) -> None:
    client = store_app.test_client()
    for fields in PLANS:
        plan = created(client, fields)
        first = client.get(local(plan["feed_url"]))
        sent = first.headers["ETag" if validator == "If-None-Match" else "Last-Modified"]
        rendered = renders(monkeypatch)
        again = second_server.test_client().get(local(plan["feed_url"]), headers={validator: sent})
        assert again.status_code == 304
        assert again.headers["ETag"] == first.headers["ETag"]
        assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
        assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
        assert rendered == []
        monkeypatch.undo()


def test_both_servers_give_one_etag_and_an_edit_changes_it(
    store_app: Flask, second_server: Flask
) -> None:
    client, other = store_app.test_client(), second_server.test_client()
    plan = created(client, PLANS[1])
    first = client.get(local(plan["feed_url"]))
    assert other.get(local(plan["feed_url"])).headers["ETag"] == first.headers["ETag"]
    download = other.get(local(plan["feed_url"]) + "?download=1")
    assert download.headers["ETag"] != first.headers["ETag"]
    with freeze_time("2026-11-27 10:30:00"):
        assert client.patch(local(plan["api_url"]), json={"alarm": 15}).status_code == 200
    after = other.get(local(plan["feed_url"]), headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != first.headers["ETag"]
    assert after.data != first.data
