"""Every runner-facing word goes through the catalogue: a pseudo locale shows what did not."""
# ruff: noqa: F811

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar.prop import vUnknown
from pseudo import (
    CLOSE,
    DATE_LOCALE,
    OPEN,
    data_strings,
    install,
    leaks,
    longest_first,
    visible_html,
)
from test_runplan_managed import (
    Handler,
    form_token,
    later,
    readings,
    server,  # noqa: F401  (fixtures used by name)
    server_base,  # noqa: F401
)
from tests_support import create_plan, local, with_store

from feeds.adjustments import parse
from feeds.choices import Choices
from feeds.dates import long_date, short_date, weekday_names
from feeds.events import PHASE_NAMES
from feeds.fields import wrong_type
from feeds.i18n import gettext, ngettext
from feeds.managed.runplan_pages import newly_unplaced
from feeds.placement import Closed, Rules, WeeklyRuns
from feeds.plans import DISTANCE_NAMES, DISTANCES, Library
from feeds.runplan import read_plan
from feeds.schedule import Request, build
from feeds.wording import change_text, describe_adaptation, unplaced_note

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
# Words not yet routed through the catalogue (Python-built messages, mostly), as "page: words"
# or "feed: words": an explicit allowance that may only shrink (one that no longer leaks fails the
# test). Empty is the aim; `python tests/i18n_leaks.py` lists them.
NOT_YET_WRAPPED = set(
    (Path(__file__).parent / "i18n_not_yet_wrapped.txt").read_text(encoding="utf-8").splitlines()
)


@pytest.fixture
def pseudo_app(frozen_today: None, tmp_path: Path) -> Iterator[Flask]:
    app = with_store(tmp_path, BABEL_DEFAULT_LOCALE=DATE_LOCALE)
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


def bypassed(texts: list[str], data: list[str], kind: str = "page") -> set[str]:
    """What leaked from a page or a feed and is not allowed yet for that kind."""
    allowed = {line.removeprefix(f"{kind}: ") for line in NOT_YET_WRAPPED}
    return set(leaks(texts, data)) - allowed


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
        found[url] = bypassed(feed_texts(feed.data), data, "feed")
    assert {url: words for url, words in found.items() if words} == {}


def test_managed_pages_and_feed_speak_only_through_the_catalogue(
    pseudo: FlaskClient, data: list[str]
) -> None:
    plan = create_plan(pseudo)
    page = pseudo.get(local(plan["manage_url"]))
    assert page.status_code == 200
    assert bypassed(visible_html(page.text), data) == set()
    feed = pseudo.get(local(plan["feed_url"]))
    assert bypassed(feed_texts(feed.data), data, "feed") == set()
    assert pseudo.delete(local(plan["api_url"])).status_code in (200, 204)
    gone = pseudo.get(local(plan["manage_url"]))
    assert gone.status_code == 410
    assert bypassed(visible_html(gone.text), data) == set()


def test_the_checker_finds_a_phrase_that_bypassed_the_catalogue() -> None:
    page = "<p>⟦Your plan⟧ Race day is near</p><img alt='A runner lifting'>"
    assert set(leaks(visible_html(page), [])) == {"Race day is near", "A runner lifting"}
    assert leaks(visible_html("<p>⟦Race day: %s⟧</p><p>Marathon</p>"), ["Marathon"]) == []
    # The email a mailto link writes is read too: its subject and body.
    mail = '<a href="mailto:?subject=My%20plan%27s%20link&amp;body=%E2%9F%A6Hi%E2%9F%A7">⟦Mail⟧</a>'
    assert leaks(visible_html(mail), []) == ["My plan's link"]


def test_the_checker_finds_a_single_word_that_bypassed_the_catalogue() -> None:
    # A label of one word, an English date (strftime's) and a run kind are each a leak.
    page = "<button>Undo</button><p>⟦Moved to ⟧Tue 29 Dec</p><td>Hard</td><p>⟦On ⟧Sunday</p>"
    assert leaks(visible_html(page), ["Hard"]) == ["Undo", "Tue", "Dec", "Hard", "Sunday"]
    # A word of plan data excuses only itself, never the same word in a sentence of ours.
    assert leaks(["<p>Taper</p>", "Your taper week"], ["Taper", "taper"]) == ["Your taper week"]
    # Babel's Greek date, a feed address shown as text and a grid's key letter are not leaks.
    page = "<p>⟦Moved to ⟧Τρί 29 Δεκ</p><p>/feeds/x.ics?days=tue,sat&long=sun</p><p>H ⟦heavy⟧</p>"
    assert leaks(visible_html(page), []) == []


def test_a_placeholder_is_checked_as_what_fills_it(pseudo_app: Flask) -> None:
    with pseudo_app.test_request_context():
        text = gettext("Week of %(day)s", day="Monday 28 December")
        assert text == "⟦Week of ⟧Monday 28 December⟦⟧"
        assert leaks([text], []) == ["Monday", "December"]
        assert leaks([gettext("Week of %(day)s", day=long_date(date(2026, 12, 28)))], []) == []


def test_outside_an_app_the_source_text_is_used() -> None:
    assert gettext("Week %(n)s of %(total)s", n=3, total=16) == "Week 3 of 16"
    assert ngettext("%(num)s time", "%(num)s times", 1) == "1 time"
    assert ngettext("%(num)s time", "%(num)s times", 3) == "3 times"


def test_nothing_is_allowed_to_bypass_the_catalogue() -> None:
    # Every runner-facing word goes through the catalogue now: the allowance stays empty, so each
    # page and feed test above fails on any new English text outside it.
    assert not NOT_YET_WRAPPED, "wrap these (tests/i18n_leaks.py lists what still leaks)"


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


# A running plan whose first week shows every way a day is read: a telling word ("Intervals"),
# an event without one (an easy run), the week's clearly longest run, and days with nothing.
RUNNING_PLAN = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//pseudo//EN\r
BEGIN:VEVENT\r
UID:a@test\r
DTSTAMP:20261101T000000Z\r
DTSTART;VALUE=DATE:20261229\r
SUMMARY:Club session 8 km\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:b@test\r
DTSTAMP:20261101T000000Z\r
DTSTART;VALUE=DATE:20261231\r
SUMMARY:Intervals 6x800m\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:c@test\r
DTSTAMP:20261101T000000Z\r
DTSTART;VALUE=DATE:20270103\r
SUMMARY:Outing 24 km\r
END:VEVENT\r
END:VCALENDAR\r
"""
SUBSCRIBE = f"/plans/marathon?race={RACE}&days=tue,thu,sat"


@pytest.fixture
def runplan_pseudo(frozen_today: None, tmp_path: Path, server: str) -> Iterator[FlaskClient]:
    """The pseudo app allowed to read running plans from the local test server."""
    Handler.bodies = {"/plan.ics": RUNNING_PLAN}
    allow = server.removeprefix("http://")
    app = with_store(tmp_path, BABEL_DEFAULT_LOCALE=DATE_LOCALE, RUNPLAN_ALLOW=allow)
    install(app)
    try:
        yield app.test_client()
    finally:
        readings(app).wait()
        app.extensions["store"].close()


def with_running_plan(data: list[str]) -> list[str]:
    """Plan data, the running plan's own titles and words (the runner's calendar, not ours)
    and the reason phrase its server gave with a failing status (its words, not ours)."""
    reading = read_plan(RUNNING_PLAN, date(2026, 12, 28), date(2027, 4, 18))
    own = {t for d in reading.days for t in d.titles} | {d.word for d in reading.days if d.word}
    return longest_first([*data, *own, "Internal Server Error"])


@pytest.fixture
def runplan_data(data: list[str]) -> list[str]:
    return with_running_plan(data)


def section(page: str, start: str) -> str:
    """The page's <section> that holds `start`, alone, less the week-change notes the schedule
    words (the whole page's check, allowance and all, covers those)."""
    begin = page.rindex("<section", 0, page.index(start))
    found = page[begin : page.index("</section>", begin)]
    return re.sub(r'<ul class="week-changes">.*?</ul>', "", found, flags=re.DOTALL)


def clean(page: str, data: list[str]) -> dict[str, set[str]]:
    """What bypassed the catalogue: on the whole page (less the allowance) and, with no
    allowance at all, in the running-plan and week-change sections this test is about."""
    found = {"page": bypassed(visible_html(page), data)}
    for start in ('id="running-plan-title"', 'id="adjust-title"'):
        if start in page:
            found[start] = set(leaks(visible_html(section(page, start)), data))
    return {where: words for where, words in found.items() if words}


def managed_with_running_plan(client: FlaskClient, server: str) -> tuple[str, str]:
    body = {"distance": "marathon", "race": RACE, "running_plan_url": f"{server}/plan.ics"}
    plan = client.post("/api/subscriptions", json=body).json or {}
    return local(plan["manage_url"]), local(plan["feed_url"])


def saved(client: FlaskClient, manage: str, **fields: str) -> str:
    """The manage page after the running-plan form is saved with `fields` (its flash shown)."""
    page = client.get(manage).text
    days = re.search(r'name="running_plan_days" value="([^"]+)"', page)
    url = re.search(r'name="running_plan_url" value="([^"]*)"', page)
    assert days and url
    data = {"csrf_token": form_token(page), "revision": "0", "action": "save"}
    data |= {"running_plan_url": url[1], "running_plan_days": days[1], **fields}
    assert client.post(f"{manage}/running-plan", data=data).status_code == 303
    return client.get(manage).text


def running_plan_pages(client: FlaskClient, server: str) -> dict[str, str]:
    """The manage page with a running plan read (each way a day is read, a weekday's choice and
    a date's correction), with a fetch problem, as a preview, and refusing two forms."""
    manage, feed = managed_with_running_plan(client, server)
    pages = {"corrected": saved(client, manage, **{"every-tue": "easy", "day-2026-12-31": "rest"})}
    assert 'id="running-plan-corrections"' in pages["corrected"]
    token = form_token(pages["corrected"])
    address = {"csrf_token": token, "running_plan_url": f"{server}/plan.ics"}
    preview = client.post(f"{manage}/running-plan/read", data=address)
    assert preview.status_code == 200 and "<caption>" in preview.text
    nothing = client.post(f"{manage}/running-plan/read", data={"csrf_token": token})
    assert nothing.status_code == 400
    forged = {"csrf_token": token, "running_plan_days": "2026-12-28:lher", "every-tue": "x"}
    bad = client.post(f"{manage}/running-plan", data=forged)
    assert bad.status_code == 400
    pages |= {"preview": preview.text, "no source": nothing.text, "bad kind": bad.text}
    Handler.failing.add("/plan.ics")
    with later():
        client.get(feed)
        readings(client.application).wait()
        pages["fetch problem"] = client.get(manage).text
    assert 'id="running-plan-problem"' in pages["fetch problem"]
    return pages


def subscribe_pages(client: FlaskClient) -> dict[str, str]:
    """The plan page's Subscribe form given an http:// running plan, refused beside its field;
    then without one, and the new plan's page with its keep-this-link banner."""
    token = form_token(client.get(SUBSCRIBE).text)
    data = {"csrf_token": token, "race": RACE, "days": "tue,thu,sat"}
    refused = client.post(
        "/plans/marathon/subscribe", data={**data, "running_plan_url": "http://x.org/plan.ics"}
    )
    assert refused.status_code == 400
    assert 'id="running_plan_url-error" data-field="running_plan_url">⟦' in refused.text
    created = client.post("/plans/marathon/subscribe", data=data)
    assert created.status_code == 303
    page = client.get(created.headers["Location"]).text
    assert 'id="save-title"' in page
    return {"refused": refused.text, "created": page}


def adjust_form(page: str, kind: str) -> dict[str, str]:
    """The first move or skip form's fields as the manage page offers them."""
    form = page[page.index(f"/adjust/{kind}") :]
    slot = re.search(r'name="slot" value="([^"]+)"', form)
    assert slot
    fields = {"csrf_token": form_token(page), "slot": slot[1]}
    if kind == "move":
        to = re.search(r'<option value="([\d-]+)">', form)
        assert to
        fields["to"] = to[1]
    return fields


def week_change_pages(client: FlaskClient) -> dict[str, str]:
    """The manage page's week-change section after a move, a skip and a pause (each listed
    with its Undo), a refused move, one undo and the undo of all."""
    plan = client.post("/api/subscriptions", json={"distance": "marathon", "race": RACE}).json
    manage = local((plan or {})["manage_url"])
    pages = {"fresh": client.get(manage).text}
    for kind in ("move", "skip"):
        fields = adjust_form(client.get(manage).text, kind)
        assert client.post(f"{manage}/adjust/{kind}", data=fields).status_code == 303
        pages[kind] = client.get(manage).text  # its "done" note, the change listed with Undo
    pause = {"csrf_token": form_token(pages["skip"]), "from": "2027-01-11", "days": "7"}
    assert client.post(f"{manage}/adjust/pause", data=pause).status_code == 303
    pages["pause"] = client.get(manage).text
    assert pages["pause"].count('name="item"') == 3 and 'id="adjust-changes"' in pages["pause"]
    passed = {**adjust_form(pages["pause"], "move"), "to": "2026-11-20"}
    refused = client.post(f"{manage}/adjust/move", data=passed)
    assert refused.status_code == 422
    pages["refused"] = refused.text
    undo = {"csrf_token": form_token(pages["pause"]), "item": "pause:2027-01-11+7"}
    assert client.post(f"{manage}/adjust-undo", data=undo).status_code == 303
    pages["undone"] = client.get(manage).text
    clear = {"csrf_token": form_token(pages["undone"])}
    assert client.post(f"{manage}/adjust-clear", data=clear).status_code == 303
    pages["cleared"] = client.get(manage).text
    return pages


def unclean(pages: dict[str, str], data: list[str]) -> dict[str, dict[str, set[str]]]:
    found = {state: clean(page, data) for state, page in pages.items()}
    return {state: words for state, words in found.items() if words}


def test_the_running_plan_section_speaks_only_through_the_catalogue(
    runplan_pseudo: FlaskClient, server: str, runplan_data: list[str]
) -> None:
    assert unclean(running_plan_pages(runplan_pseudo, server), runplan_data) == {}


def test_the_subscribe_form_refusing_a_running_plan_speaks_only_through_the_catalogue(
    runplan_pseudo: FlaskClient, runplan_data: list[str]
) -> None:
    assert unclean(subscribe_pages(runplan_pseudo), runplan_data) == {}


def test_the_week_change_section_speaks_only_through_the_catalogue(
    pseudo: FlaskClient, data: list[str]
) -> None:
    assert unclean(week_change_pages(pseudo), data) == {}


def test_the_running_plan_and_week_change_sections_name_days_in_the_locale(
    german: FlaskClient,
) -> None:
    body = {"distance": "marathon", "race": RACE, "running_plan_ics": RUNNING_PLAN.decode()}
    plan = german.post("/api/subscriptions", json=body).json or {}
    manage = local(plan["manage_url"])
    page = saved(german, manage, **{"every-tue": "easy", "day-2026-12-31": "rest"})
    assert '<label for="every-tue">Dienstag</label>' in page
    assert "<caption>Week of Montag, 28. Dezember 2026</caption>" in page
    assert '<label for="day-2026-12-29">Di., 29. Dez.</label>' in page
    assert "Every Dienstag: Easy run" in page and "Do., 31. Dez.: Rest" in page
    assert "your choice for every Dienstag" in page
    # This week's sessions to move or skip, and the days they may move to.
    adjust = section(page, 'id="adjust-title"')
    assert re.search(r"<strong>\w\w\., \d+\. \w+\.?: ", adjust), adjust[:400]
    assert "Tue" not in adjust and "Dec" not in adjust


def test_names_chosen_at_import_are_read_in_the_current_locale(pseudo_app: Flask) -> None:
    rules = Rules(frozenset({1, 3}), WeeklyRuns(6), date(2027, 4, 18), date(2026, 12, 28), 10)
    with pseudo_app.test_request_context():
        assert DISTANCE_NAMES["half-marathon"] == "⟦Half marathon⟧"
        assert PHASE_NAMES["specific"] == "⟦Race-specific⟧"
        assert (
            Closed.NEAR_LONG_RUN.words(rules, 72) == "⟦less than ⟧72⟦ hours before your long run⟧"
        )
        assert Closed.TAPER.words(rules).startswith("⟦inside the last ⟧10⟦ days")
    # Outside an app (the pure core on its own) they are the English source.
    assert DISTANCE_NAMES["half-marathon"] == "Half marathon"
    assert Closed.NEAR_LONG_RUN.words(rules, 72) == "less than 72 hours before your long run"


def test_one_schedule_is_said_in_each_catalogue_that_asks(
    pseudo_app: Flask, library: Library
) -> None:
    """The core returns facts, so a schedule built once is worded in the locale that reads it."""
    adjust = parse("skip:week-02/foot-and-shin/1")
    request = Request("5k", date(2027, 4, 18), days=frozenset({5}), adjust=adjust)
    schedule = build(library, request)  # outside any app: no catalogue at build time
    week = schedule.weeks[1]
    name = library.routine("foot-and-shin").name
    with pseudo_app.test_request_context():
        assert describe_adaptation(schedule).startswith("⟦You have the full ⟧16⟦ weeks")
        assert ": ⟦the day before your long run⟧⟦. Add a training day" in unplaced_note(
            library, week.unplaced[0]
        )
        assert change_text(library, week.changes[0]) == f"⟦⟧{name}⟦: skipped at your request.⟧"
    assert describe_adaptation(schedule).startswith("You have the full 16 weeks")
    assert "Sat 9 Jan: the day before your long run. Add" in unplaced_note(
        library, week.unplaced[0]
    )
    assert change_text(library, week.changes[0]) == f"{name}: skipped at your request."


def test_a_session_that_no_longer_fits_is_said_in_whole_messages(
    pseudo_app: Flask, library: Library
) -> None:
    # Tuesday no longer hard: week 2's second leg-heavy session has no day.
    old = Choices("10k", date(2027, 4, 18), days=frozenset({1, 3, 5}), hard=frozenset({1, 3}))
    new = replace(old, hard=frozenset({3}))
    with pseudo_app.test_request_context():
        said = newly_unplaced(library, old, new)[0]
    assert said == (
        "⟦Week ⟧2⟦: ⟧⟦⟧Foundation Strength B⟦ (⟧⟦leg-heavy session⟧⟦) did not fit.⟧"
        "⟦ Its week below says why each day could not take it.⟧"
    )
    assert newly_unplaced(library, old, new)[0] == (
        "Week 2: Foundation Strength B (leg-heavy session) did not fit."
        " Its week below says why each day could not take it."
    )


def test_a_value_of_the_wrong_type_is_said_through_the_catalogue(pseudo_app: Flask) -> None:
    with pseudo_app.test_request_context():
        said = wrong_type("alarm", "a whole number of minutes, or null", [30]).message
    assert said == "⟦'⟧alarm⟦' must be ⟧a whole number of minutes, or null⟦; got ⟧⟦a list⟧⟦.⟧"
    english = wrong_type("alarm", "a whole number of minutes, or null", "30").message
    assert english == "'alarm' must be a whole number of minutes, or null; got a string."


def test_what_the_script_says_comes_through_the_catalogue(pseudo: FlaskClient) -> None:
    page = pseudo.get("/").text
    found = re.search(r'<script type="application/json" id="script-text">(.*?)</script>', page)
    assert found, "the page carries the script's messages"
    messages = json.loads(found[1])
    assert len(messages) >= 9
    assert all(m.startswith(OPEN) and m.endswith(CLOSE) for m in messages.values())
