"""plans/SOURCES.md stays true: each rule names places that exist, the numbers the code holds,
and a source for every claim (a URL, or an honest [inference])."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

import pytest

from feeds.plans import PRESCRIPTION_OPTIONAL
from feeds.routines import EXERCISE_OPTIONAL, ROUTINE_OPTIONAL

ROOT = Path(__file__).parent.parent
SOURCES = (ROOT / "plans" / "SOURCES.md").read_text()
EVIDENCE = {"review", "trial", "practitioner", "inference"}
URL = re.compile(r"https?://\S+")
# Optional data keys that are layout or labels, not coaching rules.
NOT_RULES = {"video_source", "note", "main", "side"}


@dataclass(frozen=True)
class Entry:
    title: str
    fields: Mapping[str, str]
    sources: tuple[str, ...]

    @property
    def places(self) -> Iterator[tuple[str, str]]:
        """(file, name) for every name the Where line gives: "`file`: `a`, `b`; `file2`: `c`"."""
        for part in self.fields["Where"].split(";"):
            path, _, names = part.partition(":")
            for name in re.findall(r"`([^`]+)`", names):
                yield path.strip().strip("`"), name


def entries() -> list[Entry]:
    """The numbered rule sections, each with its bold fields and its source bullets."""
    found = []
    for block in re.split(r"^## (?=\d+\. )", SOURCES, flags=re.MULTILINE)[1:]:
        title, _, body = block.partition("\n")
        fields: dict[str, str] = {}
        sources: list[str] = []
        for item in re.split(r"\n(?=- \*\*|  - )", body.strip()):
            text = " ".join(item.split())
            if text.startswith("- **"):
                key, _, value = text[4:].partition(":**")
                fields[key] = value.strip()
            else:
                sources.append(text[2:])
        found.append(Entry(title, fields, tuple(sources)))
    return found


ENTRIES = entries()


def resolve(path: str, name: str) -> object:
    """What `name` is in the module at `path`; a method is named with its class
    (`Rules.holds_cutoff`). None when it does not exist."""
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    return reduce(lambda owner, part: getattr(owner, part, None), name.split("."), module)


def numbers(value: object) -> set[int]:
    """The whole numbers a constant holds (an int, a range's ends, a mapping's values)."""
    if isinstance(value, bool):
        return set()
    if isinstance(value, int):
        return {value}
    if isinstance(value, range):
        return {value.start, value.stop - 1}
    if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        return set(value)
    if isinstance(value, Mapping):
        return {n for v in value.values() for n in numbers(v)}
    return set()


def test_the_file_says_what_it_is_and_lists_the_rules() -> None:
    intro = SOURCES.split("\n## ")[0]
    assert "domain.md" in intro and "[inference]" in intro
    assert len(ENTRIES) >= 20


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.title)
def test_each_rule_has_every_field_and_a_known_kind_of_evidence(entry: Entry) -> None:
    assert {"Rule", "Where", "Rests on", "Sources", "Evidence"} <= set(entry.fields)
    assert entry.sources, "a rule with no source line"
    kinds = {k.strip() for k in entry.fields["Evidence"].split(",")}
    assert kinds <= EVIDENCE, kinds
    if not any(URL.search(s) for s in entry.sources):
        assert kinds == {"inference"}, "no URL: the rule rests on inference only"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.title)
def test_every_source_line_has_a_url_or_is_marked_inference(entry: Entry) -> None:
    for line in entry.sources:
        assert URL.search(line) or line.startswith("**[inference]**"), line
        if "**[inference]**" in line:
            assert "inference" in entry.fields["Evidence"]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.title)
def test_every_place_a_rule_names_exists(entry: Entry) -> None:
    """A renamed field, constant or checker function breaks its rule's entry here."""
    for path, name in entry.places:
        text = (ROOT / path).read_text()
        if path.endswith(".toml"):
            key = rf"^\s*(?:{re.escape(name)}\s*=|\[\[(?:\w+\.)*{re.escape(name)}\]\])"
            assert re.search(key, text, re.MULTILINE), f"{path} has no key '{name}'"
        elif path.startswith("feeds/"):
            assert resolve(path, name) is not None, f"{path} has no '{name}'"
        else:
            assert re.search(rf"\b{re.escape(name)}\b", text), f"{path} never names '{name}'"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.title)
def test_a_rule_states_the_numbers_its_constants_hold(entry: Entry) -> None:
    """Change a budget, a cut-off or a gap in the code, and its entry must be revisited."""
    for path, name in entry.places:
        if not (path.startswith("feeds/") and path.endswith(".py")):
            continue
        for n in numbers(resolve(path, name)):
            said = re.search(rf"(?<![\d.]){n}(?!\d)", entry.fields["Rule"])
            assert said, f"{name} holds {n}, which the rule does not state"


def test_every_rule_field_of_the_plan_data_is_sourced() -> None:
    """A new optional key in the plan data is a new rule: it needs an entry."""
    named = {name for entry in ENTRIES for _, name in entry.places}
    keys = {*ROUTINE_OPTIONAL, *PRESCRIPTION_OPTIONAL, *EXERCISE_OPTIONAL} - NOT_RULES
    keys |= {"pain_rule", "last_heavy_days", "ramp_weeks", "minutes"}
    assert keys - named == set()
