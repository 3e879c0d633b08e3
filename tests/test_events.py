"""The words of a runner's calendar, built from a schedule without HTTP (pure)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import icalendar
import pytest

from feeds.calendars import calendar_name, feed_for, meta_of
from feeds.choices import Choices
from feeds.events import Entry, entries, forget, long_date, short_date, when
from feeds.kit import needs
from feeds.placement import Where
from feeds.plans import DISTANCES, Library
from feeds.routines import LEVELS
from feeds.schedule import Request, Session, build

BASE = "https://plans.example.org/"


def test_a_home_marathon_for_a_new_lifter_needs_no_barbell(library: Library) -> None:
    home = needs(library, build(library, Request("marathon", date(2027, 5, 9), level="new",
                                                 equipment="home")))  # fmt: skip
    assert home and not [item for item in home if "barbell" in item.lower()]
    assert len(home) == len(set(home))
    gym = needs(library, build(library, Request("marathon", date(2027, 5, 9))))
    assert [item for item in gym if "barbell" in item.lower()]


def test_with_no_equipment_the_kit_is_bodyweight_things(library: Library) -> None:
    kit = needs(
        library, build(library, Request("half-marathon", date(2027, 5, 9), equipment="none"))
    )
    assert kit and not [item for item in kit if "dumbbell" in item.lower() or "barbell" in item]


def week_events(events: list[Entry]) -> list[Entry]:
    return [e for e in events if e.category == "Week"]


def test_weekly_unlock_keeps_the_sunday_events_and_others_get_them_in_sessions(
    library: Library,
) -> None:
    schedule = build(library, Request("10k", date(2027, 5, 9)))
    weekly = entries(library, schedule, BASE, weekly=True)
    plain = entries(library, schedule, BASE, weekly=False)
    assert len(week_events(weekly)) == len(schedule.all_weeks) == 16 + len(schedule.after)
    assert all(e.day.weekday() == 6 and "unlocked:" in e.summary for e in week_events(weekly))
    assert week_events(plain) == []
    sessions = [e for e in plain if e.category == "Strength"]
    for week in schedule.all_weeks:
        first = next(e for e in sessions if e.slot == week.sessions[0].slot)
        overview = next(e for e in weekly if e.slot == f"{week.unit.key}/unlock")
        # Nothing is lost: the week's routines and planned days, before the links.
        told = overview.description.partition("\n\n")[2]
        assert told in first.description
        assert first.description.index(told) < first.description.index("\nVideo: ")
    assert {e.slot for e in plain} == {e.slot for e in weekly} - {
        e.slot for e in week_events(weekly)
    }


def test_a_week_with_no_session_keeps_its_event_without_weekly_unlock(library: Library) -> None:
    # A race on Wednesday leaves race week no room for its primer.
    schedule = build(library, Request("10k", date(2027, 5, 12)))
    [week] = week_events(entries(library, schedule, BASE, weekly=False))
    assert week.summary == "Week 16 of 16: Race week"
    assert "Could not be placed:" in week.description


def session(where: Where) -> Session:
    return Session("w/x/1", "hip-strength", date(2027, 3, 2), 1, 2, "", where)


@pytest.mark.parametrize(
    ("where", "said"),
    [
        (Where.AFTER_HARD_RUN, "after your interval run (you named this day hard)"),
        (Where.AFTER_LONG_RUN, "after your long run (light work only)."),
        (Where.AFTER_EASY_RUN, "after your easy run (your running plan has one today)."),
        (Where.REST_DAY, "on your rest day (your running plan has no run today)."),
        (Where.EASY_OR_REST_DAY, "after an easy run or on a rest day."),
        (Where.ANY_DAY, "after an easy run or on a rest day."),
    ],
)
def test_notes_say_only_what_the_runner_told_us(where: Where, said: str) -> None:
    text = when(session(where), Request("5k", date(2027, 4, 18), hard=frozenset({1})))
    assert text.startswith(said)
    assert ("interval run" in text) == (where is Where.AFTER_HARD_RUN)


def test_every_session_says_when_and_keeps_the_plans_own_note(library: Library) -> None:
    request = Request("marathon", date(2027, 5, 9), hard=frozenset({1, 3}))
    schedule = build(library, request)
    by_slot = {s.slot: s for w in schedule.all_weeks for s in w.sessions}
    for entry in entries(library, schedule, BASE, weekly=False):
        if entry.category != "Strength":
            continue
        placed = by_slot[entry.slot]
        assert f"\nWhen: {when(placed, request)}\n" in entry.description
        if placed.note:
            assert f"\nNote: {placed.note}\n" in entry.description
        assert entry.categories == ("Strength", entry.load)
        assert (entry.load == "Heavy") == library.routine(placed.routine).heavy


def test_dates_read_as_people_write_them() -> None:
    assert long_date(date(2027, 4, 18)) == "Sunday 18 April 2027"
    assert short_date(date(2026, 12, 7)) == "Mon 7 Dec"


def test_a_managed_calendar_name_leaves_out_the_race_date(library: Library) -> None:
    choices = Choices("marathon", date(2027, 5, 9))
    assert meta_of(library, choices, "sub/7").name == "Marathon strength"
    assert meta_of(library, choices).name == "Marathon strength · race 9 May 2027"
    assert calendar_name("5k", date(2027, 4, 18), managed=True) == "5K strength"


def test_a_weekly_unlock_feed_serves_its_sunday_events(library: Library) -> None:
    choices = Choices("5k", date(2027, 4, 18))
    plain = icalendar.Calendar.from_ical(feed_for(library, choices, BASE).body)
    weekly = replace(choices, unlock_weekly=True)
    sundays = icalendar.Calendar.from_ical(feed_for(library, weekly, BASE).body)
    assert not [e for e in plain.events if "Week" in e.categories]
    assert (
        len([e for e in sundays.events if "Week" in e.categories]) == 16 + 5
    )  # and the weeks after the race


def test_a_session_text_kept_from_one_feed_is_the_one_built_afresh(library: Library) -> None:
    """Texts kept across feeds (same routine, week and wording) read as if built anew."""
    request = Request("marathon", date(2027, 5, 9), level="new", equipment="home")
    forget()
    fresh = entries(library, build(library, request), BASE)
    entries(library, build(library, replace(request, race=date(2027, 6, 6))), BASE)
    kept = entries(library, build(library, request), BASE)
    assert [e.description for e in kept] == [e.description for e in fresh]


def test_revised_routine_text_reaches_the_feed_past_kept_texts(library: Library) -> None:
    request = Request("5k", date(2027, 5, 9))
    entries(library, build(library, request), BASE)
    slug = build(library, request).sessions[0].routine
    routine = replace(library.routines[slug], summary="A summary revised since.")
    revised = replace(library, routines={**library.routines, slug: routine})
    texts = [e.description for e in entries(revised, build(revised, request), BASE)]
    assert sum("A summary revised since." in text for text in texts) >= 1
    assert "A summary revised since." not in str(
        [e.description for e in entries(library, build(library, request), BASE)]
    )


def test_kept_texts_follow_the_host_and_the_runners_kit(library: Library) -> None:
    request = Request("10k", date(2027, 5, 9))
    here = entries(library, build(library, request), BASE)
    there = entries(library, build(library, request), "https://other.example/")
    assert "https://other.example/routines/" in there[2].description + there[3].description
    assert not any("other.example" in e.description for e in here)
    home = entries(library, build(library, replace(request, equipment="none")), BASE)
    assert [e.description for e in home] != [e.description for e in here]


def test_an_entry_replaced_changes_only_what_is_named(library: Library) -> None:
    session = entries(library, build(library, Request("5k", date(2027, 5, 9))), BASE)[2]
    changed = session.replaced(description="x", url=None)
    assert (changed.description, changed.url) == ("x", None)
    assert changed.slot == session.slot and changed.unlock == session.unlock
    assert Entry(**{**session._asdict(), "text": "x", "dating": None, "url": None}) == changed
    assert session.description != "x" and session.url is not None  # the original is unchanged
    with pytest.raises(TypeError):
        session.replaced(colour="red")


MAIN_LIFT = re.compile(
    r"\(main lift\): (\d+ x [\d-]+)(?: each \w+)? with (\d+|no) reps? in reserve"
)


@pytest.mark.parametrize("distance", DISTANCES)
@pytest.mark.parametrize("level", LEVELS)
def test_the_week_overview_states_the_runners_own_reps_in_reserve(
    library: Library, distance: str, level: str
) -> None:
    """A new lifter's overview says the rep in reserve more that their sessions ask for."""
    events = entries(
        library, build(library, Request(distance, date(2027, 5, 9), level=level)), BASE
    )
    overviews = {e.day: e.description for e in events if e.category == "Week"}
    checked = 0
    for session in (e for e in events if e.category == "Strength"):
        for dose, rir in MAIN_LIFT.findall(session.description):
            name = session.summary.split(" · ")[0]
            assert session.unlock is not None
            line = f"- {name}: "
            listed = next(x for x in overviews[session.unlock].split("\n") if x.startswith(line))
            assert f"({dose} at {rir} rep" in listed, (session.summary, listed)
            checked += 1
    assert checked >= 8
