"""`flask plans check`: validate the plan files without starting the app.

Registered as a Flask plugin command (pyproject entry point) so that it still runs, and lists
every problem, when the data is broken and the app itself would refuse to start.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from .errors import PlanDataError
from .plans import DEFAULT_PLANS, load_library

plans = click.Group("plans", help="Work with the program and routine files.")


@plans.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def check(directory: str | None) -> None:
    """Validate every program and routine file and list all problems."""
    path = Path(directory or os.environ.get("FEEDS_PLANS_DIR") or DEFAULT_PLANS)
    try:
        lib = load_library(path)
    except PlanDataError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise SystemExit(f"{len(exc.problems)} problem(s) in {path}") from exc
    weeks = sum(len(p.weeks) for p in lib.programs.values())
    sessions = sum(u.session_count for p in lib.programs.values() for u in p.weeks)
    variants = sum(len(r.variants) for r in lib.routines.values())
    click.echo(
        f"{path}: OK: {len(lib.programs)} programs, {weeks} weekly units, {sessions} sessions,"
        f" {len(lib.routines)} routines in {variants} equipment and level variants."
    )
