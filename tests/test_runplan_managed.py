"""A managed plan that follows the runner's running plan, fetched from a local server.

The server on 127.0.0.1 is reachable only because FEEDS_RUNPLAN_ALLOW names it, as an operator
would for a private deployment; every other private address is refused.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Any, ClassVar

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from tests_support import HOST, local, serving
from werkzeug.test import EnvironBuilder

from feeds import create_app
from feeds.placement import RunDay
from feeds.runplan import read_plan
from feeds.runplan.cache import Readings

FIXTURES = Path(__file__).parent / "fixtures" / "runplans"
PLAN = (FIXTURES / "marathon-16-weeks.ics").read_bytes()
RACE = date(2027, 4, 18)
WEEK1 = date(2026, 12, 28)
LATER = datetime(2026, 11, 25, 7, 0)  # past the 6-hour refresh interval of the pinned day


class Handler(BaseHTTPRequestHandler):
    """Serves `bodies` by path with an ETag of their bytes; a path in `failing` answers 500."""

    bodies: ClassVar[dict[str, bytes]] = {}
    failing: ClassVar[set[str]] = set()
    seen: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self) -> None:
        Handler.seen.append((self.path, self.headers.get("If-None-Match")))
        body = Handler.bodies.get(self.path)
        if self.path in Handler.failing or body is None:
            self.send_error(500 if body else 404)
            return
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server_base() -> Iterator[str]:
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as base:
        yield base


@pytest.fixture
def server(server_base: str) -> str:
    """The local server serving the 16-week marathon plan at /plan.ics."""
    Handler.bodies = {"/plan.ics": PLAN}
    Handler.failing = set()
    Handler.seen = []
    return server_base


@pytest.fixture
def runplan_app(frozen_today: None, database_url: str, server: str) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "PUBLIC_URL": HOST + "/",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test",
            "RUNPLAN_ALLOW": server.removeprefix("http://"),
        }
    )
    try:
        yield app
    finally:
        readings(app).wait()
        app.extensions["store"].close()


@pytest.fixture
def client(runplan_app: Flask) -> FlaskClient:
    return runplan_app.test_client()


def later() -> Any:
    """The clock past the refresh interval. The fetcher's deadline reads real time: freezegun
    gives real time to calls made near a thread's start and frozen time to deeper ones."""
    return freeze_time(LATER, ignore=["feeds.runplan.fetch"])


def readings(app: Flask) -> Readings:
    found: Readings = app.extensions["runplan_readings"]
    return found


def create(client: FlaskClient, **fields: Any) -> dict[str, Any]:
    body = {"distance": "marathon", "race": RACE.isoformat(), **fields}
    response = client.post("/api/subscriptions", json=body)
    assert response.status_code == 201, response.json
    return dict(response.json or {})


def sessions(client: FlaskClient, feed_url: str) -> dict[str, icalendar.Event]:
    """The feed's strength sessions by UID."""
    response = client.get(local(feed_url))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.data)
    return {
        str(e["UID"]): e
        for e in calendar.walk("VEVENT")
        if "Strength" in [str(c) for c in e["CATEGORIES"].cats]
    }


def heavy(event: icalendar.Event) -> bool:
    return "Heavy" in [str(c) for c in event["CATEGORIES"].cats]


def day_of(event: icalendar.Event) -> date:
    start = event["DTSTART"].dt
    return start.date() if isinstance(start, datetime) else start


def kinds(body: bytes) -> dict[date, RunDay]:
    return dict(read_plan(body, WEEK1, RACE).run_days())


def swapped(body: bytes, one: date, other: date) -> bytes:
    """The running plan with the runs of two dates swapped (a coach moving a session)."""
    calendar = icalendar.Calendar.from_ical(body)
    for event in calendar.walk("VEVENT"):
        start = event["DTSTART"].dt
        if start in (one, other):
            to = other if start == one else one
            for name, day in (("DTSTART", to), ("DTEND", to + timedelta(days=1))):
                event.pop(name)
                event.add(name, day)
    return calendar.to_ical()


def test_a_plan_from_a_running_plan_url_puts_heavy_sessions_after_hard_runs(
    client: FlaskClient, server: str
) -> None:
    plan = create(client, running_plan_url=f"{server}/plan.ics")
    stored = plan["plan"]["running_plan_days"]
    assert stored.startswith("2026-12-28:") and len(stored.split(":")[1]) == 16 * 7
    read = kinds(PLAN)
    heavies = [e for e in sessions(client, plan["feed_url"]).values() if heavy(e)]
    assert len(heavies) > 10
    for event in heavies:
        day = day_of(event)
        assert read.get(day) is RunDay.HARD, day
        assert read.get(day + timedelta(days=1)) is not RunDay.LONG, day


def test_a_moved_interval_session_moves_the_strength_session_without_a_write(
    runplan_app: Flask, client: FlaskClient, server: str
) -> None:
    plan = create(client, running_plan_url=f"{server}/plan.ics")
    before = sessions(client, plan["feed_url"])
    read = kinds(PLAN)
    uid, moved = next(
        (u, e)
        for u, e in sorted(before.items(), key=lambda item: day_of(item[1]))
        if heavy(e) and read.get(day_of(e) + timedelta(days=1)) is RunDay.EASY
    )
    hard_day = day_of(moved)
    Handler.bodies["/plan.ics"] = swapped(PLAN, hard_day, hard_day + timedelta(days=1))
    # Within the refresh interval the worker keeps its reading.
    assert day_of(sessions(client, plan["feed_url"])[uid]) == hard_day
    with later():
        sessions(client, plan["feed_url"])  # starts the refresh, never waits for it
        readings(runplan_app).wait()
        after = sessions(client, plan["feed_url"])
    assert day_of(after[uid]) != hard_day
    assert after[uid]["SEQUENCE"] > before[uid]["SEQUENCE"]
    untouched = [u for u, e in before.items() if day_of(e) > hard_day + timedelta(days=7)]
    assert untouched and all(after[u]["SEQUENCE"] == before[u]["SEQUENCE"] for u in untouched)
    # The feed wrote nothing: the stored plan is as created.
    stored = client.get(local(plan["api_url"])).json or {}
    assert stored["revision"] == 0
    assert stored["plan"]["running_plan_days"] == plan["plan"]["running_plan_days"]


def test_an_unchanged_running_plan_is_asked_for_with_its_etag(
    runplan_app: Flask, client: FlaskClient, server: str
) -> None:
    plan = create(client, running_plan_url=f"{server}/plan.ics")
    with later():
        sessions(client, plan["feed_url"])
        readings(runplan_app).wait()
    assert len(Handler.seen) == 2 and Handler.seen[1][1] is not None


def test_a_failing_fetch_keeps_the_last_good_reading_and_the_page_says_so(
    runplan_app: Flask, client: FlaskClient, server: str
) -> None:
    plan = create(client, running_plan_url=f"{server}/plan.ics")
    before = {u: day_of(e) for u, e in sessions(client, plan["feed_url"]).items()}
    Handler.failing.add("/plan.ics")
    with later():
        sessions(client, plan["feed_url"])
        readings(runplan_app).wait()
        after = {u: day_of(e) for u, e in sessions(client, plan["feed_url"]).items()}
        page = client.get(local(plan["manage_url"]))
    assert after == before
    assert "could not be read just now" in page.text and "500" in page.text


def test_a_garbled_running_plan_keeps_the_last_good_reading(
    runplan_app: Flask, client: FlaskClient, server: str
) -> None:
    plan = create(client, running_plan_url=f"{server}/plan.ics")
    before = {u: day_of(e) for u, e in sessions(client, plan["feed_url"]).items()}
    Handler.bodies["/plan.ics"] = b"<html>Sign in to see this calendar</html>"
    with later():
        sessions(client, plan["feed_url"])
        readings(runplan_app).wait()
        after = {u: day_of(e) for u, e in sessions(client, plan["feed_url"]).items()}
    assert after == before


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1:9/plan.ics",
        "https://localhost/plan.ics",
        "https://[::1]/plan.ics",
        "https://169.254.169.254/latest/meta-data",
        "http://example.org/plan.ics",
        "ftp://example.org/plan.ics",
    ],
)
def test_private_and_plain_http_addresses_are_refused_naming_the_field(
    client: FlaskClient, url: str
) -> None:
    body = {"distance": "marathon", "race": RACE.isoformat(), "running_plan_url": url}
    response = client.post("/api/subscriptions", json=body)
    assert response.status_code == 400
    assert (response.json or {})["field"] == "running_plan_url"


def test_an_unreachable_running_plan_is_a_422(client: FlaskClient, server: str) -> None:
    body = {"distance": "marathon", "race": RACE.isoformat(), "running_plan_url": f"{server}/no"}
    response = client.post("/api/subscriptions", json=body)
    assert response.status_code == 422
    assert (response.json or {})["field"] == "running_plan_url"


def test_removing_the_address_removes_the_days(client: FlaskClient, server: str) -> None:
    plan = create(client, running_plan_url=f"{server}/plan.ics")
    response = client.patch(local(plan["api_url"]), json={"running_plan_url": None})
    assert response.status_code == 200
    assert (response.json or {})["plan"]["running_plan_days"] is None


def form_token(text: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert match
    return match[1]


def test_uploading_a_running_plan_classifies_takes_a_correction_and_saves(
    client: FlaskClient,
) -> None:
    plan = create(client)
    manage = local(plan["manage_url"])
    page = client.get(manage)
    assert "Your running plan" in page.text and "never stored" in page.text
    upload = {
        "csrf_token": form_token(page.text),
        "running_plan_file": (BytesIO(PLAN), "marathon.ics"),
    }
    shown = client.post(f"{manage}/running-plan/read", data=upload)
    assert shown.status_code == 200
    assert "Correct any day" in shown.text and "“Intervals 5x800m”" in shown.text
    days = re.search(r'name="running_plan_days" value="([^"]+)"', shown.text)
    assert days and days[1].startswith("2026-12-28:")
    # 29 December holds intervals: the runner says it became an easy day.
    assert '<select id="day-2026-12-29"' in shown.text
    fields = {
        "csrf_token": form_token(shown.text),
        "revision": "0",
        "running_plan_url": "",
        "running_plan_days": days[1],
        "day-2026-12-29": "easy",
        "action": "save",
    }
    saved = client.post(f"{manage}/running-plan", data=fields)
    assert saved.status_code == 303
    stored = (client.get(local(plan["api_url"])).json or {})["plan"]
    assert stored["running_plan_url"] is None
    read = days[1].split(":")[1]
    assert read[1] == "h" and stored["running_plan_days"] == f"{days[1]};+1=e"
    after = client.get(manage)
    assert "your correction" in after.text
    heavy_days = [day_of(e) for e in sessions(client, plan["feed_url"]).values() if heavy(e)]
    assert heavy_days and date(2026, 12, 29) not in heavy_days


def test_a_running_plan_upload_that_is_not_a_calendar_is_a_422(client: FlaskClient) -> None:
    plan = create(client)
    manage = local(plan["manage_url"])
    token = form_token(client.get(manage).text)
    upload = {"csrf_token": token, "running_plan_file": (BytesIO(b"not a calendar"), "x.ics")}
    shown = client.post(f"{manage}/running-plan/read", data=upload)
    assert shown.status_code == 422 and "not an iCalendar file" in shown.text


def test_an_upload_larger_than_the_cap_is_a_413(client: FlaskClient) -> None:
    plan = create(client)
    manage = local(plan["manage_url"])
    token = form_token(client.get(manage).text)
    big = BytesIO(b"x" * 2_200_000)
    upload = {"csrf_token": token, "running_plan_file": (big, "huge.ics")}
    # The test client spools a large body to a temporary file: close it here.
    environ = EnvironBuilder(f"{manage}/running-plan/read", method="POST", data=upload)
    body = environ.get_environ()
    try:
        assert client.open(body).status_code == 413
    finally:
        body["wsgi.input"].close()
        environ.close()


def test_a_malformed_allow_setting_stops_the_app(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="FEEDS_RUNPLAN_ALLOW: 'nonsense' is not host:port"):
        create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'feeds.sqlite3'}",
                "SECRET_KEY": "test",
                "RUNPLAN_ALLOW": "127.0.0.1:8000, nonsense",
            }
        )


def test_saving_the_edit_form_keeps_the_running_plan(client: FlaskClient, server: str) -> None:
    plan = create(client, running_plan_url=f"{server}/plan.ics")
    manage = local(plan["manage_url"])
    fields = {
        "csrf_token": form_token(client.get(manage).text),
        "distance": "marathon",
        "race": RACE.isoformat(),
        "equipment": "home",
    }
    assert client.post(manage, data=fields).status_code == 303
    stored = (client.get(local(plan["api_url"])).json or {})["plan"]
    assert stored["equipment"] == "home"
    assert stored["running_plan_url"] == plan["plan"]["running_plan_url"]
    assert stored["running_plan_days"] == plan["plan"]["running_plan_days"]
