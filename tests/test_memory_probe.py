"""The memory probe `make bench` prints beside its CPU rows (bench/memory.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import memory
import pytest


def test_the_walk_goes_round_every_slot_once_before_it_comes_back() -> None:
    """One cycle through all of them: a walk that fell into a short loop would measure a
    working set that fits the core's own caches, and call slow memory fast."""
    for slots in (memory.SMALL, 5_000):
        following, at, seen = memory.cycle(slots), 0, set()
        while at not in seen:
            seen.add(at)
            at = following[at]
        assert len(seen) == slots and at == 0
    assert memory.cycle(1_000) == memory.cycle(1_000) != memory.cycle(1_001)[:1_000]


def test_the_report_names_both_walks_and_their_ratio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "step_ns", lambda slots: 120.0 if slots == memory.LARGE else 30.0)
    assert memory.report() == (
        "a random walk through 4 MB of objects takes 120 ns a step, through 40 kB 30 ns (4.0x)"
    )
