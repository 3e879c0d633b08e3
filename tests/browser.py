"""What the browser tests share: the app on a loopback port, one chromium, and a runner's moves.

Loaded as a pytest plugin by conftest.py, so every tests/test_browser*.py module gets the
fixtures. The app runs in a thread with the real clock (freezegun is not active there), so every
date is computed from date.today().
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from feeds import create_app
from feeds.schedule import first_monday

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

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


def buffered(app: WSGIApplication) -> WSGIApplication:
    """Read each response whole and close it before sending.

    When the browser drops a connection mid-response (it cancels requests it no longer needs),
    the dev server can leave a static file's handle to the garbage collector, and the
    ResourceWarning would fail an unrelated test under filterwarnings=error.
    """

    def wsgi(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        result = app(environ, start_response)
        try:
            return [b"".join(result)]
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()

    return wsgi


@pytest.fixture(scope="module")
def site_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app the browser talks to, with a database of its own (tests may count its rows)."""
    database = tmp_path_factory.mktemp("site") / "feeds.sqlite3"
    config = {"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "browser-tests"}
    # Every test creates its plans from 127.0.0.1: the default 20 an hour would refuse a module's.
    return create_app({**config, "CREATE_LIMIT": "1000 per hour"})


@pytest.fixture(scope="module")
def site(site_app: Flask) -> Iterator[str]:
    """The app on a free loopback port, served from a thread."""
    app = site_app
    server = make_server("127.0.0.1", 0, buffered(app), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        app.extensions["store"].close()


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


def show_plan(
    page: Page, site: str, distance: str = "5k", race: date = RACE_16, start: date | None = None
) -> None:
    page.goto(f"{site}/plans/{distance}")
    page.fill("#race-input", race.isoformat())
    if start:
        page.fill("#start-input", start.isoformat())
    page.get_by_role("button", name="Show my plan").click()
    expect(page.locator("section#result")).to_be_visible()


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


def submit_by_keyboard(page: Page, race: date, button: str) -> None:
    """Type the race date, tick Tuesday and press the button, with the keyboard alone."""
    tab_until(page, lambda el: el[0] == "race-input")
    page.keyboard.type(race.strftime("%m%d%Y"))
    tab_until(page, lambda el: el[2] == "tue")
    page.keyboard.press("Space")
    tab_until(page, lambda el: el[1] == button)
    page.keyboard.press("Enter")


def expect_error_above(page: Page, field: str, words: str) -> None:
    """The field is marked invalid and its message stands right above it."""
    error = page.locator(f"#{field}-error")
    expect(error).to_contain_text(words)
    expect(page.locator(f"#{field}-input")).to_have_attribute("aria-invalid", "true")
    box, message = page.locator(f"#{field}-input").bounding_box(), error.bounding_box()
    assert box and message
    # Right above: the message ends just before the field starts, however many lines it takes.
    gap = box["y"] - (message["y"] + message["height"])
    assert 0 <= gap < 40, gap
