"""The human pages through the Flask client: status codes, errors by their fields, links."""

from __future__ import annotations

import json
import re
import struct
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from icscheck import parse_both

from feeds.plans import DISTANCES, Library
from feeds.schedule import first_monday

TODAY = date(2026, 11, 25)
# Week 1 starts on the Monday after today, so this race gives exactly 16 weeks.
RACE_16 = first_monday(TODAY) + timedelta(weeks=15, days=6)
FEEDS = Path(__file__).resolve().parent.parent / "feeds"
PUBLIC = "https://plans.example.org"


@pytest.fixture
def client(read_only_client: FlaskClient) -> FlaskClient:
    """This module's tests only read feeds and pages: they share one app (conftest)."""
    return read_only_client


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.mimetype == "text/html"
    return response.text


def static(client: FlaskClient, url: str) -> bytes:
    """A static file's bytes; the response is closed so no file handle leaks."""
    with client.get(url) as response:
        assert response.status_code == 200, url
        return response.data


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def link(html: str, client_name: str) -> str:
    match = re.search(rf'data-client="{client_name}" href="([^"]*)"', html)
    assert match, client_name
    return unescape(match[1])


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error"[^>]*>([^<]*)</p>', html)
    assert match, field
    return unescape(match[1])


def test_home_offers_every_distance_with_art_and_focus(
    client: FlaskClient, library: Library
) -> None:
    html = page(client, "/")
    for distance in DISTANCES:
        assert f'href="/plans/{distance}"' in html
        art = re.search(rf'src="(/static/art/{distance}\.[0-9a-f]{{12}}\.svg)"', html)
        assert art, distance
        assert unescape(library.programs[distance].focus) in unescape(html)
        assert static(client, art[1]).startswith(b"<svg")


def test_plan_page_shows_the_16_units_and_an_empty_form(
    client: FlaskClient, library: Library, distance: str
) -> None:
    html = page(client, f"/plans/{distance}")
    assert len(re.findall(r'<th scope="row" data-label="Week">', html)) == 16
    for name in ("race", "start", "days", "long", "when", "time", "tz", "alarm"):
        assert f'name="{name}"' in html
    assert f'value="{TODAY}"' in html  # start defaults to today
    assert 'id="result"' not in html and 'field-error" id="race-error" data-field="race">' in html
    assert library.programs[distance].name in html


def test_unknown_distance_is_a_404_page(client: FlaskClient) -> None:
    html = page(client, "/plans/mile", 404)
    assert "There is no program for that distance: choose 5K, 10K" in html
    assert "mile" not in html.partition("<main")[2].partition("</main>")[0]
    assert all(f'href="/plans/{d}"' in html for d in DISTANCES)  # what to do next


def test_submitting_shows_the_dated_weeks(client: FlaskClient, distance: str) -> None:
    html = page(client, f"/plans/{distance}?race={RACE_16}&start=&when=allday&time=07:00&tz=")
    assert len(re.findall(r'<li class="week[^"]*" id="week-\d+"', html)) == 16
    assert "You have the full 16 weeks: the program runs as written." in html
    assert "Your plan: 16 weeks to race day" in html


def test_fewer_weeks_are_explained_in_plain_words(client: FlaskClient) -> None:
    race = RACE_16 - timedelta(weeks=4)
    html = page(client, f"/plans/marathon?race={race}")
    assert len(re.findall(r'id="week-\d+"', html)) == 12
    assert "You have 12 weeks, not 16, so 4 weeks of the program are left out" in html


def test_this_week_is_highlighted(client: FlaskClient) -> None:
    html = page(client, "/plans/10k?race=2027-02-21&start=2026-11-02")
    current = re.findall(
        r'<li class="week week-current" id="week-(\d+)" aria-current="date">', html
    )
    assert current == ["4"]  # 2026-11-23 to 2026-11-29 holds today
    assert html.count("This week</span>") == 1


@pytest.mark.parametrize(
    ("query", "field", "status", "words"),
    [
        ("race=2028-01-01", "race", 422, "more than a year away"),
        ("race=2026-11-01", "race", 422, "has already passed"),
        ("race=", "race", 400, "Enter the date of your race."),
        (f"race={RACE_16}&start=2026-01-01", "start", 422, "more than the 60 a plan runs"),
        (f"race={RACE_16}&when=timed&time=07:00&tz=", "tz", 400, "Enter your time zone"),
        (
            f"race={RACE_16}&when=timed&time=07:00&tz=Mars/Base",
            "tz",
            400,
            "Enter your time zone as region",
        ),
        (f"race={RACE_16}&when=timed&time=25:00&tz=UTC", "time", 400, "Enter the time as hours"),
        (f"race={RACE_16}&days=tue&days=someday", "days", 400, "Tick the days"),
    ],
)
def test_errors_stand_next_to_their_field(
    client: FlaskClient, query: str, field: str, status: int, words: str
) -> None:
    html = page(client, f"/plans/5k?{query}", status)
    message = field_error(html, field)
    assert words in message
    assert not re.search(r"'(race|start|days|tz|time)'", message)  # no parameter names
    assert not re.search(r"\d{4}-\d{2}-\d{2}", message)  # dates as people write them
    assert not re.search(r"Mars|someday|25:00", message)  # no echo of what was typed
    assert re.search(rf'id="{field}-input"[^>]*aria-invalid="true"', html)
    assert f'<a href="#{field}-input">' in html  # the summary links to the field
    assert 'id="subscribe"' not in html


def test_every_wrong_field_gets_its_own_message(client: FlaskClient) -> None:
    query = "race=2028-01-01&days=tue&days=caturday&when=timed&time=07:00&tz=Mars/Base"
    # Malformed fields (400) come before a well-formed but impossible race date (422).
    html = page(client, f"/plans/ultra?{query}", 400)
    assert "more than a year away" in field_error(html, "race")
    assert field_error(html, "days") == "Tick the days you can do strength work."
    assert "Enter your time zone as region and city" in field_error(html, "tz")
    assert field_error(html, "time") == "" and field_error(html, "long") == ""
    assert html.count('<li><a href="#') == 3
    summary = html.partition('class="error-summary"')[2].partition("</div>")[0]
    links = re.findall(r'<li><a href="#(\w+)-input">([^<]+)</a></li>', summary)
    assert links == [("race", "Race date"), ("days", "Training days"), ("tz", "Time zone")]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/plan?distance=5k&race=18.04.2027", 400),
        ("/plans/5k?race=someday&tz=Mars/Base&when=timed&time=7am", 400),
        ("/plans/relay?race=2027-04-18", 404),
        ("/routines/hip-bridge", 404),
        ("/no/such/page", 404),
        ("/plans/5k?race=2026-01-18", 422),
        ("/plans/5k?race=2028-04-18", 422),
        ("/plans/5k?race=2027-04-18&start=2027-05-01", 422),
    ],
)
def test_error_messages_speak_a_runner_s_words(client: FlaskClient, url: str, status: int) -> None:
    html = unescape(page(client, url, status))
    main = re.sub(r"<[^>]+>", "\n", html.partition("<main")[2].partition("</main>")[0])
    messages = [m for m in re.findall(r"(?:alert|field-error)[^>]*>([^<]+)<", html)]
    assert messages, url
    for message in messages:
        assert not re.search(r"\d{4}-\d{2}-\d{2}", message)  # "Sunday 18 January 2026"
        assert not re.search(r"'\w+'|\b(tz|race=|YYYY|HH:MM)\b", message)  # no raw names
        assert not re.search(r"relay|hip-bridge|someday|Mars|7am|18\.04", message)  # no echo
    # No message twice: the error summary names the fields, their messages stand beside them.
    lines = [line.strip() for line in main.splitlines()]
    for message in {m.strip() for m in messages if m.strip()}:
        assert lines.count(message) == 1, message


def test_a_404_page_says_what_to_do_next(client: FlaskClient) -> None:
    html = page(client, "/no/such/page", 404)
    assert "There is no page at this address." in html
    assert all(f'href="/plans/{d}"' in html for d in DISTANCES) and 'href="/"' in html


def test_the_form_keeps_what_was_entered_after_an_error(client: FlaskClient) -> None:
    html = page(client, "/plans/5k?race=2028-01-01&days=tue&days=fri&long=sat&alarm=30", 422)
    assert 'value="2028-01-01"' in html
    assert re.search(r'value="tue"[^>]* checked', html)
    assert re.search(r'value="fri"[^>]* checked', html)
    assert '<option value="sat" selected>' in html and '<option value="30" selected>' in html


def preview_links(client: FlaskClient) -> tuple[str, str]:
    query = f"race={RACE_16}&days=tue&days=thu&days=sat&when=timed&time=06:30&tz=Europe/Berlin"
    html = page(client, f"/plans/half-marathon?{query}")
    feed = (
        f"{PUBLIC}/feeds/half-marathon.ics?race={RACE_16}&start={TODAY}"
        "&days=tue,thu,sat&time=06:30&tz=Europe/Berlin"
    )
    return html, feed


def test_the_preview_has_one_subscribe_and_folds_the_plain_feed_url(client: FlaskClient) -> None:
    html, feed = preview_links(client)
    box = html.split('id="subscribe-title"')[1].split("</section>")[0]
    # One primary path: the form that stores a plan you can change; no calendar buttons here.
    assert 'action="/plans/half-marathon/subscribe"' in box and ">Subscribe</button>" in box
    assert "data-client=" not in html
    other = unescape(box.split('<details class="other-ways">')[1].split("</details>")[0])
    assert "a feed URL you can't change later" in other
    assert f'id="feed-link" class="feed-link" type="url" readonly value="{feed}"' in other
    assert "Just the file (won't update)" in other


def test_the_subscribed_feed_and_the_download_both_serve(client: FlaskClient) -> None:
    html, feed = preview_links(client)
    path = feed.removeprefix(PUBLIC)
    subscribed = client.get(path)
    assert subscribed.status_code == 200 and subscribed.mimetype == "text/calendar"
    download = [h for h in hrefs(html) if "download=1" in h]
    assert download == [feed + "&download=1"]
    answer = client.get(download[0].removeprefix(PUBLIC))
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert len(parse_both(answer.data).events) == len(parse_both(subscribed.data).events)


QR_LINES = re.compile(r'class="qrline"[^>]* d="([^"]+)"')
QR_ALT = "QR code: open this plan on your phone"


def qr_image(html: str) -> str:
    """The plan page's QR code: its own image, loaded lazily (a phone hides it, never loads it)."""
    match = re.search(r'<div class="qr-code"><img src="([^"]+)" alt="([^"]+)"[^>]*>', html)
    assert match and unescape(match[2]) == QR_ALT, html.split('class="qr-code"')[1][:300]
    assert 'loading="lazy"' in match[0] and "<svg" not in html.split("qr-box")[1]
    return unescape(match[1])


def test_qr_code_opens_this_plan_page(client: FlaskClient) -> None:
    import segno

    html, _ = preview_links(client)
    query = f"race={RACE_16}&start={TODAY}&days=tue,thu,sat&time=06:30&tz=Europe/Berlin"
    target = f"{PUBLIC}/plans/half-marathon?{query}#subscribe"
    src = qr_image(html)
    assert src == f"/plans/half-marathon/qr.svg?{query}"
    image = client.get(src)
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"
    expected = QR_LINES.findall(segno.make(target, error="m").svg_inline(border=4))
    assert QR_LINES.findall(image.text) == expected
    assert image.text.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox=')
    # The page's own link always draws the same code: shared caches keep it a year.
    assert image.cache_control.public and image.cache_control.immutable
    assert image.cache_control.max_age == 365 * 24 * 3600
    assert page(client, target.removeprefix(PUBLIC).split("#")[0]).count('id="week-') == 16


def test_a_qr_code_asked_another_way_encodes_the_canonical_page_briefly_kept(
    client: FlaskClient,
) -> None:
    """Without a start date the code means "from today", which changes tomorrow."""
    import segno

    image = client.get(f"/plans/10k/qr.svg?race={RACE_16}&days=tue&days=thu")
    assert image.status_code == 200
    target = f"{PUBLIC}/plans/10k?race={RACE_16}&start={TODAY}&days=tue,thu#subscribe"
    expected = QR_LINES.findall(segno.make(target, error="m").svg_inline(border=4))
    assert QR_LINES.findall(image.text) == expected
    assert not image.cache_control.immutable and image.cache_control.max_age == 300


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 400),  # no race: the page shows the empty form, there is no plan to draw
        ("race=someday", 400),
        ("race=2027-04-18&days=funday", 400),
        ("race=2028-04-18", 422),  # too far ahead, as the page says
        ("race=2020-04-18", 422),
    ],
)
def test_a_qr_code_is_drawn_only_for_a_plan_the_page_would_show(
    client: FlaskClient, query: str, status: int
) -> None:
    answer = client.get(f"/plans/marathon/qr.svg?{query}")
    assert answer.status_code == status and answer.mimetype == "text/html"
    assert client.get(f"/plans/marathon?{query}").status_code == (status if query else 200)
    assert "max-age=31536000" not in answer.headers.get("Cache-Control", "")


def test_no_qr_code_for_an_unknown_distance(client: FlaskClient) -> None:
    answer = client.get(f"/plans/relay/qr.svg?race={RACE_16}")
    assert answer.status_code == 404 and b"<svg" not in answer.data


def test_preview_offers_a_changeable_plan_with_the_canonical_choices(client: FlaskClient) -> None:
    """The "plan I can change" form carries the same parameters as the feed link."""
    html = page(client, "/plans/10k?race=2027-04-18&days=tue&days=thu&long=sat&start=2026-11-30")
    form = html[html.index('action="/plans/10k/subscribe"') :].split("</form>")[0]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert {k: v for k, v in hidden.items() if k != "csrf_token"} == {
        "race": "2027-04-18",
        "start": "2026-11-30",
        "days": "tue,thu",
        "long": "sat",
    }
    assert ">Subscribe</button>" in form


def test_routine_page_shows_exercises_video_and_where_it_is_used(
    client: FlaskClient, library: Library
) -> None:
    routine = library.routine("hip-activation")
    html = unescape(page(client, "/routines/hip-activation"))
    for exercise in routine.exercises:
        assert exercise.name in html and exercise.dose in html and exercise.cue in html
    assert routine.video in html
    assert re.search(r'href="/plans/5k">5K strength</a>: weeks? [\d, ]+', html)
    page(client, "/routines/no-such-routine", 404)


def test_manifest_names_the_app_and_its_icons(client: FlaskClient) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] and manifest["short_name"] and manifest["start_url"] == "/"
    assert manifest["display"] == "standalone" and manifest["theme_color"].startswith("#")
    sizes = {i["sizes"] for i in manifest["icons"] if i["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        body = static(client, icon["src"])
        if icon["type"] == "image/png":
            assert png_size(body) == tuple(int(n) for n in icon["sizes"].split("x"))
    html = page(client, "/")
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    apple = re.search(r'rel="apple-touch-icon" href="([^"]+)"', html)
    assert apple and png_size(static(client, apple[1])) == (180, 180)


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", body[16:24])
    return width, height


ALLOWED_HOSTS = {"calendar.google.com", "outlook.live.com", "outlook.office.com"}


def test_no_external_urls_in_templates_or_static_files() -> None:
    for path in [*FEEDS.glob("templates/*"), *FEEDS.rglob("static/**/*")]:
        if path.is_dir() or path.suffix == ".png":
            continue
        text = path.read_text()
        if path.name == "about.html":
            # The sources are links to follow, never anything the page loads.
            text = re.sub(r'<a href="https?://[^"]+">', "", text)
        for url in re.findall(r"https?://[^\s\"'<>)]+", text):
            host = urlsplit(url).netloc
            # SVG's xmlns is a name, not a fetch.
            assert host in ALLOWED_HOSTS or url == "http://www.w3.org/2000/svg", (path, url)


def test_rendered_pages_load_nothing_from_elsewhere(client: FlaskClient, library: Library) -> None:
    html, _ = preview_links(client)
    for url in [
        *re.findall(r'src="([^"]+)"', html),
        *re.findall(r'<link[^>]+href="([^"]+)"', html),
    ]:
        assert url.startswith("/"), url
    videos = {urlsplit(r.video).netloc for r in library.routines.values()}
    for url in hrefs(html):
        host = urlsplit(url).netloc
        assert not host or host in ALLOWED_HOSTS | videos | {"plans.example.org"}, url


def test_every_page_has_landmarks_and_one_h1(client: FlaskClient) -> None:
    pages = ["/", "/plans/ultra", f"/plans/ultra?race={RACE_16}", "/routines/lunge-matrix"]
    for url in [*pages, "/about"]:
        html = page(client, url)
        assert html.count("<h1") == 1
        assert '<main id="main"' in html and "<header" in html and "<footer" in html
        assert 'href="#main"' in html  # skip link


def test_about_page_names_audience_sources_health_and_storage(client: FlaskClient) -> None:
    html = unescape(page(client, "/about"))
    for heading in ["Who they are for", "What they rest on", "Health note", "What we store"]:
        assert heading in html
    sources = re.findall(r'<a href="(https?://[^"]+)">', html)
    assert len(sources) >= 8
    assert "https://pmc.ncbi.nlm.nih.gov/articles/PMC5889786" in sources
    assert "two fingerprints (SHA-256 digests)" in html
    assert "We keep the plan until you delete it" in html
    assert "only the two fingerprints remain" in html


@pytest.mark.parametrize(
    "url", ["/", "/plans/5k", f"/plans/5k?race={RACE_16}", "/routines/hip-activation"]
)
def test_every_page_footer_links_the_about_page(client: FlaskClient, url: str) -> None:
    footer = page(client, url).split('<footer class="site-footer">')[1]
    assert 'href="/about"' in footer


def test_the_create_form_links_what_is_stored(client: FlaskClient) -> None:
    html = page(client, f"/plans/marathon?race={RACE_16}")
    offer = html.split('class="managed-offer"')[1].split("</form>")[0]
    assert 'href="/about#stored"' in offer


def test_home_asks_for_distance_and_race_date_first(client: FlaskClient) -> None:
    html = page(client, "/")
    form = html.split('<form class="race-form')[1].split("</form>")[0]
    assert 'method="get" action="/plan"' in form
    assert form.count('type="radio" name="distance"') == len(DISTANCES)
    assert f'type="date" id="home-race-input" name="race" required min="{TODAY}"' in form
    assert html.index('class="race-form') < html.index('class="cards"')


def test_the_home_form_lands_on_the_dated_plan(client: FlaskClient) -> None:
    response = client.get(f"/plan?distance=half-marathon&race={RACE_16}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/plans/half-marathon?race={RACE_16}#result"
    html = page(client, response.headers["Location"])
    assert len(re.findall(r'id="week-\d+"', html)) == 16


def test_the_home_form_without_a_date_opens_the_program(client: FlaskClient) -> None:
    response = client.get("/plan?distance=ultra&race=")
    assert response.status_code == 303 and response.headers["Location"] == "/plans/ultra"


def test_the_home_form_rejects_an_unknown_distance_and_an_unreadable_date(
    client: FlaskClient,
) -> None:
    missing = page(client, f"/plan?distance=mile&race={RACE_16}", 404)
    assert "There is no program for that distance" in missing
    bad = unescape(page(client, "/plan?distance=10k&race=18.04.2027", 400))
    assert "We could not read that race date: go back and pick the day" in bad
    assert "18.04.2027" not in bad and not re.search(r"\d{4}-\d{2}-\d{2}", bad)


@pytest.mark.parametrize(("long", "before"), [("sun", "Saturday"), ("mon", "Sunday")])
def test_the_day_before_the_long_run_is_explained_next_to_the_days(
    client: FlaskClient, long: str, before: str
) -> None:
    html = page(client, f"/plans/10k?race={RACE_16}&long={long}")
    note = re.search(r'<p class="day-note" id="days-note">([^<]+)</p>', html)
    assert note and note[1].startswith(f"{before} is the day before your long run")
    label = re.search(r'<label class="check day-before-long">[^<]*<input[^>]+>', html)
    assert label and f'data-day-name="{before}"' in label[0]
    assert 'aria-describedby="days-note"' in label[0]
    assert html.count("day-before-long") == 1


def test_week_cards_show_one_week_number(client: FlaskClient) -> None:
    html = page(client, f"/plans/marathon?race={RACE_16 - timedelta(weeks=4)}")
    weeks = html.split('id="schedule-title"')[1].split('id="units-title"')[0]
    assert "Week 5" in weeks and "program week" not in weeks
