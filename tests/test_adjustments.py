"""Moves, skips and pauses: the week re-flows by the placement rules, the taper stays put."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from feeds.adjustments import Adjustments, Pause, parse
from feeds.errors import InvalidParameter
from feeds.events import entries
from feeds.plans import Library
from feeds.schedule import Request, Schedule, Week, build
from feeds.wording import change_text, refusal_text, session_note, unplaced_note

# Training Mon, Wed, Fri; long run Sunday. Week 5 (28 Dec) is the program's week-01.
PLAN = Request("marathon", date(2027, 4, 18), date(2026, 11, 25), frozenset({0, 2, 4}))
HEAVY_A = "week-01/foundation-strength-a/1"  # Wed 30 Dec


def plan(library: Library, text: str) -> Schedule:
    return build(library, replace(PLAN, adjust=parse(text)))


def days(schedule: Schedule) -> dict[str, date]:
    return {s.slot: s.day for w in schedule.all_weeks for s in w.sessions}


def week_of(schedule: Schedule, monday: date) -> Week:
    return next(w for w in schedule.all_weeks if w.monday == monday)


def test_a_move_puts_the_session_on_its_day_and_says_where_it_was(library: Library) -> None:
    before = days(build(library, PLAN))
    moved = plan(library, f"move:{HEAVY_A}:2026-12-31")
    after = days(moved)
    assert after[HEAVY_A] == date(2026, 12, 31)
    # The rest of that week re-flows; every other week stays as it was.
    others = [slot for slot in before if not slot.startswith("week-01/")]
    assert [after[slot] for slot in others] == [before[slot] for slot in others]
    week = week_of(moved, date(2026, 12, 28))
    assert [change_text(library, c) for c in week.changes] == [
        "Foundation Strength A: moved from Wed 30 Dec to Thu 31 Dec at your request.",
    ]
    session = next(s for s in week.sessions if s.slot == HEAVY_A)
    assert "moved from Wed 30 Dec at your request" in session_note(session)
    overview = next(e for e in entries(library, moved, "/") if e.slot == "week-01/unlock")
    assert "Your changes:\n- Foundation Strength A: moved from Wed 30 Dec" in overview.description


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (f"move:{HEAVY_A}:2027-01-02", "Sat 2 Jan is the day before your long run"),
        (f"move:{HEAVY_A}:2027-01-04", "outside the session's week"),
        (
            "move:week-02/foundation-strength-a/1:2027-01-07;"
            "move:week-02/foundation-strength-b/1:2027-01-08",
            "Fri 8 Jan is within 48 hours of another leg-heavy session",
        ),
        (
            "move:week-15/heavy-lower-b/1:2027-04-09",
            "kept free of heavy work",
        ),
    ],
)
def test_a_move_that_breaks_a_rule_is_refused_with_the_rule(
    library: Library, text: str, rule: str
) -> None:
    schedule = plan(library, text)
    refused = [refusal_text(why) for w in schedule.all_weeks for _, why in w.refused]
    assert len(refused) == 1
    assert rule in refused[0]
    changes = [change_text(library, c) for w in schedule.all_weeks for c in w.changes]
    assert any(rule in change for change in changes)


def test_a_skip_removes_that_session_only(library: Library) -> None:
    before = days(build(library, PLAN))
    skipped = plan(library, "skip:week-02/hip-abductor-strength/1")
    after = days(skipped)
    assert set(before) - set(after) == {"week-02/hip-abductor-strength/1"}
    assert all(after[slot] == before[slot] for slot in after)
    week = week_of(skipped, date(2027, 1, 4))
    assert [change_text(library, c) for c in week.changes] == [
        "Banded Hip Abductors: skipped at your request."
    ]
    assert [s.number for s in week.sessions] == [1, 2] and week.sessions[0].of == 2


def test_a_pause_empties_its_days_and_the_week_re_flows(library: Library) -> None:
    paused = plan(library, "pause:2027-01-11+3")
    week = week_of(paused, date(2027, 1, 11))
    assert [s.day for s in week.sessions] == [date(2027, 1, 15)] * len(week.sessions)
    assert week.sessions, "the Friday still holds what fits"
    notes = [unplaced_note(library, u) for u in week.unplaced]
    assert any("Mon 11 Jan: inside your pause" in note for note in notes)
    assert change_text(library, week.changes[0]).startswith(
        "Paused for 3 days from Mon 11 Jan to Wed 13 Jan"
    )


def test_the_taper_and_race_week_keep_their_dates_around_a_pause(library: Library) -> None:
    plain, paused = build(library, PLAN), plan(library, "pause:2027-03-22+10")
    assert [w.monday for w in paused.weeks] == [w.monday for w in plain.weeks]
    for index in (-2, -1):
        assert paused.weeks[index].sessions == plain.weeks[index].sessions
    assert paused.race == plain.race


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("move:week-01/x/1", "not one of those"),
        ("move:week-01/x/1:2027-02-30", "a real calendar date"),
        ("skip:week-01/x/1;move:week-01/x/1:2027-01-01", "one change per session"),
        ("pause:2027-01-01+0", "a pause lasts 1 to 56 days"),
        ("pause:2027-01-01+90", "a pause lasts 1 to 56 days"),
    ],
)
def test_bad_adjust_text_names_the_field(text: str, why: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        parse(text)
    assert caught.value.field == "adjust"
    assert why in caught.value.message


def test_the_text_reads_back_in_one_order() -> None:
    text = "pause:2027-02-01+7; skip:week-06/b/1;move:week-05/a/1:2027-02-04"
    adjust = parse(text)
    assert adjust.text == "move:week-05/a/1:2027-02-04;skip:week-06/b/1;pause:2027-02-01+7"
    assert parse(adjust.text) == adjust
    assert adjust.with_skip("week-05/a/1") == Adjustments(
        (), ("week-05/a/1", "week-06/b/1"), (Pause(date(2027, 2, 1), 7),)
    )
