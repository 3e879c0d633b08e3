"""A managed plan in a real browser: create it from the plan page, change it, keep the feed URL.

The fixtures and the runner's common moves are in browser.py.
"""

from __future__ import annotations

import urllib.request
from datetime import date, timedelta
from typing import Any

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
)
from icscheck import parse_both
from playwright.sync_api import Page, expect

from feeds.pages import long_date
from feeds.schedule import monday_of

WEEK = timedelta(days=7)


def create_managed(
    page: Page, site: str, distance: str = "half-marathon", start: date | None = None
) -> tuple[str, str]:
    """Preview a plan, make it changeable, and read the feed and manage URLs it shows."""
    race = start + timedelta(weeks=15, days=6) if start else RACE_16
    show_plan(page, site, distance, race, start)
    page.get_by_role("button", name="Create a plan I can change").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("plan is ready")
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
    expect(page.get_by_role("heading", name="Save your manage link now")).to_be_visible()
    page.get_by_role("button", name="Copy manage link").click()
    expect(page.locator("#manage-copy-status")).to_contain_text("Manage link copied")
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
    expect(page.get_by_role("heading", level=2, name="You are in week 5 of 16")).to_be_visible()
    page.screenshot(path=ARTIFACTS / f"created-{label}.png", full_page=True)
    page.goto(manage)
    expect(page.locator("#week-5")).to_contain_text("This week")
    page.screenshot(path=ARTIFACTS / f"manage-{label}.png", full_page=True)
    assert (ARTIFACTS / f"manage-{label}.png").stat().st_size > 10_000
