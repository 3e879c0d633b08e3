"""Open-internet hardening: bad input is a 4xx, bodies and plan creation are bounded, a database
outage is a 503, https is recognised behind a configured proxy."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY
from flask import Flask
from flask.testing import FlaskClient
from gunicorn.http.errors import InvalidChunkSize
from sqlalchemy import Engine, create_engine, event, func, select, text
from tests_support import create_plan, local, with_store

from feeds import clock
from feeds.managed import health
from feeds.managed.runplan_pages import JSON_CAP
from feeds.managed.store import Store, subscriptions

FEED = "/feeds/10k.ics?race=2027-04-18"
PLAN = {"distance": "10k", "race": "2027-04-18"}
DEEP = "[" * 1000 + "]" * 1000


def stored(app: Flask) -> int:
    with app.extensions["store"].engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(subscriptions)).scalar_one())


# Bad input is never a 5xx ----------------------------------------------------------------


@pytest.mark.parametrize("body", [DEEP, '{"distance": ' + DEEP + "}", '{"days": ' + DEEP + "}"])
def test_json_nested_a_thousand_levels_deep_is_a_400(client: FlaskClient, body: str) -> None:
    plan = create_plan(client)
    for method, path in [("POST", "/api/subscriptions"), ("PATCH", local(plan["api_url"]))]:
        response = client.open(path, method=method, data=body, content_type="application/json")
        assert response.status_code == 400, (method, response.json)
        assert response.json and "JSON" in response.json["error"]


def test_a_non_ascii_form_token_is_refused_like_any_wrong_token(client: FlaskClient) -> None:
    client.get("/plans/10k?race=2027-04-18")
    with client.session_transaction() as session:
        session["csrf"] = "expected-token"
    response = client.post(
        "/plans/10k/subscribe", data={"csrf_token": "jeton-périmé", "race": "2027-04-18"}
    )
    assert response.status_code == 403
    assert b"expired" in response.data


@pytest.mark.parametrize("host", ["evil.org/x", "evil org", "a b:80", "x\\y", "[::1", "h:port"])
def test_a_malformed_host_is_a_400_and_stores_nothing(app: Flask, host: str) -> None:
    client = app.test_client()
    assert client.get(FEED, headers={"Host": host}).status_code == 400
    response = client.post("/api/subscriptions", json=PLAN, headers={"Host": host})
    assert response.status_code == 400
    assert response.json and "Host" in response.json["error"]
    assert stored(app) == 0


@pytest.mark.parametrize("host", [".", "a..b", "x" * 300])
@pytest.mark.parametrize("path", ["/", FEED, "/plans/10k", "/api/subscriptions/x"])
def test_a_host_werkzeug_cannot_read_is_a_400_on_every_route(
    app: Flask, host: str, path: str
) -> None:
    """Found by the fuzz suite: with no URL adapter, the HTML error page could not be built."""
    answer = app.test_client().get(path, headers={"Host": host})
    assert answer.status_code == 400 and answer.mimetype == "text/plain"
    assert stored(app) == 0


def test_well_formed_hosts_are_served(client: FlaskClient) -> None:
    for host in ["plans.example.org", "127.0.0.1:8000", "[::1]:8000", "xn--bcher-kva.example"]:
        assert client.get(FEED, headers={"Host": host}).status_code == 200, host


class BrokenChunks(io.RawIOBase):
    """What gunicorn's body reader does on a malformed chunk size."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise InvalidChunkSize(b"zz")


def test_a_malformed_chunked_body_is_a_400(client: FlaskClient) -> None:
    response = client.post(
        "/api/subscriptions",
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input": BrokenChunks(), "wsgi.input_terminated": True},
    )
    assert response.status_code == 400
    assert response.json and "chunked" in response.json["error"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/healthz", {"GET", "HEAD", "OPTIONS"}),
        ("DELETE", FEED, {"GET", "HEAD", "OPTIONS"}),
        ("PUT", "/api/subscriptions", {"POST", "OPTIONS"}),
    ],
)
def test_405_answers_say_which_methods_are_allowed(
    client: FlaskClient, method: str, path: str, allowed: set[str]
) -> None:
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == allowed


# Bounded requests ------------------------------------------------------------------------


@pytest.fixture
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today pinned at the app's clock seam: freezegun would also stop the limiter's own clock
    (its expiry thread reads real time, so every count would expire at once)."""
    monkeypatch.setattr(clock, "today", lambda: date.fromisoformat(TODAY))
    monkeypatch.setattr(clock, "now", lambda: datetime.fromisoformat(TODAY + "T10:00:00+00:00"))


def test_a_large_json_body_is_a_413_that_states_the_limit(client: FlaskClient) -> None:
    # Create and edit take a running plan's calendar text, so their limit is the calendar's.
    body = '{"distance": "10k", "race": "2027-04-18", "x": "' + "a" * 2_500_000 + '"}'
    response = client.post("/api/subscriptions", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json and f"{JSON_CAP} bytes" in response.json["error"]


def test_a_large_form_is_a_413(client: FlaskClient) -> None:
    response = client.post("/plans/10k/subscribe", data={"race": "2027-04-18", "x": "a" * 100_000})
    assert response.status_code == 413
    assert b"65536 bytes" in response.data


def test_plan_creation_is_limited_per_client_across_both_routes(
    tmp_path: Path, pinned_today: None
) -> None:
    app = with_store(tmp_path, CREATE_LIMIT="3 per hour")
    client = app.test_client()
    for _ in range(3):
        create_plan(client)
    response = client.post("/api/subscriptions", json=PLAN)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.json and "Too many plans" in response.json["error"]
    form = app.test_client()
    with form.session_transaction() as session:
        session["csrf"] = "form-token"
    over = form.post(
        "/plans/10k/subscribe", data={"csrf_token": "form-token", "race": "2027-04-18"}
    )
    assert over.status_code == 429
    assert b"Too many plans" in over.data
    assert stored(app) == 3
    app.extensions["store"].close()


def test_refused_creations_do_not_use_up_the_quota(tmp_path: Path, pinned_today: None) -> None:
    app = with_store(tmp_path, CREATE_LIMIT="2 per hour")
    client = app.test_client()
    for _ in range(5):
        assert client.post("/api/subscriptions", json={"distance": "10k"}).status_code == 400
    create_plan(client)
    create_plan(client)
    assert client.post("/api/subscriptions", json=PLAN).status_code == 429
    app.extensions["store"].close()


def test_only_creation_answers_carry_the_limit_headers(tmp_path: Path, pinned_today: None) -> None:
    app = with_store(tmp_path, CREATE_LIMIT="3 per hour")
    client = app.test_client()
    created = client.post("/api/subscriptions", json=PLAN)
    assert created.status_code == 201
    assert created.headers["X-RateLimit-Limit"] == "3"
    assert created.headers["X-RateLimit-Remaining"] == "2"
    for path in (FEED, "/plans/10k", "/"):
        headers = client.get(path).headers
        assert not any(name.startswith("X-RateLimit") for name, _ in headers), path
    app.extensions["store"].close()


def test_feed_fetches_are_never_rate_limited(tmp_path: Path, pinned_today: None) -> None:
    app = with_store(tmp_path, CREATE_LIMIT="1 per hour")
    client = app.test_client()
    plan = create_plan(client)
    for _ in range(150):
        assert client.get(FEED).status_code == 200
        assert client.get(local(plan["feed_url"])).status_code == 200
    app.extensions["store"].close()


# The database: outages and read-only ------------------------------------------------------


# A database that is gone: a SQLite file in a missing directory, a PostgreSQL port nobody serves.
GONE = ["sqlite:///{tmp}/gone/feeds.sqlite3", "postgresql+psycopg://feeds@127.0.0.1:1/feeds"]


@pytest.fixture(params=GONE)
def down(app: Flask, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """A plan, then the database gone."""
    plan = create_plan(app.test_client())
    working = app.extensions["store"]
    app.extensions["store"] = Store(create_engine(request.param.format(tmp=tmp_path)))
    yield plan
    app.extensions["store"].close()
    app.extensions["store"] = working


def test_a_database_outage_is_a_503_in_each_route_s_own_format(
    client: FlaskClient, down: dict[str, Any]
) -> None:
    for path, mimetype in [
        (local(down["api_url"]), "application/json"),
        (local(down["manage_url"]), "text/html"),
        (local(down["feed_url"]), "text/plain"),
        ("/readyz", "text/plain"),
    ]:
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.mimetype == mimetype, path
        assert response.headers["Retry-After"] == "30"
        assert "Try again in a minute" in response.get_data(as_text=True)
    created = client.post("/api/subscriptions", json=PLAN)
    assert created.status_code == 503
    assert created.json and created.json["status"] == 503


def test_liveness_and_stateless_feeds_survive_an_outage(
    client: FlaskClient, down: dict[str, Any]
) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get(FEED).status_code == 200
    assert client.get("/plans/10k?race=2027-04-18").status_code == 200


READ_ONLY = {
    "sqlite": "PRAGMA query_only = ON",
    "postgresql": "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
}


def read_only(engine: Engine) -> None:
    """Every new connection of `engine` refuses writes, as a read-only replica or file would."""

    def on_connect(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute(READ_ONLY[engine.dialect.name])
        cursor.close()
        connection.commit()

    event.listen(engine, "connect", on_connect)
    engine.dispose()


def test_a_read_only_database_serves_plans_and_refuses_writes_with_503(store_app: Flask) -> None:
    client = store_app.test_client()
    plan = create_plan(client)
    read_only(store_app.extensions["store"].engine)
    assert client.get(local(plan["feed_url"])).status_code == 200
    assert client.get("/readyz").get_data() == b"ready\n"
    response = client.patch(local(plan["api_url"]), json={"race": "2027-04-25"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert client.post("/api/subscriptions", json=PLAN).status_code == 503
    assert client.get(FEED).status_code == 200


def test_readiness_is_ready_when_the_database_answers(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert (response.status_code, response.get_data()) == (200, b"ready\n")


# https -----------------------------------------------------------------------------------


def test_https_gets_hsts_and_a_secure_same_site_cookie(client: FlaskClient) -> None:
    page = client.get("/plans/10k?race=2027-04-18", base_url="https://plans.example.org")
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000"
    cookie = page.headers["Set-Cookie"]
    assert "Secure" in cookie and "SameSite=Lax" in cookie
    plain = client.get("/plans/10k?race=2027-04-18", base_url="http://plans.example.org")
    assert "Strict-Transport-Security" not in plain.headers
    assert "Secure" not in plain.headers.get("Set-Cookie", "")


@pytest.mark.parametrize(("proxies", "scheme"), [(0, "http"), (1, "https")])
def test_forwarded_proto_is_trusted_only_when_configured(
    tmp_path: Path, frozen_today: None, proxies: int, scheme: str
) -> None:
    app = with_store(tmp_path, PUBLIC_URL="", TRUSTED_PROXIES=proxies)
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    response = app.test_client().post("/api/subscriptions", json=PLAN, headers=forwarded)
    assert response.status_code == 201
    assert response.json and response.json["feed_url"].startswith(f"{scheme}://localhost/s/")
    app.extensions["store"].close()


def test_a_server_starts_during_a_database_outage(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = with_store(tmp_path)
    # Nothing listens on port 1: every connection is refused, as in an outage.
    gone = create_engine("postgresql+psycopg://feeds@127.0.0.1:1/feeds")
    health.migrate_at_start(app, gone)
    assert "Database unavailable at start-up" in caplog.text
    app.extensions["store"].close()
    app.extensions["store"] = Store(gone)
    client = app.test_client()
    assert client.get(FEED).status_code == 200
    assert client.get("/readyz").status_code == 503
    app.extensions["store"].close()


@pytest.mark.parametrize(
    "query", ["?race=2027-05-01", "?download=2", "?download=1&download=1", "?x=1&download=1"]
)
def test_a_managed_feed_refuses_what_the_stateless_feed_refuses(
    client: FlaskClient, query: str
) -> None:
    plan = create_plan(client)
    response = client.get(local(plan["feed_url"]) + query)
    assert response.status_code == 400
    assert b"download" in response.data
    assert client.get(local(plan["feed_url"]) + "?download=1").status_code == 200


@pytest.fixture(params=["postgresql"])
def postgres_app(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None, frozen_today: None
) -> Iterator[Flask]:
    """The app on PostgreSQL alone: only a server can close connections under the app."""
    from conftest import _backend_url, _no_plans, app_on

    url = _backend_url(request.param, tmp_path, postgres_url)
    _no_plans(url)
    yield from app_on(url)


def terminate(url: str, pids: list[int]) -> None:
    """Have the server end these backends, as a restart or an administrator does, and wait."""
    admin = create_engine(url)
    try:
        with admin.begin() as conn:
            for pid in pids:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        for _ in range(200):
            with admin.connect() as conn:
                alive = conn.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"),
                    {"pids": pids},
                ).scalar()
            if not alive:
                return
            time.sleep(0.01)
        raise AssertionError(f"backends {pids} still alive")
    finally:
        admin.dispose()


def test_connections_the_server_closed_are_replaced_without_an_error(
    postgres_app: Flask,
) -> None:
    engine = postgres_app.extensions["store"].engine
    engine.dispose()
    pids: list[int] = []
    event.listen(engine, "connect", lambda dbapi, _record: pids.append(dbapi.info.backend_pid))
    client = postgres_app.test_client()
    plan = create_plan(client)
    assert client.get(local(plan["feed_url"])).status_code == 200
    assert pids
    terminate(engine.url.render_as_string(hide_password=False), list(pids))
    assert client.get(local(plan["feed_url"]) + "?download=1").status_code == 200
    terminate(engine.url.render_as_string(hide_password=False), list(pids))
    edited = client.patch(local(plan["api_url"]), json={"race": "2027-04-25"})
    assert edited.status_code == 200, edited.json


def test_a_lookup_the_server_ends_mid_query_is_a_503_and_the_next_fetch_is_answered(
    postgres_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Feed lookups go to psycopg directly (`Store._driver_row`): a connection lost during one
    is still a database error at the edge, and it leaves the pool for a fresh one."""
    client = postgres_app.test_client()
    plan = create_plan(client)
    store = postgres_app.extensions["store"]
    ends_itself = "SELECT pg_terminate_backend(pg_backend_pid()) WHERE %(digest)s IS NOT NULL"
    lookup = (ends_itself, None)  # (SQL, positional parameter names): psycopg names them
    monkeypatch.setattr(store, "_find_sql", {"feed": lookup, "manage": lookup})
    lost = client.get(local(plan["feed_url"]))
    assert lost.status_code == 503
    assert "Try again in a minute" in lost.get_data(as_text=True)
    monkeypatch.undo()
    answered = client.get(local(plan["feed_url"]))
    assert answered.status_code == 200
    assert answered.data.startswith(b"BEGIN:VCALENDAR")
    # Reads leave no connection in autocommit: a write after them is one transaction.
    edited = client.patch(local(plan["api_url"]), json={"race": "2027-04-25"})
    assert edited.status_code == 200, edited.json


def test_each_worker_keeps_a_connection_per_thread_open(postgres_app: Flask) -> None:
    """Eight threads at once (gunicorn's default THREADS) leave eight connections open for the
    next burst, instead of opening and closing the ones past a smaller pool each time."""
    client = postgres_app.test_client()
    plan = create_plan(client)
    engine = postgres_app.extensions["store"].engine
    barrier = threading.Barrier(8)

    def hold() -> None:
        with engine.connect():
            barrier.wait()

    threads = [threading.Thread(target=hold) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert engine.pool.checkedin() == 8
    assert client.get(local(plan["feed_url"])).status_code == 200
