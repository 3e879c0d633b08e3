"""Kept template fragments: rendered once per key, locale and mount point, and checked in tests."""

from __future__ import annotations

import re

import pytest
from flask import Flask

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
