"""Subscribe links for each calendar client (ics-clients.md F1-F3)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from feeds.subscribe import device_of, subscribe_links, with_param

FEED = "https://plans.example.org/feeds/5k.ics?race=2027-04-18&days=tue,thu&tz=Europe/Berlin"
NAME = "5K strength · race 18 Apr 2027"


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_webcal_is_the_feed_with_the_scheme_swapped() -> None:
    assert subscribe_links(FEED, NAME).webcal == "webcal://" + FEED.removeprefix("https://")


def test_google_one_click_carries_the_encoded_webcal_url() -> None:
    links = subscribe_links(FEED, NAME)
    assert links.google_one_click.startswith("https://calendar.google.com/calendar/u/0/r?cid=")
    assert "&" not in urlsplit(links.google_one_click).query  # the feed's & is encoded
    assert params(links.google_one_click) == {"cid": [links.webcal]}
    assert links.google_add_by_url.endswith("/calendar/u/0/r/settings/addbyurl")


def test_outlook_links_carry_the_https_feed_and_the_name() -> None:
    links = subscribe_links(FEED, NAME)
    for url, host in [
        (links.outlook_com, "outlook.live.com"),
        (links.microsoft_365, "outlook.office.com"),
    ]:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc, parts.path) == ("https", host, "/calendar/0/addfromweb")
        assert params(url) == {"url": [FEED], "name": [NAME]}


def test_download_adds_download_1_and_keeps_the_rest() -> None:
    download = subscribe_links(FEED, NAME).download
    assert download == FEED + "&download=1"


def test_with_param_replaces_an_existing_value() -> None:
    assert with_param("http://h/f.ics?download=0&race=x", "download", "1") == (
        "http://h/f.ics?race=x&download=1"
    )


# Real User-Agent headers, as these browsers send them on every request (redirects included).
AGENTS = {
    "iPhone Safari": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "apple",
    ),
    "iPhone Chrome": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
        "apple",
    ),
    # An iPad's Safari asks for the desktop site and sends the Mac header: the same guess.
    "iPad Safari (desktop-class)": (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "apple",
    ),
    "Android Chrome": (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/131.0.0.0 Mobile Safari/537.36",
        "google",
    ),
    "Windows Edge": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70",
        "outlook",
    ),
    "macOS Safari": (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
        "apple",
    ),
    "Linux Firefox": (
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "other",
    ),
    # What the browser tests' chromium says unless told otherwise: the cause of issue 10's
    # "other" on an emulated iPhone (extra headers were dropped on the redirect after Subscribe).
    "headless Chromium": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
        " HeadlessChrome/131.0.0.0 Safari/537.36",
        "other",
    ),
}


@pytest.mark.parametrize("browser", AGENTS)
def test_each_device_gets_its_maker_s_calendar(browser: str) -> None:
    agent, calendar = AGENTS[browser]
    assert device_of(agent) == calendar


BUTTONS = {
    "apple": "Add to Apple Calendar",
    "google": "Add to Google Calendar",
    "outlook": "Add to Outlook",
    "other": "Subscribe",
}


@pytest.mark.parametrize(
    "browser", ["iPhone Safari", "Android Chrome", "Windows Edge", "Linux Firefox"]
)
def test_the_plan_page_s_button_names_the_device_s_calendar(
    client: FlaskClient, browser: str
) -> None:
    agent, calendar = AGENTS[browser]
    page = client.get("/plans/10k?race=2027-04-18", headers={"User-Agent": agent})
    assert "User-Agent" in page.headers["Vary"]  # a cache must not hand it to another device
    buttons = re.findall(
        r'<button class="button button-primary[^"]*" type="submit"'
        r'( form="create-form"[^>]*)>([^<]+)<',
        page.text,
    )
    sent = (
        f' form="create-form" name="client" value="{calendar}"'
        if calendar != "other"
        else ' form="create-form"'
    )
    # The big button and the phone's sticky one: the same words, the same choice sent.
    assert buttons == [(sent, BUTTONS[calendar])] * 2
