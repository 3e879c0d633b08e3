"""Every runner-facing word goes through the catalogue: a pseudo locale shows what did not."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar.prop import vUnknown
from pseudo import data_strings, install, leaks, longest_first, visible_html
from tests_support import create_plan, local, with_store

from feeds.dates import long_date, short_date, weekday_names
from feeds.i18n import gettext, ngettext
from feeds.plans import DISTANCES, Library

RACE = "2027-04-18"
PAGES = [
    "/",
    "/about",
    *(f"/plans/{d}" for d in DISTANCES),
    *(f"/plans/{d}?race={RACE}&days=tue,thu,sat&hard=tue&long=sun" for d in DISTANCES),
    "/plans/5k?race=2026-12-20",
    "/plans/ultra?race=2027-02-14",
]
ERROR_PAGES = {
    "/plan?distance=5k&race=someday": 400,
    "/plans/marathon?race=someday": 400,
    "/plans/marathon?race=2027-04-18&days=funday": 400,
    "/plans/ultra?race=2028-04-18": 422,
    "/plans/relay": 404,
    "/routines/hip-bridge": 404,
}
FEEDS = [
    *(f"/feeds/{d}.ics?race={RACE}" for d in DISTANCES),
    f"/feeds/marathon.ics?race={RACE}&time=07:00&tz=Europe/Berlin&alarm=30&equipment=home",
    f"/feeds/10k.ics?race={RACE}&level=new&equipment=none&hard=tue,thu",
]
FEED_TEXT = ("SUMMARY", "DESCRIPTION", "X-WR-CALNAME", "X-WR-CALDESC", "LOCATION", "COMMENT")
# Phrases not yet routed through the catalogue (Python-built messages, mostly): an explicit
# allowance that may only shrink (a phrase that no longer leaks fails the test). Empty is the aim;
# `python tests/i18n_leaks.py` lists them.
NOT_YET_WRAPPED = set(
    (Path(__file__).parent / "i18n_not_yet_wrapped.txt").read_text(encoding="utf-8").splitlines()
)


@pytest.fixture
def pseudo_app(frozen_today: None, tmp_path: Path) -> Iterator[Flask]:
    app = with_store(tmp_path)
    install(app)
    try:
        yield app
    finally:
        app.extensions["store"].close()


@pytest.fixture
def pseudo(pseudo_app: Flask) -> FlaskClient:
    return pseudo_app.test_client()


@pytest.fixture(scope="module")
def data(library: Library) -> list[str]:
    """Plan content: data that a translated plan set would carry, not the catalogue."""
    return longest_first(data_strings(library))


def bypassed(texts: list[str], data: list[str]) -> set[str]:
    return set(leaks(texts, data)) - NOT_YET_WRAPPED


def unescape_text(text: str) -> str:
    """An RFC 5545 TEXT value with its backslash escapes undone."""
    return re.sub(r"\\([\\;,Nn])", lambda m: "\n" if m[1] in "Nn" else m[1], text)


def feed_texts(body: bytes) -> list[str]:
    calendar = icalendar.Calendar.from_ical(body)
    values = [c[name] for c in calendar.walk() for name in FEED_TEXT if name in c]
    # icalendar leaves X- properties (X-WR-CALDESC) escaped: unescape them as the TEXT they are.
    return [unescape_text(str(v)) if isinstance(v, vUnknown) else str(v) for v in values]


def test_every_page_kind_speaks_only_through_the_catalogue(
    pseudo: FlaskClient, library: Library, data: list[str]
) -> None:
    routines = [f"/routines/{slug}" for slug in sorted(library.routines)]
    found = {}
    for url in [*PAGES, *routines]:
        page = pseudo.get(url)
        assert page.status_code == 200, url
        found[url] = bypassed(visible_html(page.text), data)
    assert {url: words for url, words in found.items() if words} == {}


@pytest.mark.parametrize(("url", "status"), ERROR_PAGES.items())
def test_error_pages_speak_only_through_the_catalogue(
    pseudo: FlaskClient, data: list[str], url: str, status: int
) -> None:
    page = pseudo.get(url)
    assert page.status_code == status
    assert bypassed(visible_html(page.text), data) == set()


def test_every_feed_kind_speaks_only_through_the_catalogue(
    pseudo: FlaskClient, data: list[str]
) -> None:
    found = {}
    for url in FEEDS:
        feed = pseudo.get(url)
        assert feed.status_code == 200, url
        found[url] = bypassed(feed_texts(feed.data), data)
    assert {url: words for url, words in found.items() if words} == {}


def test_managed_pages_and_feed_speak_only_through_the_catalogue(
    pseudo: FlaskClient, data: list[str]
) -> None:
    plan = create_plan(pseudo)
    page = pseudo.get(local(plan["manage_url"]))
    assert page.status_code == 200
    assert bypassed(visible_html(page.text), data) == set()
    feed = pseudo.get(local(plan["feed_url"]))
    assert bypassed(feed_texts(feed.data), data) == set()
    assert pseudo.delete(local(plan["api_url"])).status_code in (200, 204)
    gone = pseudo.get(local(plan["manage_url"]))
    assert gone.status_code == 410
    assert bypassed(visible_html(gone.text), data) == set()


def test_the_checker_finds_a_phrase_that_bypassed_the_catalogue() -> None:
    page = "<p>⟦Your plan⟧ Race day is near</p><img alt='A runner lifting'>"
    assert set(leaks(visible_html(page), [])) == {"Race day is near", "A runner lifting"}
    assert leaks(visible_html("<p>⟦Race day: %s⟧</p><p>Marathon</p>"), []) == []


def test_outside_an_app_the_source_text_is_used() -> None:
    assert gettext("Week %(n)s of %(total)s", n=3, total=16) == "Week 3 of 16"
    assert ngettext("%(num)s time", "%(num)s times", 1) == "1 time"
    assert ngettext("%(num)s time", "%(num)s times", 3) == "3 times"


def test_the_allowance_lists_only_phrases_that_still_leak(frozen_today: None) -> None:
    from i18n_leaks import every_phrase  # it reuses this module's page lists

    assert NOT_YET_WRAPPED - every_phrase() == set(), "regenerate i18n_not_yet_wrapped.txt"


def test_dates_follow_the_locale_and_english_keeps_the_house_form() -> None:
    sunday, monday = date(2027, 4, 18), date(2026, 12, 7)
    assert long_date(sunday) == "Sunday 18 April 2027"
    assert short_date(monday) == "Mon 7 Dec"
    # British English in CLDR says "Sept" and puts a comma after the weekday: not our house form.
    assert short_date(date(2027, 9, 6), "en_GB") == "Mon 6 Sep"
    assert long_date(sunday, "en_GB") == "Sunday 18 April 2027"
    assert long_date(sunday, "de") == "Sonntag, 18. April 2027"
    assert short_date(monday, "de") == "Mo., 7. Dez."
    assert weekday_names("fr")[0] == "lundi"


@pytest.fixture
def german(frozen_today: None, tmp_path: Path) -> Iterator[FlaskClient]:
    """The app in a second real locale: no German catalogue, so only Babel's names change."""
    app = with_store(tmp_path, BABEL_DEFAULT_LOCALE="de")
    try:
        yield app.test_client()
    finally:
        app.extensions["store"].close()


def test_dates_and_weekday_names_in_pages_follow_the_locale(german: FlaskClient) -> None:
    page = german.get(f"/plans/marathon?race={RACE}&days=tue,thu,sat").text
    assert "Sonntag, 18. April 2027" in page and "Sunday 18 April 2027" not in page
    # The training-day and hard-day boxes, the long-run choices and the grid's headings.
    assert re.findall(r'value="tue"[^>]*> (\w+)</label>', page) == ["Dienstag", "Dienstag"]
    assert '<option value="sun" selected>Sonntag</option>' in page
    headings = re.findall(r'<th scope="col"><abbr title="(\w+)">(\w)</abbr></th>', page)
    assert headings[:3] == [("Montag", "M"), ("Dienstag", "D"), ("Mittwoch", "M")]
    assert "Training days:</strong> Dienstag, Donnerstag, Samstag" in page


def test_dates_in_the_feed_follow_the_locale(german: FlaskClient) -> None:
    texts = "\n".join(feed_texts(german.get(f"/feeds/marathon.ics?race={RACE}").data))
    assert "Race day: Sonntag, 18. April 2027." in texts and "Sunday 18 April 2027" not in texts
    assert "- Mo., 28. Dez.: " in texts
    # The calendar's name too: one date formatter for feeds and pages.
    assert (
        b"X-WR-CALNAME:Marathon strength \xc2\xb7 race 18.04.2027"
        in german.get(f"/feeds/marathon.ics?race={RACE}").data
    )


def test_the_managed_summary_names_days_in_the_locale(german: FlaskClient) -> None:
    body = {"distance": "10k", "race": RACE, "days": "tue,thu,sat", "hard": "tue,thu"}
    plan = german.post("/api/subscriptions", json=body).json or {}
    page = german.get(local(plan["manage_url"])).text
    assert "Dienstag, Donnerstag, Samstag" in page
    assert "Sonntag; hard runs on Dienstag, Donnerstag" in page
