"""What a runner is told to own: one wording per item, and no barbell away from the gym."""

from __future__ import annotations

import re
from datetime import date

import pytest

from feeds.kit import needs
from feeds.plans import DISTANCES, Library
from feeds.schedule import Request, build


def words(item: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", item.lower()))


@pytest.mark.parametrize("level", ["new", "experienced"])
@pytest.mark.parametrize("equipment", ["gym", "home", "none"])
@pytest.mark.parametrize("distance", DISTANCES)
def test_the_kit_list_names_each_thing_once(
    library: Library, distance: str, equipment: str, level: str
) -> None:
    request = Request(distance, date(2027, 5, 9), equipment=equipment, level=level)
    kit = needs(library, build(library, request))
    repeats = [(a, b) for a in kit for b in kit if a != b and words(a) <= words(b)]
    assert kit and repeats == []
    if equipment != "gym":
        assert not [item for item in kit if "barbell" in item.lower()]
