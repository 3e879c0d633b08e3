"""The pages in a real browser: Playwright drives Debian's headless chromium against the app.

The app runs in a thread on a free loopback port with the real clock (freezegun is not active
here), so every date below is computed from date.today().
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from icscheck import parse_both
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from feeds import create_app
from feeds.plans import DISTANCE_NAMES, DISTANCES, Library
from feeds.schedule import first_monday

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
TODAY = date.today()
RACE_16 = first_monday(TODAY) + timedelta(weeks=15, days=6)


class QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Keep test output to the tests."""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The app on a free loopback port, served from a thread of this process."""
    server = make_server("127.0.0.1", 0, create_app(), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """One chromium with a fresh profile, in Berlin, in US English, allowed the clipboard."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            locale="en-US",
            timezone_id="Europe/Berlin",
            viewport=DESKTOP,
            accept_downloads=True,
        )
        browser.grant_permissions(["clipboard-read", "clipboard-write"])
        yield browser
        browser.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    tab.close()


def show_plan(page: Page, site: str, distance: str = "5k", race: date = RACE_16) -> None:
    page.goto(f"{site}/plans/{distance}")
    page.fill("#race-input", race.isoformat())
    page.get_by_role("button", name="Show my plan").click()
    expect(page.locator("section#result")).to_be_visible()


@pytest.mark.parametrize("distance", DISTANCES)
def test_each_distance_is_one_tap_from_home(
    page: Page, site: str, library: Library, distance: str
) -> None:
    page.goto(site)
    cards = page.get_by_role("region", name="Choose your race")
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
    error = page.locator("#race-error")
    expect(error).to_contain_text("more than a year away")
    expect(page.locator("#race-input")).to_have_attribute("aria-invalid", "true")
    field, message = page.locator("#race-input").bounding_box(), error.bounding_box()
    assert field and message and 0 <= field["y"] - message["y"] < 80  # right above the input
    expect(page.locator("section#result")).to_have_count(0)


def subscribe_hrefs(page: Page) -> dict[str, str]:
    links = page.locator("[data-client]")
    return {
        str(links.nth(i).get_attribute("data-client")): str(links.nth(i).get_attribute("href"))
        for i in range(links.count())
    }


def test_each_subscribe_link_has_its_scheme_and_the_encoded_feed(page: Page, site: str) -> None:
    show_plan(page, site, "half-marathon")
    feed = page.locator("#feed-link").input_value()
    assert feed.startswith(f"{site}/feeds/half-marathon.ics?race=")
    links = subscribe_hrefs(page)
    webcal = "webcal://" + feed.removeprefix("http://")
    assert links["apple"] == webcal
    assert links["google"] == "https://calendar.google.com/calendar/u/0/r/settings/addbyurl"
    one_click = urlsplit(links["google-one-click"])
    assert one_click.netloc == "calendar.google.com"
    assert parse_qs(one_click.query)["cid"] == [webcal]
    outlooks = [("outlook-com", "outlook.live.com"), ("microsoft-365", "outlook.office.com")]
    for name, host in outlooks:
        parts = urlsplit(links[name])
        assert (parts.scheme, parts.netloc) == ("https", host)
        assert parse_qs(parts.query)["url"] == [feed]


def test_download_gives_a_calendar_that_parses(page: Page, site: str) -> None:
    show_plan(page, site, "ultra")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download .ics").click()
    download = info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = parse_both(Path(download.path()).read_bytes())
    assert len(calendar.events) > 16


def test_copy_button_puts_the_feed_link_on_the_clipboard(page: Page, site: str) -> None:
    show_plan(page, site, "10k")
    page.get_by_role("button", name="Copy link").first.click()
    expect(page.locator(".copy-status")).to_contain_text("Link copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#feed-link").input_value()


def tab_until(page: Page, found: Callable[[Any], bool], limit: int = 40) -> None:
    """Press Tab until the focused element matches, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(e => [e.id, e.textContent.trim(), e.value])(document.activeElement)"
        )
        if found(focused):
            return
    raise AssertionError("focus never reached the element")


def test_the_form_can_be_completed_with_the_keyboard_alone(page: Page, site: str) -> None:
    page.goto(f"{site}/plans/marathon")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    tab_until(page, lambda el: el[0] == "race-input")
    page.keyboard.type(RACE_16.strftime("%m%d%Y"))
    tab_until(page, lambda el: el[2] == "tue")
    page.keyboard.press("Space")
    tab_until(page, lambda el: el[1] == "Show my plan")
    page.keyboard.press("Enter")
    expect(page.locator("li.week[id^=week-]")).to_have_count(16)
    assert parse_qs(urlsplit(page.url).query)["days"] == ["tue"]


def test_live_preview_follows_the_form(page: Page, site: str) -> None:
    show_plan(page, site, "10k")
    page.select_option("#long-input", "sat")
    expect(page.locator(".live-status")).to_have_text("Plan updated below.")
    assert parse_qs(urlsplit(page.url).query)["long"] == ["sat"]
    expect(page.locator(".summary")).to_be_visible()


@pytest.mark.parametrize(
    ("agent", "first"),
    [
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0)", "apple"),
        ("Mozilla/5.0 (Linux; Android 15)", "google"),
    ],
)
def test_the_likely_calendar_comes_first(page: Page, site: str, agent: str, first: str) -> None:
    page.add_init_script(f"Object.defineProperty(navigator, 'userAgent', {{get: () => '{agent}'}})")
    show_plan(page, site, "marathon")
    suggested = page.locator(".client").first
    expect(suggested).to_contain_text("Suggested for this device")
    expect(suggested.locator(f'[data-client="{first}"]')).to_have_count(1)


def test_the_page_works_without_javascript(page: Page, site: str) -> None:
    page.route("**/*.js", lambda route: route.abort())
    show_plan(page, site, "5k")
    expect(page.locator("li.week[id^=week-]")).to_have_count(16)
    expect(page.get_by_role("button", name="Copy link")).to_have_count(0)
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


@pytest.mark.parametrize("size", [DESKTOP, PHONE])
def test_axe_finds_no_accessibility_violations(page: Page, site: str, size: Any) -> None:
    """Labels, landmarks, headings, names, contrast: axe-core's WCAG rules on every page kind."""
    page.set_viewport_size(size)
    late = TODAY + timedelta(days=400)
    paths = ["/", "/plans/ultra", f"/plans/ultra?race={RACE_16}", f"/plans/ultra?race={late}"]
    for path in [*paths, "/routines/lunge-matrix"]:
        page.goto(site + path)
        results = Axe().run(page)
        assert results.violations_count == 0, (path, results.generate_report())


@pytest.mark.parametrize(("label", "size"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_of_home_and_plan(page: Page, site: str, label: str, size: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(size)
    page.goto(site)
    page.screenshot(path=ARTIFACTS / f"home-{label}.png", full_page=True)
    show_plan(page, site, "marathon", RACE_16 - timedelta(weeks=3))
    page.screenshot(path=ARTIFACTS / f"plan-{label}.png", full_page=True)
    page.locator("#subscribe").screenshot(path=ARTIFACTS / f"subscribe-{label}.png")
    assert (ARTIFACTS / f"plan-{label}.png").stat().st_size > 10_000
