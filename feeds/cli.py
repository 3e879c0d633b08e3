"""`flask plans check`: validate the plan files without starting the app; `flask plans restamp`:
bring stored plans up to this release.

Registered as a Flask plugin command (pyproject entry point) so that `check` still runs, and
lists every problem, when the data is broken and the app itself would refuse to start.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from .errors import PlanDataError
from .plans import DEFAULT_PLANS, load_library

BATCH = 500

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


@plans.command("restamp")
@click.option("--batch", default=BATCH, show_default=True, help="Plans read per query.")
@with_appcontext
def restamp(batch: int) -> None:
    """Store every plan's event states as this release reads them (after new code or plan data),
    so feed reads take them as stored instead of checking each event again. Safe to run while
    serving and to stop at any time; a plan written meanwhile is left as its write stored it."""
    from .managed import service
    from .state import library, store

    started, seen, stamped, after = time.perf_counter(), 0, 0, ""
    while found := store().batch(after, batch):
        seen += len(found)
        stamped += service.restamp(store(), library(), found)
        after = found[-1].id
    took = time.perf_counter() - started
    click.echo(f"{seen:,} plans read, {stamped:,} stored for this release, in {took:.1f} s.")
