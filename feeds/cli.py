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
# A restamp shared between servers (`--share`) is done in this many parts of the plan ids.
PARTS = 64

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
@click.option(
    "--part",
    default="1/1",
    show_default=True,
    help="K/N: only the K-th of N equal ranges of plan ids, to share the work between machines.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Only count the plans another build stored (their reads check every event); store none.",
)
@click.option(
    "--share",
    is_flag=True,
    help=f"Share the work with other --share runs on this database (every server starts one):"
    f" of the plan ids in {PARTS} parts, each restamps those no other has taken (on SQLite, the"
    f" first does them all).",
)
@with_appcontext
def restamp(batch: int, part: str, check: bool, share: bool) -> None:
    """Store every plan's event states as this release reads them (after new code or plan data),
    so feed reads take them as stored instead of checking each event again. Safe to run while
    serving and to stop at any time; a plan written meanwhile is left as its write stored it."""
    from .managed.locks import claimed
    from .state import store

    started = time.perf_counter()
    if not share:
        seen, counted = _restamp(*id_range(part), batch, check=check)
        left = 0
    else:
        if part != "1/1":
            raise click.BadParameter("--share takes its parts itself: leave --part out", None)
        seen = counted = done = 0
        for each in claimed(store().engine, "restamp", PARTS):
            read, stored = _restamp(*id_range(f"{each + 1}/{PARTS}"), batch, check=check)
            seen, counted, done = seen + read, counted + stored, done + 1
        left = PARTS - done
        if not done:
            click.echo("plans restamp: other restamps on this database hold every part.")
            return
    took = time.perf_counter() - started
    others = f" ({left} of {PARTS} parts done by other restamps)" if left else ""
    what = (
        "stored by another build (their feed reads check every event until restamped)"
        if check
        else "stored for this release"
    )
    click.echo(f"{seen:,} plans read, {counted:,} {what}, in {took:.1f} s{others}.")


def _restamp(after: str, stop: str | None, batch: int, *, check: bool) -> tuple[int, int]:
    """Plans read in the id range, and how many were stored for this release (with `check`,
    how many another build stored)."""
    from .managed import service
    from .state import library, store

    seen, counted = 0, 0
    while found := store().batch(after, batch, stop):
        seen += len(found)
        if check:
            counted += sum(not service.as_stored(library(), p) for p in found)
        else:
            counted += service.restamp(store(), library(), found)
        after = found[-1].id
    return seen, counted


ID_SPACE = 16**32  # plan ids are 32 random hex digits


def id_range(part: str) -> tuple[str, str | None]:
    """For "K/N": the id to start after ("" for the first part) and the first id past the part
    (None for the last), so N parts cover every id exactly once."""
    k, _, n = part.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise click.BadParameter(
            f"{part!r}: give K/N with 1 <= K <= N, e.g. 2/4", param_hint="--part"
        )
    low, high = (ID_SPACE * (int(k) + d - 1) // int(n) for d in (0, 1))
    after = "" if low == 0 else f"{low - 1:032x}"
    return after, None if high == ID_SPACE else f"{high:032x}"
