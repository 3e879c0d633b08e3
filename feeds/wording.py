"""The sentences the scheduling core's facts become, shared by the pages and the feeds.

The core (`schedule.py`) returns facts; this module says them in the current locale, through
gettext and `dates`, each time it is asked (so each catalogue gets its own words).
"""

from __future__ import annotations

from datetime import date, timedelta

from .adjustments import Pause
from .dates import long_date, short_date, weekday_names
from .i18n import N_, _, ngettext
from .placement import Closed, Demand
from .plans import RAMP_RIR, Library, Prescription, Ramp
from .schedule import (
    Adaptation,
    Change,
    ChangeKind,
    Fit,
    Refusal,
    Refused,
    Schedule,
    Session,
    Unplaced,
    adaptation,
)

# How each phase is named inside a sentence.
PHASE_WORDS = {
    "foundation": N_("foundation"),
    "strength": N_("strength"),
    "power": N_("power"),
    "specific": N_("race-specific"),
    "taper": N_("taper"),
    "race": N_("race"),
}


def describe_adaptation(schedule: Schedule) -> str:
    """Say in plain words how the program was fitted to the runner's weeks."""
    return adaptation_text(adaptation(schedule))


def adaptation_text(facts: Adaptation) -> str:
    """The adaptation in paragraphs: a late start first, then how the weeks were fitted."""
    lines = []
    if facts.start_weekday is not None:
        lines.append(
            _(
                "You start on a %(day)s; training weeks run Monday to Sunday, so week 1 begins on"
                " %(monday)s. Use the days before it to gather equipment and read the routines.",
                day=weekday_names()[facts.start_weekday],
                monday=_written(facts.week1),
            )
        )
    lines.append(_FIT_TEXT[facts.fit](facts))
    return "\n\n".join(lines)


def _full_text(facts: Adaptation) -> str:
    return _("You have the full %(n)s weeks: the program runs as written.", n=facts.full)


def _dropped_text(facts: Adaptation) -> str:
    count = sum(n for _phase, n in facts.left_out)
    parts = [_phase_weeks(n, phase) for phase, n in facts.left_out]
    what = parts[0] if len(parts) == 1 else _week_count(count)
    detail = "" if len(parts) == 1 else f": {listing(parts)}"
    left_out = ngettext(
        "You have %(have)s weeks, not %(full)s, so %(what)s of the program is left out%(detail)s.",
        "You have %(have)s weeks, not %(full)s, so %(what)s of the program are left out%(detail)s.",
        count,
        have=facts.weeks,
        full=facts.full,
        what=what,
        detail=detail,
    )
    kept = _(
        "The first %(n)s weeks, the taper and race week stay whole; the middle phases are"
        " shortened evenly, keeping the last (hardest) week of each.",
        n=facts.kept_foundation,
    )
    return f"{left_out} {kept}"


def _short_text(facts: Adaptation) -> str:
    if facts.weeks == 1:
        return _(
            "Your race is in the week you start, too soon to build strength: the plan is race"
            " week alone, with one short primer. A full build needs at least %(n)s weeks.",
            n=facts.shortest,
        )
    lead = facts.lead_in
    maintenance = (
        _("%(weeks)s of light maintenance, then ", weeks=_week_count(lead)) if lead else ""
    )
    heavy = (
        _(
            "The taper week keeps one short heavy session at fewer sets; leave it out if you"
            " have not lifted in the last month."
        )
        if facts.heavy_taper
        else _(
            "Nothing heavy: with so little time it would only leave your legs tired on race day."
        )
    )
    short = _(
        "You have %(weeks)s weeks before the race, fewer than the %(shortest)s a full build"
        " needs, so this is a short plan: %(maintenance)sone taper week and race week. Strength"
        " takes longer than that to build, so these weeks keep you moving without sore legs.",
        weeks=facts.weeks,
        shortest=facts.shortest,
        maintenance=maintenance,
    )
    return f"{short} {heavy}"


def _lead_in_text(facts: Adaptation) -> str:
    opening = ngettext("one lead-in week", "%(num)s lead-in weeks", facts.lead_in)
    return _(
        "You have %(have)s weeks, more than the %(full)s the program needs, so it opens with"
        " %(opening)s of base maintenance (one or two short, light sessions a week). The program"
        " itself begins in week %(first)s, on %(monday)s.",
        have=facts.weeks,
        full=facts.full,
        opening=opening,
        first=facts.program_week,
        monday=_written(facts.program_monday),
    )


_FIT_TEXT = {
    Fit.FULL: _full_text,
    Fit.LEFT_OUT: _dropped_text,
    Fit.LEAD_IN: _lead_in_text,
    Fit.SHORT: _short_text,
}


def _week_count(n: int) -> str:
    """'one week', '2 weeks'."""
    return ngettext("one week", "%(num)s weeks", n)


def _phase_weeks(n: int, phase: str) -> str:
    """'one strength week', '2 taper weeks'."""
    return ngettext("one %(phase)s week", "%(num)s %(phase)s weeks", n, phase=_(PHASE_WORDS[phase]))


def _written(day: date) -> str:
    """A date as people write it: Monday 4 January 2027."""
    return long_date(day)


def listing(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) == 1:
        return items[0]
    return _("%(some)s and %(last)s", some=", ".join(items[:-1]), last=items[-1])


def unplaced_note(library: Library, unplaced: Unplaced) -> str:
    """Say which rule closed each training day, so the runner can choose a fix."""
    demand = unplaced.demand
    taken = _("within 48 hours of another leg-heavy session") if demand.heavy else _("already full")
    hours, days = demand.hours_before_long_run, unplaced.last_heavy_days
    reasons = [
        f"{short_date(day)}: {_rule_words(rule, days, hours) if rule else taken}"
        for day, rule in unplaced.reasons
    ]
    return _(
        "%(missed)s Your training days this week: %(reasons)s. Add a training day or skip it;"
        " one missed session costs little.",
        missed=did_not_fit(library, demand),
        reasons="; ".join(reasons) or _("none"),
    )


def _rule_words(rule: Closed, last_heavy_days: int, hours: int) -> str:
    """The rule in a runner's words (as `Closed.words`, from the facts kept with it)."""
    return _(rule.value, days=last_heavy_days, hours=hours)


def did_not_fit(library: Library, demand: Demand) -> str:
    """The session that could not be placed, in a sentence: "Hip bridge (session) did not fit."."""
    kind = _("leg-heavy session") if demand.heavy else _("session")
    return _(
        "%(name)s (%(kind)s) did not fit.", name=library.routine(demand.routine).name, kind=kind
    )


def refusal_text(refusal: Refusal) -> str:
    """Why a move was refused: "Sat 2 Jan is the day before your long run"."""
    day = short_date(refusal.day)
    if refusal.why is Refused.OUTSIDE_WEEK:
        return _(
            "%(day)s is outside the session's week (%(monday)s to %(sunday)s)",
            day=day,
            monday=short_date(refusal.monday),
            sunday=short_date(refusal.monday + timedelta(days=6)),
        )
    if refusal.why is Refused.RULE and refusal.rule is not None:
        rule = _rule_words(refusal.rule, refusal.last_heavy_days, refusal.hours)
        return _("%(day)s is %(rule)s", day=day, rule=rule)
    return _("%(day)s is within 48 hours of another leg-heavy session", day=day)


def change_text(library: Library, change: Change) -> str:
    """One change the runner asked for, in a sentence."""
    if change.pause is not None:
        return _pause_text(change.pause)
    name = library.routine(change.routine).name
    to = short_date(change.to) if change.to else ""
    if change.kind is ChangeKind.SKIPPED:
        return _("%(name)s: skipped at your request.", name=name)
    if change.refusal is not None:
        why = refusal_text(change.refusal)
        return _("%(name)s: not moved to %(to)s, because %(why)s.", name=name, to=to, why=why)
    if change.was:
        return _(
            "%(name)s: moved from %(was)s to %(to)s at your request.",
            name=name,
            was=short_date(change.was),
            to=to,
        )
    return _("%(name)s: moved to %(to)s at your request.", name=name, to=to)


def _pause_text(pause: Pause) -> str:
    return ngettext(
        "Paused for one day from %(start)s to %(last)s: no sessions then; this week's sessions"
        " moved to the days left where the rules allow.",
        "Paused for %(num)s days from %(start)s to %(last)s: no sessions then; this week's"
        " sessions moved to the days left where the rules allow.",
        pause.days,
        start=short_date(pause.start),
        last=short_date(pause.last),
    )


def ramped_note(note: str, ramp: Ramp) -> str:
    """The program's own note first, then a technique week in a clause of its own."""
    if ramp is Ramp.NONE:
        return note
    clause = _("a technique week for new lifters, to learn each movement before the loads go up")
    said = f"{note}; {clause}" if note else clause
    if ramp is Ramp.STOP:
        stop = _("stop every set with %(rir)s or more reps in reserve", rir=RAMP_RIR)
        return f"{said}; {stop}"
    return said


def prescription_note(p: Prescription) -> str:
    """A week's prescription's note, with a new lifter's technique week."""
    return ramped_note(p.note, p.ramp)


def session_note(session: Session) -> str:
    """The program's note for a session, its technique week, then whether the runner moved it."""
    note = ramped_note(session.note, session.ramp)
    if session.moved is None:
        return note
    was = session.moved.was
    said = (
        _("moved from %(day)s at your request", day=short_date(was))
        if was
        else _("moved at your request")
    )
    if not note:
        return said
    return _("%(note)s; %(change)s", note=note, change=said)
