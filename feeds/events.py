"""Turn a schedule into calendar entries with the words a runner reads (pure)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple, cast

from .cache import Kept, Sightings
from .dates import (
    MARK,
    Dating,
    long_date,
    marked,
    marking,
    moved,
    short_date,
    week_numbers,
    weekday_names,
    written_out,
)
from .fields import EQUIPMENT_NAMES, LEVEL_NAMES
from .i18n import N_, Catalogued, _, catalogue, current_locale, ngettext
from .kit import needs
from .placement import Where
from .plans import DISTANCE_NAMES, Exercise, Library, Prescription, Routine, Variant, Video
from .schedule import Request, Schedule, Session, Unplaced, Week, session_facts, unit_number
from .wording import (
    change_text,
    describe_adaptation,
    listing,
    prescription_note,
    session_note,
    unplaced_note,
)

LIGHT_LOAD_RULE = N_(
    "If your heaviest load still leaves more reps in reserve than that, add reps (up to 12)"
    " or lower over 3 s until the effort matches."
)

# Session texts kept per worker (1-2 kB each): about ten megabytes at most.
DESCRIPTIONS_KEPT = 8192

# Each read in the current locale ("Race-specific" in English).
PHASE_NAMES = Catalogued(
    {
        "base": N_("Lead-in"),
        "foundation": N_("Foundation"),
        "strength": N_("Strength"),
        "power": N_("Power"),
        "specific": N_("Race-specific"),
        "taper": N_("Taper"),
        "race": N_("Race week"),
        "recovery": N_("Recovery"),
        "maintenance": N_("Maintenance"),
    }
)


class Entry(NamedTuple):
    """One calendar event before it is serialised; `slot` names its place in the plan.

    A named tuple (immutable, like a frozen dataclass, and built in a third of the time): every
    feed builds 50-200 of them.
    """

    slot: str
    day: date
    summary: str
    # The description as written, or with `dating` its marked text (`dates.marked`): a feed's
    # writer fills its dates in as it escapes them (`contentlines.dated_line`), so a moved
    # session's text is never written out only to be read again. Read `description`.
    text: str
    minutes: int | None = None
    url: str | None = None
    category: str = "Strength"
    # The day this entry's week unlocks (sessions only); weekly-unlock mode hides details before.
    unlock: date | None = None
    # A session's load ("Heavy" or "Light"), a second category calendars can colour by.
    load: str | None = None
    # A week event's summary where nothing unlocks (weekly unlocking off, a week without sessions).
    plain_summary: str | None = None
    # How many characters the description begins with that many feeds' descriptions begin with
    # (the text before this plan's own dates): the calendar writer escapes and folds those once.
    shared: int = 0
    # How `text`'s marks are written for this plan, if it has any.
    dating: Dating | None = None

    @property
    def description(self) -> str:
        """What the event says, every date and week number written out."""
        return self.text if self.dating is None else written_out(self.text, self.dating)

    @property
    def categories(self) -> tuple[str, ...]:
        """The event's CATEGORIES: its kind, then a session's load."""
        return (self.category, self.load) if self.load else (self.category,)

    def replaced(self, **changes: Any) -> Entry:
        """This entry with `changes` (a new `description` is its text as written); a name that
        is not a field is a TypeError."""
        if "description" in changes:
            changes["text"], changes["dating"] = changes.pop("description"), None
        try:
            return self._replace(**changes)
        except ValueError as error:  # what _replace raises for an unknown name
            raise TypeError(str(error)) from error

    def plain(self) -> Entry:
        """The same event with its description written out (no `dating`)."""
        return self if self.dating is None else self._replace(text=self.description, dating=None)

    # Equal when they say the same, however their texts are held.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Entry):
            return NotImplemented
        return tuple.__eq__(self.plain(), other.plain())

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return tuple.__hash__(self.plain())


# An Entry's fields as a plain tuple, as kept weeks hold their entries: a tuple of plain values
# is one the garbage collector stops walking (a named tuple never is), and kept weeks hold tens
# of thousands of entries that every full collection would walk again.
Fields = tuple[
    str,
    date,
    str,
    str,
    int | None,
    str | None,
    str,
    date | None,
    str | None,
    str | None,
    int,
    Dating | None,
]


# An entry as kept, and how much later its own dates are (its texts' dates may be marked).
Dated = tuple[Entry | Fields, timedelta]
NO_SHIFT = timedelta()


def entries(
    library: Library, schedule: Schedule, base_url: str, *, weekly: bool = True
) -> list[Entry]:
    """Every event of the plan, in date order: introduction, unlocks, sessions, race.

    Each week's overview also opens its first session, so with `weekly` off the "Week N
    unlocked" events can go (see `drop_weeks`) and nothing is lost.
    """
    dated = dated_entries(library, schedule, base_url)
    kept, shifts = [e for e, _ in dated], [shift for _, shift in dated]
    at = None if weekly else shown(kept, shifts)
    return written(kept, shifts, current_locale(), len(schedule.weeks), at)


def written(
    kept: Sequence[Entry | Fields],
    shifts: Sequence[timedelta],
    locale: str,
    weeks: int,
    at: Iterable[int] | None = None,
    later: timedelta = NO_SHIFT,
) -> list[Entry]:
    """Entries as kept, each `later` than its shift, written for a plan of `weeks` weeks
    (`moved_entry`). With `at` (`shown`), only those, as `drop_weeks` leaves them: the week events
    it would drop are never written."""
    if at is None:
        return [moved_entry(e, s + later, locale, weeks) for e, s in zip(kept, shifts, strict=True)]
    return [_kept(moved_entry(kept[i], shifts[i] + later, locale, weeks)) for i in at]


def shown(kept: Sequence[Entry | Fields], shifts: Sequence[timedelta]) -> tuple[int, ...]:
    """The positions of the entries `drop_weeks` keeps (a week event whose day a session unlocks
    on is left out), read before their dates are written: a week event and its sessions' unlock
    day move together, so they are the same at any shift."""
    dated = list(zip(kept, shifts, strict=True))
    told = {e[7] + s for e, s in dated if e[6] == "Strength" and e[7] is not None}
    return tuple(i for i, (e, s) in enumerate(dated) if e[6] != "Week" or e[1] + s not in told)


def dated_entries(library: Library, schedule: Schedule, base_url: str) -> list[Dated]:
    """`entries` before their dates are written: a week's overview and sessions as kept for
    every plan whose week says the same (`dates.marked`), with the shift to this plan's week."""
    words = _words()
    out: list[Dated] = [(_introduction(library, schedule), NO_SHIFT)]
    for week in schedule.all_weeks:
        out += _week(library, schedule, week, base_url, words)
    out.append((_race(schedule), NO_SHIFT))
    return sorted(out, key=_dated_order)


def _dated_order(dated: Dated) -> tuple[date, int]:
    entry, shift = dated
    # Day and category by position: kept weeks' entries are plain tuples (Fields).
    return entry[1] + shift, _order(entry[6])


def _week(
    library: Library, schedule: Schedule, week: Week, base_url: str, words: Words
) -> list[Dated]:
    """A week's overview and sessions, kept by what they say with the week's dates marked
    (a week with the runner's own moves is built as asked)."""
    if week.changes or week.refused:
        return [(e, NO_SHIFT) for e in _week_entries(library, schedule, week, base_url, words)]
    monday = week.monday
    request = schedule.request
    values: tuple[Hashable, ...] = (words.locale, base_url, request.level, request.equipment)
    # Its number is marked: a week as many weeks from the race reads the same in any plan.
    values += (bool(request.run_days), week.index - len(schedule.weeks))
    values += ((week.unlock - monday).days,)
    if week.kind is not None:
        # Its unit, sessions and unplaced ones, by their weekdays (`schedule.Week.kind`).
        values += (KIND, week.kind)
    else:
        values += (FACTS, unit_number(week.unit))
        # A week with a moved session has changes, so it is never kept.
        values += tuple(session_facts(s, monday) for s in week.sessions)
        values += tuple(_unplaced_facts(u, monday) for u in week.unplaced)
    objects = (library, catalogue())
    found = _WEEKS.peek(objects, values)
    if found is None:
        if _WEEKS.full() and _SEEN_WEEKS.first((*map(id, objects), *values)):
            # Seen once with every place taken: written for this plan only. Many weeks (a long
            # plan's, a rare set of options) are never met again, and keeping one costs its marks
            # and its move. While places are free, keeping it costs no other week its place.
            return [(e, NO_SHIFT) for e in _week_entries(library, schedule, week, base_url, words)]
        found = _marked_week(library, schedule, week, base_url, words)
        _WEEKS.put(objects, values, found)
    built, kept = found
    shift = monday - built
    return [(e, shift) for e in kept]


# What follows in a kept week's key: its kind's number, or its unit's and each session's facts.
KIND, FACTS = "kind", "facts"


# A kept week's key is made of plain values where it can be (an enum's value, not the member):
# the garbage collector stops walking a tuple of plain values, and there are thousands of keys.


def _unplaced_facts(unplaced: Unplaced, monday: date) -> tuple[Hashable, ...]:
    reasons = tuple(
        ((day - monday).days, None if rule is None else rule.value)
        for day, rule in unplaced.reasons
    )
    return unplaced.demand, reasons, unplaced.last_heavy_days


def _marked_week(
    library: Library, schedule: Schedule, week: Week, base_url: str, words: Words
) -> tuple[date, tuple[Fields, ...]]:
    with marked():
        made = _week_entries(library, schedule, week, base_url, words)
    return week.monday, tuple(cast(Fields, tuple(e)) for e in made)


def _week_entries(
    library: Library, schedule: Schedule, week: Week, base_url: str, words: Words
) -> list[Entry]:
    label = week_label(schedule, week, words)
    overview = _unlock(library, schedule, week, label, words)
    plan = overview.description.partition("\n\n")[2]
    shared = _shared_by_sessions(schedule, week, base_url, label)
    return [
        overview,
        *(
            _session(library, schedule, week, s, base_url, words, shared, plan if i == 0 else "")
            for i, s in enumerate(week.sessions)
        ),
    ]


class _Shared(NamedTuple):
    """What every session of a week reads alike, looked up once for the week."""

    catalogue: object
    # Their kept texts' key before and after the session's own facts.
    before: tuple[Hashable, ...]
    after: tuple[Hashable, ...]
    # The week's label as a summary names it.
    label: str


def _shared_by_sessions(schedule: Schedule, week: Week, base_url: str, label: str) -> _Shared:
    request = schedule.request
    # A week's unit may be built anew per plan (lead-in, ramped): kept by value.
    # It names the week by number: marked, by its distance from the race (`week_label`).
    weeks = None if marking() else len(schedule.weeks)
    before = (unit_number(week.unit), week.index - len(schedule.weeks), weeks)
    after = (request.level, request.equipment, bool(request.run_days), base_url)
    return _Shared(catalogue(), before, after, label.lower())


def moved_entry(entry: Entry | Fields, shift: timedelta, locale: str, weeks: int) -> Entry:
    """`entry` `shift` later, the dates its texts mark written in `locale` and the week
    numbers for a plan of `weeks` weeks (`dates.moved`); its description's marks are kept with
    how to write them (`Entry.dating`), except while marking."""
    slot, day, summary, text, minutes, url, category, unlock, load, plain, shared, dating = entry
    if dating is not None:  # moved again: from its text written out
        text, dating = written_out(text, dating), None
    # Each text is searched for a mark once (a session's is 1-2 kB, and a feed moves 50-200).
    first = text.find(MARK)
    in_summary = MARK in summary
    in_plain = plain is not None and MARK in plain
    if not (shift or first >= 0 or in_summary or in_plain):
        return entry if type(entry) is Entry else Entry(*entry)
    if first >= 0:
        if marking():
            text = moved(text, shift, locale, weeks)
        else:
            dating = Dating(shift.days, weeks, locale)
        # What every plan shares ends where this plan's own words begin.
        shared = min(shared, first)
    summary = moved(summary, shift, locale, weeks) if in_summary else summary
    plain = moved(plain, shift, locale, weeks) if plain is not None and in_plain else plain
    day, unlock = day + shift, None if unlock is None else unlock + shift
    return Entry(
        slot, day, summary, text, minutes, url, category, unlock, load, plain, shared, dating
    )


# Weeks of many plans read the same but for their dates: kept by what they say, 5-7 kB each
# (most of it the first session's text, which carries the week's plan with its days), so at most
# about 50 MB. 2,000 random plans had about 4,000 different weeks.
WEEKS_KEPT = 8192
_WEEKS: Kept[tuple[date, tuple[Fields, ...]]] = Kept(WEEKS_KEPT)
# Weeks met once while every place is taken, by the hash of the same key: the second meeting
# keeps one.
_SEEN_WEEKS = Sightings(4 * WEEKS_KEPT)


@dataclass(frozen=True)
class Words:
    """The messages every week and session of a feed fills in, looked up once per catalogue."""

    session: str
    unlocked: str
    week: str
    week_of: str
    week_after: str
    planned: str
    not_placed: str
    changed: str
    none: str
    # The locale the feed's dates are written in.
    locale: str


def _words() -> Words:
    """The feed's messages in the current catalogue and its locale (a few lookups per feed, not
    per event)."""
    key = catalogue(), current_locale()
    found = _WORDS.get(key)
    if found is None:
        if len(_WORDS) >= WORDS_KEPT:
            _WORDS.clear()
        found = _WORDS[key] = Words(
            session=_("%(name)s · %(minutes)s min · %(week)s · %(number)s of %(of)s"),
            unlocked=_("%(week)s unlocked: %(title)s"),
            week=_("%(week)s: %(title)s"),
            week_of=_("Week %(n)s of %(total)s"),
            week_after=_("Week %(n)s after the race"),
            planned=_("Planned days:"),
            not_placed=_("Could not be placed:"),
            changed=_("Your changes:"),
            none=_("none"),
            locale=key[1],
        )
    return found


# Catalogues are few (one per locale and app): their words kept by the catalogue and locale.
WORDS_KEPT = 64
_WORDS: dict[tuple[object, str], Words] = {}


def _order(category: str) -> int:
    return ("Program", "Week", "Strength", "Race").index(category)


def drop_weeks(events: list[Entry]) -> list[Entry]:
    """Leave out the week events whose overview a session already carries.

    A week without sessions keeps its event, so the reason nothing was placed is not lost.
    """
    return [_kept(events[i]) for i in shown(events, [NO_SHIFT] * len(events))]


def _kept(entry: Entry) -> Entry:
    if entry.plain_summary:  # a week with no session: nothing unlocks, it only informs
        return entry.replaced(summary=entry.plain_summary)
    return entry


def week_label(schedule: Schedule, week: Week, words: Words | None = None) -> str:
    """The week's number as the calendar gives it, such as "Week 3 of 16" or "Week 2 after the
    race" (`words`: the feed's, when looked up already)."""
    words = words or _words()
    if week.index > len(schedule.weeks):
        return words.week_after % {"n": week.index - len(schedule.weeks)}
    n, total = week_numbers(week.index, len(schedule.weeks))
    return words.week_of % {"n": n, "total": total}


def unit_label(week: Week) -> str:
    """The week's phase and title; its number is the calendar's own (one numbering only)."""
    return _("%(phase)s: %(title)s", phase=PHASE_NAMES[week.unit.phase], title=week.unit.title)


def _introduction(library: Library, schedule: Schedule) -> Entry:
    program = schedule.program
    parts = [
        program.about,
        _your_plan(schedule.request),
        describe_adaptation(schedule),
        _("Race day: %(day)s.", day=long_date(schedule.race)),
        _kit_text(needs(library, schedule)),
        # The program's own pain rule, where its introduction has one, is the more specific.
        "" if "Pain rule:" in program.intro_text else library.pain_rule,
        program.intro_text.strip(),
    ]
    text = "\n\n".join(part for part in parts if part)
    return Entry(
        slot="introduction",
        day=schedule.first_day,
        summary=f"{program.name}: {program.intro_title}",
        text=text,
        category="Program",
    )


def _your_plan(request: Request) -> str:
    """The runner's own choices, as the plan was built for them."""
    return "\n".join(
        [
            _("Equipment: %(kit)s.", kit=_(EQUIPMENT_NAMES[request.equipment])),
            _("Experience: %(level)s.", level=_(LEVEL_NAMES[request.level])),
            _("Hard run days: %(days)s", days=_hard_days(request)),
            _("Long run: %(day)s.", day=weekday_names()[request.long_day]),
        ]
    )


def _hard_days(request: Request) -> str:
    if request.run_days:
        return _("read from your running plan, week by week.")
    if not request.hard:
        return _(
            "none named, so every session says to go after an easy run or on a rest day."
            " Name your interval and tempo days to have heavy sessions follow them."
        )
    names = weekday_names()
    named = [names[d] for d in sorted(request.hard)]
    listed = listing(named)
    return _(
        "%(days)s; heavy sessions go after those runs, so your easy days stay easy.", days=listed
    )


def _kit_text(items: tuple[str, ...]) -> str:
    if not items:
        return _("What you'll need: nothing but some floor space.")
    return "\n".join([_("What you'll need:"), *(f"- {item}" for item in items)])


def _unlock(library: Library, schedule: Schedule, week: Week, label: str, words: Words) -> Entry:
    level = schedule.request.level
    plan = _PLANS.get(
        (library, catalogue()),
        (unit_number(week.unit), level),
        lambda: _week_plan(library, week, level),
    )
    lines = [plan, "", words.planned]
    # Everything before the dates is the unit's, the same in every plan.
    lines += [
        f"- {short_date(s.day, words.locale)}: {library.for_level(s.routine, level).name}"
        for s in week.sessions
    ]
    if not week.sessions:
        lines.append("- " + words.none)
    if week.unplaced:
        notes = (unplaced_note(library, u) for u in week.unplaced)
        lines += ["", words.not_placed, *(f"- {n}" for n in notes)]
    if week.changes:
        changes = (change_text(library, c) for c in week.changes)
        lines += ["", words.changed, *(f"- {n}" for n in changes)]
    return Entry(
        slot=f"{week.unit.key}/unlock",
        day=week.unlock,
        summary=words.unlocked % {"week": label, "title": week.unit.title},
        text="\n".join(lines),
        category="Week",
        plain_summary=words.week % {"week": label, "title": week.unit.title},
        shared=len(plan),
    )


def _week_plan(library: Library, week: Week, level: str) -> str:
    """What the week's unit asks for, the same in every plan that has the unit."""
    lines = [unit_label(week), week.unit.focus, "", _("This week:")]
    for p in week.unit.sessions:
        routine = library.for_level(p.routine, level)
        said = "; ".join(t for t in (p.for_level(level).target, prescription_note(p)) if t)
        note = f" ({said})" if said else ""
        lines.append(f"- {routine.name}: {_times(p.times)}{note}")
    return "\n".join(lines)


def _times(n: int) -> str:
    if n == 1:
        return _("once")
    return _("twice") if n == 2 else _("%(n)s times", n=n)


def _session(
    library: Library,
    schedule: Schedule,
    week: Week,
    session: Session,
    base_url: str,
    words: Words,
    shared: _Shared,
    plan: str = "",
) -> Entry:
    """A session's event; the week's first also carries the week's `plan` before its links.

    Its text is the same for every plan with the routine, the unit and the runner's options up
    to the week's number (`common` characters): the calendar writer escapes and folds that
    once for them all."""
    request = schedule.request
    routine = library.for_level(session.routine, request.level)
    variant = routine.variant(request.equipment, request.level)
    # The same routine, week and wording give the same text in every runner's feed.
    objects = (library, routine, variant, shared.catalogue)
    # Enum values read as the members' own attribute (`.value` is a descriptor written in Python).
    moved = None if session.moved is None else (session.moved.was,)
    values = (
        *shared.before,
        session.routine,
        session.where._value_,
        session.note,
        session.ramp._value_,
        moved,
        *shared.after,
    )
    head, links, whole, common = _DESCRIPTIONS.get(
        objects, values, lambda: _description(library, schedule, week, session, base_url)
    )
    # Placement keeps the slot's load; a new lifter's stand-in is never lighter in the feed.
    heavy = routine.heavy or library.routine(session.routine).heavy
    return Entry(
        slot=session.slot,
        day=session.day,
        summary=words.session
        % {
            "name": routine.name,
            "minutes": routine.minutes,
            "week": shared.label,
            "number": session.number,
            "of": session.of,
        },
        # The kept text itself where nothing is added: its hash is kept with it, so the calendar
        # writer finds its folded line without reading 2 kB again.
        text=f"{head}\n\n{plan}\n\n{links}" if plan else whole,
        minutes=routine.minutes,
        url=variant.video.url,
        unlock=week.unlock,
        load="Heavy" if heavy else "Light",
        shared=common,
    )


def _description(
    library: Library, schedule: Schedule, week: Week, session: Session, base_url: str
) -> tuple[str, str, str, int]:
    """A session's text: the routine as this runner does it, when and the week; then the links;
    then both together; and how much comes before the week's number."""
    request = schedule.request
    routine = library.for_level(session.routine, request.level)
    variant = routine.variant(request.equipment, request.level)
    target = _prescription(week, session.routine)
    page = f"{base_url.rstrip('/')}/routines/{routine.slug}"
    common = "\n".join(
        [*routine_lines(routine, variant, target, request), *_when(library, session, request)]
    )
    head = [common, *_where_the_week_stands(schedule, week)]
    links = [*video_lines(variant.video), _("How to do it: %(page)s", page=page)]
    return "\n".join(head), "\n".join(links), "\n".join([*head, "", *links]), len(common) + 1


def _when(library: Library, session: Session, request: Request) -> list[str]:
    """When to do it, the plan's note and the pain rule."""
    lines = ["", _("When: %(when)s", when=when(session, request))]
    note = session_note(session)
    lines += [_("Note: %(note)s", note=note)] if note else []
    return lines + (["", library.pain_rule] if library.pain_rule else [])


def _where_the_week_stands(schedule: Schedule, week: Week) -> list[str]:
    """The week's number and unit, and its focus."""
    label = _("%(week)s, %(unit)s", week=week_label(schedule, week), unit=unit_label(week))
    return ["", label, _("Focus: %(focus)s", focus=week.unit.focus)]


# A session's text before its links, its links (the week's plan may go between), and both.
_DESCRIPTIONS: Kept[tuple[str, str, str, int]] = Kept(DESCRIPTIONS_KEPT)
# Plans list the same calendar days.
_PLANS: Kept[str] = Kept(DESCRIPTIONS_KEPT)


def forget() -> None:
    """Drop every kept text (the benchmark's start-up state)."""
    _DESCRIPTIONS.clear()
    _PLANS.clear()
    _WEEKS.clear()
    _SEEN_WEEKS.clear()
    _WORDS.clear()


def when(session: Session, request: Request) -> str:
    """When in the runner's day the session goes, saying only what the runner told us."""
    where = session.where
    if where is Where.AFTER_HARD_RUN:
        if request.run_days:
            return _(
                "after your interval run (a hard day in your running plan),"
                " so your easy days stay easy."
            )
        return _("after your interval run (you named this day hard), so your easy days stay easy.")
    return _(WHEN[where])


WHEN = {
    Where.AFTER_LONG_RUN: N_("after your long run (light work only)."),
    Where.AFTER_EASY_RUN: N_("after your easy run (your running plan has one today)."),
    Where.REST_DAY: N_("on your rest day (your running plan has no run today)."),
    Where.EASY_OR_REST_DAY: N_("after an easy run or on a rest day."),
    Where.ANY_DAY: N_("after an easy run or on a rest day."),
}


def _prescription(week: Week, slug: str) -> Prescription | None:
    return next((p for p in week.unit.sessions if p.routine == slug), None)


def routine_lines(
    routine: Routine,
    variant: Variant,
    target: Prescription | None = None,
    request: Request | None = None,
) -> list[str]:
    """The routine as this runner does it: kit, warm-up, this week's main lift, each exercise."""
    kit = ", ".join(variant.needs) or _("nothing but some floor space")
    about = (
        _("%(name)s: about %(minutes)s min, warm-up included.", **_named(routine))
        if routine.warmup
        else _("%(name)s: about %(minutes)s min.", **_named(routine))
    )
    lines = [
        about,
        _("What you'll need: %(kit)s.", kit=kit),
        routine.summary,
    ]
    if routine.entry_checks:
        lines += ["", _("Before your first session, check you can do these:")]
        lines += [f"- {check}" for check in routine.entry_checks]
    if routine.warmup:
        lines += ["", _("Warm-up:"), *(f"- {step}" for step in routine.warmup)]
    lines += ["", _("Exercises:"), *_exercise_lines(variant, target, request)]
    if routine.progression:
        lines.append(_("Progression: %(text)s", text=routine.progression))
    if routine.rep_check:
        lines.append(_("Optional check: %(text)s", text=routine.rep_check))
    return lines


def _named(routine: Routine) -> dict[str, object]:
    return {"name": routine.name, "minutes": routine.minutes}


def _exercise_lines(
    variant: Variant, target: Prescription | None, request: Request | None
) -> list[str]:
    level = request.level if request else "experienced"
    lines = [
        f"{i}. {_exercise(ex, target, level)} {ex.cue}"
        for i, ex in enumerate(variant.exercises, start=1)
    ]
    loaded = target is not None and target.target and variant.main_lifts
    if loaded and variant.effort_rule:
        lines.append(variant.effort_rule)
    elif loaded and request is not None and request.equipment != "gym":
        lines.append(_(LIGHT_LOAD_RULE))
    if variant.contacts:
        lines.append(
            _("Foot contacts this session: %(n)s (every landing counts).", n=variant.contacts)
        )
    return lines


def _exercise(ex: Exercise, target: Prescription | None, level: str) -> str:
    """Name and dose; a main lift takes the week's sets x reps at reps in reserve instead."""
    if not ex.main or target is None or target.sets is None or target.rir is None:
        return f"{ex.name}: {ex.dose}."
    rir = target.for_level(level).rir or 0
    reps = f"{target.reps} {ex.side}".strip()
    return _(
        "%(name)s (main lift): %(sets)s x %(reps)s with %(reserve)s this week (about RPE %(rpe)s).",
        name=ex.name,
        sets=target.sets,
        reps=reps,
        reserve=_reserve(rir),
        rpe=10 - rir,
    )


def _reserve(rir: int) -> str:
    if rir == 0:
        return _("no reps in reserve")
    return ngettext("%(num)s rep in reserve", "%(num)s reps in reserve", rir)


def video_lines(video: Video) -> list[str]:
    """The link, saying plainly when it is a search rather than one chosen video."""
    if video.search:
        what = video.title.removeprefix("YouTube search: ")
        return [_("Video: %(url)s", url=video.url), _("(a video search: %(what)s)", what=what)]
    return [_("Video: %(url)s", url=video.url), f"({video.title})"]


def _race(schedule: Schedule) -> Entry:
    return Entry(
        slot="race",
        day=schedule.race,
        summary=_("Race day: %(distance)s", distance=DISTANCE_NAMES[schedule.program.distance]),
        text=_(
            "Race day. No strength work today or in the two days before. Afterwards give your"
            " legs an easy week or two before lifting heavy again; soreness usually clears in"
            " three or four days, but power can take up to two weeks to return."
        ),
        category="Race",
    )
