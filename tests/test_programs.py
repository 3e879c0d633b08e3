"""The shipped programs hold the coaching rules a strength coach asked for, at every distance."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from feeds.adapt import arrange, shortest_program
from feeds.plans import Library, Prescription, Program, Unit
from feeds.schedule import Request, build
from feeds.wording import prescription_note

BUILD = ("strength", "power", "specific")
LIFTING = ("foundation", *BUILD, "taper")
MAIN_LIFTS = ("heavy-lower-a", "heavy-lower-b")
UPPER_BODY = ("base-maintenance", "foundation-strength-a")
# The biggest running week, named in each program's own text; no Nordics then.
PEAK_MILEAGE_WEEK = {"marathon": 12, "ultra": 12}
# Days before the race of the last heavy session the taper aims at (the coach's brief).
LAST_HEAVY_TARGET = {
    "5k": (7, 8),
    "10k": (7, 8),
    "half-marathon": (9, 10),
    "marathon": (10, 14),
    "ultra": (10, 14),
}
RACE = date(2027, 4, 18)  # a Sunday
# Day-naming words belong to placement code that knows the runner's week, not to notes.
DAY_WORDS = re.compile(
    r"easy day|rest day|same day|hard day|after (?:your|a|an|the) (?:run|workout|interval|tempo"
    r"|hard|quality|session)|before (?:your|a) (?:run|workout)|\bworkout\b|tempo|48 h"
)


def heavy(library: Library, p: Prescription) -> bool:
    return library.routine(p.routine).heavy


def lifts(library: Library, unit: Unit) -> list[Prescription]:
    """The unit's heavy lifting sessions (jumps are dosed by contacts, not by reps in reserve)."""
    return [p for p in unit.sessions if heavy(library, p) and not p.routine.startswith("plyo")]


def notes(program: Program) -> Iterator[tuple[str, Prescription]]:
    for unit in (*program.lead_in, *program.weeks):
        for p in unit.sessions:
            yield f"{program.distance} {unit.key or unit.title} {p.routine}", p


def is_down_week(library: Library, unit: Unit, before: Unit) -> bool:
    """Fewer heavy sessions than the week before, or fewer sets and no less in reserve."""
    now, then = lifts(library, unit), lifts(library, before)
    if sum(heavy(library, p) for p in unit.sessions) < sum(
        heavy(library, p) for p in before.sessions
    ):
        return True
    if not (now and then):
        return False
    sets = sum(p.sets or 0 for p in now) < sum(p.sets or 0 for p in then)
    return sets and min(p.rir or 0 for p in now) >= min(p.rir or 0 for p in then)


def loaded_runs(library: Library, program: Program) -> list[list[int]]:
    """Consecutive build weeks that are not down weeks."""
    runs: list[list[int]] = [[]]
    for before, unit in zip(program.weeks, program.weeks[1:], strict=False):
        if unit.phase in BUILD and not is_down_week(library, unit, before):
            runs[-1].append(unit.number)
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]


def test_every_lift_states_sets_reps_and_reps_in_reserve(library: Library, distance: str) -> None:
    program = library.programs[distance]
    for unit in program.weeks:
        for p in lifts(library, unit) if unit.phase in LIFTING else []:
            assert p.sets and p.reps and p.rir is not None, (distance, unit.number, p.routine)
            assert p.target.startswith(f"{p.sets} x {p.reps} at {p.rir} rep")


def test_effort_rises_within_each_phase_and_strength_visibly_progresses(
    library: Library, distance: str
) -> None:
    """Reps in reserve never rise from one loaded week to the next within a phase."""
    program = library.programs[distance]
    for phase in ("foundation", *BUILD):
        weeks = [u for u in program.weeks if u.phase == phase]
        loaded = [u for u in weeks if not down_week(library, program, u)]
        for routine in {p.routine for u in loaded for p in lifts(library, u)}:
            rir = [p.rir for u in loaded for p in lifts(library, u) if p.routine == routine]
            assert rir == sorted(rir, reverse=True), (distance, phase, routine, rir)
    strength = [u for u in program.weeks if u.phase == "strength"]
    loaded = [u for u in strength if not down_week(library, program, u)]
    main = [p for u in loaded for p in lifts(library, u) if p.routine in MAIN_LIFTS]
    hardest = min(main, key=lambda p: p.rir or 0)
    assert (hardest.rir or 0) < (main[0].rir or 0), "the strength block ends harder than it starts"
    assert int(hardest.reps or 0) < int(main[0].reps or 0), "reps fall as the load rises"


def down_week(library: Library, program: Program, unit: Unit) -> bool:
    if unit.number == 1 or unit.phase not in BUILD:
        return False
    return is_down_week(library, unit, program.week(unit.number - 1))


def test_a_down_week_inside_every_loaded_block(library: Library, distance: str) -> None:
    program = library.programs[distance]
    runs = loaded_runs(library, program)
    assert max(len(r) for r in runs) <= 4, (distance, runs)
    down = [u for u in program.weeks if down_week(library, program, u)]
    assert len(down) >= 2, "a lighter week in each loaded block"


def test_one_main_lift_every_strength_week(library: Library, distance: str) -> None:
    program = library.programs[distance]
    strength = [u for u in program.weeks if u.phase == "strength"]
    main = [[p.routine for p in u.sessions if p.routine in MAIN_LIFTS] for u in strength]
    assert all(len(m) == 1 for m in main), (distance, main)
    assert len({m[0] for m in main}) == 1, "one lift, repeated often enough to progress"
    done = sum(p.routine == main[0][0] for u in program.weeks for p in u.sessions)
    assert done >= 6


def test_taper_cuts_volume_and_keeps_intensity(library: Library, distance: str) -> None:
    program = library.programs[distance]
    taper = [u for u in program.weeks if u.phase == "taper"]
    peak_sets = max(
        p.sets or 0 for u in program.weeks if u.phase in BUILD for p in lifts(library, u)
    )
    for unit in taper:
        [lift] = lifts(library, unit)
        assert lift.routine in MAIN_LIFTS
        assert (lift.sets or 0) <= peak_sets // 2, "taper sets are at most half the peak"
        assert lift.rir is not None and lift.rir <= 2, "the weight stays near the usual"
        assert unit.session_count <= 2
    assert LAST_HEAVY_TARGET[distance][0] <= program.last_heavy_days
    assert program.last_heavy_days <= LAST_HEAVY_TARGET[distance][1]


@pytest.mark.parametrize("days", [None, frozenset({1, 3, 5}), frozenset(range(7))])
def test_heavy_work_reaches_the_taper_cut_off_for_every_race_weekday(
    library: Library, distance: str, days: frozenset[int] | None
) -> None:
    """The last heavy session lands at most 4 days before the cut-off, never inside it."""
    program = library.programs[distance]
    for weekday in range(7):
        race = RACE + timedelta(days=weekday - RACE.weekday())
        schedule = build(library, Request(distance, race, days=days))
        last = max(s.day for s in schedule.sessions if library.routine(s.routine).heavy)
        gap = (race - last).days
        assert program.last_heavy_days <= gap <= program.last_heavy_days + 4, (race, days, gap)


def test_nordics_start_small_in_foundation_then_come_weekly(
    library: Library, distance: str
) -> None:
    program = library.programs[distance]
    weeks = [u for u in program.weeks if any(p.routine == "nordic-hamstring" for p in u.sessions)]
    if distance in ("5k", "marathon"):
        assert weeks, "eccentric hamstring work protects the bounding and the long runs"
    if not weeks:
        return
    first = next(p for p in weeks[0].sessions if p.routine == "nordic-hamstring")
    assert weeks[0].phase == "foundation"
    assert (first.sets or 0) * int(first.reps or 0) <= 8, "a first dose of a few slow lowers"
    peak = PEAK_MILEAGE_WEEK.get(distance)
    expected = [n for n in range(weeks[0].number, weeks[-1].number + 1) if n != peak]
    assert [u.number for u in weeks] == expected
    for unit in weeks:
        [p] = [p for p in unit.sessions if p.routine == "nordic-hamstring"]
        assert "at least 72 h before a long run" in p.note


def test_jumps_build_from_pogos_and_never_precede_an_interval_session(
    library: Library, distance: str
) -> None:
    program = library.programs[distance]
    jumps = [
        (u.number, p) for u in program.weeks for p in u.sessions if p.routine.startswith("plyo")
    ]
    for _, p in jumps:
        assert "never the day before an interval session" in p.note
        if p.routine == "plyo-power":
            # Depth drops live only in their own routine, which new lifters never get.
            power = library.routine("plyo-power")
            assert not any("depth" in e.name.lower() for v in power.variants for e in v.exercises)
            assert library.for_level("depth-jumps", "new").slug != "depth-jumps"
    bounding = [n for n, p in jumps if p.routine == "plyo-power"]
    if bounding:
        pogos = [n for n, p in jumps if p.routine == "plyo-foundation" and n < bounding[0]]
        assert len(pogos) >= 2, "ankle pogos before bounding"
        nordics = [
            u.number
            for u in program.weeks[: bounding[0]]
            if any(p.routine == "nordic-hamstring" for p in u.sessions)
        ]
        assert len(nordics) >= 4, "eccentric hamstring preparation before bounding"


def test_notes_give_dose_and_intent_never_the_day(library: Library, distance: str) -> None:
    program = library.programs[distance]
    for place, p in notes(program):
        assert p.note, place
        words = p.note.replace("never the day before an interval session", "")
        assert not DAY_WORDS.search(words), (place, p.note)
    primer = program.weeks[-1].sessions[0]
    assert "no later than 3 days before the race" in primer.note


def test_upper_body_is_maintained_after_foundation(library: Library, distance: str) -> None:
    program = library.programs[distance]
    middle = [u for u in program.weeks if u.phase in BUILD]
    upper = [u.number for u in middle if any(p.routine in UPPER_BODY for p in u.sessions)]
    starts = [middle[0].number - 1, *upper, middle[-1].number + 1]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert max(gaps) <= 3, (distance, upper)


def test_distance_specific_gaps_are_filled(library: Library) -> None:
    def weeks_with(distance: str, routine: str) -> list[Unit]:
        program = library.programs[distance]
        return [u for u in program.weeks if any(p.routine == routine for p in u.sessions)]

    half = library.programs["half-marathon"]
    first_strength = next(u.number for u in half.weeks if u.phase == "strength")
    assert weeks_with("half-marathon", "calf-soleus-capacity")[0].number == first_strength
    hips = weeks_with("half-marathon", "hip-abductor-strength")
    assert sum(p.times == 2 for u in hips for p in u.sessions) >= 2, "short and frequent"
    assert len(hips) >= 10
    ultra = library.programs["ultra"]
    assert len(weeks_with("ultra", "copenhagen-adductor")) >= 5
    climbs = [
        p
        for u in ultra.weeks
        if u.phase == "specific"
        for p in u.sessions
        if p.routine == "foundation-strength-a"
    ]
    assert climbs and all(int((p.reps or "0").split("-")[-1]) >= 12 for p in climbs)
    assert "descent" in ultra.intro_text
    eccentric = [p for u in ultra.weeks for p in u.sessions if p.routine == "eccentric-quads"]
    assert [u.number for u in weeks_with("ultra", "eccentric-quads")] == list(range(9, 14))
    assert sum("descending" in p.note for p in eccentric) >= 2


def test_introduction_explains_fewer_and_more_weeks_and_the_pain_rule(
    library: Library, distance: str
) -> None:
    text = library.programs[distance].intro_text
    for words in (
        "Fewer than 16 weeks",
        "always",
        "whole",
        "in proportion",
        "last, hardest week of each",
        "8 weeks",
        "maintenance",
        "More than 16 weeks",
        "lead-in weeks",
        "60 weeks",
        "3 out of 10",
        "next morning",
        "reps in reserve",
    ):
        assert words in text, (distance, words)


def test_no_filler_one_spelling_and_no_sentence_shared_between_programs(
    library: Library,
) -> None:
    owners: dict[str, set[str]] = {}
    for distance, program in library.programs.items():
        units = (*program.lead_in, *program.weeks, *program.after)
        texts = [program.about, program.focus, program.intro_text, *(u.focus for u in units)]
        for text in texts:
            for bad in ("strong medicine", "nerves busy", "toward ", "fiber", "center", "meter"):
                assert bad not in text, (distance, bad)
            for sentence in re.split(r"(?<=[.;:])\s+", text):
                owners.setdefault(sentence, set()).add(distance)
    shared = {s: d for s, d in owners.items() if len(d) > 1 and len(s) >= 60}
    assert not shared


def test_each_phase_ends_on_a_loaded_week(library: Library, distance: str) -> None:
    """Shorter plans keep the last week of each phase as its hardest, so it is never a deload."""
    program = library.programs[distance]
    for phase in ("strength", "specific"):
        weeks = [u for u in program.weeks if u.phase == phase]
        if weeks:
            assert not down_week(library, program, weeks[-1]), (distance, phase)


def test_shortened_plans_still_jump_simplest_first(library: Library, distance: str) -> None:
    program = library.programs[distance]
    for available in range(shortest_program(program), 17):
        units = arrange(program, available).units
        jumps = [p.routine for u in units for p in u.sessions if p.routine.startswith("plyo")]
        if "plyo-power" in jumps:
            assert jumps.index("plyo-foundation") < jumps.index("plyo-power"), available


@pytest.mark.parametrize("start_weeks", [None, 20, 10, 4])
def test_new_lifters_start_with_a_technique_ramp(
    library: Library, distance: str, start_weeks: int | None
) -> None:
    """The first weeks with heavy work keep 3 or more reps in reserve, on the new-lifter variant."""
    start = None if start_weeks is None else RACE - timedelta(days=6, weeks=start_weeks - 1)
    schedule = build(library, Request(distance, RACE, start, level="new"))
    program = schedule.program
    ramp = [w for w in schedule.weeks if any(heavy(library, p) for p in w.unit.sessions)]
    ramp = ramp[: program.ramp_weeks]
    assert ramp, "a plan with heavy work starts with its ramp"
    for week in ramp:
        for p in week.unit.sessions:
            if heavy(library, p):
                note = prescription_note(p)
                assert "a technique week for new lifters" in note
                assert p.rir is None or p.rir >= 3, (week.index, p)
                assert p.rir is not None or "3 or more reps in reserve" in note
                assert library.variant(p.routine, "gym", "new").fits("gym", "new")
    plain = build(library, Request(distance, RACE, start))
    plain_notes = [prescription_note(p) for w in plain.weeks for p in w.unit.sessions]
    assert not any("technique week" in note for note in plain_notes), (
        "experienced lifters follow the program as written"
    )
    if len(schedule.weeks) > 8:
        later = schedule.weeks[ramp[-1].index :]
        later_notes = [prescription_note(p) for w in later for p in w.unit.sessions]
        assert not any("technique week" in note for note in later_notes)


def test_notes_after_the_race_name_no_days(library: Library, distance: str) -> None:
    for unit in library.programs[distance].after:
        for p in unit.sessions:
            assert not DAY_WORDS.search(p.note), (unit.key, p.note)
