"""Fit a 16-week program to the weeks a runner actually has (pure, no dates)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from .plans import MIN_FOUNDATION_WEEKS, PROGRAM_WEEKS, Program, Unit

MIN_WEEKS = 8
MAX_WEEKS = 60
# Phases kept whole when weeks are short: the gradual start and the run-in to the race.
PROTECTED_PHASES = ("taper", "race")
# Middle phases that keep at least one week each, so no quality is skipped outright.
REQUIRED_PHASES = ("strength", "power", "specific")
# A short plan (fewer weeks than the shortest program) keeps its taper's heavy session only with
# at least this many weeks: with less, nothing heavy comes before the race.
SHORT_HEAVY_MIN_WEEKS = 3


@dataclass(frozen=True)
class Arrangement:
    """The units in calendar order, with what was left out or added."""

    units: tuple[Unit, ...]
    dropped: tuple[int, ...]
    lead_in: int
    # Too few weeks to build: `lead_in` maintenance weeks, a taper week and race week.
    short: bool = False


def arrange(program: Program, available: int, heavy: Collection[str] = ()) -> Arrangement:
    """Return the units to run in `available` weeks (1..MAX_WEEKS).

    `heavy` names the leg-heavy routines, which a very short plan leaves out.
    """
    if not 1 <= available <= MAX_WEEKS:
        raise ValueError(f"available weeks must be 1-{MAX_WEEKS}, got {available}")
    if available < shortest_program(program):
        return short_arrangement(program, available, heavy)
    if available >= PROGRAM_WEEKS:
        lead = available - PROGRAM_WEEKS
        return Arrangement(lead_in_units(program, lead) + program.weeks, (), lead)
    dropped = weeks_to_drop(program, PROGRAM_WEEKS - available)
    kept = tuple(u for u in program.weeks if u.number not in dropped)
    return Arrangement(kept, dropped, 0)


def lead_in_units(program: Program, count: int) -> tuple[Unit, ...]:
    """Lead-in weeks, keyed by their distance from week 1 so a moved race keeps their keys."""
    units = []
    for back in range(count, 0, -1):
        template = program.lead_in[(back - 1) % len(program.lead_in)]
        units.append(
            Unit(f"lead-{back:02d}", 0, "base", template.title, template.focus, template.sessions)
        )
    return tuple(units)


def short_arrangement(program: Program, available: int, heavy: Collection[str]) -> Arrangement:
    """Maintenance from the lead-in units, then the last taper week and race week."""
    race = program.weeks[-1]
    if available == 1:
        return Arrangement((race,), (), 0, short=True)
    taper = [u for u in program.weeks if u.phase == "taper"][-1]
    if available < SHORT_HEAVY_MIN_WEEKS:
        taper = _without(taper, heavy) or replace(program.lead_in[0], key=taper.key)
    maintenance = lead_in_units(program, available - 2)
    return Arrangement((*maintenance, taper, race), (), available - 2, short=True)


def _without(unit: Unit, routines: Collection[str]) -> Unit | None:
    """The unit without the named routines, or None when nothing is left."""
    kept = tuple(p for p in unit.sessions if p.routine not in routines)
    return replace(unit, sessions=kept) if kept else None


def weeks_to_drop(program: Program, count: int) -> tuple[int, ...]:
    """Pick `count` middle weeks to leave out, shortening each middle phase in proportion."""
    groups = _droppable_groups(program)
    sizes = {phase: len(weeks) for phase, weeks in groups.items()}
    keep = _share(sizes, sum(sizes.values()) - count)
    dropped: list[int] = []
    for phase, weeks in groups.items():
        kept = set(_spread(len(weeks), keep[phase]))
        dropped += [w for i, w in enumerate(weeks) if i not in kept]
    return tuple(sorted(dropped))


def _droppable_groups(program: Program) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for unit in program.weeks[MIN_FOUNDATION_WEEKS:]:
        if unit.phase not in PROTECTED_PHASES:
            groups.setdefault(unit.phase, []).append(unit.number)
    return groups


def _share(sizes: dict[str, int], total: int) -> dict[str, int]:
    """Split `total` kept weeks across phases in proportion to size (largest remainder)."""
    floor = {p: (1 if p in REQUIRED_PHASES and total > 0 else 0) for p in sizes}
    spare = total - sum(floor.values())
    room = {p: sizes[p] - floor[p] for p in sizes}
    whole = sum(room.values())
    quotas = {p: spare * room[p] / whole if whole else 0.0 for p in sizes}
    share = {p: floor[p] + int(quotas[p]) for p in sizes}
    by_remainder = sorted(
        sizes, key=lambda p: (-(quotas[p] - int(quotas[p])), list(sizes).index(p))
    )
    for phase in by_remainder[: total - sum(share.values())]:
        share[phase] += 1
    return share


def _spread(size: int, keep: int) -> list[int]:
    """Indexes of `keep` evenly spaced items out of `size`, always ending on the last one."""
    return [int((j + 1) * size / keep + 0.5) - 1 for j in range(keep)]


def shortest_program(program: Program) -> int:
    """The fewest weeks this program can be compressed to."""
    protected = sum(1 for u in program.weeks if u.phase in PROTECTED_PHASES)
    required = len({u.phase for u in program.weeks} & set(REQUIRED_PHASES))
    return max(MIN_WEEKS, MIN_FOUNDATION_WEEKS + required + protected)
