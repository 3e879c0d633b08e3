"""Static files under hashed names, compressed pages, and the time-zone list served once."""

from __future__ import annotations

import gzip
import json
import re

import brotli  # type: ignore[import-untyped]
import pytest
from flask.testing import FlaskClient

HASHED_CSS = re.compile(r'href="(/static/css/site\.([0-9a-f]{12})\.css)"')
YEAR = "max-age=31536000"


def hashed_css(client: FlaskClient) -> str:
    match = HASHED_CSS.search(client.get("/").text)
    assert match, "the home page links its stylesheet under a hashed name"
    return match[1]


def test_pages_link_static_files_by_content_hash(client: FlaskClient) -> None:
    html = client.get("/plans/marathon").text
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert links
    for url in links:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url


def test_a_hashed_name_is_cached_for_a_year(client: FlaskClient) -> None:
    with client.get(hashed_css(client)) as response:
        assert response.status_code == 200
        assert b"--ink" in response.data
        cache = response.headers["Cache-Control"]
        assert YEAR in cache and "immutable" in cache and "public" in cache
        assert "no-cache" not in cache


@pytest.mark.parametrize("url", ["/static/css/site.css", "/static/css/site.0123456789ab.css"])
def test_old_and_stale_names_still_work_briefly(client: FlaskClient, url: str) -> None:
    """A bookmarked plain name, or a page cached before a deploy, still gets the stylesheet."""
    with client.get(url) as response:
        assert response.status_code == 200 and b"--ink" in response.data
        cache = response.headers["Cache-Control"]
        assert "max-age=300" in cache and "immutable" not in cache


def test_an_unknown_static_file_is_a_404(client: FlaskClient) -> None:
    with client.get("/static/css/nothing.0123456789ab.css") as response:
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("encoding", "decode"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_pages_are_compressed_when_the_client_accepts_it(
    client: FlaskClient, encoding: str, decode: object
) -> None:
    plain = client.get("/plans/ultra").data
    response = client.get("/plans/ultra", headers={"Accept-Encoding": encoding})
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(response.data) < len(plain) / 3
    assert callable(decode) and decode(response.data) == plain


def test_brotli_is_preferred_and_json_is_compressed_too(client: FlaskClient) -> None:
    response = client.get("/time-zones.json", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert "Europe/Berlin" in json.loads(brotli.decompress(response.data))


def test_without_accept_encoding_nothing_is_compressed(client: FlaskClient) -> None:
    response = client.get("/about")
    assert "Content-Encoding" not in response.headers
    assert b"What we store" in response.data


def test_calendar_feeds_are_never_compressed(client: FlaskClient) -> None:
    """Outlook's subscription fails on gzip-encoded feeds (docs: ics-clients E3)."""
    for url in ["/feeds/marathon.ics?race=2027-04-18", "/feeds/5k.ics?race=2027-04-18&download=1"]:
        response = client.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert response.status_code == 200 and response.mimetype == "text/calendar"
        assert "Content-Encoding" not in response.headers
        assert response.data.startswith(b"BEGIN:VCALENDAR")


def test_a_compressed_static_file_answers_304_to_its_own_etag(client: FlaskClient) -> None:
    url = hashed_css(client)
    with client.get(url, headers={"Accept-Encoding": "br"}) as first:
        etag = first.headers["ETag"]
        assert first.headers["Content-Encoding"] == "br" and etag.endswith('-br"')
    with client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etag}) as again:
        assert again.status_code == 304 and not again.data


def test_the_time_zone_list_is_not_inline_but_linked_by_version(client: FlaskClient) -> None:
    html = client.get("/plans/10k").text
    assert "Europe/Berlin" not in html
    assert '<datalist id="zones"></datalist>' in html
    match = re.search(r'data-zones="(/time-zones\.json\?v=[0-9a-f]{12})"', html)
    assert match
    versioned = client.get(match[1])
    assert versioned.mimetype == "application/json"
    zones = versioned.get_json()
    assert zones[0] == "UTC" and "Europe/Berlin" in zones and "America/New_York" in zones
    assert YEAR in versioned.headers["Cache-Control"]
    assert "immutable" in versioned.headers["Cache-Control"]
    unversioned = client.get("/time-zones.json")
    assert unversioned.get_json() == zones
    assert "immutable" not in unversioned.headers["Cache-Control"]


def test_a_typed_zone_is_still_checked_by_the_server(client: FlaskClient) -> None:
    """Without the script there are no suggestions; a wrong zone is caught all the same."""
    url = "/plans/10k?race=2027-04-18&when=timed&time=07:00&tz=Mars/Olympus"
    response = client.get(url)
    assert response.status_code == 400
    assert "time zone" in response.text.lower()
