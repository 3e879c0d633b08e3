"""The public pages in a real browser: Playwright drives Debian's headless chromium against the app.

The fixtures and the runner's common moves are in browser.py.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

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

from feeds.plans import DISTANCE_NAMES, DISTANCES, Library


@pytest.mark.parametrize("distance", DISTANCES)
def test_each_distance_is_one_tap_from_home(
    page: Page, site: str, library: Library, distance: str
) -> None:
    page.goto(site)
    cards = page.get_by_role("region", name="Or read a program first")
    link = page.get_by_role("link", name=DISTANCE_NAMES[distance], exact=True)
    card = cards.get_by_role("listitem").filter(has=link)
    expect(card).to_have_count(1)
    card.click()  # anywhere on the card: the link covers it
    expect(page).to_have_url(f"{site}/plans/{distance}")
    expect(page.get_by_role("heading", level=1)).to_have_text(library.programs[distance].name)


def test_the_form_gives_a_dated_16_week_preview(page: Page, site: str) -> None:
    show_plan(page, site)
    expect(page.locator("li.week[id^=week-]")).to_have_count(16)
    expect(page.get_by_text("You have the full 16 weeks")).to_be_visible()
    query = parse_qs(urlsplit(page.url).query)
    assert query["race"] == [RACE_16.isoformat()] and query["start"] == [TODAY.isoformat()]
    assert urlsplit(page.url).fragment == "result"


def test_time_zone_comes_from_the_browser(page: Page, site: str) -> None:
    page.goto(f"{site}/plans/10k")
    page.get_by_text("More options").click()
    expect(page.locator(".timed-fields")).to_be_hidden()
    page.get_by_label("At a set time of day").check()
    expect(page.locator("#tz-input")).to_have_value("Europe/Berlin")
    page.fill("#race-input", RACE_16.isoformat())
    page.get_by_role("button", name="Show my plan").click()
    expect(page.locator(".summary")).to_contain_text("starting at 07:00 (Europe/Berlin)")


def test_a_too_late_race_date_is_explained_next_to_the_field(page: Page, site: str) -> None:
    show_plan_error = TODAY + timedelta(days=400)
    page.goto(f"{site}/plans/marathon")
    page.fill("#race-input", show_plan_error.isoformat())
    page.get_by_role("button", name="Show my plan").click()
    expect_error_above(page, "race", "more than a year away")
    expect(page.locator("section#result")).to_have_count(0)


def subscribe_hrefs(page: Page) -> dict[str, str]:
    links = page.locator("[data-client]")
    return {
        str(links.nth(i).get_attribute("data-client")): str(links.nth(i).get_attribute("href"))
        for i in range(links.count())
    }


def test_download_gives_a_calendar_that_parses(page: Page, site: str) -> None:
    show_plan(page, site, "ultra")
    page.get_by_text("Other ways: a feed URL").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Just the file (won't update)").click()
    download = info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = parse_both(Path(download.path()).read_bytes())
    assert len(calendar.events) > 16


def test_copy_button_puts_the_feed_link_on_the_clipboard(page: Page, site: str) -> None:
    show_plan(page, site, "10k")
    page.get_by_text("Other ways: a feed URL").click()
    page.get_by_role("button", name="Copy link").first.click()
    expect(page.locator(".copy-status")).to_contain_text("Link copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#feed-link").input_value()


def test_the_form_can_be_completed_with_the_keyboard_alone(page: Page, site: str) -> None:
    page.goto(f"{site}/plans/marathon")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    submit_by_keyboard(page, RACE_16, "Show my plan")
    expect(page.locator("li.week[id^=week-]")).to_have_count(16)
    assert parse_qs(urlsplit(page.url).query)["days"] == ["tue"]


def test_live_preview_follows_the_form(page: Page, site: str) -> None:
    show_plan(page, site, "10k")
    page.select_option("#long-input", "sat")
    expect(page.locator(".live-status")).to_have_text("Plan updated below.")
    assert parse_qs(urlsplit(page.url).query)["long"] == ["sat"]
    expect(page.locator(".summary")).to_be_visible()


def test_the_page_works_without_javascript(page: Page, site: str) -> None:
    page.route("**/*.js", lambda route: route.abort())
    show_plan(page, site, "5k")
    expect(page.locator("li.week[id^=week-]")).to_have_count(16)
    expect(page.get_by_role("button", name="Copy link")).to_have_count(0)
    page.get_by_text("Other ways: a feed URL").click()
    expect(page.locator("#feed-link")).to_be_visible()


@pytest.mark.parametrize("width", [320, 375])
def test_phones_never_scroll_sideways(page: Page, site: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    show_plan(page, site, "half-marathon")
    urls = [site, f"{site}/plans/ultra", page.url, f"{site}/routines/hip-activation"]
    for url in urls:
        page.goto(url)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, (url, wide)


THEMES = ["light", "dark"]
SCREEN_SIZES = {"390": {"width": 390, "height": 844}, "1280": DESKTOP}


def page_kinds(site: str) -> dict[str, str]:
    """One URL per page kind this site serves to people."""
    late = TODAY + timedelta(days=400)
    return {
        "home": "/",
        "plan": "/plans/ultra",
        "preview": f"/plans/marathon?race={RACE_16 - timedelta(weeks=3)}&start={TODAY}",
        "error": f"/plans/ultra?race={late}",
        "routine": "/routines/lunge-matrix",
        "about": "/about",
        "missing": "/plans/mile",
    }


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", [DESKTOP, PHONE])
def test_axe_finds_no_accessibility_violations(
    page: Page, site: str, size: Any, theme: Any
) -> None:
    """Labels, landmarks, headings, names, contrast: axe-core's WCAG rules, in both themes."""
    page.set_viewport_size(size)
    page.emulate_media(color_scheme=theme)
    for kind, path in page_kinds(site).items():
        page.goto(site + path)
        results = Axe().run(page)
        assert results.violations_count == 0, (kind, theme, results.generate_report())


def test_the_dark_theme_follows_the_system_setting(page: Page, site: str) -> None:
    page.goto(site)
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert light == "rgb(250, 248, 243)" and dark == "rgb(15, 23, 27)"
    scheme = page.evaluate("getComputedStyle(document.documentElement).colorScheme")
    assert scheme == "dark"  # native date pickers and selects follow


def test_reduced_motion_keeps_cards_still(page: Page, site: str) -> None:
    page.emulate_media(reduced_motion="reduce")
    page.goto(site)
    card = page.locator(".card").first
    card.hover()
    assert page.evaluate("getComputedStyle(document.querySelector('.card')).transform") == "none"


def test_print_leaves_out_forms_buttons_and_navigation(page: Page, site: str) -> None:
    page.goto(f"{site}/plans/10k?race={RACE_16}")
    page.emulate_media(media="print", color_scheme="dark")
    for selector in ["#plan-form", ".subscribe", ".managed-offer", ".site-header", "button"]:
        expect(page.locator(selector).first).to_be_hidden()
    expect(page.locator("li.week").first).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") in (
        "rgb(255, 255, 255)",
        "rgba(0, 0, 0, 0)",
    )


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("width", list(SCREEN_SIZES))
def test_screenshots_of_every_page_kind(page: Page, site: str, width: str, theme: Any) -> None:
    """tests/artifacts/<kind>-<width>-<theme>.png, to be looked at after a visual change."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(SCREEN_SIZES[width])
    page.emulate_media(color_scheme=theme)
    for kind, path in page_kinds(site).items():
        page.goto(site + path)
        shot = ARTIFACTS / f"{kind}-{width}-{theme}.png"
        page.screenshot(path=shot, full_page=True)
        assert shot.stat().st_size > 10_000, shot
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= SCREEN_SIZES[width]["width"], (kind, wide)


def test_race_date_on_home_reaches_the_dated_plan_without_javascript(page: Page, site: str) -> None:
    page.route("**/*.js", lambda route: route.abort())
    page.goto(site)
    page.get_by_label("Marathon", exact=True).check()
    page.fill("#home-race-input", RACE_16.isoformat())
    page.get_by_role("button", name="Show my plan").click()
    expect(page).to_have_url(f"{site}/plans/marathon?race={RACE_16}#result")
    expect(page.locator("li.week[id^=week-]")).to_have_count(16)


def test_the_long_run_day_moves_the_day_before_note(page: Page, site: str) -> None:
    page.goto(f"{site}/plans/half-marathon")
    note = page.locator("#days-note")
    expect(note).to_have_text(re.compile(r"^Saturday is the day before your long run"))
    page.select_option("#long-input", "wed")
    expect(note).to_have_text(re.compile(r"^Tuesday is the day before your long run"))
    days = page.locator("#days-input")
    tuesday = days.get_by_label("Tuesday", exact=True)
    expect(tuesday).to_have_attribute("aria-describedby", "days-note")
    expect(days.get_by_label("Saturday", exact=True)).not_to_have_attribute(
        "aria-describedby", "days-note"
    )


def test_time_zone_suggestions_load_once_when_the_field_is_used(page: Page, site: str) -> None:
    zones = []
    page.on("request", lambda r: zones.append(r.url) if "time-zones.json" in r.url else None)
    page.goto(f"{site}/plans/10k")
    expect(page.locator("#zones option")).to_have_count(0)
    page.get_by_text("More options").click()
    page.get_by_label("At a set time of day").check()
    expect(page.locator("#zones option[value='Europe/Berlin']")).to_have_count(1)
    page.locator("#tz-input").focus()
    page.wait_for_timeout(200)
    assert len(zones) == 1 and "?v=" in zones[0]
