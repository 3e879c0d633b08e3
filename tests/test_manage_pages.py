"""The plan and manage pages as a runner uses them: forms, cross-site protection, one feed URL."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from icscheck import parse_both
from werkzeug.test import TestResponse

PREVIEW = "/plans/half-marathon?race=2027-04-18&days=tue,thu,sat"


def form_token(page: TestResponse) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "the page must carry a form token"
    return match[1]


def link(page: TestResponse, kind: str) -> str:
    """The feed (/s/...) or manage (/manage/...) path shown on a page."""
    match = re.search(rf"https://plans\.example\.org(/{kind}/[A-Za-z0-9_-]+(?:\.ics)?)", page.text)
    assert match, f"the page must show a {kind} link"
    return match[1]


def create_from_page(client: FlaskClient, **extra: str) -> TestResponse:
    page = client.get(PREVIEW)
    fields = {"csrf_token": form_token(page), "race": "2027-04-18", "days": "tue,thu,sat", **extra}
    return client.post("/plans/half-marathon/subscribe", data=fields)


def uids(body: bytes) -> dict[str, str]:
    return {str(e["UID"]): str(e["DTSTART"].to_ical()) for e in parse_both(body).events}


def test_a_new_runner_changes_the_race_and_keeps_the_feed(store_client: FlaskClient) -> None:
    """The issue's definition of done, step by step."""
    preview = store_client.get(PREVIEW)
    assert "Create a plan I can change" in preview.text
    created = create_from_page(store_client)
    assert created.status_code == 201
    assert "Save your manage link now" in created.text
    feed, manage = link(created, "s"), link(created, "manage")
    assert "webcal://plans.example.org" + feed in created.text
    first = store_client.get(feed)
    page = store_client.get(manage)
    assert "starts in 32 days, on Sunday 27 December 2026" in page.text
    fields = {
        "csrf_token": form_token(page),
        "revision": "0",
        "distance": "half-marathon",
        "race": "2027-05-02",
        "days": ["tue", "thu", "sat"],
        "long": "sun",
    }
    with freeze_time("2026-11-26 12:00:00"):
        saved = store_client.post(
            manage, data=fields, headers={"Origin": "https://plans.example.org"}
        )
        assert saved.status_code == 303
        after = store_client.get(feed)
        # Inside the frozen day: a session signed "tomorrow" is refused once the clock goes back.
        assert "Saved." in store_client.get(manage).text
    before_uids, after_uids = uids(first.data), uids(after.data)
    assert set(after_uids) & set(before_uids)
    assert all(after_uids[u] != before_uids[u] for u in set(after_uids) & set(before_uids))
    assert b"SEQUENCE:1" in after.data and b"SEQUENCE:0" not in after.data


def test_the_manage_page_shows_where_the_runner_stands(store_client: FlaskClient) -> None:
    manage = link(create_from_page(store_client), "manage")
    with freeze_time("2027-01-20"):
        assert "You are in week 4 of 16" in store_client.get(manage).text
    with freeze_time("2027-04-20"):
        assert "Race done" in store_client.get(manage).text
    page = store_client.get(manage)
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in page.headers["Cache-Control"]
    assert "Apple Calendar and iCloud update the" in page.text
    assert "outlook.live.com/calendar/0/addfromweb?url=https%3A//plans.example.org/s/" in page.text


def test_forms_without_a_token_are_refused(store_client: FlaskClient) -> None:
    refused = store_client.post("/plans/half-marathon/subscribe", data={"race": "2027-04-18"})
    assert refused.status_code == 403
    manage = link(create_from_page(store_client), "manage")
    for path in (manage, f"{manage}/rotate", f"{manage}/delete"):
        assert store_client.post(path, data={"confirm": "yes"}).status_code == 403
    assert store_client.get(manage).status_code == 200


def test_forms_from_another_site_are_refused(store_client: FlaskClient) -> None:
    token = form_token(store_client.get(PREVIEW))
    for header in ({"Origin": "https://evil.example"}, {"Referer": "https://evil.example/x"}):
        response = store_client.post(
            "/plans/half-marathon/subscribe",
            data={"csrf_token": token, "race": "2027-04-18"},
            headers=header,
        )
        assert response.status_code == 403
    same = store_client.post(
        "/plans/half-marathon/subscribe",
        data={"csrf_token": token, "race": "2027-04-18"},
        headers={"Origin": "https://plans.example.org"},
    )
    assert same.status_code == 201


def test_a_bad_edit_shows_the_message_and_keeps_the_plan(store_client: FlaskClient) -> None:
    created = create_from_page(store_client)
    manage, feed = link(created, "manage"), link(created, "s")
    body = store_client.get(feed).data
    page = store_client.get(manage)
    fields = {"csrf_token": form_token(page), "distance": "half-marathon", "race": "2027-13-01"}
    refused = store_client.post(manage, data=fields)
    assert refused.status_code == 400
    assert "must be a real calendar date" in refused.text
    assert 'value="2027-13-01"' in refused.text  # the runner's input is kept for correction
    assert store_client.get(feed).data == body
    unknown = store_client.post(manage, data={**fields, "race": "2027-04-25", "distance": "6k"})
    assert unknown.status_code == 400 and "6k&#39; program. Choose one of" in unknown.text


def test_an_edit_from_an_outdated_page_answers_409(store_client: FlaskClient) -> None:
    manage = link(create_from_page(store_client), "manage")
    page = store_client.get(manage)
    fields = {"csrf_token": form_token(page), "revision": "0", "race": "2027-04-25"}
    assert store_client.post(manage, data=fields).status_code == 303
    stale = store_client.post(manage, data={**fields, "race": "2027-05-02"})
    assert stale.status_code == 409 and "changed since you read it" in stale.text


def test_rotating_and_deleting_from_the_page(store_client: FlaskClient) -> None:
    created = create_from_page(store_client)
    manage, old_feed = link(created, "manage"), link(created, "s")
    token = form_token(store_client.get(manage))
    assert store_client.post(f"{manage}/rotate", data={"csrf_token": token}).status_code == 303
    page = store_client.get(manage)
    new_feed = link(page, "s")
    assert new_feed != old_feed and "has a new URL" in page.text
    assert store_client.get(old_feed).status_code == 410
    unconfirmed = store_client.post(f"{manage}/delete", data={"csrf_token": token})
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.text
    deleted = store_client.post(f"{manage}/delete", data={"csrf_token": token, "confirm": "yes"})
    assert deleted.status_code == 200 and "nothing of it is kept" in deleted.text
    assert store_client.get(manage).status_code == 410
    assert store_client.get(new_feed).status_code == 410


@pytest.mark.parametrize("unlock", ["", "on"])
def test_the_create_form_stores_the_unlock_choice(store_client: FlaskClient, unlock: str) -> None:
    manage = link(create_from_page(store_client, unlock_weekly=unlock), "manage")
    page = store_client.get(manage).text
    assert ("Weeks unlock one at a time." in page) == (unlock == "on")
