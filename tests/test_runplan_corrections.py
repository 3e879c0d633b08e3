"""Correct the running plan by weekday ("every Tuesday is easy") and by date, and undo one."""
# ruff: noqa: F811

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask.testing import FlaskClient
from test_runplan_managed import (
    PLAN,
    RACE,
    client,  # noqa: F401  (fixtures used by name)
    day_of,
    form_token,
    heavy,
    runplan_app,  # noqa: F401
    server,  # noqa: F401
    server_base,  # noqa: F401
    sessions,
)
from tests_support import local

from feeds.runplan.days import LETTERS, parse_days

TUESDAY = date(2027, 1, 5)  # intervals in the fixture plan, like every Tuesday


def created(client: FlaskClient) -> dict[str, Any]:
    body = {"distance": "marathon", "race": RACE.isoformat(), "running_plan_ics": PLAN.decode()}
    response = client.post("/api/subscriptions", json=body)
    assert response.status_code == 201
    return dict(response.json or {})


def save(client: FlaskClient, plan: dict[str, Any], **fields: str) -> str:
    """Post the running-plan form as the manage page shows it, with `fields` changed."""
    manage = local(plan["manage_url"])
    page = client.get(manage).text
    shown = re.search(r'name="running_plan_days" value="([^"]+)"', page)
    revision = re.search(r'name="revision" value="(\d+)"', page)
    assert shown and revision
    data = {
        "csrf_token": form_token(page),
        "revision": revision[1],
        "running_plan_url": "",
        "running_plan_days": shown[1],
        "action": "save",
        **{f"every-{d}": "" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        **fields,
    }
    assert client.post(f"{manage}/running-plan", data=data).status_code == 303
    return str((client.get(local(plan["api_url"])).json or {})["plan"]["running_plan_days"])


def heavy_tuesdays(client: FlaskClient, plan: dict[str, Any]) -> set[date]:
    days = {day_of(e) for e in sessions(client, plan["feed_url"]).values() if heavy(e)}
    return {d for d in days if d.weekday() == 1}


def test_every_tuesday_easy_then_one_tuesday_hard(client: FlaskClient) -> None:
    plan = created(client)
    assert heavy_tuesdays(client, plan), "the plan's interval Tuesdays carry heavy sessions"
    text = save(client, plan, **{"every-tue": "easy"})
    assert text.endswith(";tue=e")
    assert heavy_tuesdays(client, plan) == set()
    page = client.get(local(plan["manage_url"])).text
    assert "your choice for every Tuesday" in page
    assert re.search(r'<option value="easy" selected>Easy run</option>', page)
    # One Tuesday the runner does run intervals: that date outranks the weekday.
    text = save(client, plan, **{"every-tue": "easy", f"day-{TUESDAY}": "hard"})
    assert text.endswith(";tue=e;+8=h")
    assert heavy_tuesdays(client, plan) <= {TUESDAY}
    kinds = dict(_kinds(text))
    assert kinds[TUESDAY] == "h" and kinds[date(2027, 1, 12)] == "e"


def _kinds(text: str) -> list[tuple[date, str]]:
    days = parse_days(text)
    return [(day, LETTERS[kind]) for day, kind in days.run_days()]


def test_undo_one_correction_keeps_the_others(client: FlaskClient) -> None:
    plan = created(client)
    save(client, plan, **{"every-tue": "easy"})
    text = save(client, plan, **{"every-tue": "easy", f"day-{TUESDAY}": "rest"})
    manage = local(plan["manage_url"])
    page = client.get(manage).text
    assert "Your corrections" in page and "Every Tuesday: Easy run" in page
    assert 'value="day:2027-01-05"' in page and 'value="every:tue"' in page
    token = form_token(page)
    undone = client.post(
        f"{manage}/running-plan/undo", data={"csrf_token": token, "undo": "day:2027-01-05"}
    )
    assert undone.status_code == 303
    after = str((client.get(local(plan["api_url"])).json or {})["plan"]["running_plan_days"])
    assert after == text.removesuffix(";+8=r")
    assert dict(_kinds(after))[TUESDAY] == "e"
    client.post(f"{manage}/running-plan/undo", data={"csrf_token": token, "undo": "every:tue"})
    final = str((client.get(local(plan["api_url"])).json or {})["plan"]["running_plan_days"])
    assert ";" not in final and dict(_kinds(final))[TUESDAY] == "h"


def test_an_unreadable_undo_or_weekday_kind_is_a_400(client: FlaskClient) -> None:
    plan = created(client)
    manage = local(plan["manage_url"])
    token = form_token(client.get(manage).text)
    for undo in ("", "day:2027-02-30", "every:someday", "all"):
        response = client.post(
            f"{manage}/running-plan/undo", data={"csrf_token": token, "undo": undo}
        )
        assert response.status_code == 400 and "Undo takes one correction" in response.text
    page = client.get(manage).text
    shown = re.search(r'name="running_plan_days" value="([^"]+)"', page)
    assert shown
    data = {
        "csrf_token": token,
        "revision": "0",
        "running_plan_days": shown[1],
        "every-tue": "sprint",
        "action": "save",
    }
    response = client.post(f"{manage}/running-plan", data=data)
    assert response.status_code == 400 and "every Tuesday must be one of" in response.text


def test_a_correction_that_leaves_a_session_unplaced_says_so(client: FlaskClient) -> None:
    plan = created(client)
    manage = local(plan["manage_url"])
    save(client, plan, **{f"day-{TUESDAY}": "easy"})
    said = notices(client.get(manage).text)
    # Week 2 keeps one hard day, Thursday: its second heavy session finds no day.
    assert any(
        n.startswith("Week 2: Foundation Strength B (leg-heavy session) did not fit.") for n in said
    )
    assert any(n.endswith("Its week below says why each day could not take it.") for n in said)
    assert "Tue 5 Jan: not a hard run day" in client.get(manage).text
    # Saving again changes nothing new, so nothing more is said.
    save(client, plan)
    assert not any("did not fit" in n for n in notices(client.get(manage).text))


def notices(page: str) -> list[str]:
    """The one-time messages at the top of the page."""
    return re.findall(r'<p class="notice notice-success" role="status">([^<]*)</p>', page)
