"""The HTTP contract: status codes and messages, headers, ETag and conditional GET."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from icscheck import parse_both
from werkzeug.http import http_date

from feeds.plans import Library

FEED = "/feeds/marathon.ics?race=2027-04-18"


@pytest.fixture
def client(read_only_client: FlaskClient) -> FlaskClient:
    """This module's tests only read feeds and pages: they share one app (conftest)."""
    return read_only_client


def test_feed_headers_for_subscribing(client: FlaskClient, library: Library) -> None:
    response = client.get(FEED)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert "Content-Encoding" not in response.headers
    assert response.headers["ETag"].startswith('"') and not response.headers["ETag"].startswith(
        "W/"
    )
    # The plan data's revision date, never the time of the request.
    revised = datetime.combine(library.revised, time(), tzinfo=UTC)
    assert response.headers["Last-Modified"] == http_date(revised)
    assert "public" in response.headers["Cache-Control"]


def test_download_is_an_attachment_with_a_meaningful_name(client: FlaskClient) -> None:
    response = client.get(FEED + "&download=1")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="marathon-strength-race-2027-04-18.ics"'
    )
    # The same calendar under UIDs of its own, so an import never collides with a subscription.
    plain = client.get(FEED).data
    assert re.sub(rb"UID:\S+", b"", response.data) == re.sub(rb"UID:\S+", b"", plain)
    assert not set(re.findall(rb"UID:\S+", response.data)) & set(re.findall(rb"UID:\S+", plain))
    parse_both(response.data)


def test_same_body_whatever_the_client_asks_for(client: FlaskClient) -> None:
    plain = client.get(FEED).data
    for headers in (
        {"Accept": "text/html"},
        {"Accept-Encoding": "gzip"},
        {"User-Agent": "Google-Calendar-Importer"},
    ):
        response = client.get(FEED, headers=headers)
        assert response.data == plain
        assert "Content-Encoding" not in response.headers


def test_conditional_get_answers_304_with_validators(client: FlaskClient) -> None:
    first = client.get(FEED)
    etag = first.headers["ETag"]
    again = client.get(FEED, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
    by_date = client.get(FEED, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert by_date.status_code == 304
    stale = client.get(FEED, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200


def test_etag_changes_with_the_request(client: FlaskClient) -> None:
    a = client.get(FEED).headers["ETag"]
    b = client.get("/feeds/marathon.ics?race=2027-04-25").headers["ETag"]
    assert a != b


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("", "race", "'race' is required, as YYYY-MM-DD"),
        ("race=2027-02-30", "race", "real calendar date as YYYY-MM-DD"),
        ("race=18/04/2027", "race", "real calendar date"),
        ("race=2027-4-18", "race", "real calendar date"),
        ("race=2027-04-18&start=yesterday", "start", "'start' must be a real calendar date"),
        ("race=2027-04-18&days=tue,funday", "days", "'days' must be a weekday: one of mon"),
        ("race=2027-04-18&days=tue,,thu", "days", "separated by commas"),
        ("race=2027-04-18&long=someday", "long", "'long' must be a weekday"),
        ("race=2027-04-18&time=7am&tz=Europe/Berlin", "time", "24-hour time as HH:MM"),
        ("race=2027-04-18&time=24:00&tz=Europe/Berlin", "time", "HH:MM"),
        ("race=2027-04-18&time=07:00", "tz", "'time' and 'tz' go together"),
        ("race=2027-04-18&tz=Europe/Berlin", "time", "'time' and 'tz' go together"),
        ("race=2027-04-18&time=07:00&tz=Mars/Olympus", "tz", "IANA time zone"),
        ("race=2027-04-18&time=07:00&tz=../../etc/passwd", "tz", "IANA time zone"),
        ("race=2027-04-18&alarm=-5", "alarm", "whole minutes before the session, 0 to 10080"),
        ("race=2027-04-18&alarm=99999", "alarm", "0 to 10080"),
        ("race=2027-04-18&download=yes", "download", "'download' must be 1 or 0"),
        ("race=2027-04-18&race=2027-05-01", "race", "Give 'race' once, not 2 times"),
        ("race=2027-04-18&colour=blue", "colour", "Unknown parameter 'colour'. Accepted: race"),
        ("race=2027-04-18&start=" + "9" * 5000, "start", "too long"),
        ("race=2027-04-%C3%A918", "race", "plain ASCII"),
        ("race=2027-04-18%0D%0ASet-Cookie:x=1", "race", "plain ASCII"),
    ],
)
def test_malformed_parameters_are_400_naming_the_parameter(
    client: FlaskClient, query: str, field: str, words: str
) -> None:
    response = client.get(f"/feeds/10k.ics?{query}")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert words in text
    assert f"'{field}'" in text
    assert "Set-Cookie" not in response.headers
    assert response.mimetype == "text/plain"


@pytest.mark.parametrize(
    ("query", "words"),
    [
        # A feed keeps serving for the weeks after its race; long past races are refused.
        ("race=2026-09-01", "Tuesday 1 September 2026, and the weeks after it are over"),
        ("race=2027-12-01", "more than a year away"),
        ("race=2027-03-01&start=2027-03-05", "comes before your start day, Friday 5 March"),
    ],
)
def test_impossible_requests_are_422(client: FlaskClient, query: str, words: str) -> None:
    response = client.get(f"/feeds/half-marathon.ics?{query}")
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)


def test_unknown_distance_is_404_listing_the_distances(client: FlaskClient) -> None:
    response = client.get("/feeds/3k.ics?race=2027-04-18")
    assert response.status_code == 404
    assert "5k, 10k, half-marathon, marathon, ultra" in response.get_data(as_text=True)
    page = client.get("/plans/steeplechase")
    assert page.status_code == 404
    assert "half-marathon" in page.get_data(as_text=True)


def test_unknown_routine_is_404_listing_routines(client: FlaskClient) -> None:
    response = client.get("/routines/hip-bridge")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "There is no such routine: every program below links" in html
    assert "hip-bridge" not in html and 'href="/plans/marathon"' in html
    text = client.get("/routines/hip-bridge", headers={"Accept": "text/plain"})
    assert text.status_code == 404


def test_routine_page_shows_exercises_doses_cues_and_video(client: FlaskClient) -> None:
    response = client.get("/routines/copenhagen-adductor")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "https://www.youtube.com/watch?v=lBIcQzr-cQs" in text
    assert "2 x 8" in text or "each side" in text


def test_unknown_path_and_wrong_method_are_clean(client: FlaskClient) -> None:
    assert client.get("/nope").status_code == 404
    response = client.post(FEED)
    assert response.status_code == 405


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.data == b"ok\n"


def test_home_and_plan_pages_render(client: FlaskClient, distance: str) -> None:
    assert client.get("/").status_code == 200
    page = client.get(f"/plans/{distance}")
    assert page.status_code == 200
    preview = client.get(f"/plans/{distance}?race=2027-04-18")
    assert preview.status_code == 200
    assert f"/feeds/{distance}.ics?race=2027-04-18" in preview.get_data(as_text=True)


NASTY = [
    "",
    " ",
    "%00",
    "%FF%FE",
    "2027-04-18%00",
    "%E2%80%AE2027-04-18",
    "9999-12-31",
    "0000-01-01",
    "2027-13-01",
    "2027-00-10",
    "<script>alert(1)</script>",
    "x" * 300,
    "1e9",
    "-1",
    "mon,tue,wed,thu,fri,sat,sun",
    "mon,mon,mon",
    "99:99",
    "00:00",
    "23:59",
    "UTC",
    "Etc/GMT+12",
    "Europe/Berlin%0D%0AX-Evil:1",
]


@pytest.mark.parametrize("name", ["race", "start", "days", "long", "time", "tz", "alarm"])
def test_no_input_gives_a_500(client: FlaskClient, name: str) -> None:
    for value in NASTY:
        query = f"race=2027-04-18&time=07:00&tz=UTC&{name}={value}"
        if name in ("race", "time", "tz"):
            query = "&".join(p for p in query.split("&") if not p.startswith(f"{name}="))
            query += f"&{name}={value}"
        response = client.get(f"/feeds/ultra.ics?{query}")
        assert response.status_code in (200, 400, 422), (name, value)
        assert "X-Evil" not in response.headers


def test_odd_paths_are_clean_404s(client: FlaskClient) -> None:
    for path in ("/feeds/%00.ics", "/feeds/..%2Fetc.ics", "/routines/%E2%80%AE", "/plans/x" * 20):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "\x00" not in response.get_data(as_text=True)


def test_pages_send_a_strict_content_security_policy(client: FlaskClient) -> None:
    for path in ("/", "/plans/5k", "/plans/5k?race=2027-04-18", "/routines/lunge-matrix", "/nope"):
        response = client.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
    feed = client.get(FEED)
    assert feed.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in feed.headers


def test_a_subscribed_feed_keeps_serving_after_its_race(client: FlaskClient) -> None:
    url = "/feeds/half-marathon.ics?race=2026-12-13"
    with freeze_time("2026-12-14"):
        after = client.get(url)
        assert after.status_code == 200 and b"after the race" in after.data
    with freeze_time("2027-03-01"):
        assert client.get(url).status_code == 422
