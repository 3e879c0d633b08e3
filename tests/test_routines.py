"""Routines for every runner: a variant per equipment and level, loads by effort, safety data."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from feeds.errors import PlanDataError
from feeds.events import entries
from feeds.plans import Library, load_library
from feeds.routines import CONTACT_BUDGET, EQUIPMENT, LEVELS
from feeds.schedule import Request, build

RACE = date(2027, 5, 9)
# Kit a runner on each track does not own, in words a variant must not use.
GYM_KIT = re.compile(r"\b(barbell|rack|machine|cable|trap.bar|plates?|sled|leg press)\b", re.I)
HOME_KIT = re.compile(r"\b(dumbbells?|kettlebells?|bench|box|slant board)\b", re.I)
PERCENT_OF_MAX = re.compile(r"%|1RM|three quarters of your best|of your max", re.I)


@pytest.mark.parametrize("equipment", EQUIPMENT)
@pytest.mark.parametrize("level", LEVELS)
def test_every_routine_has_a_variant_that_fits_the_runners_kit(
    library: Library, equipment: str, level: str
) -> None:
    for slug in library.routines:
        variant = library.variant(slug, equipment, level)
        texts = [*variant.needs, *(f"{e.name} {e.dose}" for e in variant.exercises)]
        if equipment != "gym":
            assert not [t for t in texts if GYM_KIT.search(t)], (slug, equipment, level)
        if equipment == "none":
            assert not [t for t in texts if HOME_KIT.search(t)], (slug, equipment, level)


def test_new_lifters_get_easier_variants_and_no_depth_drops(library: Library) -> None:
    squat = library.variant("heavy-lower-a", "gym", "new").main_lifts[0]
    assert squat.name == "Goblet squat"
    assert (
        library.variant("heavy-lower-b", "home", "new")
        .main_lifts[0]
        .name.startswith("Dumbbell Romanian")
    )
    assert library.for_level("depth-jumps", "new").slug == "plyo-foundation"
    assert library.for_level("depth-jumps", "experienced").slug == "depth-jumps"
    for slug in library.routines:
        for equipment in EQUIPMENT:
            variant = library.variant(slug, equipment, "new")
            assert not any("depth" in e.name.lower() for e in variant.exercises), slug
            assert variant.contacts <= CONTACT_BUDGET["new"]


def test_loads_are_set_by_effort_never_by_a_percentage_of_a_max(library: Library) -> None:
    for routine in library.routines.values():
        texts = [routine.summary, routine.progression, routine.rep_check, *routine.warmup]
        for variant in routine.variants:
            texts += [f"{e.name} {e.dose} {e.cue}" for e in variant.exercises]
            for lift in variant.main_lifts:
                assert "reps in reserve" in lift.dose, (routine.slug, lift.name)
        assert not [t for t in texts if PERCENT_OF_MAX.search(t)], routine.slug


def test_heavy_and_plyometric_routines_carry_their_safety_data(library: Library) -> None:
    for routine in library.routines.values():
        assert routine.minutes <= 45, routine.slug
        if routine.heavy:
            assert any("easy" in step for step in routine.warmup), routine.slug
            assert any("Ramp-up" in step for step in routine.warmup), routine.slug
        if routine.plyometric:
            assert routine.entry_checks, routine.slug
            for variant in routine.variants:
                assert 0 < variant.contacts <= 120, routine.slug
    assert library.routine("nordic-hamstring").entry_checks
    power = library.routine("plyo-power")
    assert max(v.contacts for v in power.variants) <= 100  # it was 170-350 before
    assert "one level" in library.routine("copenhagen-adductor").progression.lower()
    assert "3/10" in library.pain_rule


def _sessions(library: Library, **choices: str) -> list[tuple[str, str]]:
    schedule = build(library, Request("marathon", RACE, **choices))  # type: ignore[arg-type]
    return [
        (e.slot, e.description)
        for e in entries(library, schedule, "https://plans.example.org/")
        if e.category == "Strength"
    ]


def test_a_new_lifter_with_dumbbells_at_home_gets_a_marathon_plan_they_can_do(
    library: Library,
) -> None:
    sessions = _sessions(library, equipment="home", level="new")
    assert len(sessions) > 30
    targets = 0
    for _, text in sessions:
        kit = text.split("What you'll need: ")[1].split("\n")[0]
        assert not GYM_KIT.search(kit), kit
        exercises = text.split("Exercises:\n")[1].split("\n\n")[0]
        assert not GYM_KIT.search(exercises), exercises
        # The routine's own words (the week's focus and notes belong to the program files).
        routine_text = text.split("What you'll need: ")[1].split("\n\nWhen: ")[0]
        assert not PERCENT_OF_MAX.search(routine_text)
        assert "Pain rule: " in text and "3/10" in text
        if "(main lift): " in text:
            targets += 1
            assert re.search(
                r"\(main lift\): \d x [\d-]+( each leg)? with \d reps in reserve", text
            )
    assert targets >= 8


def test_new_lifters_keep_one_more_rep_in_reserve_than_the_week_target(library: Library) -> None:
    gym = dict(_sessions(library))
    new = dict(_sessions(library, level="new"))
    found = 0
    for slot, text in gym.items():
        for dose, rir in re.findall(r"\(main lift\): (\d+ x [\d-]+)[^\n]*? with (\d) rep", text):
            wanted = f"(main lift): {dose}"
            assert wanted in new[slot], (slot, wanted)
            assert f"with {min(int(rir) + 1, 5)} rep" in new[slot].split(wanted)[1][:40]
            found += 1
    assert found >= 8


@pytest.mark.parametrize("equipment", EQUIPMENT)
@pytest.mark.parametrize("level", LEVELS)
def test_a_bodyweight_nordic_is_made_harder_without_a_load(
    library: Library, equipment: str, level: str
) -> None:
    """No "heaviest load" on the Nordics: harder means slower and further, on every track."""
    nordics = [t for slot, t in _sessions(library, equipment=equipment, level=level)
               if "/nordic-hamstring/" in slot and "(main lift): " in t]  # fmt: skip
    assert nordics
    for text in nordics:
        exercises = text.split("Exercises:\n")[1].split("\n\n")[0]
        assert "heaviest load" not in exercises
        assert re.search(r"lower more slowly .* until the effort matches", exercises)
    # Loaded lifts at home keep the rule about a light heaviest load.
    loaded = [t for slot, t in _sessions(library, equipment=equipment, level=level)
              if "/heavy-lower-" in slot and "(main lift): " in t]  # fmt: skip
    assert loaded and all(("heaviest load" in t) == (equipment != "gym") for t in loaded)


def test_check_rejects_an_effort_rule_without_a_main_lift(plans_copy: Path) -> None:
    _edit_routine(
        plans_copy,
        "hip-activation",
        "[[routine.variant]]\n",
        '[[routine.variant]]\neffort_rule = "x"\n',
    )
    assert "'hip-activation' variant 1: effort_rule is about the main lift" in _problems(plans_copy)


def test_switching_equipment_or_level_keeps_every_slot_and_date(library: Library) -> None:
    """Slots (and so UIDs) come from the routine slug, never from the variant."""
    base = build(library, Request("5k", RACE))
    for equipment in EQUIPMENT:
        for level in LEVELS:
            other = build(library, Request("5k", RACE, equipment=equipment, level=level))
            assert [(s.slot, s.day) for s in other.sessions] == [
                (s.slot, s.day) for s in base.sessions
            ]


def test_sessions_label_a_search_link_as_a_search(library: Library) -> None:
    for _, text in _sessions(library, equipment="none"):
        video = text.split("Video: ")[1].split("\n")
        if "results?search_query=" in video[0]:
            assert video[1].startswith("(a video search: ")
        else:
            assert "search" not in video[1]


def test_the_heavy_sessions_show_a_warm_up_and_plyometrics_their_contacts(
    library: Library,
) -> None:
    schedule = build(library, Request("5k", RACE, equipment="none"))
    for entry in entries(library, schedule, "https://plans.example.org/"):
        if entry.category != "Strength":
            continue
        routine = library.routine(entry.description.split("/routines/")[1].split()[0])
        if routine.heavy:
            assert "\nWarm-up:\n- " in entry.description
        if routine.plyometric:
            assert "Foot contacts this session: " in entry.description
            assert "Before your first session, check you can do these:" in entry.description


# ---------------------------------------------------------------- the checker catches each rule


def _break(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, count))


def _problems(plans: Path) -> str:
    with pytest.raises(PlanDataError) as caught:
        load_library(plans)
    return "\n".join(caught.value.problems)


def _routine_block(plans: Path, slug: str) -> tuple[str, str, str]:
    """The routines file split around one routine's text."""
    text = (plans / "routines.toml").read_text()
    start = text.index(f'slug = "{slug}"')
    end = text.find("[[routine]]", start)
    end = len(text) if end < 0 else end
    return text[:start], text[start:end], text[end:]


def _edit_routine(plans: Path, slug: str, old: str, new: str) -> None:
    head, block, tail = _routine_block(plans, slug)
    assert old in block, old
    (plans / "routines.toml").write_text(head + block.replace(old, new, 1) + tail)


def test_check_rejects_a_plyometric_session_over_its_contact_budget(plans_copy: Path) -> None:
    _edit_routine(plans_copy, "plyo-power", "contacts = 32", "contacts = 90")
    assert re.search(
        r"routines\.toml routine \d+ 'plyo-power' variant 1: 150 foot contacts, over the budget"
        r" of 120 per session",
        _problems(plans_copy),
    )


def test_check_rejects_a_session_over_45_minutes(plans_copy: Path) -> None:
    _edit_routine(plans_copy, "heavy-lower-a", "minutes = 45", "minutes = 55")
    assert re.search(
        r"routine \d+ 'heavy-lower-a': minutes must be between 5 and 45", _problems(plans_copy)
    )


def test_check_rejects_a_heavy_routine_without_a_warm_up(plans_copy: Path) -> None:
    _edit_routine(plans_copy, "heavy-lower-b", "warmup = [", "unused = [")
    problems = _problems(plans_copy)
    assert re.search(r"'heavy-lower-b': a heavy routine needs a warm-up", problems)


def test_check_rejects_a_routine_missing_a_track_or_doubling_one(plans_copy: Path) -> None:
    _edit_routine(plans_copy, "single-leg-strength", 'equipment = ["none"]', 'equipment = ["home"]')
    problems = _problems(plans_copy)
    assert "'single-leg-strength': no variant for equipment 'none' and level 'new'" in problems
    assert "'single-leg-strength': 2 variants for equipment 'home' and level 'new'" in problems


def test_check_rejects_gym_kit_in_a_home_variant(plans_copy: Path) -> None:
    _edit_routine(plans_copy, "heavy-lower-a", '"dumbbells or a kettlebell"', '"a barbell"')
    assert re.search(
        r"'heavy-lower-a' variant 2: a 'home' variant may not need barbell", _problems(plans_copy)
    )


def test_check_rejects_plyometrics_and_nordics_without_entry_checks(plans_copy: Path) -> None:
    _edit_routine(plans_copy, "plyo-foundation", "entry_checks = [", "unused = [")
    _edit_routine(plans_copy, "nordic-hamstring", "entry_checks = [", "unused = [")
    problems = _problems(plans_copy)
    for slug in ("plyo-foundation", "nordic-hamstring"):
        assert f"'{slug}': plyometric and Nordic routines need entry_checks" in problems


def test_check_rejects_nordics_without_their_gap_before_the_long_run(plans_copy: Path) -> None:
    _edit_routine(plans_copy, "nordic-hamstring", "hours_before_long_run = 72\n", "")
    problems = _problems(plans_copy)
    assert "'nordic-hamstring': Nordic work needs hours_before_long_run = 72 or more" in problems
    # Its own progression text still asks for 72 h: the number placement keeps must match it.
    assert "'nordic-hamstring': its text asks for 72 h before a long run, but" in problems


def test_check_rejects_a_program_note_that_asks_for_another_gap(plans_copy: Path) -> None:
    path = plans_copy / "5k.toml"
    text = path.read_text()
    path.write_text(
        text.replace("at least 72 h before a long run", "at least 96 h before a long run")
    )
    assert re.search(
        r"5k\.toml week 3 session \d: its text asks for 96 h before a long run,"
        r" but hours_before_long_run = 72",
        _problems(plans_copy),
    )


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('"Lift one\\nLift two"', "'cue' must be one line, found a line break"),
        ('"Lift one \\\\ two"', "'cue' holds a backslash"),
        ('"Lift one\\u0007"', "'cue' holds a control character (0x07)"),
        ('"Lift\\tone"', "'cue' holds a control character (0x09)"),
    ],
)
def test_check_rejects_line_breaks_backslashes_and_control_characters(
    plans_copy: Path, bad: str, message: str
) -> None:
    _edit_routine(plans_copy, "lunge-matrix", 'cue = "Step out long', f'cue = {bad}\nold = "')
    _edit_routine(plans_copy, "lunge-matrix", 'old = "', "# ")
    assert re.search(
        rf"routine \d+ 'lunge-matrix' variant 1 exercise 1: {re.escape(message)}",
        _problems(plans_copy),
    )


def test_check_rejects_a_line_break_in_a_program_title(plans_copy: Path) -> None:
    _break(plans_copy / "10k.toml", 'title = "', 'title = "Two\\nlines ')
    assert "10k.toml introduction: 'title' must be one line" in _problems(plans_copy)


@pytest.mark.parametrize("key", ["name", "focus", "about"])
def test_check_rejects_a_line_break_in_a_program_line(plans_copy: Path, key: str) -> None:
    # A newline in the focus once passed the check and broke every feed of the distance.
    _break(plans_copy / "marathon.toml", f'{key} = "', f'{key} = "Two\\nlines ')
    assert f"marathon.toml: '{key}' must be one line" in _problems(plans_copy)


@pytest.mark.parametrize(
    ("bad", "message"),
    [("Lift \\\\ two", "holds a backslash"), ("Lift\\u0007", "holds a control character")],
)
def test_check_rejects_escapes_in_a_program_focus(plans_copy: Path, bad: str, message: str) -> None:
    _break(plans_copy / "5k.toml", 'focus = "', f'focus = "{bad} ')
    assert f"5k.toml: 'focus' {message}" in _problems(plans_copy)


def test_routine_texts_keep_to_what_the_programs_say(library: Library) -> None:
    """No trap bar standing in for a barbell, no %1RM, no primer on the eve of the race."""
    for routine in library.routines.values():
        texts = [routine.summary, routine.progression, routine.rep_check, *routine.warmup]
        for variant in routine.variants:
            texts += [*variant.needs, *(f"{e.name} {e.dose} {e.cue}" for e in variant.exercises)]
        joined = " ".join(texts).lower()
        for banned in ("trap bar", "trap-bar", "1rm", "%", "or the day before", "3-4 times"):
            assert banned not in joined, (routine.slug, banned)


def test_check_rejects_a_heavy_session_inside_the_taper_cut_off(plans_copy: Path) -> None:
    # With 14 days kept free of heavy work, every day of week 15 lies inside the cut-off.
    path = plans_copy / "marathon.toml"
    text = re.sub(r"last_heavy_days = \d+", "last_heavy_days = 14", path.read_text())
    head, sep, tail = text.partition("number = 15\n")
    tail = re.sub(r'routine = "[a-z-]+"', 'routine = "heavy-lower-a"', tail, count=1)
    path.write_text(head + sep + tail)
    assert (
        "marathon.toml week 15: heavy session 'heavy-lower-a' inside the taper cut-off"
        in _problems(plans_copy)
    )


def test_check_holds_last_heavy_days_to_the_distance(plans_copy: Path) -> None:
    _break(plans_copy / "5k.toml", "last_heavy_days = ", "last_heavy_days = 14 #")
    assert "5k.toml: last_heavy_days must be between 7 and 10 for a 5k" in _problems(plans_copy)


def test_check_wants_the_main_lift_target_in_strength_weeks(plans_copy: Path) -> None:
    path = plans_copy / "marathon.toml"
    head, sep, tail = path.read_text().partition("number = 6\n")
    tail = tail.replace("sets = 3\n", "", 1)
    path.write_text(head + sep + tail)
    problems = _problems(plans_copy)
    assert "marathon.toml week 6 session 1: sets, reps and rir go together" in problems
    assert "marathon.toml week 6 session 1: 'heavy-lower-b' in a strength week needs" in problems


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('sets = 9\nreps = "5"\nrir = 2', "sets must be between 1 and 8"),
        ('sets = 3\nreps = "5"\nrir = 7', "rir (reps in reserve) must be between 0 and 5"),
        ('sets = 3\nreps = "8-6"\nrir = 2', "reps must be a number or a range such as 6-8"),
        ('sets = 3\nreps = "heavy"\nrir = 2', "reps must be a number or a range such as 6-8"),
    ],
)
def test_check_holds_targets_to_ranges_a_runner_can_follow(
    plans_copy: Path, lines: str, message: str
) -> None:
    _break(plans_copy / "ultra.toml", 'sets = 3\nreps = "5"\nrir = 2', lines)
    assert re.search(
        rf"ultra\.toml week \d+ session \d: {re.escape(message)}", _problems(plans_copy)
    )


def test_check_rejects_a_target_on_a_routine_without_a_main_lift(plans_copy: Path) -> None:
    _break(plans_copy / "5k.toml", "times = 1\n", 'times = 1\nsets = 3\nreps = "5"\nrir = 2\n')
    assert re.search(r"5k\.toml .*: '[a-z-]+' has no main lift to take", _problems(plans_copy))


def test_check_rejects_a_direct_video_link_without_its_source(plans_copy: Path) -> None:
    _edit_routine(plans_copy, "copenhagen-adductor", "video_source = ", "# video_source = ")
    _edit_routine(plans_copy, "hip-activation", 'video_kind = "search"', 'video_kind = "page"')
    problems = _problems(plans_copy)
    assert re.search(r"'copenhagen-adductor': a video link needs video_source", problems)
    assert re.search(r"'hip-activation': video_kind 'search' goes with a YouTube search", problems)


# ---------------------------------------------------------------- words a runner reads

# Gym kit as a runner would read it in a session: "the bar", "a rack", "in the gym".
GYM_WORDS = re.compile(
    r"\b(bars?|barbells?|racks?|machines?|gym|trap.bar|plates?|sled|rowers?|treadmills?)\b", re.I
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")


def _feed_texts(library: Library, distance: str, equipment: str, level: str) -> list[str]:
    schedule = build(library, Request(distance, RACE, equipment=equipment, level=level))
    return [e.description for e in entries(library, schedule, "https://plans.example.org/")]


@pytest.mark.parametrize("equipment", ["home", "none"])
@pytest.mark.parametrize("level", LEVELS)
def test_no_session_tells_a_runner_without_a_gym_about_a_bar_or_rack(
    library: Library, equipment: str, level: str
) -> None:
    """The program's notes and the routines' shared words reach every track, not only gym."""
    for distance in library.programs:
        for text in _feed_texts(library, distance, equipment, level):
            words = text.split("\nVideo: ")[0]
            assert not GYM_WORDS.search(words), (distance, GYM_WORDS.search(words), words)


@pytest.mark.parametrize(("equipment", "level"), [("gym", "experienced"), ("home", "new")])
def test_no_event_says_the_same_sentence_twice(
    library: Library, equipment: str, level: str
) -> None:
    for distance in library.programs:
        for text in _feed_texts(library, distance, equipment, level):
            sentences = [s for s in SENTENCE_END.split(text) if len(s) > 30]
            repeated = {s for s in sentences if sentences.count(s) > 1}
            assert not repeated, (distance, repeated)


def test_a_heavy_summary_leaves_the_target_to_the_main_lift_line(library: Library) -> None:
    for slug in ("heavy-lower-a", "heavy-lower-b"):
        assert "target" not in library.routine(slug).summary, slug


def test_check_rejects_gym_words_in_a_cue_or_in_text_every_track_shares(plans_copy: Path) -> None:
    _edit_routine(plans_copy, "heavy-lower-b", "Soft knees,", "Keep the bar close, soft knees,")
    _edit_routine(
        plans_copy, "calf-soleus-capacity", "then add a little weight", "then add a plate"
    )
    problems = _problems(plans_copy)
    assert re.search(r"'heavy-lower-b' variant \d: a 'home' variant may not need bar", problems)
    assert re.search(
        r"'calf-soleus-capacity': its shared text .* names plate, which a 'home' runner", problems
    )


def test_check_rejects_kit_in_program_notes_that_some_runner_lacks(plans_copy: Path) -> None:
    _break(plans_copy / "ultra.toml", "stop a set early if a rep slows down", "watch the bar speed")
    _break(plans_copy / "5k.toml", "with a light load", "with light dumbbells")
    problems = _problems(plans_copy)
    assert re.search(r"ultra\.toml week \d+: names bar, which a 'home' runner", problems)
    assert re.search(r"5k\.toml week \d+: names dumbbell, which a 'none' runner", problems)
    assert not re.search(r"5k\.toml week \d+: names dumbbell, which a 'home'", problems)


def test_kit_words_are_whole_words(plans_copy: Path) -> None:
    """'barely' and 'boxing' are not kit; the check must not cry wolf."""
    _break(plans_copy / "ultra.toml", "stop a set early if a rep slows down", "barely tired")
    load_library(plans_copy)


def test_the_copenhagen_session_lets_the_runner_choose_one_level_after_an_entry_check(
    library: Library,
) -> None:
    sessions = [t for _, t in _sessions(library, equipment="none", level="new")]
    copenhagen = [t for t in sessions if "/routines/copenhagen-adductor" in t]
    assert copenhagen
    text = copenhagen[0]
    assert "Before your first session, check you can do these:\n- A forearm side plank" in text
    assert "You choose your level" in text and "never two" in text
    levels = re.findall(r"Level (\d) \(([a-z -]+)\)", text)
    assert levels == [("1", "side-lying"), ("2", "short lever"), ("3", "long lever")]
    # Every level a program note names is one the routine defines, by number and name.
    for program in library.programs.values():
        for unit in (*program.weeks, *program.after):
            for p in unit.sessions:
                if p.routine == "copenhagen-adductor":
                    for number, name in re.findall(r"level (\d)(?: \(([a-z -]+)\))?", p.note):
                        assert not name or (number, name) in levels, (program.distance, p.note)
                    if unit.phase == "taper":
                        assert "current level" in p.note, (program.distance, unit.number)


def test_a_new_lifters_technique_week_note_reads_as_one_phrase(library: Library) -> None:
    """A ramp week's note keeps the program's words first and says why in a clause, no label."""
    ramp = "a technique week for new lifters, to learn each movement before the loads go up"
    found = 0
    for distance in library.programs:
        for text in _feed_texts(library, distance, "home", "new"):
            assert not re.search(r"technique weeks?: ", text), distance
            for note in re.findall(r"^Note: ([^\n]*)$", text, re.MULTILINE):
                if ramp in note:
                    found += 1
                    assert note == ramp or note.split("; ")[-1] == ramp or "; stop every" in note
                    assert ": " not in note, (distance, note)
    assert found >= 10


def test_check_wants_the_page_a_demonstration_link_was_found_on(plans_copy: Path) -> None:
    _edit_routine(plans_copy, "nordic-hamstring", "video_source = ", "# video_source = ")
    _edit_routine(
        plans_copy,
        "hip-activation",
        'video_kind = "search"',
        'video_kind = "search"\nvideo_source = "https://example.org/"',
    )
    problems = _problems(plans_copy)
    assert re.search(
        r"'nordic-hamstring': a page link needs video_source: the https page", problems
    )
    assert re.search(r"'hip-activation': a search link has no video_source", problems)


def test_most_sessions_link_a_demonstration_with_the_page_it_was_found_on(
    library: Library,
) -> None:
    variants = [v for r in library.routines.values() for v in r.variants]
    found = [v.video for v in variants if not v.video.search]
    assert len(found) >= 30 and len(variants) == 40
    for video in found:
        assert video.source.startswith("https://"), video.url
        if video.kind == "page":
            assert video.source == video.url, video.url
        assert "search" not in video.title.lower(), video.title


def test_the_introduction_walks_through_the_phases_once(library: Library) -> None:
    """The program's overview and its introduction text are shown together: one walk-through."""
    for distance in library.programs:
        intro = _feed_texts(library, distance, "gym", "experienced")[0]
        spans = re.findall(r"Weeks? \d+(?: (?:to|and) \d+)?", intro.split("Fewer than 16")[0])
        assert spans and len(spans) == len(set(spans)), (distance, spans)


def test_a_lighter_week_cuts_every_exercise_not_only_the_main_lift(library: Library) -> None:
    """The target sets the main lift; the note must say what happens to the rest of the session."""
    checked = 0
    for program in library.programs.values():
        for unit in program.weeks:
            if unit.phase != "taper" and "down week" not in unit.title.lower():
                continue
            for p in unit.sessions:
                if library.routine(p.routine).heavy and p.target:
                    checked += 1
                    assert re.search(r"(other|every|per) exercise", p.note), (
                        program.distance,
                        unit.number,
                        p.note,
                    )
    assert checked >= 10


def test_a_session_note_names_only_exercises_its_routine_holds(library: Library) -> None:
    """A note about depth drops, Nordic lowers or step-ups belongs to a routine that has them."""
    words = ("depth drop", "nordic lower", "step-up")
    checked = 0
    for program in library.programs.values():
        for unit in (*program.lead_in, *program.weeks, *program.after):
            for p in unit.sessions:
                routine = library.routine(p.routine)
                names = " ".join(e.name.lower() for v in routine.variants for e in v.exercises)
                for word in words:
                    if word in p.note.lower():
                        checked += 1
                        assert word in names, (program.distance, unit.number, p.routine, word)
    assert checked >= 3
