"""Load the program and routine files into frozen types, reporting every problem with its place."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .cache import Singletons, hashed_once
from .datafile import Problems, read, table
from .errors import PlanDataError
from .i18n import N_, Catalogued, _, ngettext
from .routines import (
    EQUIPMENT,
    Exercise,
    Routine,
    Variant,
    Video,
    check_long_run_gap,
    load_routines,
    missing_kit,
)

__all__ = ["Exercise", "Routine", "Variant", "Video"]

# The shipped plan data: `plans/` in the repository (feeds/plan_data links to it), copied into the
# package when a wheel is built, so an installed service finds it too.
DEFAULT_PLANS = Path(str(resources.files("feeds") / "plan_data"))
DISTANCES = ("5k", "10k", "half-marathon", "marathon", "ultra")
# Each read in the current locale ("Half marathon" in English).
DISTANCE_NAMES = Catalogued(
    {
        "5k": N_("5K"),
        "10k": N_("10K"),
        "half-marathon": N_("Half marathon"),
        "marathon": N_("Marathon"),
        "ultra": N_("Ultra"),
    }
)
PROGRAM_WEEKS = 16
# Phases in the only order a program may visit them; power and specific share a rank.
PHASE_RANK = {"foundation": 0, "strength": 1, "power": 2, "specific": 2, "taper": 3, "race": 4}
BUILD_SESSIONS = range(2, 4)
TAPER_SESSIONS = range(1, 3)
# A taper cuts volume but keeps intensity: one short heavy session may stay.
MAX_HEAVY_IN_TAPER = 1
# Week-by-week targets of a main lift: sets x reps at reps in reserve (RIR).
TARGET_SETS = range(1, 9)
TARGET_RIR = range(0, 6)
# New lifters keep one more rep in reserve than the week's target.
NEW_LIFTER_EXTRA_RIR = 1
REPS = re.compile(r"([1-9][0-9]?)(?:-([1-9][0-9]?))?")
# Two leg-heavy days need 48 h around each other and the long run: more do not fit a week.
MAX_HEAVY_PER_WEEK = 2
MIN_FOUNDATION_WEEKS = 3
# After race week: recovery weeks (mobility and light work only), then optional in-season
# maintenance, one light session a week. Power can take about two weeks to come back.
RECOVERY_WEEKS = MappingProxyType(
    {"5k": 1, "10k": 1, "half-marathon": 2, "marathon": 2, "ultra": 2}
)
AFTER_PHASES = ("recovery", "maintenance")
MAX_AFTER_WEEKS = 6
# New lifters' technique ramp: the plan's first weeks, heavy work at least this far from failure.
RAMP_WEEKS = range(2, 4)
RAMP_RIR = 3
# Weeks whose heavy routines with a main lift must state that week's sets x reps at RIR.
TARGET_PHASES = frozenset({"strength", "power", "specific"})
# Days before the race of the last heavy session, by distance (the taper cut-off).
LAST_HEAVY_DAYS = MappingProxyType(
    {
        "5k": (7, 10),
        "10k": (7, 10),
        "half-marathon": (7, 10),
        "marathon": (10, 14),
        "ultra": (10, 14),
    }
)


class Ramp(Singletons):
    """A new lifter's technique week on a heavy session (the schedule's ramp), as facts."""

    NONE = "none"
    RESERVE = "reserve"  # the target keeps RAMP_RIR or more reps in reserve
    STOP = "stop"  # no target: every set stops with RAMP_RIR or more reps in reserve


@dataclass(frozen=True)
class Prescription:
    routine: str
    times: int
    note: str
    # The week's target for the routine's main lift: sets x reps at reps in reserve.
    sets: int | None = None
    reps: str = ""
    rir: int | None = None
    # A new lifter's technique week: the words add it to the note.
    ramp: Ramp = Ramp.NONE

    def for_level(self, level: str) -> Prescription:
        """The target as a runner at `level` follows it: new lifters keep a rep more in reserve."""
        if level != "new" or self.rir is None:
            return self
        return replace(self, rir=min(self.rir + NEW_LIFTER_EXTRA_RIR, TARGET_RIR.stop - 1))

    @property
    def target(self) -> str:
        """The week's effort target in a runner's words, e.g. '3 x 5 at 2 reps in reserve'."""
        if self.sets is None or self.rir is None:
            return ""
        if self.rir == 0:
            reserve = _("no reps in reserve")
        else:
            reserve = ngettext("%(num)s rep in reserve", "%(num)s reps in reserve", self.rir)
        return _(
            "%(sets)s x %(reps)s at %(reserve)s", sets=self.sets, reps=self.reps, reserve=reserve
        )


@dataclass(frozen=True)
class Unit:
    """One week of a program: a numbered week, or a lead-in block used before week 1."""

    key: str
    number: int
    phase: str
    title: str
    focus: str
    sessions: tuple[Prescription, ...]

    def __hash__(self) -> int:
        """Hashed once: a unit keys the kept texts of each of its sessions in every feed, and
        hashing it anew walks all its prescriptions."""
        return hashed_once(self)

    @property
    def session_count(self) -> int:
        return sum(p.times for p in self.sessions)


@dataclass(frozen=True)
class Program:
    distance: str
    name: str
    focus: str
    about: str
    revised: date
    last_heavy_days: int
    intro_title: str
    intro_text: str
    lead_in: tuple[Unit, ...]
    weeks: tuple[Unit, ...]
    # Weeks after race week: recovery first, then in-season maintenance.
    after: tuple[Unit, ...] = ()
    # New lifters' first weeks of a plan: heavy work at RAMP_RIR or more reps in reserve.
    ramp_weeks: int = 2

    def week(self, number: int) -> Unit:
        return self.weeks[number - 1]


@dataclass(frozen=True)
class Library:
    """Every program and routine, loaded once at start-up."""

    programs: Mapping[str, Program]
    routines: Mapping[str, Routine]
    revised: date
    # Shown in every session: when pain means stop.
    pain_rule: str = ""
    # A hash of the files it was loaded from (None: built in memory), naming this plan data.
    digest: str | None = None

    def routine(self, slug: str) -> Routine:
        return self.routines[slug]

    def for_level(self, slug: str, level: str) -> Routine:
        """The routine a runner at `level` does in this slot (new lifters may be sent elsewhere)."""
        routine = self.routines[slug]
        if level == "new" and routine.new_lifters:
            return self.routines[routine.new_lifters]
        return routine

    def variant(self, slug: str, equipment: str, level: str) -> Variant:
        """The way a runner with this equipment and level does the routine in slot `slug`."""
        return self.for_level(slug, level).variant(equipment, level)


PRESCRIPTION_KEYS: Mapping[str, type] = MappingProxyType({"routine": str, "times": int})
PRESCRIPTION_OPTIONAL: Mapping[str, type] = MappingProxyType(
    {"note": str, "sets": int, "reps": str, "rir": int}
)


def _prescription(
    problems: Problems, place: str, raw: Any, routines: Mapping[str, Routine]
) -> Prescription | None:
    fields = table(problems, place, raw, PRESCRIPTION_KEYS, PRESCRIPTION_OPTIONAL)
    slug = fields.get("routine")
    if slug is not None and slug not in routines:
        problems.add(place, f"unknown routine '{slug}'")
        return None
    if not 1 <= fields.get("times", 1) <= 3:
        problems.add(place, "times must be between 1 and 3")
    _check_target(problems, place, fields)
    if len(fields.keys() & PRESCRIPTION_KEYS.keys()) < 2:
        return None
    return Prescription(**fields)


def _check_target(problems: Problems, place: str, fields: Mapping[str, Any]) -> None:
    """sets, reps and rir come together and within a range a runner can follow."""
    given = [k for k in ("sets", "reps", "rir") if k in fields]
    if given and len(given) < 3:
        problems.add(place, "sets, reps and rir go together: give all three or none")
    if fields.get("sets", 1) not in TARGET_SETS:
        problems.add(place, f"sets must be between 1 and {TARGET_SETS.stop - 1}")
    if not 0 <= fields.get("rir", 0) <= 5:
        problems.add(place, "rir (reps in reserve) must be between 0 and 5")
    match = REPS.fullmatch(fields.get("reps", "5"))
    low, high = (int(match[1]), int(match[2] or match[1])) if match else (0, 0)
    if not 1 <= low <= high <= 30:
        problems.add(place, "reps must be a number or a range such as 6-8, between 1 and 30")


def _check_targets(
    problems: Problems, place: str, unit: Unit, routines: Mapping[str, Routine]
) -> None:
    """A main lift in a strength, power or specific week says how hard; nothing else does."""
    for i, p in enumerate(unit.sessions, start=1):
        routine = routines[p.routine]
        if p.target and not routine.has_main_lift:
            problems.add(
                f"{place} session {i}", f"'{p.routine}' has no main lift to take sets/reps/rir"
            )
        needed = routine.heavy and routine.has_main_lift and unit.phase in TARGET_PHASES
        if needed and not p.target:
            problems.add(
                f"{place} session {i}",
                f"'{p.routine}' in a {unit.phase} week needs the main lift's sets, reps and rir",
            )


def _unit(
    problems: Problems,
    place: str,
    raw: Any,
    routines: Mapping[str, Routine],
    *,
    kind: str,
) -> Unit | None:
    required: dict[str, type] = {"title": str, "focus": str, "session": list}
    if kind == "week":
        required = {"number": int, "phase": str, **required}
    elif kind == "after":
        required = {"phase": str, **required}
    fields = table(problems, place, raw, required)
    sessions = [
        _prescription(problems, f"{place} session {i}", item, routines)
        for i, item in enumerate(fields.get("session", []), start=1)
    ]
    if not sessions:
        problems.add(place, "needs at least one session")
    slugs = [p.routine for p in sessions if p is not None]
    for slug in sorted({s for s in slugs if slugs.count(s) > 1}):
        problems.add(place, f"routine '{slug}' is listed twice; raise its times instead")
    phase = fields.get("phase", "base")
    allowed = {"week": tuple(PHASE_RANK), "after": AFTER_PHASES}.get(kind, ("base",))
    if phase not in allowed:
        problems.add(place, f"unknown phase '{phase}' (allowed: {', '.join(allowed)})")
    if len(fields) < len(required) or None in sessions:
        return None
    number = fields.get("number", 0)
    return Unit(
        key=f"week-{number:02d}" if kind == "week" else "",
        number=number,
        phase=phase,
        title=fields["title"],
        focus=fields["focus"],
        sessions=tuple(p for p in sessions if p is not None),
    )


def _check_dose(
    problems: Problems, place: str, unit: Unit, routines: Mapping[str, Routine]
) -> None:
    """Hold each unit to the evidence-based weekly dose for its phase."""
    count = unit.session_count
    heavy = sum(p.times for p in unit.sessions if routines[p.routine].heavy)
    if unit.phase == "race":
        if count != 1 or heavy:
            problems.add(place, "race week must hold exactly one light session")
    elif unit.phase == "recovery":
        if count not in TAPER_SESSIONS or heavy:
            problems.add(place, f"recovery weeks hold 1-2 light sessions, found {count}")
    elif unit.phase == "maintenance":
        if count != 1 or heavy:
            problems.add(place, f"maintenance weeks hold one light session, found {count}")
    elif unit.phase == "base":
        if count not in TAPER_SESSIONS or heavy:
            problems.add(place, f"base units hold 1-2 light sessions, found {count}")
    elif unit.phase == "taper":
        if count not in TAPER_SESSIONS or heavy > MAX_HEAVY_IN_TAPER:
            problems.add(
                place,
                f"taper weeks hold 1-2 sessions with at most {MAX_HEAVY_IN_TAPER} heavy,"
                f" found {count} with {heavy} heavy",
            )
    elif count not in BUILD_SESSIONS or heavy > MAX_HEAVY_PER_WEEK:
        problems.add(
            place,
            f"building weeks hold 2-3 sessions with at most {MAX_HEAVY_PER_WEEK} heavy,"
            f" found {count} with {heavy} heavy",
        )


def _check_weeks(problems: Problems, name: str, weeks: list[Unit]) -> None:
    numbers = [u.number for u in weeks]
    if numbers != list(range(1, PROGRAM_WEEKS + 1)):
        problems.add(name, f"weeks must be numbered 1 to {PROGRAM_WEEKS} in order, found {numbers}")
        return
    for earlier, later in itertools.pairwise(weeks):
        if PHASE_RANK[later.phase] < PHASE_RANK[earlier.phase]:
            problems.add(
                f"{name} week {later.number}",
                f"phase '{later.phase}' comes after '{earlier.phase}'; phases never go back",
            )
    if weeks[-1].phase != "race":
        problems.add(f"{name} week {PROGRAM_WEEKS}", "the last week must be the race week")
    if any(u.phase != "foundation" for u in weeks[:MIN_FOUNDATION_WEEKS]):
        problems.add(name, f"the first {MIN_FOUNDATION_WEEKS} weeks must be foundation weeks")
    if not any(u.phase == "taper" for u in weeks):
        problems.add(name, "needs at least one taper week")


PROGRAM_KEYS: Mapping[str, type] = MappingProxyType(
    {
        "distance": str,
        "name": str,
        "focus": str,
        "about": str,
        "revised": date,
        "last_heavy_days": int,
        "introduction": dict,
        "ramp_weeks": int,
        "lead_in": list,
        "week": list,
        "after": list,
    }
)
INTRO_KEYS: Mapping[str, type] = MappingProxyType({"title": str, "text": str})


def load_program(
    problems: Problems, path: Path, distance: str, routines: Mapping[str, Routine]
) -> Program | None:
    """Read one distance's program."""
    raw = read(problems, path)
    if not raw:
        return None
    name = path.name
    fields = table(problems, name, raw, PROGRAM_KEYS)
    _check_program(problems, name, fields, distance)
    intro = table(problems, f"{name} introduction", fields.get("introduction", {}), INTRO_KEYS)
    lead_in = _units(problems, name, "lead_in", fields, routines)
    weeks = _units(problems, name, "week", fields, routines)
    after = _units(problems, name, "after", fields, routines)
    units = (*weeks, *lead_in, *after)
    if None in units or len(fields) < len(PROGRAM_KEYS) or len(intro) < 2:
        return None
    lead_units = tuple(
        Unit(f"lead-{chr(ord('a') + i)}", 0, "base", u.title, u.focus, u.sessions)
        for i, u in enumerate(u for u in lead_in if u is not None)
    )
    week_units = tuple(u for u in weeks if u is not None)
    # Keyed by their place after race week, so a moved race moves the same events.
    after_units = tuple(
        Unit(f"after-{i:02d}", 0, u.phase, u.title, u.focus, u.sessions)
        for i, u in enumerate((u for u in after if u is not None), start=1)
    )
    _check_weeks(problems, name, list(week_units))
    _check_after(problems, name, after_units, distance)
    _check_kit_words(problems, name, [fields["focus"], fields["about"], intro["text"]])
    for unit in (*lead_units, *week_units, *after_units):
        _check_dose(problems, f"{name} {_label(unit)}", unit, routines)
        _check_targets(problems, f"{name} {_label(unit)}", unit, routines)
        texts = [unit.title, unit.focus, *(p.note for p in unit.sessions)]
        _check_kit_words(problems, f"{name} {_label(unit)}", texts)
        for i, p in enumerate(unit.sessions, start=1):
            hours = routines[p.routine].hours_before_long_run
            check_long_run_gap(problems, f"{name} {_label(unit)} session {i}", hours, [p.note])
    _check_cutoff(problems, name, week_units, fields["last_heavy_days"], routines)
    keys = ("name", "focus", "about", "revised", "last_heavy_days", "ramp_weeks")
    return Program(
        distance=distance,
        intro_title=intro["title"],
        intro_text=intro["text"],
        lead_in=lead_units,
        weeks=week_units,
        after=after_units,
        **{k: fields[k] for k in keys},
    )


def _check_kit_words(problems: Problems, place: str, texts: list[str]) -> None:
    """A program's words reach every equipment track, so they name no kit some runner lacks."""
    for track in EQUIPMENT:
        words = missing_kit(track, texts)
        if words:
            problems.add(
                place,
                f"names {', '.join(words)}, which a '{track}' runner does not have;"
                " program text reaches every equipment track, so say it in words that fit all",
            )


def _label(unit: Unit) -> str:
    """Where a unit stands in its file: 'week 7', 'lead_in b', 'after 2'."""
    if unit.number:
        return f"week {unit.number}"
    if unit.key.startswith("after-"):
        return f"after {int(unit.key[-2:])}"
    return f"lead_in {unit.key[-1]}"


def _check_after(problems: Problems, name: str, after: tuple[Unit, ...], distance: str) -> None:
    """Recovery weeks first, as many as the distance needs, then at most a few maintenance."""
    phases = [u.phase for u in after]
    recovery = RECOVERY_WEEKS.get(distance, 2)
    if phases[:recovery] != ["recovery"] * recovery or "recovery" in phases[recovery:]:
        problems.add(
            name, f"after the race: exactly {recovery} recovery week(s) first, then maintenance"
        )
    if len(after) > MAX_AFTER_WEEKS:
        problems.add(name, f"after the race: at most {MAX_AFTER_WEEKS} weeks, found {len(after)}")


def _check_program(problems: Problems, name: str, fields: Mapping[str, Any], distance: str) -> None:
    if fields.get("distance", distance) != distance:
        problems.add(name, f"distance is '{fields['distance']}' but the file is for '{distance}'")
    if fields.get("ramp_weeks", RAMP_WEEKS.start) not in RAMP_WEEKS:
        problems.add(name, f"ramp_weeks must be {RAMP_WEEKS.start}-{RAMP_WEEKS.stop - 1}")
    low, high = LAST_HEAVY_DAYS.get(distance, (7, 14))
    if not low <= fields.get("last_heavy_days", low) <= high:
        problems.add(name, f"last_heavy_days must be between {low} and {high} for a {distance}")
    if not fields.get("lead_in", [None]):
        problems.add(name, "needs at least one lead_in unit")


def _check_cutoff(
    problems: Problems,
    name: str,
    weeks: Iterable[Unit],
    last_heavy_days: int,
    routines: Mapping[str, Routine],
) -> None:
    """No heavy session in a week that lies wholly inside the taper cut-off.

    Measured against the latest possible race day (the Sunday of race week): a heavy session
    in such a week could never be placed, whatever weekday the race is on.
    """
    for unit in weeks:
        days_out = (PROGRAM_WEEKS - unit.number) * 7 + 6
        heavy = [p.routine for p in unit.sessions if routines[p.routine].heavy]
        if heavy and days_out < last_heavy_days:
            problems.add(
                f"{name} week {unit.number}",
                f"heavy session '{heavy[0]}' inside the taper cut-off: every day of this week is"
                f" fewer than last_heavy_days ({last_heavy_days}) days before race day",
            )


def _units(
    problems: Problems,
    name: str,
    key: str,
    fields: Mapping[str, Any],
    routines: Mapping[str, Routine],
) -> list[Unit | None]:
    """The lead_in or week units of a program file, each checked where it stands."""
    return [
        _unit(problems, f"{name} {key} {i}", item, routines, kind=key)
        for i, item in enumerate(fields.get(key, []), start=1)
    ]


def load_library(directory: Path, distances: Iterable[str] = DISTANCES) -> Library:
    """Load and validate every plan file, raising one error that lists all problems."""
    problems = Problems()
    revised, pain_rule, routines = load_routines(problems, directory / "routines.toml")
    programs = {d: load_program(problems, directory / f"{d}.toml", d, routines) for d in distances}
    if problems.items:
        raise PlanDataError(problems.items)
    assert revised is not None
    ready = {d: p for d, p in programs.items() if p is not None}
    return Library(
        programs=MappingProxyType(ready),
        routines=MappingProxyType(routines),
        revised=max([revised, *(p.revised for p in ready.values())]),
        pain_rule=pain_rule,
        digest=files_digest(
            [directory / "routines.toml", *(directory / f"{d}.toml" for d in ready)]
        ),
    )


def files_digest(paths: Iterable[Path]) -> str:
    """A hash of the files' names and bytes."""
    hashed = hashlib.blake2b(digest_size=16)
    for path in paths:
        data = path.read_bytes()
        hashed.update(f"{path.name}\0{len(data)}\0".encode())
        hashed.update(data)
    return hashed.hexdigest()
