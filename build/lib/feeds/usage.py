"""Where each routine is used: which programs, which weeks (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from .plans import DISTANCES, Library, Program, Unit


@dataclass(frozen=True)
class Usage:
    """One program's weeks that prescribe a routine."""

    program: Program
    weeks: tuple[int, ...]
    lead_in: bool


def routine_usage(library: Library, slug: str) -> list[Usage]:
    """Every program that uses the routine, in distance order, with its week numbers."""
    out = []
    for distance in DISTANCES:
        program = library.programs[distance]
        weeks = tuple(u.number for u in program.weeks if _uses(u, slug))
        lead_in = any(_uses(u, slug) for u in program.lead_in)
        if weeks or lead_in:
            out.append(Usage(program, weeks, lead_in))
    return out


def _uses(unit: Unit, slug: str) -> bool:
    return any(p.routine == slug for p in unit.sessions)
