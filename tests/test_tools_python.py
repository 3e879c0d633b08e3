"""`tools/python`: the interpreter `make` builds .venv with."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TOOL = Path(__file__).parent.parent / "tools" / "python"


def _fake(folder: Path, name: str, status: int) -> str:
    """An interpreter stand-in that answers the tool's check with `status` (0: 3.11+ with venv)."""
    path = folder / name
    path.write_text(f"#!/bin/sh\nexit {status}\n")
    path.chmod(0o755)
    return str(path)


def _picked(*candidates: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(TOOL), *candidates], capture_output=True, text=True, check=True
    )


def test_the_first_candidate_that_is_new_enough_with_venv_is_picked(tmp_path: Path) -> None:
    too_old = _fake(tmp_path, "python-old", 1)
    good = _fake(tmp_path, "python-good", 0)
    later = _fake(tmp_path, "python-later", 0)
    assert _picked(too_old, str(tmp_path / "missing"), good, later).stdout == f"{good}\n"


def test_without_a_usable_candidate_it_falls_back_to_python3_and_says_so(tmp_path: Path) -> None:
    answer = _picked(_fake(tmp_path, "python-old", 1))
    assert answer.stdout == "python3\n"
    assert "none of" in answer.stderr and "3.11" in answer.stderr


def test_the_interpreter_running_these_tests_passes_its_check() -> None:
    """The check itself (version and venv) accepts a real 3.11+ interpreter with venv."""
    assert _picked(sys.executable).stdout == f"{sys.executable}\n"
