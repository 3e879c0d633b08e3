"""The CPU rows of `make bench` measure what they say: options no earlier request had."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import feeds_bench as fb


def _key(options: dict[str, str]) -> tuple[str, ...]:
    return options["days"], options["equipment"], options["level"]


def test_a_seasoned_worker_is_measured_on_options_it_has_never_had() -> None:
    seasoning = fb.SEASONS[: fb.SEASONED]
    measured = fb.SEASONS[-fb.CPU_REQUESTS :]
    young = [fb.new_options(i) for i in range(fb.CPU_REQUESTS + fb.WARM)]
    earlier = {_key(o) for o in seasoning + young}
    assert len({_key(o) for o in measured}) == fb.CPU_REQUESTS
    assert not earlier & {_key(o) for o in measured}
    assert len({_key(o) for o in seasoning}) == fb.SEASONED
