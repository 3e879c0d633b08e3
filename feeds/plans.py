"""Load the program and routine files into frozen types, reporting every problem with its place."""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import PlanDataError

DEFAULT_PLANS = Path(__file__).resolve().parent.parent / "plans"
DISTANCES = ("5k", "10k", "half-marathon", "marathon", "ultra")
DISTANCE_NAMES = {
    "5k": "5K",
    "10k": "10K",
    "half-marathon": "Half marathon",
    "marathon": "Marathon",
    "ultra": "Ultra",
}
PROGRAM_WEEKS = 16
LOADS = ("light", "heavy")
# Phases in the only order a program may visit them; power and specific share a rank.
PHASE_RANK = {"foundation": 0, "strength": 1, "power": 2, "specific": 2, "taper": 3, "race": 4}
BUILD_SESSIONS = range(2, 4)
TAPER_SESSIONS = range(1, 3)
# A taper cuts volume but keeps intensity: one short heavy session may stay.
MAX_HEAVY_IN_TAPER = 1
# Week-by-week targets of a main lift: sets x reps at reps in reserve (RIR).
TARGET_SETS = range(1, 9)
TARGET_RIR = range(0, 6)
REPS = re.compile(r"([1-9][0-9]?)(?:-([1-9][0-9]?))?")
# Two leg-heavy days need 48 h around each other and the long run: more do not fit a week.
MAX_HEAVY_PER_WEEK = 2
MIN_FOUNDATION_WEEKS = 3


@dataclass(frozen=True)
class Exercise:
    name: str
    dose: str
    cue: str


@dataclass(frozen=True)
class Routine:
    slug: str
    name: str
    minutes: int
    load: str
    equipment: tuple[str, ...]
    summary: str
    video: str
    video_title: str
    exercises: tuple[Exercise, ...]

    @property
    def heavy(self) -> bool:
        return self.load == "heavy"


@dataclass(frozen=True)
class Prescription:
    routine: str
    times: int
    note: str
    sets: int | None = None
    reps: str | None = None
    rir: int | None = None

    @property
    def target(self) -> str:
        """The week's effort target in a runner's words, e.g. '3 x 5 at 2 reps in reserve'."""
        parts = [f"{self.sets} x {self.reps}" if self.sets and self.reps else ""]
        if self.rir is not None:
            parts.append(f"{self.rir} {'rep' if self.rir == 1 else 'reps'} in reserve")
        return " at ".join(p for p in parts if p)


@dataclass(frozen=True)
class Unit:
    """One week of a program: a numbered week, or a lead-in block used before week 1."""

    key: str
    number: int
    phase: str
    title: str
    focus: str
    sessions: tuple[Prescription, ...]

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

    def week(self, number: int) -> Unit:
        return self.weeks[number - 1]


@dataclass(frozen=True)
class Library:
    """Every program and routine, loaded once at start-up."""

    programs: Mapping[str, Program]
    routines: Mapping[str, Routine]
    revised: date

    def routine(self, slug: str) -> Routine:
        return self.routines[slug]


class _Problems:
    """Collects problems, each prefixed with its place."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, place: str, message: str) -> None:
        self.items.append(f"{place}: {message}")


def _table(
    problems: _Problems,
    place: str,
    raw: Any,
    required: Mapping[str, type],
    optional: Mapping[str, type] = MappingProxyType({}),
) -> dict[str, Any]:
    """Check one TOML table's keys and value types; return the values that are usable."""
    if not isinstance(raw, dict):
        problems.add(place, "expected a table")
        return {}
    out: dict[str, Any] = {}
    for key in sorted(set(raw) - set(required) - set(optional)):
        problems.add(place, f"unknown key '{key}' (allowed: {', '.join([*required, *optional])})")
    for key, kind in [*required.items(), *optional.items()]:
        if key not in raw:
            if key in required:
                problems.add(place, f"missing key '{key}'")
            continue
        value = raw[key]
        if not _is_kind(value, kind):
            problems.add(place, f"'{key}' must be {_kind_name(kind)}")
        elif isinstance(value, str) and not value.strip():
            problems.add(place, f"'{key}' is empty")
        else:
            out[key] = value
    return out


def _is_kind(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is date:
        return isinstance(value, date) and not hasattr(value, "hour")
    return isinstance(value, kind)


def _kind_name(kind: type) -> str:
    names = {str: "text", int: "a whole number", date: "a date (YYYY-MM-DD)", list: "a list"}
    return names.get(kind, "a table")


def _read(problems: _Problems, path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        problems.add(path.name, "file is missing")
    except tomllib.TOMLDecodeError as exc:
        problems.add(path.name, f"not valid TOML: {exc}")
    return {}


ROUTINE_KEYS: Mapping[str, type] = MappingProxyType(
    {
        "slug": str,
        "name": str,
        "minutes": int,
        "load": str,
        "equipment": list,
        "summary": str,
        "video": str,
        "video_title": str,
        "exercise": list,
    }
)


def _routine(problems: _Problems, place: str, raw: Any) -> Routine | None:
    fields = _table(problems, place, raw, ROUTINE_KEYS)
    if "slug" in fields:
        place = f"{place} '{fields['slug']}'"
    _check_routine(problems, place, fields)
    exercises = tuple(
        _exercise(problems, f"{place} exercise {i}", item)
        for i, item in enumerate(fields.get("exercise", []), start=1)
    )
    if not exercises:
        problems.add(place, "needs at least one exercise")
    if len(fields) < len(ROUTINE_KEYS) or any(e is None for e in exercises):
        return None
    values = {k: v for k, v in fields.items() if k != "exercise"}
    values["equipment"] = tuple(values["equipment"])
    return Routine(**values, exercises=tuple(e for e in exercises if e is not None))


def _check_routine(problems: _Problems, place: str, fields: Mapping[str, Any]) -> None:
    if fields.get("load", "light") not in LOADS:
        problems.add(place, f"load must be one of {', '.join(LOADS)}")
    if not 5 <= fields.get("minutes", 5) <= 90:
        problems.add(place, "minutes must be between 5 and 90")
    video = fields.get("video", "https://x")
    if not video.startswith("https://") or any(c.isspace() for c in video):
        problems.add(place, "video must be an https:// link")
    if not all(isinstance(item, str) and item.strip() for item in fields.get("equipment", [])):
        problems.add(place, "equipment must be a list of non-empty text")


def _exercise(problems: _Problems, place: str, raw: Any) -> Exercise | None:
    fields = _table(problems, place, raw, {"name": str, "dose": str, "cue": str})
    return Exercise(**fields) if len(fields) == 3 else None


def load_routines(problems: _Problems, path: Path) -> tuple[date | None, dict[str, Routine]]:
    """Read the routine catalogue."""
    raw = _read(problems, path)
    if not raw:
        return None, {}
    fields = _table(problems, path.name, raw, {"revised": date, "routine": list})
    routines: dict[str, Routine] = {}
    for i, item in enumerate(fields.get("routine", []), start=1):
        routine = _routine(problems, f"{path.name} routine {i}", item)
        if routine is None:
            continue
        if routine.slug in routines:
            problems.add(f"{path.name} routine {i}", f"duplicate slug '{routine.slug}'")
        routines[routine.slug] = routine
    return fields.get("revised"), routines


def _prescription(
    problems: _Problems, place: str, raw: Any, routines: Mapping[str, Routine]
) -> Prescription | None:
    optional = {"note": str, "sets": int, "reps": str, "rir": int}
    fields = _table(problems, place, raw, {"routine": str, "times": int}, optional)
    slug = fields.get("routine")
    if slug is not None and slug not in routines:
        problems.add(place, f"unknown routine '{slug}'")
        return None
    if not 1 <= fields.get("times", 1) <= 3:
        problems.add(place, "times must be between 1 and 3")
    _check_target(problems, place, fields)
    if "routine" not in fields or "times" not in fields:
        return None
    return Prescription(
        routine=fields["routine"],
        times=fields["times"],
        note=fields.get("note", ""),
        sets=fields.get("sets"),
        reps=fields.get("reps"),
        rir=fields.get("rir"),
    )


def _check_target(problems: _Problems, place: str, fields: Mapping[str, Any]) -> None:
    """Sets, reps (one number or a rising range such as 6-8) and reps in reserve, if given."""
    if fields.get("sets", 1) not in TARGET_SETS:
        problems.add(place, f"sets must be between 1 and {TARGET_SETS.stop - 1}")
    if fields.get("rir", 0) not in TARGET_RIR:
        problems.add(place, f"rir must be between 0 and {TARGET_RIR.stop - 1}")
    match = REPS.fullmatch(fields.get("reps", "1"))
    if match is None or (match[2] is not None and int(match[2]) <= int(match[1])):
        problems.add(place, "reps must be a number or a rising range such as 6-8")


def _unit(
    problems: _Problems,
    place: str,
    raw: Any,
    routines: Mapping[str, Routine],
    *,
    lead_in: bool,
) -> Unit | None:
    if lead_in:
        required: dict[str, type] = {"title": str, "focus": str, "session": list}
    else:
        required = {"number": int, "phase": str, "title": str, "focus": str, "session": list}
    fields = _table(problems, place, raw, required)
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
    if not lead_in and phase not in PHASE_RANK:
        problems.add(place, f"unknown phase '{phase}' (allowed: {', '.join(PHASE_RANK)})")
    if len(fields) < len(required) or None in sessions:
        return None
    number = fields.get("number", 0)
    return Unit(
        key=f"week-{number:02d}" if not lead_in else "",
        number=number,
        phase=phase,
        title=fields["title"],
        focus=fields["focus"],
        sessions=tuple(p for p in sessions if p is not None),
    )


def _check_dose(
    problems: _Problems, place: str, unit: Unit, routines: Mapping[str, Routine]
) -> None:
    """Hold each unit to the evidence-based weekly dose for its phase."""
    count = unit.session_count
    heavy = sum(p.times for p in unit.sessions if routines[p.routine].heavy)
    if unit.phase == "race":
        if count != 1 or heavy:
            problems.add(place, "race week must hold exactly one light session")
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


def _check_weeks(problems: _Problems, name: str, weeks: list[Unit]) -> None:
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
        "lead_in": list,
        "week": list,
    }
)
INTRO_KEYS: Mapping[str, type] = MappingProxyType({"title": str, "text": str})


def load_program(
    problems: _Problems, path: Path, distance: str, routines: Mapping[str, Routine]
) -> Program | None:
    """Read one distance's program."""
    raw = _read(problems, path)
    if not raw:
        return None
    name = path.name
    fields = _table(problems, name, raw, PROGRAM_KEYS)
    _check_program(problems, name, fields, distance)
    intro = _table(problems, f"{name} introduction", fields.get("introduction", {}), INTRO_KEYS)
    lead_in = _units(problems, name, "lead_in", fields, routines)
    weeks = _units(problems, name, "week", fields, routines)
    if None in weeks or None in lead_in or len(fields) < len(PROGRAM_KEYS) or len(intro) < 2:
        return None
    lead_units = tuple(
        Unit(f"lead-{chr(ord('a') + i)}", 0, "base", u.title, u.focus, u.sessions)
        for i, u in enumerate(u for u in lead_in if u is not None)
    )
    week_units = tuple(u for u in weeks if u is not None)
    _check_weeks(problems, name, list(week_units))
    for unit in (*lead_units, *week_units):
        label = f"week {unit.number}" if unit.number else f"lead_in {unit.key[-1]}"
        _check_dose(problems, f"{name} {label}", unit, routines)
    values = {k: fields[k] for k in ("name", "focus", "about", "revised", "last_heavy_days")}
    return Program(
        distance=distance,
        intro_title=intro["title"],
        intro_text=intro["text"],
        lead_in=lead_units,
        weeks=week_units,
        **values,
    )


def _check_program(
    problems: _Problems, name: str, fields: Mapping[str, Any], distance: str
) -> None:
    if fields.get("distance", distance) != distance:
        problems.add(name, f"distance is '{fields['distance']}' but the file is for '{distance}'")
    if not 7 <= fields.get("last_heavy_days", 7) <= 21:
        problems.add(name, "last_heavy_days must be between 7 and 21")
    if not fields.get("lead_in", [None]):
        problems.add(name, "needs at least one lead_in unit")


def _units(
    problems: _Problems,
    name: str,
    key: str,
    fields: Mapping[str, Any],
    routines: Mapping[str, Routine],
) -> list[Unit | None]:
    """The lead_in or week units of a program file, each checked where it stands."""
    return [
        _unit(problems, f"{name} {key} {i}", item, routines, lead_in=key == "lead_in")
        for i, item in enumerate(fields.get(key, []), start=1)
    ]


def load_library(directory: Path, distances: Iterable[str] = DISTANCES) -> Library:
    """Load and validate every plan file, raising one error that lists all problems."""
    problems = _Problems()
    revised, routines = load_routines(problems, directory / "routines.toml")
    programs = {d: load_program(problems, directory / f"{d}.toml", d, routines) for d in distances}
    if problems.items:
        raise PlanDataError(problems.items)
    assert revised is not None
    ready = {d: p for d, p in programs.items() if p is not None}
    return Library(
        programs=MappingProxyType(ready),
        routines=MappingProxyType(routines),
        revised=max([revised, *(p.revised for p in ready.values())]),
    )
