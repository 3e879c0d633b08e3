"""Per-slot revisions: which events changed, and the weekly-unlock view of them (pure)."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from hashlib import sha256
from zoneinfo import ZoneInfo

import pytest

from feeds.choices import Choices
from feeds.dates import MARK
from feeds.events import Entry, entries
from feeds.ics import Revision, Timing, spans
from feeds.managed.packing import pack, unpack
from feeds.managed.revisions import (
    PlanState,
    SlotState,
    data_day,
    drift,
    fingerprints,
    from_slots,
    reconcile,
    revisions_of,
    slot_key,
)
from feeds.managed.unlock import effective, hide_locked, unlock_day
from feeds.plans import Library
from feeds.schedule import Request, build

RACE = date(2027, 4, 18)
SAVED = date(2026, 11, 25)
THEN = datetime(2026, 11, 25, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def plan_fingerprints(library: Library, choices: Choices) -> dict[str, str]:
    events = entries(library, build(library, choices.request), "/")
    return fingerprints(events, choices.timing, choices.alarm, choices.unlock_weekly)


def first_state(library: Library, choices: Choices) -> PlanState:
    return reconcile(plan_fingerprints(library, choices), PlanState(), THEN)


def changed(stored: PlanState, after: PlanState, slots: Iterable[str]) -> dict[str, Revision]:
    """The revisions `after` gives the plan's `slots` where `stored` gave another."""
    return {s: r for s, r in revisions_of(slots, after).items() if stored.revision(s) != r}


def fp(text: str) -> str:
    """A fingerprint standing for `text`."""
    return sha256(text.encode()).hexdigest()[:8]


def test_no_two_slots_of_the_shipped_data_share_a_key(library: Library) -> None:
    slots = set()
    for distance in library.programs:
        for weeks in (16, 60):
            start = RACE - timedelta(weeks=weeks - 1, days=RACE.weekday())
            slots |= set(plan_fingerprints(library, Choices(distance, RACE, start)))
    assert len({slot_key(slot) for slot in slots}) == len(slots) > 400


def test_a_new_plan_starts_every_slot_at_sequence_0(library: Library) -> None:
    current = plan_fingerprints(library, Choices("marathon", RACE))
    state = reconcile(current, PlanState(), THEN)
    assert set(revisions_of(current, state).values()) == {Revision(0, THEN)}
    assert (state.top, state.others, len(state.prints)) == (0, {}, 4 * len(current))
    assert state.fingerprints == set(current.values())


def test_the_same_choices_change_nothing(library: Library) -> None:
    choices = Choices("marathon", RACE, days=frozenset({1, 3, 5}))
    stored = first_state(library, choices)
    assert reconcile(plan_fingerprints(library, choices), stored, NOW) == stored


@pytest.mark.parametrize("shift", [timedelta(days=1), timedelta(weeks=1), timedelta(weeks=5)])
def test_a_moved_race_raises_the_sequence_of_every_moved_slot(
    library: Library, shift: timedelta
) -> None:
    before = Choices("half-marathon", RACE)
    stored = first_state(library, before)
    current = plan_fingerprints(library, replace(before, race=RACE + shift))
    after = reconcile(current, stored, NOW)
    # Without a start date the plan keeps its 16 weeks: every slot moves.
    assert set(revisions_of(current, after).values()) == {Revision(1, NOW)}
    assert after.top == 1 and not after.fingerprints & stored.fingerprints


def test_fewer_weeks_drop_slots_and_those_coming_back_go_past_every_sequence(
    library: Library,
) -> None:
    start = date(2026, 11, 30)
    before = Choices("half-marathon", RACE, start=start)
    stored = first_state(library, before)
    first = plan_fingerprints(library, before)
    shorter = plan_fingerprints(library, replace(before, race=RACE - timedelta(weeks=4)))
    after = reconcile(shorter, stored, NOW)
    assert set(first) - set(shorter), "four weeks fewer must drop some program slots"
    assert len(after.prints) == 4 * len(shorter)
    assert set(changed(stored, after, shorter).values()) == {Revision(1, NOW)}
    later = NOW + timedelta(days=2)
    again = reconcile(first, after, later)
    back = set(first) - set(shorter)
    assert {again.revision(s) for s in back} == {Revision(2, later)}
    assert again.top == 2


def test_a_slot_that_comes_back_goes_past_its_old_sequence() -> None:
    stored = from_slots(0, {slot_key("a"): SlotState(fp("x"), 3, THEN, live=False)})
    back = reconcile({"a": fp("x")}, stored, NOW)
    assert back.revision("a") == Revision(4, NOW) and back.top == 4


def test_sequences_go_past_what_weekly_unlock_served() -> None:
    stored = from_slots(0, {slot_key("a"): SlotState(fp("x"), 2, THEN)})
    assert reconcile({"a": fp("y")}, stored, NOW, ahead=1).revision("a").sequence == 4


def test_a_changed_event_is_dated_no_earlier_than_the_plan_latest_change() -> None:
    later = NOW + timedelta(hours=5)
    slots = {
        slot_key("a"): SlotState(fp("x"), 0, THEN),
        slot_key("b"): SlotState(fp("y"), 1, later),
    }
    after = reconcile({"a": fp("x2"), "b": fp("y")}, from_slots(0, slots), NOW)
    assert (after.revision("a"), after.revision("b")) == (Revision(2, later), Revision(1, later))


def test_options_change_only_the_events_they_shape(library: Library) -> None:
    before = Choices("10k", RACE)
    stored = first_state(library, before)
    current = plan_fingerprints(library, replace(before, alarm=30))
    changes = changed(stored, reconcile(current, stored, NOW), current)
    assert set(changes) == {slot for slot in current if slot.count("/") == 2}


def test_every_event_keeps_its_revision_until_it_changes_then_goes_past_all_it_was_served(
    library: Library,
) -> None:
    """Twelve random edits in a row, the state packed and read back between them: an event
    whose fingerprint is what it was serves the same revision; a changed or returning one goes
    past every sequence its slot was ever served with, and its time never goes back."""
    rng = random.Random(12)
    choices = Choices("marathon", RACE, start=date(2026, 11, 30))
    state, now = PlanState(), THEN
    served: dict[str, tuple[str, Revision]] = {}
    highest: dict[str, int] = {}
    for _ in range(12):
        current = plan_fingerprints(library, choices)
        state = unpack(pack(reconcile(current, state, now)))
        for slot, revision in revisions_of(current, state).items():
            if slot in served and served[slot][0] == current[slot]:
                assert revision == served[slot][1], slot
            elif slot in highest:
                assert revision.sequence > highest[slot] and revision.modified == now, slot
            served[slot] = (current[slot], revision)
            highest[slot] = max(highest.get(slot, -1), revision.sequence)
        served = {slot: served[slot] for slot in current}
        now += timedelta(hours=rng.randint(1, 50))
        choices = rng.choice(
            [
                replace(choices, race=choices.race + timedelta(weeks=rng.randint(-3, 3))),
                replace(choices, alarm=rng.choice([None, 15, 60])),
                replace(choices, days=frozenset(rng.sample(range(7), 3))),
                replace(choices, start=choices.start + timedelta(weeks=rng.randint(-2, 2))),
            ]
        )
    assert max(highest.values()) >= 3


def test_slots_not_among_the_others_have_the_plan_usual_revision() -> None:
    slots = {
        slot_key("a"): SlotState(fp("x"), 1, THEN),
        slot_key("b"): SlotState(fp("y"), 2, THEN),
        slot_key("c"): SlotState(fp("z"), 1, THEN),
    }
    state = from_slots(0, slots)
    assert (state.usual, set(state.others)) == (Revision(1, THEN), {slot_key("b")})
    assert revisions_of(["a", "b", "c"], state) == {
        "a": Revision(1, THEN),
        "b": Revision(2, THEN),
        "c": Revision(1, THEN),
    }


def test_revised_plan_data_is_one_sequence_past_the_stored_one_on_every_read() -> None:
    a, b = slot_key("a"), slot_key("b")
    stored = from_slots(30, {a: SlotState(fp("x"), 2, THEN), b: SlotState(fp("y"), 0, THEN)})
    stamp = datetime(2026, 12, 1, tzinfo=UTC)
    seen = drift({"a": fp("x2"), "b": fp("y")}, stored, stamp)
    assert revisions_of("ab", seen) == {"a": Revision(3, stamp), "b": Revision(0, THEN)}
    assert drift({"a": fp("x2"), "b": fp("y")}, stored, stamp) == seen  # a read changes nothing
    assert drift({"a": fp("x3"), "b": fp("y")}, stored, stamp).revision("a").sequence == 3
    assert drift({"a": fp("x")}, stored, stamp).revision("a") == Revision(2, THEN)


def test_the_data_day_counts_days_from_november_2026() -> None:
    assert data_day(date(2026, 11, 1)) == 1
    assert data_day(date(2026, 12, 1)) == 31
    assert data_day(date(2020, 1, 1)) == 1


def session(unlock: date) -> Entry:
    return Entry(
        slot="week-05/hip-strength/1",
        day=unlock + timedelta(days=2),
        summary="Hip strength · Week 5 of 16 · 1 of 2 this week",
        text="Strength, program week 5: Hips (Week 5 of 16)\nThis week: ...\nVideo: v",
        minutes=25,
        url="https://video.example/hips",
        unlock=unlock,
    )


def test_locked_entries_show_their_week_and_unlock_day_only() -> None:
    sunday = date(2026, 12, 20)
    [locked] = hide_locked([session(sunday)], today=sunday - timedelta(days=1))
    assert locked.url is None
    assert locked.description.startswith("Strength, program week 5: Hips (Week 5 of 16)\n\n")
    assert "Sunday 20 December 2026" in locked.description
    assert "Video" not in locked.description
    assert hide_locked([session(sunday)], today=sunday) == [session(sunday)]
    week = Entry("week-05/unlock", sunday, "Week 5 of 16 unlocked: Hips", "Hips\nThis week:", None)
    week = week._replace(category="Week")
    [teaser] = hide_locked([week], today=sunday - timedelta(days=1))
    assert "This week:" not in teaser.description and "Sunday 20 December" in teaser.description


def test_a_real_plans_locked_events_keep_their_first_line_written_out(library: Library) -> None:
    """A moved event's text is held with its marks: a teaser's first line is the event's own,
    written out."""
    events = entries(library, build(library, Request("marathon", date(2027, 4, 18))), "/")
    hidden = hide_locked(events, today=date(2026, 12, 27))
    teasers = [(e, h) for e, h in zip(events, hidden, strict=True) if h is not e]
    assert len(teasers) > 20 and any(e.dating for e, _ in teasers)
    for entry, teaser in teasers:
        week = entry.description.splitlines()[0]
        assert teaser.description.startswith(f"{week}\n\n") and week
        assert MARK not in teaser.description and teaser.dating is None


def test_unlocking_raises_the_sequence_dated_on_the_unlock_day() -> None:
    sunday = date(2026, 12, 20)
    entry = session(sunday)
    revisions = {entry.slot: Revision(2, THEN)}
    assert effective(revisions, [entry], sunday - timedelta(days=1)) == revisions
    opened = datetime.combine(sunday, time(), tzinfo=UTC)
    assert effective(revisions, [entry], sunday) == {entry.slot: Revision(3, opened)}
    later = {entry.slot: Revision(2, opened + timedelta(days=3))}
    assert effective(later, [entry], sunday + timedelta(days=5))[entry.slot].modified == (
        opened + timedelta(days=3)
    )


def json_fingerprints(
    events: list[Entry], timing: Timing | None, alarm: int | None, weekly: bool
) -> dict[str, str]:
    """The fingerprints as every stored plan took them: SHA-256 of `json.dumps(fields)`."""
    times = spans(events, timing)
    out = {}
    for e in events:
        fields = [e.slot, e.day, e.summary, e.description, e.minutes, e.url, e.category, e.unlock]
        fields += [times[e.slot], alarm if e.minutes is not None else None]
        fields.append(weekly if unlock_day(e) is not None else None)
        out[e.slot] = sha256(json.dumps(fields, default=str).encode()).hexdigest()[:8]
    return out


@pytest.mark.parametrize("distance", ["5k", "half-marathon", "ultra"])
def test_fingerprints_are_those_stored_plans_were_given(library: Library, distance: str) -> None:
    """A stored plan's events keep their SEQUENCE: every fingerprint is the one taken before."""
    berlin, seen = ZoneInfo("Europe/Berlin"), 0
    for weeks, days, at, alarm, weekly, level in itertools.product(
        (6, 16, 40),
        (None, frozenset({0, 2, 4}), frozenset({1, 3})),
        (None, time(6, 30)),
        (None, 15),
        (False, True),
        ("new", "experienced"),
    ):
        start = RACE - timedelta(weeks=weeks - 1, days=RACE.weekday())
        choices = Choices(distance, RACE, start, days, time=at, tz=at and berlin, alarm=alarm)
        choices = replace(choices, unlock_weekly=weekly, level=level)
        events = entries(library, build(library, choices.request), "https://x.example/")
        got = fingerprints(events, choices.timing, alarm, weekly)
        assert got == json_fingerprints(events, choices.timing, alarm, weekly)
        seen += len(got)
    assert seen > 10_000


def test_fingerprints_of_unusual_text_are_those_json_gave() -> None:
    odd = 'Quote " back\\slash é \u2013 ✓ \U0001f3c3 \u2028 tab\t new\nline \x00'
    day = date(2027, 1, 4)
    events = [
        Entry("a", day, odd, odd, 45, odd, odd, day),
        Entry("b", day, "", "", None, None, "Week", None),
        Entry("c", day, "x", "y", 0, "", "Strength", None),
    ]
    timing = Timing(time(23, 45), ZoneInfo("Pacific/Auckland"))
    for tz, alarm, weekly in itertools.product((None, timing), (None, 0, 30), (False, True)):
        expected = json_fingerprints(events, tz, alarm, weekly)
        assert fingerprints(events, tz, alarm, weekly) == expected


def test_a_new_host_name_changes_no_fingerprint(library: Library) -> None:
    choices = Choices("marathon", RACE, time=time(7), tz=ZoneInfo("Europe/Berlin"))
    schedule = build(library, choices.request)
    relative = entries(library, schedule, "/")
    hosted = entries(library, schedule, "https://plans.example.org/app/")
    assert any("https://plans.example.org/app/routines/" in e.description for e in hosted)
    timing, alarm = choices.timing, choices.alarm
    at_host = fingerprints(hosted, timing, alarm, False, "https://plans.example.org/app/")
    assert at_host == fingerprints(relative, timing, alarm, False)
    assert at_host != fingerprints(hosted, timing, alarm, False)


@pytest.mark.parametrize(
    "text",
    ["Week 3\nmore", "Week 3\r\nmore", "Week\u20283\nmore", "Week\x0c3", "\nfirst empty", "one"],
)
def test_a_locked_entry_keeps_the_first_line_of_its_text(text: str) -> None:
    entry = Entry("s", date(2027, 1, 4), "Squat", text, unlock=date(2027, 1, 4))
    [locked] = hide_locked([entry], today=date(2027, 1, 3))
    assert locked.description.split("\n\n")[0] == text.splitlines()[0]
    assert "4 Jan" in locked.description and locked.url is None
