"""A new runner in a real browser: give the running plan before subscribing, then correct a day.

The runner uploads their marathon plan's .ics on the plan page, subscribes, sees each date
classified on their plan's page, marks one interval Tuesday as an easy day, and the strength
session of that day moves in the same feed: same UID, SEQUENCE one higher. Screenshots at
390x844 and 1280x900 land in tests/artifacts/runplan-*.png, to be looked at.
"""

from __future__ import annotations

import urllib.request
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from axe_playwright_python.sync_playwright import Axe
from browser import ARTIFACTS, DESKTOP, RACE_16, TODAY, expect_error_above
from flask import Flask
from playwright.sync_api import Page, expect
from test_browser_managed import stored_plans

from feeds.schedule import first_monday

PHONE_390 = {"width": 390, "height": 844}
WEEK1 = first_monday(TODAY)
# Intervals on Tuesday, tempo on Thursday, long run on Sunday, easy runs between.
RUNS = {
    1: "Intervals 6x800m",
    2: "Easy run 8 km",
    3: "Tempo run 10 km",
    5: "Easy 6 km + strides",
    6: "Long run 24 km",
}


def running_plan(folder: Path) -> Path:
    """The runner's 16-week plan as their running app exports it: all-day events."""
    events = []
    for week in range(16):
        for offset, title in RUNS.items():
            day = WEEK1 + timedelta(weeks=week, days=offset)
            if day <= RACE_16:
                end = day + timedelta(days=1)
                events.append(
                    f"BEGIN:VEVENT\r\nUID:run-{day:%Y%m%d}@example.org\r\n"
                    "DTSTAMP:20261101T000000Z\r\n"
                    f"DTSTART;VALUE=DATE:{day:%Y%m%d}\r\nDTEND;VALUE=DATE:{end:%Y%m%d}\r\n"
                    f"SUMMARY:{title}\r\nEND:VEVENT\r\n"
                )
    path = folder / "my-marathon-plan.ics"
    text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//example//plan//EN\r\n"
    path.write_text(text + "".join(events) + "END:VCALENDAR\r\n")
    return path


def strength(url: str) -> dict[str, icalendar.Event]:
    """The feed's strength sessions by UID, as a calendar app fetches them."""
    with urllib.request.urlopen(url) as response:
        calendar = icalendar.Calendar.from_ical(response.read())
    return {
        str(e["UID"]): e
        for e in calendar.walk("VEVENT")
        if "Strength" in [str(c) for c in e["CATEGORIES"].cats]
    }


def day_of(event: icalendar.Event) -> date:
    start = event["DTSTART"].dt
    return start if not hasattr(start, "date") else start.date()


def heavy(event: icalendar.Event) -> bool:
    return "Heavy" in [str(c) for c in event["CATEGORIES"].cats]


def shot(page: Page, name: str, label: str, at: str | None = None) -> None:
    """One screen, scrolled to `at` (the pages are too tall to read whole)."""
    if at:
        page.locator(at).first.scroll_into_view_if_needed()
        page.evaluate(f"document.querySelector('{at}').scrollIntoView({{block: 'start'}})")
    page.screenshot(path=ARTIFACTS / f"runplan-{name}-{label}.png")


@pytest.mark.parametrize(("label", "size"), [("phone", PHONE_390), ("laptop", DESKTOP)])
def test_upload_subscribe_correct_a_day_and_the_session_moves(
    page: Page, site: str, tmp_path: Path, label: str, size: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(size)
    page.goto(f"{site}/plans/marathon")
    page.fill("#race-input", RACE_16.isoformat())
    page.get_by_role("button", name="Show my plan").click()
    offer = page.locator("#running-plan-create")
    offer.get_by_text("Follow a running plan?").click()
    expect(offer).to_contain_text("we read it when you subscribe")
    page.set_input_files("#running_plan_file-input", running_plan(tmp_path))
    offer.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / f"runplan-offer-{label}.png")
    results = Axe().run(page)
    assert results.violations_count == 0, ("plan page", results.generate_report())
    page.locator("#create-form").get_by_role("button", name="Subscribe", exact=True).click()

    expect(page.get_by_role("heading", name="Your plan is saved: keep this link")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="We read your running plan")).to_be_visible()
    shot(page, "created", label)
    page.get_by_role("link", name="check how each day was read").click()
    expect(page.locator("#running-plan-title")).to_be_in_viewport()
    feed = page.locator("#feed-link").input_value()
    before = strength(feed)
    heavy_days = sorted((day_of(e), uid) for uid, e in before.items() if heavy(e))
    assert heavy_days and all(d.weekday() in (1, 3) for d, _ in heavy_days), heavy_days
    # The first interval Tuesday that holds a heavy session, at least a week ahead.
    tuesday, uid = next(
        (d, u) for d, u in heavy_days if d.weekday() == 1 and d > TODAY + timedelta(days=7)
    )

    section = page.locator("#running-plan")
    select = page.locator(f"#day-{tuesday.isoformat()}")
    select.scroll_into_view_if_needed()
    expect(select).to_have_value("hard")
    row = section.locator("tr", has=select)
    # An upload is read once: the page keeps each date's kind, never the calendar's titles.
    expect(row.locator("td").last).to_have_text("")
    expect(page.locator("#running-plan-upload-note")).to_contain_text("not the titles")
    shot(page, "section", label, "#running-plan")
    shot(page, "classified", label, f"#day-{tuesday.isoformat()}")

    select.select_option("easy")
    section.get_by_role("button", name="Save my running plan").click()
    saved = page.get_by_role("status").filter(has_text="Saved your running plan's days")
    # The page comes back at the running plan, its message there, in view.
    expect(saved).to_be_in_viewport()
    page.screenshot(path=ARTIFACTS / f"runplan-saved-{label}.png")
    expect(page.locator(f"#day-{tuesday.isoformat()}")).to_have_value("easy")
    expect(page.locator("#running-plan-corrections + ul")).to_contain_text("Easy run")
    shot(page, "corrected", label, "#running-plan-corrections")
    shot(page, "every-week", label, "#running-plan-every")
    results = Axe().run(page)
    assert results.violations_count == 0, ("manage page", results.generate_report())

    after = strength(feed)
    gone = {u: (day_of(before[u]), str(before[u]["SUMMARY"])) for u in set(before) - set(after)}
    assert uid in after and set(after) <= set(before), gone
    assert day_of(after[uid]) != tuesday
    assert int(after[uid]["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1
    assert all(day_of(e) != tuesday for e in after.values() if heavy(e))


def test_one_skip_is_undone_on_its_own_and_the_list_reads_well(
    page: Page, site: str, tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(PHONE_390)
    page.goto(f"{site}/plans/marathon")
    page.fill("#race-input", RACE_16.isoformat())
    page.get_by_role("button", name="Show my plan").click()
    page.locator("#create-form").get_by_role("button", name="Subscribe", exact=True).click()
    expect(page.get_by_role("heading", name="Your plan is saved: keep this link")).to_be_visible()
    adjust = page.locator("section[aria-labelledby=adjust-title]")
    shot(page, "adjust", "phone", "#adjust-title")
    skips = adjust.get_by_role("button", name="Skip", exact=True)
    skips.nth(0).click()
    expect(page.get_by_role("status").filter(has_text="Skipped.")).to_be_in_viewport()
    page.locator("section[aria-labelledby=adjust-title]").get_by_role(
        "button", name="Skip", exact=True
    ).nth(0).click()
    changes = page.locator("#adjust-changes + .undo-list li")
    expect(changes).to_have_count(2)
    first = changes.nth(0).locator("span").inner_text()
    shot(page, "undo-list", "phone", "#adjust-changes")
    changes.nth(0).get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status").filter(has_text="Undone.")).to_be_in_viewport()
    expect(changes).to_have_count(1)
    expect(changes.nth(0)).not_to_contain_text(first)
    expect(page.get_by_role("button", name="Undo all my changes")).to_be_visible()


@pytest.mark.parametrize(("label", "size"), [("phone", PHONE_390), ("laptop", DESKTOP)])
@pytest.mark.parametrize("given", ["address", "file"])
def test_a_refused_running_plan_is_explained_beside_it_and_nothing_is_stored(
    page: Page, site: str, site_app: Flask, tmp_path: Path, label: str, size: Any, given: str
) -> None:
    page.set_viewport_size(size)
    before = stored_plans(site_app)
    page.goto(f"{site}/plans/marathon")
    page.fill("#race-input", RACE_16.isoformat())
    page.get_by_role("button", name="Show my plan").click()
    page.locator("#running-plan-create").get_by_text("Follow a running plan?").click()
    if given == "address":
        field, says = "running_plan_url", "https"
        page.fill("#running_plan_url-input", "http://example.org/plan.ics")
    else:
        field, says = "running_plan_file", "not an iCalendar file"
        (tmp_path / "plan.ics").write_text("<html>Sign in to see this calendar</html>")
        page.set_input_files("#running_plan_file-input", tmp_path / "plan.ics")
    page.locator("#create-form").get_by_role("button", name="Subscribe", exact=True).click()
    expect(page.locator("#running-plan-create")).to_have_attribute("open", "")
    expect_error_above(page, field, says)
    if given == "address":
        expect(page.locator(f"#{field}-input")).to_have_value("http://example.org/plan.ics")
    shot(page, f"refused-{given}", label, "#running-plan-create")
    page.locator(".error-summary").get_by_role("link").click()
    expect(page.locator(f"#{field}-input")).to_be_focused()
    assert stored_plans(site_app) == before
