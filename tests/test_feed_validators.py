"""A managed feed's ETag names what its bytes are made from and its Last-Modified is in the
stored plan, so a conditional GET is answered 304 by any server of the release, cache or not,
without rendering the calendar."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from tests_support import local

from feeds import state
from feeds.managed import service

PLANS: list[dict[str, Any]] = [
    {"distance": "10k", "race": "2027-04-18"},
    {"distance": "marathon", "race": "2027-05-02", "time": "07:00", "tz": "Europe/Berlin"},
    {"distance": "ultra", "race": "2027-09-12", "alarm": 30, "time": "18:30", "tz": "UTC"},
    {"distance": "5k", "race": "2027-02-28", "equipment": "none", "level": "new"},
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


def test_stored_last_modified_is_the_rendered_one(store_app: Flask) -> None:
    client = store_app.test_client()
    for fields in PLANS:
        plan = created(client, fields)
        with freeze_time("2026-11-27 10:30:00"):
            edit = client.patch(local(plan["api_url"]), json={"days": ["tue", "sat"]})
        assert edit.status_code == 200, edit.json
        served = client.get(local(plan["feed_url"]))
        token = local(plan["feed_url"]).removeprefix("/s/").removesuffix(".ics")
        with store_app.app_context():
            found = service.find(state.store(), "feed", token)
            modified = service.stored_modified(state.library(), found)
        assert modified is not None
        assert served.last_modified == modified


def test_weekly_unlock_leaves_last_modified_to_the_rendering(store_app: Flask) -> None:
    plan = created(store_app.test_client(), PLANS[0] | {"unlock_weekly": True})
    token = local(plan["feed_url"]).removeprefix("/s/").removesuffix(".ics")
    with store_app.app_context():
        found = service.find(state.store(), "feed", token)
        assert service.stored_modified(state.library(), found) is None


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
