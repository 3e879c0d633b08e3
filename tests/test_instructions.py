"""The instruction-count benchmark (bench/instructions.py) and the requests it counts."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import instructions
import workload

ROOT = Path(__file__).resolve().parent.parent

CACHEGRIND = """==4242== Cachegrind, a cache and branch-prediction profiler
==4242== Command: python bench/workload.py plan\\ page 40
==4242==
==4242== I   refs:      4,721,377,785
"""


def test_the_count_is_read_from_cachegrinds_summary() -> None:
    assert instructions.counted(CACHEGRIND) == 4_721_377_785


SIMULATED = """==4242== I   refs:      5,141,700,867
==4242== D1  misses:       56,636,760  (   50,909,383 rd   +   5,727,377 wr)
==4242== LLd misses:       11,731,304  (   10,348,693 rd   +   1,382,611 wr)
==4242== LL refs:         116,939,028  (  111,211,651 rd   +   5,727,377 wr)
==4242== LL misses:        12,093,071  (   10,710,460 rd   +   1,382,611 wr)
"""


def test_last_level_misses_are_read_from_a_simulated_run_and_required_there() -> None:
    """Every last-level miss, reads and writes, instructions' and data's: not the data line's."""
    assert instructions.counted(SIMULATED) == 5_141_700_867
    assert instructions.missed(SIMULATED) == 12_093_071
    with pytest.raises(instructions.Failed, match="no last-level miss count"):
        instructions.missed(CACHEGRIND)


def test_a_run_without_a_count_is_reported_not_read_as_zero() -> None:
    with pytest.raises(instructions.Failed, match="no instruction count"):
        instructions.counted("==4242== error: cannot execute python\n")


def test_one_requests_instructions_are_the_difference_over_the_requests() -> None:
    assert instructions.per_request(5_000_000_000, 4_000_000_000, 40) == 25_000_000


@pytest.mark.parametrize("kind", list(workload.KINDS))
def test_every_kind_answers_200_and_names_the_code_it_ran(
    kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A kind whose requests stopped being valid (a race now past, a changed URL) would count
    the instructions of an error page: the workload fails instead."""
    assert workload.main([kind, "2"]) == 0
    assert capsys.readouterr().out.split() == ["done", str(ROOT)]


def test_unknown_kinds_and_counts_are_refused_with_what_is_accepted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        instructions.arguments(["a feed"])
    assert "plan page" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        instructions.arguments(["--requests", "0"])
    assert "--requests is 1 to 60" in capsys.readouterr().err
    assert instructions.arguments(["--misses", "plan page"]).misses
