"""Kept template fragments: rendered once per key, locale and mount point, and checked in tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from tests_support import with_store

from feeds.fragments import StaleFragment

BLOCK = "{% kept key %}<b>{{ word }} {{ count() }}</b>{% endkept %}"


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


def render(app: Flask, key: object, word: str = "hi", root: str = "") -> tuple[str, int]:
    counter = Counter()
    with app.test_request_context("/", base_url=f"http://localhost{root}/"):
        html = app.jinja_env.from_string(BLOCK).render(key=key, word=word, count=counter)
    return html, counter.calls


@pytest.fixture
def serving(app: Flask) -> Flask:
    """The app as it serves: no rendering again to check the kept fragment."""
    app.testing = False
    return app


def test_a_kept_block_is_rendered_once_per_key(serving: Flask) -> None:
    assert render(serving, ["a", 1]) == ("<b>hi 1</b>", 1)
    # The same key (a list kept as a tuple) serves the kept HTML without running the block.
    assert render(serving, ["a", 1]) == ("<b>hi 1</b>", 0)
    assert render(serving, ["a", 2]) == ("<b>hi 1</b>", 1)
    assert render(serving, {"a": [1]}) == ("<b>hi 1</b>", 1)


def test_a_kept_block_is_rendered_again_under_another_mount_point(serving: Flask) -> None:
    render(serving, "k")
    assert render(serving, "k", root="/strength") == ("<b>hi 1</b>", 1)


def test_a_test_app_fails_a_key_that_misses_what_the_block_reads(app: Flask) -> None:
    assert app.testing
    render(app, "same", word="hi")
    with pytest.raises(StaleFragment, match="kept fragment differs"):
        render(app, "same", word="bye")


def test_the_plan_page_keeps_the_weeks_at_a_glance_per_distance(serving: Flask) -> None:
    client = serving.test_client()
    marathon = client.get("/plans/marathon").text
    five_k = client.get("/plans/5k").text
    table = 'class="units-section"'
    assert marathon.split(table)[1] != five_k.split(table)[1]
    assert client.get("/plans/marathon").text.split(table)[1] == marathon.split(table)[1]


def test_the_kept_plan_form_follows_each_runners_choices_and_errors(serving: Flask) -> None:
    client = serving.test_client()
    checked = re.compile(r'name="equipment" value="(\w+)" checked')
    home = client.get("/plans/10k?race=2027-04-18&equipment=home").text
    gym = client.get("/plans/10k?race=2027-04-11").text
    assert checked.findall(home) == ["home"] and checked.findall(gym) == ["gym"]
    assert 'value="2027-04-11"' in gym and 'value="2027-04-18"' not in gym
    wrong = client.get("/plans/10k?race=2027-04-11&days=funday")
    assert wrong.status_code == 400
    assert (
        'id="days-input" aria-describedby="days-hint days-error" aria-invalid="true"' in wrong.text
    )
    assert "aria-invalid" not in client.get("/plans/10k?race=2027-04-04").text


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def test_weeks_kept_from_another_race_in_the_same_week_read_as_drawn_afresh(
    serving: Flask,
) -> None:
    """Races a day apart share most weeks (grid rows and the week list): the page of the second
    is the page a new worker draws for it."""
    client = serving.test_client()
    client.get("/plans/marathon?race=2027-03-20&days=tue,thu,sat")
    extension = next(e for e in serving.jinja_env.extensions.values() if hasattr(e, "kept"))
    first = len(extension.kept)
    url = "/plans/marathon?race=2027-03-21&days=tue,thu,sat"
    kept = client.get(url).text
    # 16 weeks, each a grid row and a list item: only the race week's differ.
    assert first > 32 and len(extension.kept) - first <= 4
    extension.kept = type(extension.kept)(extension.kept.size)
    assert without_tokens(kept) == without_tokens(client.get(url).text)
    assert "Sunday 21 March 2027" in kept and "Saturday 20 March 2027" not in kept


def test_each_visitor_gets_their_own_csrf_token_beside_the_kept_fragments(serving: Flask) -> None:
    token = re.compile(r'name="csrf_token" value="([^"]+)"')
    url = "/plans/10k?race=2027-04-18"
    first, second = (token.findall(serving.test_client().get(url).text) for _ in range(2))
    assert len(first) == len(second) == 1 and first != second


def kept_store(app: Flask) -> object:
    return next(e for e in app.jinja_env.extensions.values() if hasattr(e, "kept"))


def week_list(html: str) -> str:
    """The grid's rows and the week-by-week list of a plan page."""
    return html[html.index('<table class="plan-grid">') : html.index('class="week week-race"')]


@pytest.mark.parametrize("locale", ["en", "de"])
def test_weeks_kept_from_a_race_weeks_away_read_as_drawn_afresh(
    frozen_today: None, tmp_path: Path, locale: str
) -> None:
    """With the same choices, the weeks as many weeks from the race read alike but for their
    dates and numbers (the program is laid out back from the race): kept from one race, they are
    written for another three weeks later, which starts the same Monday, so it has three weeks
    more and numbers every week three higher. Its page is the page a new worker draws."""
    app = with_store(tmp_path, BABEL_DEFAULT_LOCALE=locale)
    try:
        app.testing = False
        client = app.test_client()
        client.get("/plans/marathon?race=2027-03-20&days=tue,thu,sat")
        extension = kept_store(app)
        first = len(extension.kept)
        url = "/plans/marathon?race=2027-04-10&days=tue,thu,sat"
        kept = client.get(url).text
        # 16 and 19 weeks, each a grid row and a list item: only the three weeks that lead in
        # to the program are new (and the kit they need).
        assert first > 32 and len(extension.kept) - first <= 7
        extension.kept = type(extension.kept)(extension.kept.size)
        fresh = client.get(url).text
        assert week_list(kept) == week_list(fresh)
        assert without_tokens(kept) == without_tokens(fresh)
    finally:
        app.extensions["store"].close()
    tuesday = "Di., 6. Apr." if locale == "de" else "Tue 6 Apr"
    # Race week is the 19th (the 16th of the first race): its Tuesday session, numbered.
    assert '<a href="#week-19">19</a>' in kept and '<a href="#week-20">' not in kept
    race_week = week_list(kept).split('id="week-19"')[1]
    assert ">Week 19<" in race_week.replace("Woche", "Week") and tuesday in race_week


def test_a_test_app_checks_every_dated_week_it_serves_against_a_fresh_drawing(app: Flask) -> None:
    """A test app draws each kept week anew and compares: a dated week whose key missed
    something it shows would fail every page test that meets it again. A program shortened to
    11 weeks has weeks of the 16-week one at other distances from the race."""
    assert app.testing
    client = app.test_client()
    for race in ("2027-03-20", "2027-04-10", "2027-05-01", "2027-03-21", "2027-02-13"):
        assert client.get(f"/plans/half-marathon?race={race}&equipment=home").status_code == 200
