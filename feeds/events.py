"""Turn a schedule into calendar entries with the words a runner reads (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .plans import DISTANCE_NAMES, Exercise, Library, Prescription, Routine, Variant, Video
from .schedule import Request, Schedule, Session, Week, describe_adaptation

# New lifters keep one more rep in reserve than the week's target.
NEW_LIFTER_EXTRA_RIR = 1
LIGHT_LOAD_RULE = (
    "If your heaviest load still leaves more reps in reserve than that, add reps (up to 12)"
    " or lower over 3 s until the effort matches."
)

PHASE_NAMES = {
    "base": "Lead-in",
    "foundation": "Foundation",
    "strength": "Strength",
    "power": "Power",
    "specific": "Race-specific",
    "taper": "Taper",
    "race": "Race week",
    "recovery": "Recovery",
    "maintenance": "Maintenance",
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
    for week in schedule.all_weeks:
        out.append(_unlock(library, schedule, week))
        out += [_session(library, schedule, week, s, base_url) for s in week.sessions]
    out.append(_race(schedule))
    return sorted(out, key=lambda e: (e.day, _order(e.category)))


def _order(category: str) -> int:
    return ("Program", "Week", "Strength", "Race").index(category)


def week_label(schedule: Schedule, week: Week) -> str:
    if week.index > len(schedule.weeks):
        return f"Week {week.index - len(schedule.weeks)} after the race"
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
    level = schedule.request.level
    for p in week.unit.sessions:
        routine = library.for_level(p.routine, level)
        said = "; ".join(t for t in (p.target, p.note) if t)
        note = f" ({said})" if said else ""
        lines.append(f"- {routine.name}: {_times(p.times)}{note}")
    lines += ["", "Planned days:"]
    lines += [
        f"- {s.day:%a %d %b}: {library.for_level(s.routine, level).name}" for s in week.sessions
    ]
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
    request = schedule.request
    routine = library.for_level(session.routine, request.level)
    variant = routine.variant(request.equipment, request.level)
    target = _prescription(week, session.routine)
    page = f"{base_url.rstrip('/')}/routines/{routine.slug}"
    lines = [
        f"{unit_label(week)} ({week_label(schedule, week)})",
        f"This week: {week.unit.focus}",
        "",
        *routine_lines(routine, variant, target, request),
    ]
    if library.pain_rule:
        lines += ["", library.pain_rule]
    if session.note:
        lines += ["", f"Note: {session.note}"]
    lines += ["", *video_lines(variant.video), f"How to do it: {page}"]
    return Entry(
        slot=session.slot,
        day=session.day,
        summary=(
            f"{routine.name} · {week_label(schedule, week)} · {session.number} of"
            f" {session.of} this week"
        ),
        description="\n".join(lines),
        minutes=routine.minutes,
        url=variant.video.url,
        unlock=week.unlock,
    )


def _prescription(week: Week, slug: str) -> Prescription | None:
    return next((p for p in week.unit.sessions if p.routine == slug), None)


def routine_lines(
    routine: Routine,
    variant: Variant,
    target: Prescription | None = None,
    request: Request | None = None,
) -> list[str]:
    """The routine as this runner does it: kit, warm-up, this week's main lift, each exercise."""
    kit = ", ".join(variant.needs) or "nothing but some floor space"
    warm = ", warm-up included" if routine.warmup else ""
    lines = [
        f"{routine.name}: about {routine.minutes} min{warm}.",
        f"What you'll need: {kit}.",
        routine.summary,
    ]
    if routine.entry_checks:
        lines += ["", "Before your first session, check you can do these:"]
        lines += [f"- {check}" for check in routine.entry_checks]
    if routine.warmup:
        lines += ["", "Warm-up:", *(f"- {step}" for step in routine.warmup)]
    lines += ["", "Exercises:", *_exercise_lines(variant, target, request)]
    lines += [f"Progression: {routine.progression}"] if routine.progression else []
    lines += [f"Optional check: {routine.rep_check}"] if routine.rep_check else []
    return lines


def _exercise_lines(
    variant: Variant, target: Prescription | None, request: Request | None
) -> list[str]:
    level = request.level if request else "experienced"
    lines = [
        f"{i}. {_exercise(ex, target, level)} {ex.cue}"
        for i, ex in enumerate(variant.exercises, start=1)
    ]
    loaded = target is not None and target.target and variant.main_lifts
    if loaded and request is not None and request.equipment != "gym":
        lines.append(LIGHT_LOAD_RULE)
    if variant.contacts:
        lines.append(f"Foot contacts this session: {variant.contacts} (every landing counts).")
    return lines


def _exercise(ex: Exercise, target: Prescription | None, level: str) -> str:
    """Name and dose; a main lift takes the week's sets x reps at reps in reserve instead."""
    if not ex.main or target is None or target.sets is None or target.rir is None:
        return f"{ex.name}: {ex.dose}."
    rir = min(target.rir + NEW_LIFTER_EXTRA_RIR, 5) if level == "new" else target.rir
    reps = f"{target.reps} {ex.side}".strip()
    return (
        f"{ex.name} (main lift): {target.sets} x {reps} with {_reserve(rir)} this week"
        f" (about RPE {10 - rir})."
    )


def _reserve(rir: int) -> str:
    if rir == 0:
        return "no reps in reserve"
    return f"{rir} rep{'s' if rir > 1 else ''} in reserve"


def video_lines(video: Video) -> list[str]:
    """The link, saying plainly when it is a search rather than one chosen video."""
    if video.search:
        return [
            f"Video: {video.url}",
            f"(a video search: {video.title.removeprefix('YouTube search: ')})",
        ]
    return [f"Video: {video.url}", f"({video.title})"]


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
