"""Undo one move, skip or pause from the manage page; the others stay, and so does the bulk undo."""

from __future__ import annotations

from datetime import date

from flask.testing import FlaskClient
from test_adjust_api import HEAVY_A, new_plan, on, start
from test_manage_pages import form_token
from test_subscriptions import fetch, local, patch

SKIPPED = "week-02/hip-abductor-strength/1"  # Mon 4 Jan


def test_undoing_one_skip_keeps_the_move_and_brings_the_event_back(
    store_client: FlaskClient,
) -> None:
    plan = new_plan(store_client)
    before = fetch(store_client, plan)
    moved_uid = on(before, date(2026, 12, 30), "Foundation Strength A")
    skipped_uid = on(before, date(2027, 1, 4), "Banded Hip Abductors")
    assert patch(store_client, plan, move={"slot": HEAVY_A, "to": "2026-12-31"}).status_code == 200
    assert patch(store_client, plan, skip={"slot": SKIPPED}).status_code == 200
    manage = local(plan["manage_url"])
    page = store_client.get(manage)
    # Each change is listed in words with an Undo button of its own, and the bulk undo stays.
    assert "Foundation Strength A, week 5: moved from Wed 30 Dec to Thu 31 Dec" in page.text
    assert "Banded Hip Abductors, week 6 on Mon 4 Jan: skipped" in page.text
    assert f'name="item" value="skip:{SKIPPED}"' in page.text
    assert "Undo all my changes" in page.text
    undone = store_client.post(
        f"{manage}/adjust-undo", data={"csrf_token": form_token(page), "item": f"skip:{SKIPPED}"}
    )
    assert undone.status_code == 303
    after = fetch(store_client, plan)
    assert skipped_uid in after and start(after[skipped_uid]) == date(2027, 1, 4)
    assert start(after[moved_uid]) == date(2026, 12, 31)
    stored = store_client.get(local(plan["api_url"])).json or {}
    assert stored["plan"]["adjust"] == f"move:{HEAVY_A}:2026-12-31"


def test_undoing_a_pause_frees_nothing_else(store_client: FlaskClient) -> None:
    plan = new_plan(store_client)
    assert patch(store_client, plan, skip={"slot": SKIPPED}).status_code == 200
    assert patch(store_client, plan, pause={"from": "2027-01-11", "days": 7}).status_code == 200
    manage = local(plan["manage_url"])
    page = store_client.get(manage)
    assert "Paused from Mon 11 Jan to Sun 17 Jan (7 days)" in page.text
    token = form_token(page)
    data = {"csrf_token": token, "item": "pause:2027-01-11+7"}
    assert store_client.post(f"{manage}/adjust-undo", data=data).status_code == 303
    stored = store_client.get(local(plan["api_url"])).json or {}
    assert stored["plan"]["adjust"] == f"skip:{SKIPPED}"
    # Undoing it again (a second click) changes nothing and says so plainly.
    assert store_client.post(f"{manage}/adjust-undo", data=data).status_code == 303


def test_an_unreadable_undo_is_a_400_on_the_page(store_client: FlaskClient) -> None:
    plan = new_plan(store_client)
    manage = local(plan["manage_url"])
    token = form_token(store_client.get(manage))
    for item in ("", "everything", f"skip:{SKIPPED};pause:2027-01-11+7"):
        response = store_client.post(
            f"{manage}/adjust-undo", data={"csrf_token": token, "item": item}
        )
        assert response.status_code == 400
        assert 'id="adjust-error"' in response.text
