"""Move, skip and pause through the API and the manage page: UIDs kept, SEQUENCE raised."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import icalendar
import pytest
from flask.testing import FlaskClient
from test_manage_pages import form_token
from test_subscriptions import create, fetch, local, patch, sequence

# Training Mon, Wed, Fri from today (pinned 25 Nov 2026); week-01 runs from Mon 28 Dec.
MARATHON = {"distance": "marathon", "start": "2026-11-25", "days": ["mon", "wed", "fri"]}
HEAVY_A = "week-01/foundation-strength-a/1"  # Wed 30 Dec


def start(event: icalendar.Event) -> date:
    return event.decoded("DTSTART")  # type: ignore[no-any-return]


def on(feed: dict[str, icalendar.Event], day: date, words: str) -> str:
    return next(uid for uid, e in feed.items() if start(e) == day and words in str(e["SUMMARY"]))


def new_plan(client: FlaskClient) -> dict[str, Any]:
    return create(client, race="2027-04-18", **MARATHON)


def test_a_moved_session_keeps_its_uid_and_gets_a_higher_sequence(
    store_client: FlaskClient,
) -> None:
    plan = new_plan(store_client)
    before = fetch(store_client, plan)
    uid = on(before, date(2026, 12, 30), "Foundation Strength A")
    response = patch(store_client, plan, move={"slot": HEAVY_A, "to": "2026-12-31"})
    assert response.status_code == 200, response.json
    assert response.json and response.json["plan"]["adjust"] == f"move:{HEAVY_A}:2026-12-31"
    after = fetch(store_client, plan)
    assert start(after[uid]) == date(2026, 12, 31)
    assert sequence(after[uid]) == sequence(before[uid]) + 1
    told = [e for e in after.values() if "moved from Wed 30 Dec" in str(e["DESCRIPTION"])]
    assert told, "the week's overview says what changed"


def test_a_skip_removes_that_event_only(store_client: FlaskClient) -> None:
    plan = new_plan(store_client)
    before = fetch(store_client, plan)
    uid = on(before, date(2027, 1, 4), "Banded Hip Abductors")
    slot = "week-02/hip-abductor-strength/1"
    assert patch(store_client, plan, skip={"slot": slot}).status_code == 200
    after = fetch(store_client, plan)
    assert set(before) - set(after) == {uid}
    assert set(after) <= set(before)


def test_a_pause_empties_its_days(store_client: FlaskClient) -> None:
    plan = new_plan(store_client)
    response = patch(store_client, plan, pause={"from": "2027-01-11", "days": 3})
    assert response.status_code == 200, response.json
    paused = {date(2027, 1, 11), date(2027, 1, 12), date(2027, 1, 13)}
    sessions = [e for e in fetch(store_client, plan).values() if "Strength" in e["CATEGORIES"].cats]
    assert not [e for e in sessions if start(e) in paused]
    assert any(start(e) == date(2027, 1, 15) for e in sessions)


@pytest.mark.parametrize(
    ("body", "status", "field", "says"),
    [
        ({"move": {"slot": HEAVY_A, "to": "2027-01-02"}}, 422, "move", "the day before your long"),
        (
            {"move": {"slot": HEAVY_A, "to": "2027-01-05"}},
            422,
            "move",
            "outside the session's week",
        ),
        ({"move": {"slot": "week-01/nothing/1", "to": "2026-12-31"}}, 422, "move", "no session"),
        (
            {"move": {"slot": "lead-04/base-maintenance/1", "to": "2026-11-24"}},
            422,
            "move",
            "has passed",
        ),
        ({"move": {"slot": HEAVY_A}}, 400, "move", '"to": "YYYY-MM-DD"'),
        ({"move": {"slot": HEAVY_A, "to": "2027-02-30"}}, 400, "move", "a real calendar date"),
        ({"pause": {"from": "2027-01-11", "days": 99}}, 400, "pause", "1 to 56"),
        ({"skip": "week-01/x/1"}, 400, "skip", '{"slot": "<session>"}'),
        ({"adjust": "moved:everything"}, 400, "adjust", "move:<session>:YYYY-MM-DD"),
        ({"adjust": f"move:{HEAVY_A}:2027-01-02"}, 422, "adjust", "the day before your long"),
    ],
)
def test_bad_changes_are_refused_naming_the_field(
    store_client: FlaskClient, body: dict[str, Any], status: int, field: str, says: str
) -> None:
    plan = new_plan(store_client)
    response = store_client.patch(local(plan["api_url"]), json=body)
    assert response.status_code == status
    assert response.json and response.json["field"] == field
    assert says in response.json["error"]


def test_the_manage_page_moves_skips_and_undoes(store_client: FlaskClient) -> None:
    plan = new_plan(store_client)
    manage = local(plan["manage_url"])
    page = store_client.get(manage)
    assert "When the week doesn't go to plan" in page.text
    slot = re.search(r'name="slot" value="([^"]+)"', page.text)
    assert slot, "the coming week's sessions each have a form"
    token = form_token(page)
    moved = store_client.post(f"{manage}/adjust/skip", data={"csrf_token": token, "slot": slot[1]})
    assert moved.status_code == 303
    page = store_client.get(manage)
    assert "skipped at your request" in page.text
    refused = store_client.post(
        f"{manage}/adjust/move",
        data={"csrf_token": token, "slot": HEAVY_A, "to": "2027-01-02"},
    )
    assert refused.status_code == 422
    assert "the day before your long run" in refused.text
    cleared = store_client.post(f"{manage}/adjust-clear", data={"csrf_token": token})
    assert cleared.status_code == 303
    assert "at your request" not in store_client.get(manage).text
