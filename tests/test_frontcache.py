"""The layer in front of Flask: repeated feeds answered whole, exactly as Flask answered them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from freezegun.api import FrozenDateTimeFactory
from sqlalchemy import create_engine
from werkzeug.test import TestResponse

from feeds import create_app
from feeds.cache import LRU
from feeds.frontcache import FrontCache, Kept
from feeds.managed.store import Store
from feeds.policy import FEED_DAYS_AFTER_RACE

TODAY = date(2026, 11, 25)
HOST = "https://plans.example.org"
STATELESS = "/feeds/10k.ics?race=2027-04-18&days=tue,thu"
PLAN = {"distance": "half-marathon", "race": "2027-04-18", "days": ["tue", "thu", "sat"]}


@pytest.fixture
def clock() -> Iterator[FrozenDateTimeFactory]:
    with freeze_time(TODAY) as frozen:
        yield frozen


def app_on(database_url: str, **config: Any) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "PUBLIC_URL": HOST + "/",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test",
            **config,
        }
    )


@pytest.fixture
def app(clock: FrozenDateTimeFactory, database_url: str) -> Iterator[Flask]:
    """An app (one worker) on an empty database of each backend."""
    app = app_on(database_url)
    yield app
    app.extensions["store"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def kept(app: Flask) -> LRU[Kept]:
    front: FrontCache = app.extensions["front_cache"]
    return front.kept


def create(client: FlaskClient, **fields: Any) -> dict[str, str]:
    response = client.post("/api/subscriptions", json={**PLAN, **fields})
    assert response.status_code == 201, response.json
    return {k: str(v).removeprefix(HOST) for k, v in (response.json or {}).items()}


def twice(app: Flask, method: str, path: str, **kwargs: Any) -> tuple[TestResponse, TestResponse]:
    """The same request made by Flask, then answered in front of it (checked by the hit count)."""
    client = app.test_client()
    first = client.open(path, method=method, **kwargs)
    hits = kept(app).hits
    second = client.open(path, method=method, **kwargs)
    assert kept(app).hits == hits + 1, "the repeat did not come from the front cache"
    return first, second


def same_answer(first: TestResponse, second: TestResponse) -> None:
    assert second.status == first.status
    assert second.headers.to_wsgi_list() == first.headers.to_wsgi_list()
    assert second.data == first.data


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_repeated_feed_has_flasks_status_headers_and_bytes(app: Flask, scheme: str) -> None:
    base = f"{scheme}://plans.example.org"
    first, second = twice(app, "GET", STATELESS, base_url=base)
    assert first.status_code == 200 and first.mimetype == "text/calendar"
    same_answer(first, second)
    assert ("Strict-Transport-Security" in second.headers) == (scheme == "https")


def test_a_head_has_the_gets_headers_and_no_body(app: Flask) -> None:
    get = app.test_client().get(STATELESS)
    first, second = twice(app, "HEAD", STATELESS)
    same_answer(first, second)
    assert second.data == b"" and second.headers == get.headers


@pytest.mark.parametrize("validator", ["If-None-Match", "If-Modified-Since", "If-None-Match list"])
def test_a_current_client_gets_flasks_304(app: Flask, validator: str) -> None:
    full = app.test_client().get(STATELESS)
    headers = {
        "If-None-Match": {"If-None-Match": full.headers["ETag"]},
        "If-Modified-Since": {"If-Modified-Since": full.headers["Last-Modified"]},
        "If-None-Match list": {"If-None-Match": f'"old", {full.headers["ETag"]}'},
    }[validator]
    first, second = twice(app, "GET", STATELESS, headers=headers)
    assert first.status_code == 304
    same_answer(first, second)
    assert second.headers["ETag"] == full.headers["ETag"]
    assert second.headers["Cache-Control"] == full.headers["Cache-Control"]


def test_a_304_from_the_etag_memo_is_kept_too(app: Flask, client: FlaskClient) -> None:
    plan = create(client)
    full = client.get(plan["feed_url"])
    app.extensions["answers"] = LRU(0)  # as if the answer had left the cache: the memo answers
    current = {"If-None-Match": full.headers["ETag"]}
    first, second = twice(app, "GET", plan["feed_url"], headers=current)
    assert first.status_code == 304
    same_answer(first, second)


def test_a_stale_validator_gets_the_whole_feed(app: Flask) -> None:
    full = app.test_client().get(STATELESS)
    stale = {"If-None-Match": '"old"', "If-Modified-Since": full.headers["Last-Modified"]}
    first, second = twice(app, "GET", STATELESS, headers=stale)
    # If-None-Match decides when sent (RFC 9110 13.2.2), so the matching date does not count.
    assert first.status_code == second.status_code == 200
    same_answer(full, second)


def test_a_range_request_gets_the_whole_feed_as_before(app: Flask) -> None:
    full = app.test_client().get(STATELESS)
    first, second = twice(app, "GET", STATELESS, headers={"Range": "bytes=0-99"})
    assert first.status_code == 200
    same_answer(full, second)


def test_behind_a_proxy_the_forwarded_scheme_decides(
    clock: FrozenDateTimeFactory, tmp_path: Path
) -> None:
    app = app_on(f"sqlite:///{tmp_path / 'feeds.sqlite3'}", TRUSTED_PROXIES=1)
    client = app.test_client()
    for _ in range(2):
        tls = client.get(STATELESS, headers={"X-Forwarded-Proto": "https"})
        plain = client.get(STATELESS)
        assert "Strict-Transport-Security" in tls.headers
        assert "Strict-Transport-Security" not in plain.headers
    app.extensions["store"].close()


def test_a_calendar_is_never_compressed_and_pages_still_are(app: Flask) -> None:
    accept = {"Accept-Encoding": "br, gzip"}
    _, second = twice(app, "GET", STATELESS, headers=accept)
    assert "Content-Encoding" not in second.headers and "Vary" not in second.headers
    page = app.test_client().get("/plans/10k", headers=accept)
    assert page.headers["Content-Encoding"] == "br" and "Accept-Encoding" in page.headers["Vary"]
    assert len(kept(app)) == 1  # pages never go in front


def test_each_host_gets_links_to_itself(clock: FrozenDateTimeFactory, tmp_path: Path) -> None:
    app = app_on(f"sqlite:///{tmp_path / 'feeds.sqlite3'}", PUBLIC_URL="")
    client = app.test_client()
    for _ in range(2):
        one = client.get(STATELESS, base_url="http://one.example.org")
        other = client.get(STATELESS, base_url="http://other.example.org")
        assert b"one.example.org/routines/" in one.data
        assert b"other.example.org/routines/" in other.data
    app.extensions["store"].close()


def test_a_kept_feed_is_checked_again_the_next_day(
    app: Flask, client: FlaskClient, clock: FrozenDateTimeFactory
) -> None:
    race = TODAY + timedelta(weeks=10)
    path = f"/feeds/5k.ics?race={race}"
    assert client.get(path).status_code == client.get(path).status_code == 200
    clock.move_to(race + timedelta(days=FEED_DAYS_AFTER_RACE + 1))
    over = client.get(path)
    assert over.status_code == 422 and "are over" in over.text


def test_an_edit_shows_at_once_in_the_worker_that_made_it(app: Flask, client: FlaskClient) -> None:
    plan = create(client)
    first, second = twice(app, "GET", plan["feed_url"])
    same_answer(first, second)
    assert second.headers["Cache-Control"] == "private, no-cache"
    assert client.patch(plan["api_url"], json={"race": "2027-04-25"}).status_code == 200
    moved = client.get(plan["feed_url"], headers={"If-None-Match": first.headers["ETag"]})
    assert moved.status_code == 200 and b"20270425" in moved.data


def test_another_worker_sees_an_edit_within_the_check_interval(
    app: Flask, clock: FrozenDateTimeFactory, database_url: str
) -> None:
    writer = app_on(database_url).test_client()
    plan = create(writer)
    reader = app.test_client()
    before = reader.get(plan["feed_url"])
    assert writer.patch(plan["api_url"], json={"race": "2027-04-25"}).status_code == 200
    # Within FRONT_CACHE_CHECK_SECONDS the reader may still answer the copy it keeps...
    clock.tick(app.config["FRONT_CACHE_CHECK_SECONDS"] - 1)
    assert reader.get(plan["feed_url"]).data == before.data
    # ...and after it, one lookup finds the new revision.
    clock.tick(2)
    after = reader.get(plan["feed_url"], headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and b"20270425" in after.data
    writer.application.extensions["store"].close()


def test_an_unchanged_plan_is_served_from_the_front_after_its_check(
    app: Flask, client: FlaskClient, clock: FrozenDateTimeFactory, monkeypatch: Any
) -> None:
    from feeds.managed import service

    plan = create(client)
    first = client.get(plan["feed_url"])
    clock.tick(app.config["FRONT_CACHE_CHECK_SECONDS"] + 1)
    monkeypatch.setattr(service, "find", lambda *a: pytest.fail("Flask read the plan"))
    assert client.get(plan["feed_url"]).data == first.data


def test_a_rotated_or_deleted_feed_is_gone_from_every_worker(
    app: Flask, clock: FrozenDateTimeFactory, database_url: str
) -> None:
    writer = app_on(database_url).test_client()
    plan = create(writer)
    reader = app.test_client()
    assert reader.get(plan["feed_url"]).status_code == 200
    rotated = writer.post(plan["api_url"] + "/rotate", json={})
    fresh = str(rotated.get_json()["feed_url"]).removeprefix(HOST)
    assert reader.get(fresh).status_code == 200
    clock.tick(app.config["FRONT_CACHE_CHECK_SECONDS"] + 1)
    assert reader.get(plan["feed_url"]).status_code == 410
    assert writer.delete(plan["api_url"]).status_code == 204
    clock.tick(app.config["FRONT_CACHE_CHECK_SECONDS"] + 1)
    assert reader.get(fresh).status_code == 410
    writer.application.extensions["store"].close()


def test_a_database_outage_reaches_a_kept_feed_after_its_check(
    app: Flask, client: FlaskClient, clock: FrozenDateTimeFactory, tmp_path: Path
) -> None:
    plan = create(client)
    first = client.get(plan["feed_url"])
    app.extensions["store"].close()
    app.extensions["store"] = Store(create_engine(f"sqlite:///{tmp_path}/gone/x.sqlite3"))
    assert client.get(plan["feed_url"]).data == first.data  # within the check interval
    clock.tick(app.config["FRONT_CACHE_CHECK_SECONDS"] + 1)
    down = client.get(plan["feed_url"])
    assert down.status_code == 503 and down.headers["Retry-After"]


def test_a_front_answer_logs_no_token(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    plan = create(client)
    token = plan["feed_url"].removeprefix("/s/").removesuffix(".ics")
    with caplog.at_level("DEBUG"):
        twice(app, "GET", plan["feed_url"])
    assert token not in caplog.text


@pytest.mark.parametrize("setting", ["FRONT_CACHE_SIZE", "FEED_CACHE_SIZE"])
def test_the_front_cache_can_be_turned_off(
    clock: FrozenDateTimeFactory, tmp_path: Path, setting: str
) -> None:
    app = app_on(f"sqlite:///{tmp_path / 'feeds.sqlite3'}", **{setting: 0})
    client = app.test_client()
    assert client.get(STATELESS).data == client.get(STATELESS).data
    assert "front_cache" not in app.extensions
    app.extensions["store"].close()
