"""The fast serialiser writes exactly the bytes of a plain icalendar build, for every feed."""

from __future__ import annotations

import gc
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Event
from icalendar.caselessdict import canonsort_keys
from icalendar.parser.string import _foldline
from icscheck import check_lines

from feeds import contentlines, ics, icsplain
from feeds.contentlines import fold
from feeds.dates import MARK, Dating, written_out
from feeds.events import Entry, entries
from feeds.ics import FeedMeta, Revision, Timing
from feeds.managed.unlock import hide_locked
from feeds.plans import Library
from feeds.schedule import Request, build

STAMP = datetime(2026, 11, 25, tzinfo=UTC)
# Zones on both sides of the equator, a half-hour and a 45-minute offset, and no DST at all.
ZONES = ("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata")
ZONES += ("Pacific/Chatham", "UTC")


def same_bytes(events: list[Entry], meta: FeedMeta, revisions: dict[str, Revision]) -> bytes:
    fast = ics.render(events, meta, revisions)
    assert fast == icsplain.render(events, meta, revisions)
    return fast


def same_outcome(events: list[Entry], meta: FeedMeta, revisions: dict[str, Revision]) -> None:
    """The same bytes, or a refusal by icalendar on both paths (a URI with a line break, ...)."""
    refusals = (ValueError, AssertionError)
    try:
        plain = icsplain.render(events, meta, revisions)
    except refusals:
        with pytest.raises(refusals):
            ics.render(events, meta, revisions)
        return
    assert ics.render(events, meta, revisions) == plain


def some_revisions(events: list[Entry]) -> dict[str, Revision]:
    """Edited slots as a managed plan stores them: higher sequences, later times."""
    return {
        e.slot: Revision(i % 5, STAMP + timedelta(days=i, seconds=37 * i))
        for i, e in enumerate(events)
        if i % 3
    }


# (race, start, days, long day): 16 weeks, a short plan, a 60-week lead-in, odd days.
PLANS = (
    (date(2027, 4, 18), None, None, 6),
    (date(2027, 3, 3), date(2026, 12, 3), frozenset({1, 3, 5}), 6),
    (date(2027, 12, 31), date(2026, 11, 25), None, 5),
    (date(2027, 10, 27), date(2027, 4, 1), frozenset({0, 2, 3, 4, 6}), 2),
)


@pytest.mark.sweep
@pytest.mark.parametrize("plan", range(len(PLANS)))
def test_every_distance_and_plan_shape_gives_the_plain_bytes(
    library: Library, distance: str, plan: int
) -> None:
    race, start, days, long_day = PLANS[plan]
    schedule = build(library, Request(distance, race, start, days, long_day))
    events = entries(library, schedule, "https://plans.example.org/")
    zone = ZoneInfo(ZONES[plan])
    meta = FeedMeta(f"{distance} · é", "Focus, all; of it\\", distance, STAMP)
    same_bytes(events, meta, {})
    same_bytes(events, replace(meta, scope=f"sub/{plan}", alarm=180), some_revisions(events))
    timed = replace(meta, timing=Timing(time(7, 0), zone), alarm=30)
    same_bytes(events, timed, {})
    late = replace(meta, scope=f"sub/{plan}", timing=Timing(time(23, 30), zone), alarm=0)
    same_bytes(events, late, some_revisions(events))


def test_hidden_weeks_of_a_weekly_unlock_plan_give_the_plain_bytes(library: Library) -> None:
    schedule = build(library, Request("ultra", date(2027, 6, 5)))
    events = hide_locked(entries(library, schedule, "https://plans.example.org/"), date(2027, 3, 1))
    assert any(e.url is None and e.minutes for e in events)
    meta = FeedMeta("Ultra", "Trails", "sub/7", STAMP, Timing(time(18, 45), ZoneInfo(ZONES[1])), 15)
    same_bytes(events, meta, some_revisions(events))


def test_revision_times_in_another_zone_are_written_in_utc(library: Library) -> None:
    # 07:00 in Berlin equals 06:00 UTC; the fast path hands such times to icalendar.
    berlin = datetime(2026, 12, 1, 7, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    events = entries(library, build(library, Request("5k", date(2027, 4, 18))), "/")[:3]
    meta = FeedMeta("5k", "5k", "5k", STAMP)
    zoned = same_bytes(events, meta, {e.slot: Revision(1, berlin) for e in events})
    assert zoned.count(b"\r\nDTSTAMP:20261201T060000Z\r\n") == 3


# Texts that stress escaping and folding: escapes (a backslash before N is one of icalendar's
# line breaks), CR/LF, 2-, 3- and 4-octet characters.
HARD = [*'abN ,;:\\"\n\r\t', "é", "·", "€", "😀", "\u200d"]
TEXT = st.text(st.sampled_from(HARD), max_size=160)
TEXT |= st.text(st.characters(exclude_categories=("Cs",)), max_size=160)


@st.composite
def an_entry(draw: st.DrawFn) -> Entry:
    url = draw(st.none() | st.just("https://example.org/v?a=1,2;b=\\é") | TEXT)
    return Entry(
        slot=draw(st.text(max_size=20)),
        day=draw(st.dates(date(2026, 1, 1), date(2028, 12, 31))),
        summary=draw(TEXT),
        text=draw(TEXT),
        minutes=draw(st.none() | st.integers(1, 240)),
        url=url,
        category=draw(st.sampled_from(["Program", "Week", "Strength", "Race"]) | TEXT),
    )


@settings(max_examples=150, deadline=None)
@given(
    events=st.lists(an_entry(), max_size=4),
    name=TEXT,
    description=TEXT,
    zone=st.none() | st.sampled_from(ZONES),
    alarm=st.none() | st.integers(0, 10080),
    sequence=st.integers(0, 10**6),
)
def test_any_text_gives_the_plain_bytes(
    events: list[Entry],
    name: str,
    description: str,
    zone: str | None,
    alarm: int | None,
    sequence: int,
) -> None:
    timing = Timing(time(6, 15), ZoneInfo(zone)) if zone else None
    meta = FeedMeta(name, description, "scope", STAMP, timing, alarm)
    same_outcome(events, meta, {e.slot: Revision(sequence, STAMP) for e in events[:1]})


@settings(max_examples=500)
@given(st.lists(st.sampled_from([*HARD, "^", "x" * 30]), max_size=60).map("".join) | TEXT)
def test_lines_fold_as_icalendar_folds_them(text: str) -> None:
    line = "DESCRIPTION:" + text.replace("\n", "\\n").replace("\r", "\\n")
    assert fold(line) == _foldline(line).encode()


@pytest.mark.parametrize("length", range(66, 84))
@pytest.mark.parametrize("wide", ["é", "€", "😀", "\\", ","])
def test_lines_that_fold_at_75_octets_with_wide_characters_at_the_fold(
    length: int, wide: str
) -> None:
    # "SUMMARY:" is 8 octets: these lines end just before, at and just after the 75-octet fold.
    text = "a" * (length - 8) + wide * 3
    event = Entry("s", date(2027, 1, 4), text, f"x{text}", 30, f"https://e.org/{text}", text)
    body = same_bytes([event], FeedMeta(text, text, "s", STAMP, None, 10), {})
    if wide != "\\":  # icalendar 7.3 can fold inside a run of escaped backslashes (same bytes)
        check_lines(body)  # so no fold splits a multi-octet character
    assert body.decode("utf-8")


@settings(max_examples=300)
@given(st.text(), st.text())
def test_uids_are_the_uuid5_of_their_scope_and_slot(scope: str, slot: str) -> None:
    """Subscribers keep the UIDs they have seen: a slot's UID stays uuid5 of its name."""
    assert ics.uid_for(scope, slot) == str(uuid.uuid5(ics.UID_ROOT, f"{scope}/{slot}"))


@settings(max_examples=300)
@given(st.sampled_from(["SUMMARY", "DESCRIPTION"]), TEXT | st.text(st.sampled_from(HARD)))
def test_text_lines_are_those_an_icalendar_event_writes(name: str, text: str) -> None:
    event = Event()
    event.add(name, text)
    assert contentlines.build(name, text) == event.to_ical().split(b"\r\n", 1)[1].removesuffix(
        b"END:VEVENT\r\n"
    )


@settings(max_examples=500)
@given(TEXT | st.text(st.sampled_from(HARD)), TEXT | st.text(st.sampled_from(HARD)))
def test_a_text_whose_beginning_is_folded_once_gives_the_same_line(head: str, rest: str) -> None:
    # The beginning's chunks are kept and the rest folded after them: every split point, wide
    # characters and escapes at the split included, gives what icalendar writes for the whole.
    whole = contentlines.build("DESCRIPTION", head + rest)
    assert contentlines.shared_line("DESCRIPTION", head + rest, len(head)) == whole
    assert contentlines.shared_line("DESCRIPTION", head + rest, len(head)) == whole  # kept


@st.composite
def a_marked_text(draw: st.DrawFn) -> str:
    """Words with dates and week numbers marked between them (`dates.marked`), backslashes,
    carriage returns and wide characters next to the marks included."""
    # NUL is the mark: never in plan data or a runner's words.
    word = (TEXT | st.text(st.sampled_from(HARD), max_size=6)).map(lambda w: w.replace(MARK, ""))
    day = st.integers(date(2001, 1, 1).toordinal(), date(2001, 12, 31).toordinal())
    mark = st.one_of(
        st.tuples(st.sampled_from("LSM"), day).map(lambda m: f"{MARK}{m[0]}{m[1]}{MARK}"),
        st.integers(-30, 3).map(lambda n: f"{MARK}w{n}{MARK}"),
        st.just(f"{MARK}t{MARK}"),
    )
    parts = draw(st.lists(st.tuples(mark, word), max_size=5))
    return draw(word) + "".join(m + w for m, w in parts)


@settings(max_examples=500)
@given(
    a_marked_text(),
    st.integers(0, 400),
    st.integers(-7, 7000),
    st.integers(4, 60),
    # German dates carry commas; Shona ones can begin with "N", a "\\N" after a backslash.
    st.sampled_from(["en", "de", "el", "sn"]),
)
# Shona's Monday 1 January 2001, "Ndi 1, Muv", after a backslash: written out, "\\N" is a line
# break to icalendar, so this text is written out whole.
@example(f"ends in \\{MARK}S{date(2001, 1, 1).toordinal()}{MARK}.", 0, 0, 16, "sn")
def test_a_marked_text_filled_in_as_it_is_written_gives_the_plain_line(
    text: str, shared: int, days: int, weeks: int, locale: str
) -> None:
    """A moved session's text is written into the feed straight from its marks: the same line
    icalendar writes for the text with its dates written out (German dates carry commas)."""
    first = text.find(MARK)
    shared = min(shared, len(text) if first < 0 else first)
    dating = Dating(days, weeks, locale)
    whole = contentlines.build("DESCRIPTION", written_out(text, dating))
    assert contentlines.dated_line("DESCRIPTION", text, shared, dating) == whole
    assert contentlines.dated_line("DESCRIPTION", text, shared, dating) == whole  # kept
    entry = Entry("s", date(2027, 1, 4), "x", text, 30, shared=shared, dating=dating)
    same_bytes([entry], FeedMeta("n", "d", "s", STAMP), {})


@pytest.mark.parametrize("before", ["", "é", "a\\b; 50%, "])
def test_dates_and_week_numbers_that_straddle_a_fold_are_written_as_icalendar_folds_them(
    before: str,
) -> None:
    """The end of a session's text is folded once for every plan whose dates and week numbers
    are as wide, and each plan's own are written into it: wherever a fold falls, inside a week
    number or a date, the line is the one icalendar writes for the text written out (a German
    date, with its escaped comma and umlaut, folds on its own)."""
    day = date(2001, 1, 1).toordinal()
    for pad in range(90):
        text = (
            f"{before}{'x' * pad}Week {MARK}w-3{MARK} of {MARK}t{MARK}, {MARK}S{day}{MARK}: go."
            f" Then {MARK}L{day + 3}{MARK} and 100% {'ü' * (pad % 3)}on."
        )
        for days, weeks, locale in ((0, 9, "en"), (9, 10, "en"), (40, 99, "en"), (2, 16, "de")):
            dating = Dating(days, weeks, locale)
            whole = contentlines.build("DESCRIPTION", written_out(text, dating))
            assert contentlines.dated_line("DESCRIPTION", text, len(before), dating) == whole


def test_kept_dated_texts_are_plain_values_the_collector_stops_walking() -> None:
    """A worker keeps some 20,000 marked texts cut at their marks: once they have lived through
    a collection, a full one walks none of them (it reads every tracked object's references,
    at about a microsecond each in a busy worker's cold memory)."""
    contentlines.forget()
    days = [f"{MARK}S{date(2001, 1, d).toordinal()}{MARK}" for d in range(1, 4)]
    text = (
        f"Squat, 3 x 5.\nPlanned days: {days[0]}, {days[1]}; week {MARK}w-3{MARK} of {MARK}t{MARK}"
    )
    dating = Dating(7, 16, "en")
    line = contentlines.dated_line("DESCRIPTION", text, 14, dating)
    assert line == contentlines.build("DESCRIPTION", written_out(text, dating))
    kept = contentlines._dated_parts("DESCRIPTION", text, 14)
    assert kept is not None
    for _level in ("marks", "each mark", "the parts"):  # a collection untracks one level each
        gc.collect()
    assert not gc.is_tracked(kept)


def test_an_entry_with_marks_says_what_its_dates_write_and_equals_it_written_out() -> None:
    text = (
        f"Planned days:\n- {MARK}S{date(2001, 1, 2).toordinal()}{MARK}: Hips, week {MARK}w-3{MARK}"
    )
    moved = Entry("s", date(2027, 1, 4), "x", text, dating=Dating(7, 16, "en"))
    assert moved.description == "Planned days:\n- Tue 9 Jan: Hips, week 13"
    assert moved == moved.plain() == moved.replaced(description=moved.description)
    assert hash(moved) == hash(moved.plain()) and moved.plain().dating is None
    assert moved != moved.replaced(description="Planned days:")


def test_events_share_their_text_up_to_the_plans_own_words(library: Library) -> None:
    """A week event shares its unit's plan up to its days; a session, its routine, when and the
    pain rule up to the week's number (escaped and folded once for every plan that has them)."""
    schedule = build(library, Request("marathon", date(2027, 4, 18)))
    events = entries(library, schedule, "https://plans.example.org/")
    weeks = [e for e in events if e.category == "Week"]
    sessions = [e for e in events if e.category == "Strength"]
    assert len(weeks) == len(schedule.all_weeks) and all(e.shared for e in weeks + sessions)
    for entry in weeks:
        assert "Planned days:" not in entry.description[: entry.shared]
        assert entry.description[entry.shared :].lstrip().startswith("Planned days:")
    for entry in sessions:
        shared, own = entry.description[: entry.shared], entry.description[entry.shared :]
        assert library.pain_rule in shared and "Planned days:" not in shared
        assert own.lstrip().startswith("Week ")


def test_event_lines_are_in_icalendars_order() -> None:
    names = [*ics.NAMES, "URL"]
    assert canonsort_keys(names, Event.canonical_order) == names
