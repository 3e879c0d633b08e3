"""The routine catalogue: each routine in a variant per equipment track and lifting level."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .datafile import Problems, read, table, text_list

LOADS = ("light", "heavy")
# What the runner owns: gym = barbell, rack and machines; home = dumbbells or kettlebells, a bench
# or step and a band; none = bodyweight, a band, a backpack, a chair or stairs.
EQUIPMENT = ("gym", "home", "none")
LEVELS = ("new", "experienced")
DEFAULT_EQUIPMENT = "gym"
DEFAULT_LEVEL = "experienced"
MAX_MINUTES = 45
# Eccentric hamstring (Nordic) work leaves the hamstrings sore and slower for days: at least this
# long before a long run. A routine states its own gap (`hours_before_long_run`).
NORDIC_HOURS_BEFORE_LONG_RUN = 72
MAX_HOURS_BEFORE_LONG_RUN = 144
# Foot contacts (landings) a plyometric session may hold, by lifting level.
CONTACT_BUDGET = MappingProxyType({"new": 80, "experienced": 120})
VIDEO_KINDS = ("search", "page", "video")
# A text's own word on the gap before a long run ("at least 72 h before a long run").
GAP_WORDS = re.compile(r"\b(\d+) ?(?:h|hours) before (?:a|your) long run", re.IGNORECASE)
SEARCH_LINK = re.compile(r"https://www\.youtube\.com/results\?search_query=[a-z0-9+]+")
# Kit a track does not have, as words that must not appear in what that track's runner reads.
NOT_AT_HOME = (
    "gym",
    "bar",
    "barbell",
    "rack",
    "machine",
    "cable",
    "trap bar",
    "trap-bar",
    "plate",
    "sled",
    "rower",
    "treadmill",
)
NOT_WITHOUT_KIT = (*NOT_AT_HOME, "dumbbell", "kettlebell", "bench", "box", "slant board")
MISSING_KIT = MappingProxyType({"gym": (), "home": NOT_AT_HOME, "none": NOT_WITHOUT_KIT})


@dataclass(frozen=True)
class Exercise:
    name: str
    dose: str
    cue: str
    # The lift a program week's sets x reps at RIR applies to.
    main: bool = False
    # How the reps count for a one-sided lift, e.g. "each leg".
    side: str = ""
    # Foot contacts (landings) of a plyometric exercise, all sets together.
    contacts: int = 0


@dataclass(frozen=True)
class Video:
    url: str
    title: str
    kind: str
    # Where the link was found: the page itself (kind "page") or the page quoting it ("video").
    source: str = ""

    @property
    def search(self) -> bool:
        return self.kind == "search"


@dataclass(frozen=True)
class Variant:
    """One way to do a routine: for some equipment tracks and levels, with its own kit."""

    equipment: tuple[str, ...]
    levels: tuple[str, ...]
    needs: tuple[str, ...]
    exercises: tuple[Exercise, ...]
    video: Video
    # What to do when the week's effort comes too easily with this variant's kit (e.g. a
    # bodyweight lift has no load to add); without it, home and no-kit runners read the general
    # rule for light loads.
    effort_rule: str = ""

    @property
    def main_lifts(self) -> tuple[Exercise, ...]:
        return tuple(e for e in self.exercises if e.main)

    @property
    def contacts(self) -> int:
        return sum(e.contacts for e in self.exercises)

    def fits(self, equipment: str, level: str) -> bool:
        return equipment in self.equipment and level in self.levels


@dataclass(frozen=True)
class Routine:
    slug: str
    name: str
    minutes: int
    load: str
    summary: str
    variants: tuple[Variant, ...]
    warmup: tuple[str, ...] = ()
    entry_checks: tuple[str, ...] = ()
    progression: str = ""
    rep_check: str = ""
    # The routine new lifters do instead (this one has no variant for them).
    new_lifters: str = ""
    # The least time between this session and the next long run (placement keeps whole days).
    hours_before_long_run: int = 0

    @property
    def heavy(self) -> bool:
        return self.load == "heavy"

    @property
    def plyometric(self) -> bool:
        return any(v.contacts for v in self.variants)

    @property
    def has_main_lift(self) -> bool:
        return any(v.main_lifts for v in self.variants)

    def variant(self, equipment: str, level: str) -> Variant:
        """The variant for this track and level; LookupError when there is none."""
        for variant in self.variants:
            if variant.fits(equipment, level):
                return variant
        raise LookupError(f"{self.slug} has no variant for {equipment}/{level}")

    @property
    def default(self) -> Variant:
        return self.variant(DEFAULT_EQUIPMENT, DEFAULT_LEVEL)

    # The default variant's content, for pages that show one routine without a runner's choices.
    @property
    def equipment(self) -> tuple[str, ...]:
        return self.default.needs

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return self.default.exercises

    @property
    def video(self) -> str:
        return self.default.video.url

    @property
    def video_title(self) -> str:
        return self.default.video.title


ROUTINE_KEYS: Mapping[str, type] = MappingProxyType(
    {
        "slug": str,
        "name": str,
        "minutes": int,
        "load": str,
        "summary": str,
        "video": str,
        "video_title": str,
        "video_kind": str,
        "variant": list,
    }
)
ROUTINE_OPTIONAL: Mapping[str, type] = MappingProxyType(
    {
        "video_source": str,
        "warmup": list,
        "entry_checks": list,
        "progression": str,
        "rep_check": str,
        "new_lifters": str,
        "hours_before_long_run": int,
    }
)
VARIANT_KEYS: Mapping[str, type] = MappingProxyType(
    {"equipment": list, "needs": list, "exercise": list}
)
VARIANT_OPTIONAL: Mapping[str, type] = MappingProxyType(
    {
        "levels": list,
        "video": str,
        "video_title": str,
        "video_kind": str,
        "video_source": str,
        "effort_rule": str,
    }
)
# The keys that become Routine fields as they stand (lists and videos are built separately).
ROUTINE_DATA = frozenset(
    {
        "slug",
        "name",
        "minutes",
        "load",
        "summary",
        "progression",
        "rep_check",
        "new_lifters",
        "hours_before_long_run",
    }
)
EXERCISE_KEYS: Mapping[str, type] = MappingProxyType({"name": str, "dose": str, "cue": str})
EXERCISE_OPTIONAL: Mapping[str, type] = MappingProxyType(
    {"main": bool, "side": str, "contacts": int}
)


def load_routines(problems: Problems, path: Path) -> tuple[date | None, str, dict[str, Routine]]:
    """Read the routine catalogue: its revision date, the pain rule and the routines."""
    raw = read(problems, path)
    if not raw:
        return None, "", {}
    keys = {"revised": date, "pain_rule": str, "routine": list}
    fields = table(problems, path.name, raw, keys)
    routines: dict[str, Routine] = {}
    for i, item in enumerate(fields.get("routine", []), start=1):
        routine = _routine(problems, f"{path.name} routine {i}", item)
        if routine is None:
            continue
        if routine.slug in routines:
            problems.add(f"{path.name} routine {i}", f"duplicate slug '{routine.slug}'")
        routines[routine.slug] = routine
    _check_fallbacks(problems, path.name, routines)
    return fields.get("revised"), fields.get("pain_rule", ""), routines


def _routine(problems: Problems, place: str, raw: Any) -> Routine | None:
    fields = table(problems, place, raw, ROUTINE_KEYS, ROUTINE_OPTIONAL)
    if "slug" in fields:
        place = f"{place} '{fields['slug']}'"
    _check_routine(problems, place, fields)
    video = _video(problems, place, fields)
    values: dict[str, Any] = {k: v for k, v in fields.items() if k in ROUTINE_DATA}
    for key in ("warmup", "entry_checks"):
        values[key] = text_list(problems, place, key, fields.get(key, []))
    variants = [
        _variant(problems, f"{place} variant {i}", item, video)
        for i, item in enumerate(fields.get("variant", []), start=1)
    ]
    if len(fields.keys() & ROUTINE_KEYS.keys()) < len(ROUTINE_KEYS) or None in variants:
        return None
    if video is None:
        return None
    routine = Routine(**values, variants=tuple(v for v in variants if v is not None))
    _check_safety(problems, place, routine)
    return routine


def _check_routine(problems: Problems, place: str, fields: Mapping[str, Any]) -> None:
    if fields.get("load", "light") not in LOADS:
        problems.add(place, f"load must be one of {', '.join(LOADS)}")
    if not 5 <= fields.get("minutes", 5) <= MAX_MINUTES:
        problems.add(
            place, f"minutes must be between 5 and {MAX_MINUTES} (a session is at most 45 minutes)"
        )
    if not fields.get("variant", [None]):
        problems.add(place, "needs at least one variant")
    if not 0 <= fields.get("hours_before_long_run", 0) <= MAX_HOURS_BEFORE_LONG_RUN:
        problems.add(
            place, f"hours_before_long_run must be between 0 and {MAX_HOURS_BEFORE_LONG_RUN}"
        )


def _video(
    problems: Problems, place: str, fields: Mapping[str, Any], default: Video | None = None
) -> Video | None:
    """A video link with its kind; a direct video link names the page that quotes it."""
    if default is not None and "video" not in fields:
        return default
    url, title = fields.get("video", ""), fields.get("video_title", "")
    kind, source = fields.get("video_kind", ""), fields.get("video_source", "")
    if not url.startswith("https://") or any(c.isspace() for c in url):
        problems.add(place, "video must be an https:// link")
    if kind not in VIDEO_KINDS:
        problems.add(place, f"video_kind must be one of {', '.join(VIDEO_KINDS)}")
    elif (kind == "search") != bool(SEARCH_LINK.fullmatch(url)):
        problems.add(place, "video_kind 'search' goes with a YouTube search link, and only there")
    if kind in ("page", "video") and not source.startswith("https://"):
        problems.add(
            place,
            f"a {kind} link needs video_source: the https page it was found on"
            " (the page itself, or the page that quotes the direct link)",
        )
    if kind == "search" and source:
        problems.add(place, "a search link has no video_source; it was not found anywhere")
    if not (url and title and kind):
        return None
    return Video(url, title, kind, source)


def _variant(problems: Problems, place: str, raw: Any, default: Video | None) -> Variant | None:
    fields = table(problems, place, raw, VARIANT_KEYS, VARIANT_OPTIONAL)
    tracks = _choices(problems, place, "equipment", fields.get("equipment", []), EQUIPMENT)
    levels = _choices(problems, place, "levels", fields.get("levels", list(LEVELS)), LEVELS)
    needs = text_list(problems, place, "needs", fields.get("needs", []))
    exercises = [
        _exercise(problems, f"{place} exercise {i}", item)
        for i, item in enumerate(fields.get("exercise", []), start=1)
    ]
    if not exercises:
        problems.add(place, "needs at least one exercise")
    video = _video(problems, place, fields, default)
    if len(fields.keys() & VARIANT_KEYS.keys()) < len(VARIANT_KEYS) or None in exercises:
        return None
    if video is None or not tracks or not levels:
        return None
    done = tuple(e for e in exercises if e is not None)
    variant = Variant(tracks, levels, needs, done, video, fields.get("effort_rule", ""))
    if variant.effort_rule and not variant.main_lifts:
        problems.add(place, "effort_rule is about the main lift, and this variant marks none")
    _check_kit(problems, place, variant)
    return variant


def _choices(
    problems: Problems, place: str, key: str, raw: Any, allowed: tuple[str, ...]
) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(x in allowed for x in raw):
        problems.add(place, f"'{key}' must be a list drawn from {', '.join(allowed)}")
        return ()
    if len(set(raw)) < len(raw):
        problems.add(place, f"'{key}' lists a value twice")
    return tuple(raw)


def _exercise(problems: Problems, place: str, raw: Any) -> Exercise | None:
    fields = table(problems, place, raw, EXERCISE_KEYS, EXERCISE_OPTIONAL)
    if not 0 <= fields.get("contacts", 0) <= 200:
        problems.add(place, "contacts must be between 0 and 200")
    if len(fields.keys() & EXERCISE_KEYS.keys()) < len(EXERCISE_KEYS):
        return None
    return Exercise(**fields)


def _check_kit(problems: Problems, place: str, variant: Variant) -> None:
    """A home or no-kit variant may not ask for what that runner does not own."""
    texts = [*variant.needs, *(f"{e.name} {e.dose} {e.cue}" for e in variant.exercises)]
    texts.append(variant.effort_rule)
    for track in variant.equipment:
        words = missing_kit(track, texts)
        if words:
            problems.add(place, f"a '{track}' variant may not need {', '.join(words)}")


def missing_kit(track: str, texts: Iterable[str]) -> list[str]:
    """The kit words in `texts` that a runner on `track` does not own.

    The texts are searched as one, a line each: a kit word never spans a line break, and a
    line break bounds a word as the end of a text does.
    """
    text = "\n".join(texts)
    return [w for w in MISSING_KIT[track] if _naming(w).search(text)]


@cache
def _naming(word: str) -> re.Pattern[str]:
    """Finds `word` or its plural ("plates", not "template", "barely" or "track")."""
    return re.compile(rf"\b{re.escape(word)}(?:s|es)?\b", re.IGNORECASE)


def shared_texts(routine: Routine) -> list[str]:
    """The routine's words every variant shows, whatever the runner's equipment."""
    return [
        routine.name,
        routine.summary,
        *routine.warmup,
        *routine.entry_checks,
        routine.progression,
        routine.rep_check,
    ]


def _check_shared_kit(problems: Problems, place: str, routine: Routine) -> None:
    """Text shown on every track may not name kit one of the routine's tracks lacks."""
    tracks = {t for v in routine.variants for t in v.equipment}
    for track in sorted(tracks):
        words = missing_kit(track, shared_texts(routine))
        if words:
            problems.add(
                place,
                f"its shared text (name, summary, warm-up, checks, progression) names"
                f" {', '.join(words)}, which a '{track}' runner does not have; say it per variant"
                " or in words that fit every track",
            )


def _check_safety(problems: Problems, place: str, routine: Routine) -> None:
    """Warm-ups, entry checks, contact budgets, progression rules and full track coverage."""
    if routine.heavy and not routine.warmup:
        problems.add(place, "a heavy routine needs a warm-up (warmup = [...])")
    nordic = any("nordic" in e.name.lower() for v in routine.variants for e in v.exercises)
    if (routine.plyometric or nordic) and not routine.entry_checks:
        problems.add(place, "plyometric and Nordic routines need entry_checks to pass first")
    if nordic and routine.hours_before_long_run < NORDIC_HOURS_BEFORE_LONG_RUN:
        problems.add(
            place,
            f"Nordic work needs hours_before_long_run = {NORDIC_HOURS_BEFORE_LONG_RUN} or more"
            " (eccentric hamstring work at least 72 h before a long run)",
        )
    check_long_run_gap(problems, place, routine.hours_before_long_run, shared_texts(routine))
    if routine.has_main_lift and not routine.progression:
        problems.add(place, "a routine with a main lift needs a progression rule")
    for i, variant in enumerate(routine.variants, start=1):
        _check_variant_load(problems, f"{place} variant {i}", routine, variant)
    _check_coverage(problems, place, routine)
    _check_shared_kit(problems, place, routine)


def check_long_run_gap(problems: Problems, place: str, hours: int, texts: Iterable[str]) -> None:
    """Text that names a gap before the long run names the one placement keeps."""
    said = {int(m) for t in texts for m in GAP_WORDS.findall(t)}
    if said - {hours}:
        problems.add(
            place,
            f"its text asks for {', '.join(f'{h} h' for h in sorted(said))} before a long run,"
            f" but hours_before_long_run = {hours}; placement keeps only the latter",
        )


def _check_variant_load(problems: Problems, place: str, routine: Routine, variant: Variant) -> None:
    if routine.has_main_lift and not variant.main_lifts:
        problems.add(place, "marks no main lift, while other variants of the routine do")
    budget = min(CONTACT_BUDGET[level] for level in variant.levels)
    if variant.contacts > budget:
        problems.add(
            place,
            f"{variant.contacts} foot contacts, over the budget of {budget} per session"
            f" for {' and '.join(variant.levels)} runners",
        )


def _check_coverage(problems: Problems, place: str, routine: Routine) -> None:
    """Exactly one variant per track and level (new lifters may be sent to another routine)."""
    levels = ("experienced",) if routine.new_lifters else LEVELS
    for track in EQUIPMENT:
        for level in LEVELS:
            count = sum(v.fits(track, level) for v in routine.variants)
            if level in levels and count == 0:
                problems.add(place, f"no variant for equipment '{track}' and level '{level}'")
            elif count > 1:
                problems.add(place, f"{count} variants for equipment '{track}' and level '{level}'")
            elif level not in levels and count:
                problems.add(place, f"has a '{level}' variant and new_lifters; keep one")


def _check_fallbacks(problems: Problems, name: str, routines: Mapping[str, Routine]) -> None:
    for routine in routines.values():
        fallback = routines.get(routine.new_lifters)
        if not routine.new_lifters:
            continue
        if fallback is None or fallback.new_lifters:
            problems.add(
                f"{name} routine '{routine.slug}'",
                f"new_lifters must name a routine that has variants for new lifters,"
                f" not '{routine.new_lifters}'",
            )
