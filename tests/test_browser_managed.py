"""A managed plan in a real browser: create it from the plan page, change it, keep the feed URL.

The fixtures and the runner's common moves are in browser.py.
"""

from __future__ import annotations

import re
import urllib.request
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from axe_playwright_python.sync_playwright import Axe
from browser import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    RACE_16,
    TODAY,
    expect_error_above,
    show_plan,
    submit_by_keyboard,
    tab_until,
)
from flask import Flask
from icscheck import parse_both
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from feeds.dates import long_date
from feeds.managed.store import subscriptions
from feeds.schedule import monday_of

WEEK = timedelta(days=7)


def create_managed(
    page: Page, site: str, distance: str = "half-marathon", start: date | None = None
) -> tuple[str, str]:
    """Preview a plan, press Subscribe, and read the feed and manage URLs its page shows."""
    race = start + timedelta(weeks=15, days=6) if start else RACE_16
    show_plan(page, site, distance, race, start)
    page.get_by_role("button", name="Subscribe", exact=True).first.click()
    expect(page.get_by_role("heading", name="Your plan is saved: keep this link")).to_be_visible()
    return page.locator("#feed-link").input_value(), page.locator("#manage-link").input_value()


def read_feed(url: str) -> dict[str, icalendar.Event]:
    """The feed as a calendar app fetches it, by UID."""
    with urllib.request.urlopen(url) as response:
        return {str(e["UID"]): e for e in parse_both(response.read()).events}


def test_a_moved_race_moves_the_same_events_in_the_same_feed(page: Page, site: str) -> None:
    feed, manage = create_managed(page, site)
    assert feed.startswith(f"{site}/s/") and manage.startswith(f"{site}/manage/")
    before = read_feed(feed)
    page.goto(manage)
    # The plan page stored today as the start: the runner moves both dates a week, so the plan
    # keeps its 16 weeks and every event should land exactly seven days later.
    page.get_by_label("Race date").fill((RACE_16 + WEEK).isoformat())
    page.get_by_label("Start date").fill((TODAY + WEEK).isoformat())
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    expect(page.locator(".summary")).to_contain_text(long_date(RACE_16 + WEEK))
    after = read_feed(feed)
    assert set(after) == set(before)
    sessions = [uid for uid, e in after.items() if "Strength" in e["CATEGORIES"].cats]
    assert len(sessions) > 16
    for uid, event in after.items():
        assert event["DTSTART"].dt - before[uid]["DTSTART"].dt == WEEK, event["SUMMARY"]
        assert int(event["SEQUENCE"]) > int(before[uid]["SEQUENCE"]), event["SUMMARY"]


def test_the_created_page_copies_the_manage_link(page: Page, site: str) -> None:
    _, manage = create_managed(page, site, "10k")
    page.get_by_role("button", name="Copy your plan's link").click()
    expect(page.locator("#manage-copy-status")).to_contain_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == manage
    # The feed's own copy button still reports next to the feed link, with its own message.
    page.get_by_role("button", name="Copy link").first.click()
    expect(page.locator("#feed-copy-status")).to_contain_text("Paste it into your calendar app")
    feed = page.locator("#feed-link").input_value()
    assert page.evaluate("navigator.clipboard.readText()") == feed


def test_the_edit_form_can_be_saved_with_the_keyboard_alone(page: Page, site: str) -> None:
    _, manage = create_managed(page, site, "marathon")
    page.goto(manage)
    later = RACE_16 + WEEK
    # The form sits below the plan: the page's own contents list leads there.
    tab_until(page, lambda el: el[1] == "Change your plan")
    page.keyboard.press("Enter")
    submit_by_keyboard(page, later, "Save changes")
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    summary = page.locator(".summary")
    expect(summary).to_contain_text(f"Race day: {long_date(later)}")
    expect(summary).to_contain_text("Strength days: Tuesday")


def test_a_set_time_of_day_takes_the_browser_s_zone(page: Page, site: str) -> None:
    _, manage = create_managed(page, site, "5k")
    page.goto(manage)
    expect(page.locator(".timed-fields")).to_be_hidden()
    page.get_by_label("At a set time of day").check()
    expect(page.locator("#tz-input")).to_have_value("Europe/Berlin")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".summary")).to_contain_text("starting at 07:00 (Europe/Berlin)")


def test_a_wrong_date_is_explained_next_to_its_field(page: Page, site: str) -> None:
    _, manage = create_managed(page, site, "ultra")
    page.goto(manage)
    page.get_by_label("Race date").fill((TODAY + timedelta(days=400)).isoformat())
    page.get_by_role("button", name="Save changes").click()
    expect_error_above(page, "race", "more than a year away")
    page.locator(".error-summary").get_by_role("link").click()
    expect(page.locator("#race-input")).to_be_focused()


@pytest.mark.parametrize("width", [320, 375])
def test_managed_pages_never_scroll_sideways_on_phones(page: Page, site: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    _, manage = create_managed(page, site, "half-marathon")
    created = page.evaluate("document.documentElement.scrollWidth")
    page.goto(manage)
    managing = page.evaluate("document.documentElement.scrollWidth")
    assert created <= width and managing <= width, (created, managing)


@pytest.mark.parametrize("size", [DESKTOP, PHONE])
def test_axe_finds_no_violations_on_managed_pages(page: Page, site: str, size: Any) -> None:
    page.set_viewport_size(size)
    _, manage = create_managed(page, site, "marathon")
    results = Axe().run(page)
    assert results.violations_count == 0, ("created", results.generate_report())
    page.goto(manage)
    results = Axe().run(page)
    assert results.violations_count == 0, ("manage", results.generate_report())
    page.get_by_label("Race date").fill((TODAY + timedelta(days=400)).isoformat())
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".error-summary")).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, ("manage with an error", results.generate_report())


@pytest.mark.parametrize(("label", "size"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_of_created_and_manage(page: Page, site: str, label: str, size: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(size)
    # A plan that started four weeks ago, so this week stands out in both pages.
    _, manage = create_managed(page, site, "marathon", monday_of(TODAY) - 4 * WEEK)
    expect(page.locator("#now-title")).to_contain_text("You are in week 5 of 16")
    page.screenshot(path=ARTIFACTS / f"created-{label}.png", full_page=True)
    page.goto(manage)
    expect(page.locator("#week-5")).to_contain_text("This week")
    page.screenshot(path=ARTIFACTS / f"manage-{label}.png", full_page=True)
    assert (ARTIFACTS / f"manage-{label}.png").stat().st_size > 10_000


IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari/605.1.15"
PHONE_390 = {"width": 390, "height": 844}


def as_device(page: Page, agent: str) -> None:
    """Send `agent` on every request and show it to scripts, as a real device does.

    Extra HTTP headers are not enough: chromium drops them on the GET after a redirect, so the
    plan's page (reached by 303 after Subscribe) saw headless chromium's Linux header and guessed
    "other" (issue 10). The browser's own override covers redirects and navigator.userAgent.
    """
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setUserAgentOverride", {"userAgent": agent})


def stored_plans(app: Flask) -> int:
    with app.extensions["store"].engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(subscriptions)).scalar() or 0)


def is_webcal(request: Any) -> bool:
    return bool(request.url.startswith("webcal://"))


@pytest.mark.parametrize(
    ("label", "agent", "size", "button"),
    [
        ("phone", IPHONE, PHONE_390, ".sticky-subscribe button"),
        ("laptop", MAC, DESKTOP, "#create-form button[name=client]"),
    ],
)
def test_from_home_to_apple_calendar_s_subscribe_dialog_in_four_taps(
    page: Page, site: str, site_app: Flask, label: str, agent: str, size: Any, button: str
) -> None:
    """The issue's measure: race date on home, the plan, "Add to Apple Calendar", and the
    calendar app's own subscribe dialog opens with no further tap on our pages."""
    page.set_viewport_size(size)
    as_device(page, agent)
    opened: list[str] = []
    page.on("request", lambda request: opened.append(request.url) if is_webcal(request) else None)
    before = stored_plans(site_app)
    page.goto(site)
    taps = 0
    page.get_by_label("Half marathon", exact=True).check()
    taps += 1
    page.fill("#home-race-input", RACE_16.isoformat())
    taps += 1
    page.get_by_role("button", name="Show my plan").click()
    taps += 1
    add = page.locator(button)
    expect(add).to_have_text("Add to Apple Calendar")
    if label == "phone":
        expect(add).to_be_in_viewport()  # no scrolling needed on a phone
    add.scroll_into_view_if_needed()  # a laptop scrolls to it: a scroll, not a tap
    page.screenshot(path=ARTIFACTS / f"one-path-plan-{label}.png", full_page=False)
    with page.expect_request(is_webcal) as calendar:
        add.click()
        taps += 1
    expect(page).to_have_url(re.compile(rf"^{site}/manage/[A-Za-z0-9_-]+$"))
    apple = page.locator(".primary-client").get_by_role("link", name="Subscribe in Apple Calendar")
    expect(apple).to_be_focused()
    assert calendar.value.url == apple.get_attribute("href")
    assert taps <= 4 and stored_plans(site_app) == before + 1
    page.screenshot(path=ARTIFACTS / f"one-path-{label}.png", full_page=False)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    # Without a script the focused button is the first thing under the page's heading, and the
    # plan's private link (shown this once) follows it.
    tops = page.evaluate(
        "['.primary-client .button-primary', '#manage-link']"
        ".map(s => document.querySelector(s).getBoundingClientRect().top + window.scrollY)"
    )
    assert tops[0] < size["height"] / 2 and tops[0] < tops[1], tops
    expect(page.get_by_role("link", name="Email it to myself")).to_have_attribute(
        "href", re.compile(r"^mailto:\?")
    )
    # Reloading, or coming back to the page, neither stores a second plan nor reopens Calendar.
    page.reload()
    expect(page.locator(".keep-safe")).to_have_count(0)
    page.go_back()
    page.go_forward()
    page.wait_for_load_state("load")
    assert opened == [calendar.value.url] and stored_plans(site_app) == before + 1


def test_reloading_the_new_plan_s_page_makes_no_second_plan(
    page: Page, site: str, site_app: Flask
) -> None:
    before = stored_plans(site_app)
    _, manage = create_managed(page, site, "10k")
    assert page.url == manage and stored_plans(site_app) == before + 1
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your 10K strength plan")
    expect(page.locator(".keep-safe")).to_have_count(0)
    page.go_back()
    page.go_forward()
    expect(page).to_have_url(manage)
    assert stored_plans(site_app) == before + 1


def test_the_plan_page_opens_with_today_and_the_grid_in_week_5(page: Page, site: str) -> None:
    page.set_viewport_size(PHONE_390)
    # A plan that started four weeks ago: the server's today falls in its week 5.
    _, manage = create_managed(page, site, "marathon", monday_of(TODAY) - 4 * WEEK)
    page.goto(manage)
    card = page.locator(".today-card")
    box = card.bounding_box()
    assert box and box["y"] < PHONE_390["height"] / 2, box
    expect(card.get_by_role("heading")).to_have_text(re.compile(r"^(Today|Next session: )"))
    expect(card.get_by_role("link", name=re.compile("^Watch how"))).to_be_visible()
    expect(card.locator(".dose-list li").first).to_be_visible()
    expect(page.locator("#now-title")).to_contain_text("You are in week 5 of 16")
    expect(page.locator("progress")).to_have_attribute("value", "5")
    rows = page.locator(".plan-grid tbody tr")
    expect(rows).to_have_count(16)
    expect(page.locator(".plan-grid tr[aria-current=date] th")).to_contain_text("5")
    expect(page.locator(".plan-grid td.today")).to_have_count(1)
    expect(page.locator(".plan-grid td.heavy [aria-hidden]").first).to_have_text("H")
    expect(page.locator(".plan-grid td.heavy").first).to_contain_text(", heavy")
    expect(page.locator(".plan-grid td.light [aria-hidden]").first).to_have_text("L")
    for week in (1, 4):
        expect(page.locator(f"#week-{week} > details")).not_to_have_attribute("open", "")
    expect(page.locator("#week-5 > details")).to_have_attribute("open", "")
    order = page.evaluate(
        "['.today-card', '.plan-grid', '#schedule-title', '#edit-title']"
        ".map(s => document.querySelector(s).getBoundingClientRect().top)"
    )
    assert order == sorted(order), order


def test_the_dark_theme_covers_the_plan_page(page: Page, site: str) -> None:
    _, manage = create_managed(page, site, "5k", monday_of(TODAY) - 2 * WEEK)
    page.emulate_media(color_scheme="dark")
    page.goto(manage)
    surface = page.evaluate(
        "getComputedStyle(document.querySelector('.today-card')).backgroundColor"
    )
    body = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (surface, body) == ("rgb(23, 34, 40)", "rgb(15, 23, 27)")
    heavy = page.evaluate(
        "getComputedStyle(document.querySelector('.plan-grid td.heavy')).backgroundColor"
    )
    assert heavy == "rgb(143, 211, 223)"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_violations_on_the_new_plan_s_page(page: Page, site: str, theme: Any) -> None:
    page.set_viewport_size(PHONE_390)
    page.emulate_media(color_scheme=theme)
    _, manage = create_managed(page, site, "ultra", monday_of(TODAY) - 4 * WEEK)
    results = Axe().run(page)
    assert results.violations_count == 0, ("first visit", theme, results.generate_report())
    page.get_by_text("Other calendars").click()
    page.goto(manage)
    results = Axe().run(page)
    assert results.violations_count == 0, ("plan page", theme, results.generate_report())


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_of_the_plan_s_page(page: Page, site: str, width: int, theme: Any) -> None:
    """tests/artifacts/manage-{first,later}-<width>-<theme>.png, to be looked at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
    page.emulate_media(color_scheme=theme)
    _, manage = create_managed(page, site, "marathon", monday_of(TODAY) - 4 * WEEK)
    for kind in ("first", "later"):
        if kind == "later":
            page.goto(manage)
        shot = ARTIFACTS / f"manage-{kind}-{width}-{theme}.png"
        page.screenshot(path=shot, full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width


ANDROID = (
    "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/131.0.0.0 Mobile Safari/537.36"
)
GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/u/0/r/settings/addbyurl"


def stub_google(page: Page) -> list[str]:
    """Answer Google Calendar's pages with a stand-in (this machine has no internet); the URLs
    asked for, in order."""
    asked: list[str] = []

    def answer(route: Any) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>Google stand-in</title>")

    page.context.route("https://calendar.google.com/**", answer)
    return asked


def to_google_button(page: Page, site: str) -> Any:
    """Three taps on an Android phone: the distance, the race date, "Show my plan"."""
    page.set_viewport_size(PHONE_390)
    as_device(page, ANDROID)
    page.goto(site)
    page.get_by_label("Half marathon", exact=True).check()
    page.fill("#home-race-input", RACE_16.isoformat())
    page.get_by_role("button", name="Show my plan").click()
    add = page.locator(".sticky-subscribe button")
    expect(add).to_have_text("Add to Google Calendar")
    expect(add).to_be_in_viewport()
    return add


def test_from_home_to_google_calendar_s_add_page_in_four_taps_on_android(
    page: Page, site: str, site_app: Flask
) -> None:
    """The issue's measure for Google: the fourth tap stores the plan, copies its feed URL and
    opens Google's "From URL" page in a new tab; this tab shows the new plan's page."""
    asked = stub_google(page)
    before = stored_plans(site_app)
    add = to_google_button(page, site)  # three taps
    page.screenshot(path=ARTIFACTS / "one-path-google-plan-phone.png", full_page=False)
    page.evaluate("navigator.clipboard.writeText('something the runner copied before')")
    with page.context.expect_page() as opened:
        add.click()  # the fourth
    google = opened.value
    google.wait_for_load_state()
    assert google.url == GOOGLE_ADD_BY_URL and asked == [GOOGLE_ADD_BY_URL]
    expect(page).to_have_url(re.compile(rf"^{site}/manage/[A-Za-z0-9_-]+$"))  # no #copied left
    feed = page.locator("#feed-link").input_value()
    assert re.fullmatch(rf"{site}/s/[A-Za-z0-9_-]+\.ics", feed)
    assert page.evaluate("navigator.clipboard.readText()") == feed
    assert stored_plans(site_app) == before + 1
    button = page.locator(".primary-client").get_by_role("link", name=re.compile("^Copy link"))
    expect(button).to_be_focused()
    note = page.locator(".added-note")
    expect(note).to_have_text(
        "Your calendar link is copied, and Google Calendar is open in another tab."
    )
    expect(page.locator(".primary-client")).to_contain_text("Then paste the link there")
    expect(page.locator(".keep-safe")).to_be_visible()
    assert (note.bounding_box() or {"y": 9999})["y"] < PHONE_390["height"], "on the first screen"
    page.screenshot(path=ARTIFACTS / "one-path-google-phone.png", full_page=False)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    google.close()
    # A reload, Back and Forward: no second plan, no second tab, the banner and note gone.
    page.reload()
    expect(page.locator(".keep-safe")).to_have_count(0)
    expect(page.locator(".added-note")).to_have_count(0)
    page.go_back()
    page.go_forward()
    page.wait_for_load_state("load")
    assert stored_plans(site_app) == before + 1 and len(page.context.pages) == 2
    assert asked == [GOOGLE_ADD_BY_URL]


def test_a_double_tap_on_add_to_google_stores_one_plan(
    page: Page, site: str, site_app: Flask
) -> None:
    stub_google(page)
    add = to_google_button(page, site)
    before = stored_plans(site_app)
    with page.context.expect_page() as opened:
        add.dblclick()
    expect(page).to_have_url(re.compile(rf"^{site}/manage/"))
    opened.value.close()
    assert stored_plans(site_app) == before + 1 and len(page.context.pages) == 2


@pytest.mark.parametrize(
    "refusal",
    [
        "window.open = () => null",
        "navigator.clipboard.writeText = () => Promise.reject(new DOMException('no'))",
    ],
)
def test_a_refused_tab_or_clipboard_lands_on_the_plan_s_page_with_google_first(
    page: Page, site: str, site_app: Flask, refusal: str
) -> None:
    asked = stub_google(page)
    page.add_init_script(refusal)
    add = to_google_button(page, site)
    before = stored_plans(site_app)
    add.click()
    expect(page).to_have_url(re.compile(rf"^{site}/manage/[A-Za-z0-9_-]+$"))
    button = page.locator(".primary-client").get_by_role("link", name=re.compile("^Copy link"))
    expect(button).to_be_focused()
    expect(page.locator(".keep-safe")).to_be_visible()
    expect(page.locator(".added-note")).to_have_count(0)
    assert asked == [] and stored_plans(site_app) == before + 1


def test_an_expired_form_shows_its_page_not_a_half_added_plan(
    page: Page, site: str, site_app: Flask
) -> None:
    asked = stub_google(page)
    add = to_google_button(page, site)
    before = stored_plans(site_app)
    page.context.clear_cookies()  # the session, and with it the form's token, is gone
    add.click()
    expect(page.get_by_text("This form has expired")).to_be_visible()
    assert asked == [] and stored_plans(site_app) == before


WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36"
)


def test_add_to_outlook_opens_outlook_com_with_the_feed_in_one_tap(
    page: Page, site: str, site_app: Flask
) -> None:
    asked: list[str] = []

    def answer(route: Any) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>Outlook stand-in</title>")

    page.context.route("https://outlook.live.com/**", answer)
    as_device(page, WINDOWS)
    show_plan(page, site, "10k")
    before = stored_plans(site_app)
    with page.context.expect_page() as opened:
        page.locator("#create-form button[name=client]").click()
    opened.value.wait_for_load_state()
    expect(page).to_have_url(re.compile(rf"^{site}/manage/[A-Za-z0-9_-]+$"))
    feed = page.locator("#feed-link").input_value()
    target = urlsplit(asked[0])
    assert (target.netloc, target.path) == ("outlook.live.com", "/calendar/0/addfromweb")
    assert parse_qs(target.query)["url"] == [feed] and len(asked) == 1
    expect(page.locator(".added-note")).to_contain_text("Outlook is open in another tab")
    expect(page.locator(".primary-client [data-client=outlook-com]")).to_be_focused()
    opened.value.close()
    assert stored_plans(site_app) == before + 1
