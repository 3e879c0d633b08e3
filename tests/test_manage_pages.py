"""The plan and manage pages as a runner uses them: forms, cross-site protection, one feed URL."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import segno
from flask.testing import FlaskClient
from freezegun import freeze_time
from icscheck import parse_both
from sqlalchemy import func, select
from tests_support import local, with_store
from werkzeug.test import TestResponse

from feeds import clock
from feeds.managed.store import subscriptions

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
    """Press Subscribe on the preview and follow the redirect to the new plan's page."""
    page = client.get(PREVIEW)
    fields = {"csrf_token": form_token(page), "race": "2027-04-18", "days": "tue,thu,sat", **extra}
    created = client.post("/plans/half-marathon/subscribe", data=fields)
    assert created.status_code == 303
    return client.get(created.headers["Location"])


def field_error(page: TestResponse, field: str) -> str:
    """The message standing next to a field, empty when there is none."""
    match = re.search(rf'<p class="field-error" id="{field}-error"[^>]*>([^<]*)</p>', page.text)
    assert match, f"the page must have a place for {field}'s error"
    return unescape(match[1])


def client_links(page: TestResponse) -> dict[str, str]:
    """The subscribe buttons' targets by calendar client."""
    found = re.findall(r'data-client="([\w-]+)" href="([^"]*)"', page.text)
    return {name: unescape(href) for name, href in found}


def qr_modules(text: str) -> list[str]:
    return re.findall(r'class="qrline"[^>]* d="([^"]+)"', text)


def uids(body: bytes) -> dict[str, str]:
    return {str(e["UID"]): str(e["DTSTART"].to_ical()) for e in parse_both(body).events}


def edit_form(client: FlaskClient, manage: str, **fields: Any) -> dict[str, Any]:
    """The manage page's edit form as a runner sends it, with `fields` filled in."""
    token = form_token(client.get(manage))
    return {"csrf_token": token, "distance": "half-marathon", "race": "2027-04-18", **fields}


def test_a_new_runner_changes_the_race_and_keeps_the_feed(store_client: FlaskClient) -> None:
    """The issue's definition of done, step by step."""
    preview = store_client.get(PREVIEW)
    assert ">Subscribe</button>" in preview.text
    created = create_from_page(store_client)
    assert created.status_code == 200
    assert "Your plan is saved: keep this link" in created.text
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
        running = store_client.get(manage).text
    assert '<p id="now-title">You are in week 4 of 16' in running
    assert '<progress max="16" value="4"' in running
    assert re.findall(r'<li class="week week-current" id="week-(\d+)"', running) == ["4"]
    assert re.findall(r'<tr class="grid-current" aria-current="date">', running)
    with freeze_time("2027-04-20"):
        assert "Race done" in store_client.get(manage).text
    page = store_client.get(manage)
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in page.headers["Cache-Control"]
    assert "Apple Calendar updates its events in place" in page.text
    assert "delete those events and import again" not in page.text  # the stateless feed's note


def test_this_week_marks_today_on_each_day_of_it(store_client: FlaskClient) -> None:
    """A running plan's current week is kept once for all plans like it (fragments.py), by
    where today falls in it: on Monday and on Wednesday of one week, today is marked on its own
    day (a test app also draws each kept week again and compares)."""
    manage = link(create_from_page(store_client), "manage")
    marked = []
    for day in ("2027-01-18", "2027-01-20", "2027-01-18"):
        with freeze_time(day):
            page = store_client.get(manage).text
        row = page.split('<tr class="grid-current" aria-current="date">')[1].split("</tr>")[0]
        cells = re.findall(r"<td class=\"([^\"]*)\"", row)
        assert len(cells) == 7
        marked.append([i for i, names in enumerate(cells) if "today" in names.split()])
    assert marked == [[0], [2], [0]]


@pytest.mark.parametrize("which", ["created", "manage"])
def test_the_subscribe_buttons_carry_the_managed_feed(
    store_client: FlaskClient, which: str
) -> None:
    created = create_from_page(store_client)
    feed, manage = link(created, "s"), link(created, "manage")
    page = created if which == "created" else store_client.get(manage)
    url = "https://plans.example.org" + feed
    links = client_links(page)
    assert links["apple"] == "webcal://plans.example.org" + feed
    for name in ("outlook-com", "microsoft-365"):
        assert parse_qs(urlsplit(links[name]).query)["url"] == [url]
    assert f'id="feed-link" class="feed-link" type="url" readonly value="{url}"' in page.text
    assert f'href="{url}?download=1" download' in page.text
    # The QR code opens the private manage page on a phone, and says it is private.
    target = "https://plans.example.org" + manage
    assert qr_modules(page.text) == qr_modules(segno.make(target, error="m").svg_inline())
    assert "Your private manage link." in page.text


def test_the_new_plan_s_link_is_shown_once_with_copy_and_email(store_client: FlaskClient) -> None:
    created = create_from_page(store_client)
    manage = "https://plans.example.org" + link(created, "manage")
    assert (
        f'id="manage-link" class="feed-link" type="url" readonly value="{manage}"' in created.text
    )
    assert re.search(
        r'<button [^>]*data-copy="manage-link"[^>]*>Copy your plan&#39;s link</button>',
        created.text,
    )
    assert "we cannot send it again" in created.text
    mailto = re.search(
        r'<a class="button" href="(mailto:[^"]+)">Email it to myself</a>', created.text
    )
    assert mailto and parse_qs(urlsplit(unescape(mailto[1])).query)["body"][0].endswith(
        manage + "\n"
    )
    # The calendar buttons come right after the banner on this first visit.
    assert created.text.index("keep-safe") < created.text.index('id="subscribe-title"')
    assert created.text.index('id="subscribe-title"') < created.text.index('id="today-title"')


def test_reloading_the_new_plan_s_page_never_makes_a_second_plan(
    store_client: FlaskClient, store_app: Any
) -> None:
    created = create_from_page(store_client)
    manage = link(created, "manage")
    reloaded = store_client.get(manage)
    assert reloaded.status_code == 200 and "keep this link" not in reloaded.text
    assert 'id="manage-link"' not in reloaded.text
    with store_app.extensions["store"].engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(subscriptions)).scalar() == 1


@pytest.mark.parametrize(
    ("agent", "primary"),
    [
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)", "apple"),
        ("Mozilla/5.0 (Linux; Android 15; Pixel 9)", "google"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "outlook-com"),
        ("Mozilla/5.0 (X11; Linux x86_64)", "other"),
    ],
)
def test_one_primary_calendar_button_for_the_device(
    store_client: FlaskClient, agent: str, primary: str
) -> None:
    manage = link(create_from_page(store_client), "manage")
    html = store_client.get(manage, headers={"User-Agent": agent}).text
    first = html.split('<div class="primary-client">')[1].split('<details class="other-clients">')[
        0
    ]
    others = html.split('<details class="other-clients">')[1].split("</details>")[0]
    if primary == "other":
        assert 'id="feed-link"' in first and "data-client" not in first
    else:
        assert f'data-client="{primary}"' in first
    assert first.count('class="button button-primary"') <= 1
    assert len(re.findall(r'<section class="client"', others)) == 3
    assert "Just the file (won't update)" in html


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
    assert same.status_code == 303


def test_a_bad_edit_shows_the_message_and_keeps_the_plan(store_client: FlaskClient) -> None:
    created = create_from_page(store_client)
    manage, feed = link(created, "manage"), link(created, "s")
    body = store_client.get(feed).data
    page = store_client.get(manage)
    fields = {"csrf_token": form_token(page), "distance": "half-marathon", "race": "2027-13-01"}
    refused = store_client.post(manage, data=fields)
    assert refused.status_code == 400
    assert field_error(refused, "race") == "Pick your race day in the date field."
    assert re.search(r'id="race-input"[^>]*aria-invalid="true"', refused.text)
    assert '<a href="#race-input">' in refused.text  # the summary at the top links to it
    assert 'value="2027-13-01"' in refused.text  # the runner's input is kept for correction
    assert store_client.get(feed).data == body
    unknown = store_client.post(manage, data={**fields, "race": "2027-04-25", "distance": "6k"})
    message = field_error(unknown, "distance")
    assert unknown.status_code == 400 and "choose 5K, 10K" in message and "6k" not in message


def test_every_wrong_field_of_the_edit_form_gets_its_message(store_client: FlaskClient) -> None:
    manage = link(create_from_page(store_client), "manage")
    fields = edit_form(
        store_client, manage, race="2028-04-18", days=["tue", "caturday"], when="timed"
    )
    refused = store_client.post(manage, data={**fields, "time": "07:00", "tz": "Mars/Base"})
    # Malformed fields (400) come before a well-formed but impossible race date (422).
    assert refused.status_code == 400
    assert "more than a year away" in field_error(refused, "race")
    assert field_error(refused, "days") == "Tick the days you can do strength work."
    assert "Enter your time zone as region and city" in field_error(refused, "tz")
    assert field_error(refused, "long") == "" and field_error(refused, "alarm") == ""
    # The summary names the fields and links to them; each message is printed once, by its field.
    summary = refused.text.partition('class="error-summary"')[2].partition("</div>")[0]
    links = re.findall(r'<li><a href="#(\w+)-input">([^<]+)</a></li>', summary)
    assert links == [("race", "Race date"), ("days", "Training days"), ("tz", "Time zone")]
    for field in ("race", "days", "tz"):
        assert refused.text.count(escape(field_error(refused, field))) == 1, field


def test_all_day_in_the_edit_form_drops_the_time(store_client: FlaskClient) -> None:
    manage = link(create_from_page(store_client), "manage")
    timed = {"when": "timed", "time": "06:30", "tz": "Europe/Berlin"}
    fields = edit_form(store_client, manage, revision="0", **timed)
    assert store_client.post(manage, data=fields).status_code == 303
    assert "starting at 06:30 (Europe/Berlin)" in store_client.get(manage).text
    # Without JavaScript the hidden time fields are still sent: the choice decides.
    all_day = {**fields, "revision": "1", "when": "allday"}
    assert store_client.post(manage, data=all_day).status_code == 303
    assert "as all-day events" in store_client.get(manage).text


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
    assert unconfirmed.status_code == 400 and "Tick the box" in field_error(unconfirmed, "confirm")
    deleted = store_client.post(f"{manage}/delete", data={"csrf_token": token, "confirm": "yes"})
    assert deleted.status_code == 200 and "nothing of it is kept" in deleted.text
    gone = store_client.get(manage)
    assert gone.status_code == 410 and "This is gone" in gone.text
    assert 'href="/plans/marathon"' in gone.text  # what to do next: start another plan
    assert store_client.get(new_feed).status_code == 410


@pytest.mark.parametrize("unlock", ["", "on"])
def test_the_create_form_stores_the_unlock_choice(store_client: FlaskClient, unlock: str) -> None:
    manage = link(create_from_page(store_client, unlock_weekly=unlock), "manage")
    page = store_client.get(manage).text
    assert ("Weeks unlock one at a time." in page) == (unlock == "on")


class _Form(HTMLParser):
    """What a browser sends for the edit form: a time picker drops a value it cannot show."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.select = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "select":
            self.select = a.get("name", "")
        elif tag == "option" and "selected" in a and self.select:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            value = a.get("value", "")
            if kind == "time" and not re.fullmatch(r"\d\d:\d\d", value):
                value = ""
            self.fields.append((a["name"], value))


def test_a_plan_timed_by_weekday_saves_unchanged_from_its_page(store_client: FlaskClient) -> None:
    body = {"distance": "10k", "race": "2027-04-18", "days": ["mon", "thu", "sat"]}
    body |= {"time": "07:00,thu:18:00", "tz": "Europe/London"}
    created = store_client.post("/api/subscriptions", json=body)
    assert created.status_code == 201, created.json
    manage = local(created.json["manage_url"])  # type: ignore[index]
    page = store_client.get(manage)
    assert 'value="07:00,thu:18:00"' in page.text and "a time per day such as" in page.text
    form = page.text.partition('<form id="manage-form"')[2]
    parser = _Form()
    parser.feed(form.partition("</form>")[0])
    fields: dict[str, list[str]] = {}
    for name, value in parser.fields:
        fields.setdefault(name, []).append(value)
    saved = store_client.post(manage, data=fields)
    assert saved.status_code == 303, field_error(saved, "time")
    stored = store_client.get(local(created.json["api_url"]))  # type: ignore[index]
    assert stored.json["plan"]["time"] == "07:00,thu:18:00"  # type: ignore[index]


def added_to(client: FlaskClient, calendar: str, agent: str = "") -> TestResponse:
    """Press "Add to <calendar>" on the preview: the form sends the calendar as `client`."""
    page = client.get(PREVIEW, headers={"User-Agent": agent})
    fields = {"csrf_token": form_token(page), "race": "2027-04-18", "client": calendar}
    created = client.post("/plans/half-marathon/subscribe", data=fields)
    assert created.status_code == 303
    return client.get(created.headers["Location"], headers={"User-Agent": agent})


@pytest.mark.parametrize(
    ("calendar", "button"), [("apple", "apple"), ("google", "google"), ("outlook", "outlook-com")]
)
def test_add_to_a_calendar_puts_its_button_first_and_focused_once(
    store_client: FlaskClient, store_app: Any, calendar: str, button: str
) -> None:
    # A laptop with no known calendar that pressed "Add to ...": the runner's word wins.
    created = added_to(store_client, calendar, "Mozilla/5.0 (X11; Linux x86_64)")
    first = created.text.split('<div class="primary-client">')[1].split("</section>")[0]
    assert re.search(
        rf'<a class="button button-primary" autofocus data-open-once data-client="{button}"', first
    )
    # The button is the first thing under the heading; the keep-this-link banner follows it.
    assert created.text.index("data-open-once") < created.text.index('id="save-title"')
    assert created.text.count("data-open-once") == 1
    assert f">{calendar}<" not in created.text  # the flashed choice is never shown as a notice
    reloaded = store_client.get(link(created, "manage"))
    assert "data-open-once" not in reloaded.text and "autofocus" not in reloaded.text
    with store_app.extensions["store"].engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(subscriptions)).scalar() == 1


def test_an_unknown_calendar_choice_is_a_plain_subscribe(store_client: FlaskClient) -> None:
    created = added_to(store_client, "lotus-notes")
    assert "data-open-once" not in created.text and "keep this link" in created.text
    assert created.text.index('id="save-title"') < created.text.index('id="subscribe-title"')


# "Add to Google Calendar" with a script: the same form, answered in JSON -----------------

JSON = {"Accept": "application/json"}


def plans_stored(app: Any) -> int:
    with app.extensions["store"].engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(subscriptions)).scalar_one())


def add_by_script(client: FlaskClient, calendar: str, **extra: str) -> TestResponse:
    """What plan.js sends for "Add to <calendar>": the create form's fields, asking for JSON."""
    fields = {"csrf_token": form_token(client.get(PREVIEW)), "race": "2027-04-18"}
    return client.post(
        "/plans/half-marathon/subscribe",
        data={"client": calendar, **fields, **extra},
        headers=JSON,
    )


def test_add_to_google_by_script_answers_the_new_plan_s_links(
    store_client: FlaskClient, store_app: Any
) -> None:
    answer = add_by_script(store_client, "google")
    assert answer.status_code == 201 and answer.json is not None
    assert set(answer.json) == {"manage_url", "feed_url", "open_url", "paste"}
    manage, feed = answer.json["manage_url"], answer.json["feed_url"]
    assert re.fullmatch(r"https://plans\.example\.org/manage/[\w-]+", manage)
    assert re.fullmatch(r"https://plans\.example\.org/s/[\w-]+\.ics", feed)
    # Google's page needs the feed URL pasted; its cid shortcut is unreliable (ics-clients F2).
    assert answer.json["open_url"] == "https://calendar.google.com/calendar/u/0/r/settings/addbyurl"
    assert answer.json["paste"] is True and answer.headers["Location"] == manage
    assert store_client.get(local(feed)).mimetype == "text/calendar"
    # The plan's page then shows the banner and Google's button first, as after the redirect.
    first = store_client.get(local(manage)).text
    assert "keep this link" in first and first.count("data-open-once") == 1
    assert 'data-open-once data-client="google"' in first
    again = store_client.get(local(manage)).text
    assert "keep this link" not in again and "data-open-once" not in again
    assert plans_stored(store_app) == 1


def test_add_to_outlook_by_script_opens_a_link_that_carries_the_feed(
    store_client: FlaskClient,
) -> None:
    answer = add_by_script(store_client, "outlook").json
    assert answer is not None and answer["paste"] is False
    opened = urlsplit(answer["open_url"])
    assert (opened.netloc, opened.path) == ("outlook.live.com", "/calendar/0/addfromweb")
    assert parse_qs(opened.query) == {"url": [answer["feed_url"]], "name": ["Half marathon"]}


def test_a_script_s_plan_stores_what_the_plain_form_stores(
    store_client: FlaskClient, store_app: Any
) -> None:
    def rows() -> dict[str, int]:
        with store_app.extensions["store"].engine.connect() as conn:
            tables = subscriptions.metadata.tables.values()
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in tables
            }

    add_by_script(store_client, "apple", days="tue,thu,sat")
    by_script = rows()
    create_from_page(store_client)
    assert rows() == {name: 2 * count for name, count in by_script.items()}
    assert by_script["subscriptions"] == 1


def test_a_script_s_request_still_needs_the_form_token(
    store_client: FlaskClient, store_app: Any
) -> None:
    form_token(store_client.get(PREVIEW))
    fields = {"race": "2027-04-18", "client": "google"}
    refused = store_client.post("/plans/half-marathon/subscribe", data=fields, headers=JSON)
    assert refused.status_code == 403 and "has expired" in refused.text
    elsewhere = add_by_script(store_client, "google", **{"csrf_token": "x" * 43})
    assert elsewhere.status_code == 403
    assert plans_stored(store_app) == 0


def test_a_script_s_bad_input_gets_the_plan_page_s_answer(
    store_client: FlaskClient, store_app: Any
) -> None:
    refused = add_by_script(store_client, "google", race="2027-13-01")
    # An HTML page, not JSON: plan.js then sends the form itself and the runner sees this page.
    assert refused.status_code == 400 and refused.mimetype == "text/html"
    assert plans_stored(store_app) == 0


def test_plans_from_scripts_and_plain_forms_share_the_creation_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The limiter's own clock must run: pin only the app's clock seam.
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 2))
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 2, 10, tzinfo=UTC))
    app = with_store(tmp_path, CREATE_LIMIT="2 per hour")
    client = app.test_client()
    assert add_by_script(client, "google").status_code == 201
    assert create_from_page(client).status_code == 200
    over = add_by_script(client, "google")
    assert over.status_code == 429 and "Too many plans" in over.text
    assert int(over.headers["Retry-After"]) > 0
    plain = client.post(
        "/plans/half-marathon/subscribe",
        data={"csrf_token": form_token(client.get(PREVIEW)), "race": "2027-04-18"},
    )
    assert plain.status_code == 429
    assert plans_stored(app) == 2
    app.extensions["store"].close()


@pytest.mark.parametrize(
    "accept", ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "*/*", ""]
)
def test_a_browser_s_own_form_post_still_redirects(store_client: FlaskClient, accept: str) -> None:
    fields = {"csrf_token": form_token(store_client.get(PREVIEW)), "race": "2027-04-18"}
    created = store_client.post(
        "/plans/half-marathon/subscribe",
        data={**fields, "client": "google"},
        headers={"Accept": accept} if accept else {},
    )
    assert created.status_code == 303 and created.headers["Location"].startswith("/manage/")
