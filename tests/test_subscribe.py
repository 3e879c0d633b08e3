"""Subscribe links for each calendar client (ics-clients.md F1-F3)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from feeds.subscribe import subscribe_links, with_param

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
