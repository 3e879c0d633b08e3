"""Calendar output: reparsed by two parsers, stable UIDs, links, time zones, golden files."""

from __future__ import annotations

import itertools
import os
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from flask.testing import FlaskClient
from icscheck import parse_both

from feeds import create_app, ics
from feeds.fields import EQUIPMENT_NAMES, LEVEL_NAMES
from feeds.plans import Library
from feeds.schedule import WEEKDAY_NAMES

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_REQUESTS = {
    "5k-full.ics": "/feeds/5k.ics?race=2027-04-18",
    "marathon-short-timed.ics": (
        "/feeds/marathon.ics?race=2027-03-03&start=2026-12-03&days=tue,thu,sat"
        "&time=07:00&tz=Europe/Berlin&alarm=30"
    ),
    "ultra-lead-in.ics": "/feeds/ultra.ics?race=2027-10-02&start=2026-11-25&long=sat",
}


@pytest.fixture
def client(read_only_client: FlaskClient) -> FlaskClient:
    """This module's tests only read feeds and pages: they share one app (conftest)."""
    return read_only_client


def fetch(client: FlaskClient, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.data


def sessions(cal: icalendar.Calendar) -> list[icalendar.Event]:
    return [e for e in cal.events if "Strength" in [str(c) for c in e.categories]]


# Races on a Monday and a Sunday in `make check`; every other weekday in the sweeps.
@pytest.mark.parametrize(
    "weekday", [0, 6, *(pytest.param(d, marks=pytest.mark.sweep) for d in range(1, 6))]
)
def test_every_feed_parses_in_both_parsers(
    client: FlaskClient, distance: str, weekday: int
) -> None:
    race = date(2027, 4, 12) + timedelta(days=weekday)
    cal = parse_both(fetch(client, f"/feeds/{distance}.ics?race={race}"))
    cal.validate()
    assert len(cal.get("PRODID")) and str(cal["VERSION"]) == "2.0"
    assert str(cal["X-WR-CALNAME"]).endswith(f"race {race:%d %b %Y}")
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(cal["X-PUBLISHED-TTL"]) == "PT12H"
    events = cal.events
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    race_events = [e for e in events if str(e["SUMMARY"]).startswith("Race day")]
    assert [e.start for e in race_events] == [race]


def test_all_day_events_are_dates_with_exclusive_end(client: FlaskClient) -> None:
    cal = parse_both(fetch(client, "/feeds/half-marathon.ics?race=2027-05-09"))
    for event in cal.events:
        assert type(event.start) is date
        assert event.end == event.start + timedelta(days=1)
        assert event["DTSTART"].params.get("VALUE") == "DATE"
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert "VALARM" not in [c.name for c in event.subcomponents]


def test_each_session_links_its_video_and_routine_page(
    client: FlaskClient, library: Library
) -> None:
    cal = parse_both(fetch(client, "/feeds/marathon.ics?race=2027-05-09"))
    found = sessions(cal)
    assert len(found) > 30
    for event in found:
        text = str(event["DESCRIPTION"])
        url = str(event["URL"])
        assert url.startswith("https://")
        assert f"Video: {url}" in text
        assert "How to do it: https://plans.example.org/routines/" in text
        slug = text.split("/routines/")[1].split()[0]
        routine = library.routine(slug)
        for exercise in routine.exercises:
            plain = f"{exercise.name}: {exercise.dose}." in text
            # A main lift shows the week's sets x reps at reps in reserve instead of its range.
            assert plain or (exercise.main and f"{exercise.name} (main lift): " in text)
            assert exercise.cue in text
        assert routine.name in str(event["SUMMARY"])


def test_session_titles_lead_with_what_and_how_long(client: FlaskClient, library: Library) -> None:
    cal = parse_both(fetch(client, "/feeds/marathon.ics?race=2027-05-09"))
    for event in sessions(cal):
        name, minutes, week, count = str(event["SUMMARY"]).split(" · ")
        routine = next(r for r in library.routines.values() if r.name == name)
        assert minutes == f"{routine.minutes} min"
        assert re.fullmatch(r"week \d+ (of 16|after the race)", week) and re.fullmatch(
            r"\d of \d", count
        )
        # The description opens with what to do, not with where the week stands.
        assert str(event["DESCRIPTION"]).startswith(f"{name}: about {routine.minutes} min")


def test_without_weekly_unlock_each_week_opens_in_its_first_session(client: FlaskClient) -> None:
    cal = parse_both(fetch(client, "/feeds/10k.ics?race=2027-05-12"))
    assert not [e for e in cal.events if "unlocked" in str(e["SUMMARY"])]
    firsts: dict[str, icalendar.Event] = {}
    for event in sorted(sessions(cal), key=lambda e: e.start):
        firsts.setdefault(str(event["SUMMARY"]).split(" · ")[2], event)
    assert len(firsts) == 15 + 5  # and the weeks after the race
    # Race week on a Wednesday holds no session: its event stays, saying why.
    [week] = [e for e in cal.events if "Week" in [str(c) for c in e.categories]]
    assert str(week["SUMMARY"]) == "Week 16 of 16: Race week"
    assert "Planned days:\n- none" in str(week["DESCRIPTION"])
    for event in sessions(cal):
        text = str(event["DESCRIPTION"])
        first = event in firsts.values()
        assert ("This week:" in text and "Planned days:" in text) == first
    intro = [e for e in cal.events if "Program" in [str(c) for c in e.categories]]
    assert len(intro) == 1
    assert "You have the full 16 weeks" in str(intro[0]["DESCRIPTION"])


def intro_of(cal: icalendar.Calendar) -> str:
    [intro] = [e for e in cal.events if "Program" in [str(c) for c in e.categories]]
    return str(intro["DESCRIPTION"])


def named_days(intro: str, label: str) -> set[int]:
    """The weekdays the introduction names after `label`, as the runner reads them."""
    line = next(x for x in intro.splitlines() if x.startswith(label))
    return {i for i, day in enumerate(WEEKDAY_NAMES) if day in line.split(";")[0]}


@pytest.mark.parametrize(
    "query", ["hard=tue,thu", "hard=tue,thu&long=sat", "hard=mon,wed,fri", "hard=thu&long=sun"]
)
def test_heavy_sessions_keep_the_rules_read_from_the_feed_alone(
    client: FlaskClient, distance: str, query: str
) -> None:
    cal = parse_both(fetch(client, f"/feeds/{distance}.ics?race=2027-05-09&{query}"))
    intro = intro_of(cal)
    [long_day] = named_days(intro, "Long run:")
    hard = named_days(intro, "Hard run days:")
    loads = {str(c) for e in sessions(cal) for c in e.categories} - {"Strength"}
    assert loads == {"Heavy", "Light"}
    heavy = sorted({e.start for e in sessions(cal) if "Heavy" in [str(c) for c in e.categories]})
    assert heavy
    for day in heavy:
        assert day.weekday() in hard
        assert day.weekday() not in (long_day, (long_day - 1) % 7)
    assert all(b - a >= timedelta(days=2) for a, b in itertools.pairwise(heavy))


def test_notes_say_interval_run_only_on_the_days_the_runner_named_hard(
    client: FlaskClient,
) -> None:
    named = parse_both(fetch(client, "/feeds/marathon.ics?race=2027-05-09&hard=tue,thu"))
    for event in sessions(named):
        text = str(event["DESCRIPTION"])
        if "after your interval run" in text:
            assert event.start.weekday() in (1, 3)
        assert "Light" in [str(c) for c in event.categories] or "interval run" in text
    plain = parse_both(fetch(client, "/feeds/marathon.ics?race=2027-05-09"))
    texts = [str(e["DESCRIPTION"]) for e in sessions(plain)]
    assert not [t for t in texts if "interval run" in t]
    assert all("When: after an easy run or on a rest day" in t or "long run" in t for t in texts)


def test_introduction_names_the_runners_choices_and_kit(
    client: FlaskClient, library: Library
) -> None:
    query = "race=2027-05-09&equipment=home&level=new&hard=tue,thu"
    intro = intro_of(parse_both(fetch(client, f"/feeds/marathon.ics?{query}")))
    assert f"Equipment: {EQUIPMENT_NAMES['home']}." in intro
    assert f"Experience: {LEVEL_NAMES['new']}." in intro
    assert "Hard run days: Tuesday and Thursday;" in intro
    kit = intro.split("What you'll need:\n")[1].split("\n\n")[0].splitlines()
    assert kit and all(item.startswith("- ") for item in kit)
    assert not [item for item in kit if "barbell" in item.lower()]
    # One pain rule: the program's own, or the catalogue's where the program has none.
    assert intro.count("Pain rule:") == 1
    assert library.pain_rule in intro or "Pain rule:" in library.programs["marathon"].intro_text
    assert "Race day: Sunday 9 May 2027." in intro


def test_event_dates_are_written_as_people_write_them(client: FlaskClient) -> None:
    body = fetch(client, "/feeds/5k.ics?race=2027-04-04&start=2026-12-02&days=tue,thu,sat")
    for event in parse_both(body).events:
        text = f"{event['SUMMARY']}\n{event['DESCRIPTION']}"
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
        assert not re.search(r"\b0\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", text)


def test_introduction_states_the_compression(client: FlaskClient) -> None:
    cal = parse_both(fetch(client, "/feeds/marathon.ics?race=2027-02-14&start=2026-11-30"))
    intro = next(e for e in cal.events if "Program" in [str(c) for c in e.categories])
    assert intro.start == date(2026, 11, 30)
    text = str(intro["DESCRIPTION"])
    assert "You have 11 weeks, not 16, so 5 weeks of the program are left out" in text


def uid_days(body: bytes) -> dict[str, date]:
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e.start for e in cal.events}


def test_a_moved_race_moves_the_same_events(client: FlaskClient, distance: str) -> None:
    before = uid_days(fetch(client, f"/feeds/{distance}.ics?race=2027-04-18"))
    after = uid_days(fetch(client, f"/feeds/{distance}.ics?race=2027-05-02"))
    assert set(before) == set(after)
    moved = {uid for uid in before if after[uid] - before[uid] == timedelta(weeks=2)}
    assert len(moved) >= len(before) - 2  # all but the introduction/unlock edge cases


def test_fewer_weeks_keep_the_uids_of_surviving_slots(client: FlaskClient) -> None:
    full = uid_days(fetch(client, "/feeds/ultra.ics?race=2027-04-18"))
    short = uid_days(fetch(client, "/feeds/ultra.ics?race=2027-04-18&start=2027-01-11"))
    assert set(short) < set(full)


def test_same_request_gives_the_same_bytes(frozen_today: None, tmp_path: Path) -> None:
    """Rendered twice from scratch (two apps, no render cache): random UIDs would show here."""
    url = "/feeds/ultra.ics?race=2027-06-05&time=18:30&tz=America/Denver"
    bodies = []
    for name in ("one", "two"):
        config = {"FEED_CACHE_SIZE": 0, "SECRET_KEY": "t", "TESTING": True}
        app = create_app({**config, "DATABASE_URL": f"sqlite:///{tmp_path / name}.db"})
        ics.forget()  # and no memoised lines or UIDs either
        bodies.append(fetch(app.test_client(), url))
        app.extensions["store"].close()
    assert bodies[0] == bodies[1]


def test_feeds_for_different_distances_never_share_uids(client: FlaskClient) -> None:
    a = uid_days(fetch(client, "/feeds/5k.ics?race=2027-04-18"))
    b = uid_days(fetch(client, "/feeds/10k.ics?race=2027-04-18"))
    assert not set(a) & set(b)


def test_timed_events_are_utc_and_follow_daylight_saving(client: FlaskClient) -> None:
    body = fetch(client, "/feeds/5k.ics?race=2027-04-25&time=07:00&tz=Europe/Berlin")
    assert b"TZID" not in body  # UTC "Z" times need no VTIMEZONE (ics-clients.md C4)
    cal = parse_both(body)
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Berlin"
    timed = sessions(cal)
    berlin = [e.start.astimezone(icalendar.timezone.tzp.timezone("Europe/Berlin")) for e in timed]
    assert all(e.start.tzinfo is not None and e.start.utcoffset() == timedelta(0) for e in timed)
    firsts = [t for t in berlin if t.minute == 0]
    assert {t.hour for t in firsts} == {7}
    winter = [e.start for e in timed if e.start.date() < date(2027, 3, 28)]
    summer = [e.start for e in timed if e.start.date() > date(2027, 3, 28)]
    assert winter and summer
    assert {t.hour for t in winter if t.minute == 0} == {6}
    assert {t.hour for t in summer if t.minute == 0} == {5}
    for event in timed:
        assert str(event["TRANSP"]) == "OPAQUE"
        minutes = (event.end - event.start).total_seconds() / 60
        assert 5 <= minutes <= 90


def test_two_sessions_on_one_day_follow_each_other(client: FlaskClient) -> None:
    body = fetch(client, "/feeds/5k.ics?race=2027-04-18&days=wed&time=06:15&tz=Asia/Tokyo")
    timed = sessions(parse_both(body))
    by_day: dict[date, list[icalendar.Event]] = {}
    for event in timed:
        by_day.setdefault(event.start.date(), []).append(event)
    pairs = [sorted(v, key=lambda e: e.start) for v in by_day.values() if len(v) == 2]
    assert pairs
    for first, second in pairs:
        assert second.start == first.end


def test_alarm_adds_a_display_reminder(client: FlaskClient) -> None:
    cal = parse_both(fetch(client, "/feeds/10k.ics?race=2027-04-18&alarm=45"))
    for event in sessions(cal):
        alarms = [c for c in event.subcomponents if c.name == "VALARM"]
        assert len(alarms) == 1
        assert alarms[0]["TRIGGER"].dt == timedelta(minutes=-45)
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert all(not e.subcomponents for e in cal.events if e not in sessions(cal))


def test_feed_is_far_below_googles_size_cap(client: FlaskClient, distance: str) -> None:
    body = fetch(client, f"/feeds/{distance}.ics?race=2027-11-21&start=2026-11-25&alarm=10")
    assert len(body) < 1_000_000 / 2  # a 51-week plan is about 260 kB


def test_stamp_is_the_plan_revision_not_now(client: FlaskClient, library: Library) -> None:
    cal = parse_both(fetch(client, "/feeds/5k.ics?race=2027-04-18"))
    revised = datetime.combine(library.revised, datetime.min.time(), tzinfo=UTC)
    assert {e.DTSTAMP for e in cal.events} == {revised}


@pytest.mark.parametrize("name", sorted(GOLDEN_REQUESTS))
def test_golden_files(client: FlaskClient, name: str) -> None:
    """Regenerate with `make golden` after a deliberate change, and review the diff."""
    body = fetch(client, GOLDEN_REQUESTS[name])
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(body)
    assert body == path.read_bytes()


def test_lifting_sessions_state_the_weeks_effort_target(
    client: FlaskClient, library: Library
) -> None:
    cal = parse_both(fetch(client, "/feeds/5k.ics?race=2027-04-18"))
    unit = library.programs["5k"].week(5)
    squat = next(p for p in unit.sessions if p.routine == "heavy-lower-a")
    week5 = sorted(
        (e for e in cal.events if "week 5 of 16" in str(e["SUMMARY"])), key=lambda e: e.start
    )
    [session] = [e for e in week5 if str(e["SUMMARY"]).startswith("Heavy Lower A")]
    text = str(session["DESCRIPTION"])
    assert "(main lift): 3 x 6 with 3 reps in reserve this week (about RPE 7)" in text
    assert f"Note: {squat.note}" in text
    # The week's overview opens in its first session.
    assert f"once ({squat.target}; {squat.note})" in str(week5[0]["DESCRIPTION"])
    assert squat.target == "3 x 6 at 3 reps in reserve"
