"""Turn a schedule into calendar entries with the words a runner reads (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .plans import DISTANCE_NAMES, Library, Routine
from .schedule import Schedule, Session, Week, describe_adaptation

PHASE_NAMES = {
    "base": "Lead-in",
    "foundation": "Foundation",
    "strength": "Strength",
    "power": "Power",
    "specific": "Race-specific",
    "taper": "Taper",
    "race": "Race week",
}


@dataclass(frozen=True)
class Entry:
    """One calendar event before it is serialised; `slot` names its place in the plan."""

    slot: str
    day: date
    summary: str
    description: str
    minutes: int | None = None
    url: str | None = None
    category: str = "Strength"
    # The day this entry's week unlocks (sessions only); weekly-unlock mode hides details before.
    unlock: date | None = None


def entries(library: Library, schedule: Schedule, base_url: str) -> list[Entry]:
    """Every event of the plan, in date order: introduction, unlocks, sessions, race."""
    out = [_introduction(schedule)]
    for week in schedule.weeks:
        out.append(_unlock(library, schedule, week))
        out += [_session(library, schedule, week, s, base_url) for s in week.sessions]
    out.append(_race(schedule))
    return sorted(out, key=lambda e: (e.day, _order(e.category)))


def _order(category: str) -> int:
    return ("Program", "Week", "Strength", "Race").index(category)


def week_label(schedule: Schedule, week: Week) -> str:
    return f"Week {week.index} of {len(schedule.weeks)}"


def unit_label(week: Week) -> str:
    phase = PHASE_NAMES[week.unit.phase]
    if week.unit.number:
        return f"{phase}, program week {week.unit.number}: {week.unit.title}"
    return f"{phase}: {week.unit.title}"


def _introduction(schedule: Schedule) -> Entry:
    program = schedule.program
    text = "\n\n".join(
        [
            program.about,
            describe_adaptation(schedule),
            f"Race day: {schedule.race:%A %d %B %Y}.",
            program.intro_text.strip(),
        ]
    )
    return Entry(
        slot="introduction",
        day=schedule.first_day,
        summary=f"{program.name}: {program.intro_title}",
        description=text,
        category="Program",
    )


def _unlock(library: Library, schedule: Schedule, week: Week) -> Entry:
    lines = [unit_label(week), week.unit.focus, "", "This week:"]
    for p in week.unit.sessions:
        routine = library.routine(p.routine)
        said = "; ".join(t for t in (p.target, p.note) if t)
        note = f" ({said})" if said else ""
        lines.append(f"- {routine.name}: {_times(p.times)}{note}")
    lines += ["", "Planned days:"]
    lines += [f"- {s.day:%a %d %b}: {library.routine(s.routine).name}" for s in week.sessions]
    if not week.sessions:
        lines.append("- none")
    if week.unplaced:
        lines += ["", "Could not be placed:", *(f"- {n}" for n in week.unplaced)]
    return Entry(
        slot=f"{week.unit.key}/unlock",
        day=week.unlock,
        summary=f"{week_label(schedule, week)} unlocked: {week.unit.title}",
        description="\n".join(lines),
        category="Week",
    )


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _session(
    library: Library, schedule: Schedule, week: Week, session: Session, base_url: str
) -> Entry:
    routine = library.routine(session.routine)
    page = f"{base_url.rstrip('/')}/routines/{routine.slug}"
    lines = [
        f"{unit_label(week)} ({week_label(schedule, week)})",
        f"This week: {week.unit.focus}",
        "",
        *routine_lines(routine),
    ]
    target = next(p.target for p in week.unit.sessions if p.routine == session.routine)
    if target:
        lines += ["", f"Target: {target}"]
    if session.note:
        lines += ["", f"Note: {session.note}"]
    lines += ["", f"Video: {routine.video}", f"How to do it: {page}"]
    return Entry(
        slot=session.slot,
        day=session.day,
        summary=(
            f"{routine.name} · {week_label(schedule, week)} · {session.number} of"
            f" {session.of} this week"
        ),
        description="\n".join(lines),
        minutes=routine.minutes,
        url=routine.video,
        unlock=week.unlock,
    )


def routine_lines(routine: Routine) -> list[str]:
    """The routine as plain text: what, how long, each exercise with dose and cue."""
    kit = ", ".join(routine.equipment) or "none"
    lines = [f"{routine.name}: about {routine.minutes} min. Equipment: {kit}.", routine.summary]
    for i, ex in enumerate(routine.exercises, start=1):
        lines.append(f"{i}. {ex.name}: {ex.dose}. {ex.cue}")
    return lines


def _race(schedule: Schedule) -> Entry:
    return Entry(
        slot="race",
        day=schedule.race,
        summary=f"Race day: {DISTANCE_NAMES[schedule.program.distance]}",
        description=(
            "Race day. No strength work today or in the two days before. Afterwards give your"
            " legs an easy week or two before lifting heavy again; soreness usually clears in"
            " three or four days, but power can take up to two weeks to return."
        ),
        category="Race",
    )
