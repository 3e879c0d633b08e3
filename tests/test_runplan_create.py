"""A running plan given before subscribing: on the plan page's Subscribe form and the API create.

The fixtures (an app allowed to fetch from a local server) come from test_runplan_managed.
"""
# ruff: noqa: F811

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pytest
from flask.testing import FlaskClient
from test_runplan_managed import (
    PLAN,
    RACE,
    client,  # noqa: F401  (fixtures used by name)
    day_of,
    form_token,
    heavy,
    kinds,
    runplan_app,  # noqa: F401
    server,  # noqa: F401
    server_base,  # noqa: F401
    sessions,
)

from feeds.managed import service
from feeds.managed.runplan_pages import JSON_CAP
from feeds.placement import RunDay

PAGE = f"/plans/marathon?race={RACE.isoformat()}&days=tue,thu,sat"


def subscribe(client: FlaskClient, **fields: Any) -> Any:
    """Post the Subscribe form of the previewed plan with `fields` added."""
    page = client.get(PAGE)
    data = {
        "csrf_token": form_token(page.text),
        "race": RACE.isoformat(),
        "days": "tue,thu,sat",
        **fields,
    }
    return client.post("/plans/marathon/subscribe", data=data)


def stored(client: FlaskClient, response: Any) -> dict[str, Any]:
    """The stored plan the Subscribe form redirected to, through its manage page's API twin."""
    manage = response.headers["Location"]
    token = manage.rstrip("/").rsplit("/", 1)[1]
    answer = client.get(f"/api/subscriptions/{token}")
    assert answer.status_code == 200
    return dict(answer.json or {})


def test_the_subscribe_form_says_the_running_plan_will_be_read(client: FlaskClient) -> None:
    page = client.get(PAGE)
    form = page.text[page.text.index('id="create-form"') :]
    assert 'enctype="multipart/form-data"' in page.text
    assert 'name="running_plan_url"' in form and 'name="running_plan_file"' in form
    assert "we read it when you subscribe" in form and "never the calendar itself" in form


def test_subscribing_with_an_uploaded_running_plan_stores_its_days_and_shows_them(
    client: FlaskClient,
) -> None:
    response = subscribe(client, running_plan_file=(BytesIO(PLAN), "marathon.ics"))
    assert response.status_code == 303
    plan = stored(client, response)["plan"]
    assert plan["running_plan_url"] is None
    assert plan["running_plan_days"].startswith("2026-12-28:")
    page = client.get(response.headers["Location"])
    assert 'We read your running plan: <a href="#running-plan">check how each day' in page.text
    # 29 December holds intervals: shown as a hard run, ready to correct.
    select = page.text[page.text.index('<select id="day-2026-12-29"') :]
    assert '<option value="hard" selected>' in select[: select.index("</select>")]
    read = kinds(PLAN)
    feed = sessions(client, stored(client, response)["feed_url"])
    heavies = [day_of(e) for e in feed.values() if heavy(e)]
    assert heavies and all(read.get(day) is RunDay.HARD for day in heavies)


def test_subscribing_with_a_running_plan_address_reads_it_now(
    client: FlaskClient, server: str
) -> None:
    response = subscribe(client, running_plan_url=f"{server}/plan.ics")
    assert response.status_code == 303
    plan = stored(client, response)["plan"]
    assert plan["running_plan_url"] == f"{server}/plan.ics"
    assert plan["running_plan_days"].startswith("2026-12-28:")


@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({"running_plan_url": "ftp://example.org/plan.ics"}, 400, "https"),
        ({"running_plan_url": "https://127.0.0.1:9/plan.ics"}, 400, ""),
        ({"running_plan_file": (b"not a calendar", "x.ics")}, 422, "not an iCalendar"),
    ],
)
def test_a_bad_running_plan_is_shown_on_the_form_and_nothing_is_stored(
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    fields: dict[str, Any],
    status: int,
    says: str,
) -> None:
    created: list[Any] = []
    monkeypatch.setattr(service, "create", lambda *args, **kw: created.append(args))
    if "running_plan_file" in fields:  # a new file each run: the client closes what it sent
        content, name = fields["running_plan_file"]
        fields = {"running_plan_file": (BytesIO(content), name)}
    response = subscribe(client, **fields)
    assert created == []
    assert response.status_code == status
    assert "Location" not in response.headers
    field = "running_plan_file" if "running_plan_file" in fields else "running_plan_url"
    slot = re.search(rf'id="{field}-error"[^>]*>([^<]*)</p>', response.text)
    assert slot and slot[1].strip() and says in slot[1]
    # The preview and its Subscribe form are still there, the typed address kept.
    assert 'id="create-form"' in response.text
    if "running_plan_url" in fields:
        assert f'value="{fields["running_plan_url"]}"' in response.text


def test_an_unreachable_address_on_the_form_is_a_422(client: FlaskClient, server: str) -> None:
    response = subscribe(client, running_plan_url=f"{server}/missing.ics")
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text


def test_the_api_creates_a_plan_from_an_uploaded_calendar_text(client: FlaskClient) -> None:
    body = {"distance": "marathon", "race": RACE.isoformat(), "running_plan_ics": PLAN.decode()}
    response = client.post("/api/subscriptions", json=body)
    assert response.status_code == 201, response.json
    plan = (response.json or {})["plan"]
    assert plan["running_plan_url"] is None and plan["running_plan_days"].startswith("2026-12-28")
    assert "running_plan_ics" not in plan


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ({"running_plan_ics": "BEGIN:VCALENDAR\r\nnonsense"}, 422),
        ({"running_plan_ics": 42}, 400),
        ({"running_plan_ics": PLAN.decode(), "running_plan_url": "https://example.org/p.ics"}, 400),
    ],
)
def test_the_api_refuses_a_bad_calendar_text_naming_the_field(
    client: FlaskClient, extra: dict[str, Any], status: int
) -> None:
    body = {"distance": "marathon", "race": RACE.isoformat(), **extra}
    response = client.post("/api/subscriptions", json=body)
    assert response.status_code == status
    assert (response.json or {}).get("field") in ("running_plan_url", "running_plan_ics")


def test_the_api_reads_a_new_calendar_text_on_edit_keeping_the_corrections(
    client: FlaskClient,
) -> None:
    created = client.post("/api/subscriptions", json={"distance": "marathon", "race": "2027-04-18"})
    plan = created.json or {}
    api = plan["api_url"].removeprefix("https://plans.example.org")
    first = client.patch(api, json={"running_plan_ics": PLAN.decode()})
    assert first.status_code == 200
    days = (first.json or {})["plan"]["running_plan_days"]
    corrected = client.patch(api, json={"running_plan_days": f"{days};tue=e"})
    assert corrected.status_code == 200
    again = client.patch(api, json={"running_plan_ics": PLAN.decode()})
    assert (again.json or {})["plan"]["running_plan_days"] == f"{days};tue=e"


def padded(size: int) -> str:
    """The fixture plan with a property of `size` characters folded into it."""
    line = "X-PAD:" + "a" * size
    folded = "\r\n ".join(line[i : i + 70] for i in range(0, len(line), 70))
    return PLAN.decode().replace("END:VCALENDAR", folded + "\r\nEND:VCALENDAR")


def test_a_real_sized_calendar_goes_through_the_api(client: FlaskClient) -> None:
    # Exports with long descriptions run to hundreds of kilobytes, past the usual 64 kB body.
    body = {"distance": "marathon", "race": RACE.isoformat(), "running_plan_ics": padded(400_000)}
    response = client.post("/api/subscriptions", json=body)
    assert response.status_code == 201, response.json
    assert response.json["plan"]["running_plan_days"]


def test_a_calendar_text_past_the_api_body_limit_is_a_413(client: FlaskClient) -> None:
    body = {"distance": "marathon", "race": RACE.isoformat(), "running_plan_ics": padded(2_400_000)}
    response = client.post("/api/subscriptions", json=body)
    assert response.status_code == 413
    assert f"{JSON_CAP} bytes" in (response.json or {})["error"]
    # A large body without a calendar is read, and refused for what it holds.
    other = client.post("/api/subscriptions", json={"distance": "marathon", "x": "a" * 70_000})
    assert other.status_code == 400 and "x" in (other.json or {})["error"]
