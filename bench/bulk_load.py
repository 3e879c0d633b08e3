"""Create N managed plans fast in DATABASE_URL, for the scale benchmark: `bulk_load.py N`.

Plans get realistic random choices (every distance, races 10-40 weeks out, their own days,
some timed with a reminder, a few with weekly unlock) from a pool of distinct shapes whose slot
states are computed once, then rows go in through the store's own table in batches (one
`executemany` each). Prints the time taken and the bytes stored per plan.
"""

from __future__ import annotations

import os
import random
import secrets
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, MetaData, Table, func, insert, literal, select, text

from feeds.choices import Choices, read
from feeds.managed import service
from feeds.managed.migrate import upgrade
from feeds.managed.store import _columns, engine_for, subscriptions
from feeds.managed.tokens import digest, feed_token, new_salt
from feeds.plans import DEFAULT_PLANS, DISTANCES, Library, load_library

BATCH = 5_000
# One plan in this many has its feed token written out, for the load generator (--tokens).
TOKEN_SAMPLE = 50
SHAPES = 2_000  # distinct choice sets; plans beyond that share one (as runners do)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Tokyo")


def random_choices(rng: random.Random, today: date, starts: bool = False) -> Choices:
    """One runner's plan: a distance, a race 10-40 weeks out, and some of the options; with
    `starts`, a start day in the last 60 days, as the plan page fills in the day it was made."""
    race = today + timedelta(weeks=rng.randint(10, 40), days=rng.randint(0, 6))
    values = {"race": race.isoformat()}
    if starts:
        values["start"] = (today - timedelta(days=rng.randint(0, 59))).isoformat()
    if rng.random() < 0.5:
        values["days"] = ",".join(sorted(rng.sample(DAYS, rng.randint(2, 3)), key=DAYS.index))
    if rng.random() < 0.3:
        values["time"], values["tz"] = (
            f"{rng.randint(5, 20):02d}:{rng.choice((0, 30)):02d}",
            rng.choice(ZONES),
        )
        if rng.random() < 0.5:
            values["alarm"] = str(rng.choice((10, 15, 30, 60)))
    if rng.random() < 0.1:
        values["unlock_weekly"] = "1"
    return read(rng.choice(DISTANCES), values)


def shapes(
    library: Library,
    rng: random.Random,
    today: date,
    now: datetime,
    count: int = SHAPES,
    starts: bool = False,
) -> list[dict[str, Any]]:
    """Column values (choices and packed slot states) of `count` random plans."""
    out = []
    for _ in range(count):
        choices = random_choices(rng, today, starts)
        plan = service.create(_Nowhere(), library, choices, today, now)
        out.append(_columns(plan.subscription))
    return out


class _Nowhere:
    """A store that keeps nothing: `service.create` computes a plan's states through it."""

    def create(self, *_: object) -> None:
        return None


def rows(
    shaped: list[dict[str, Any]],
    n: int,
    today: date,
    now: datetime,
    tokens: list[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """The plans' rows; every TOKEN_SAMPLE-th plan's feed token goes into `tokens`."""
    rng = random.Random(7)
    for i in range(n):
        manage, salt = secrets.token_urlsafe(32), new_salt()
        if tokens is not None and i % TOKEN_SAMPLE == 0:
            tokens.append(feed_token(manage, salt))
        yield {
            "id": secrets.token_hex(16),
            "manage_digest": digest(manage),
            "feed_digest": digest(feed_token(manage, salt)),
            "feed_salt": salt,
            "revision": 0,
            "saved_on": today,
            "created": now,
            "updated": now,
            **rng.choice(shaped),
        }


def load(
    engine: Engine,
    library: Library,
    n: int,
    count: int = SHAPES,
    tokens: list[str] | None = None,
    starts: bool = False,
) -> float:
    """Insert `n` plans of `count` shapes (with `starts`, start days as the plan page sets
    them); the seconds it took (a sample of feed tokens kept)."""
    today, now = date.today(), datetime.now(UTC).replace(microsecond=0)
    started = time.perf_counter()
    shaped = shapes(library, random.Random(1), today, now, count, starts)
    batch: list[dict[str, Any]] = []
    with engine.begin() as conn:
        for row in rows(shaped, n, today, now, tokens):
            batch.append(row)
            if len(batch) == BATCH:
                conn.execute(insert(subscriptions), batch)
                batch = []
        if batch:
            conn.execute(insert(subscriptions), batch)
    return time.perf_counter() - started


@dataclass(frozen=True)
class Sizes:
    """Average stored bytes per plan: everything (the whole SQLite file, or the PostgreSQL table
    with its TOAST and indexes), the packed slot states and the choices text within it."""

    total: float
    slots: float
    choices: float

    @property
    def beyond_choices(self) -> float:
        return self.total - self.choices


def bytes_per_plan(engine: Engine) -> Sizes:
    """The stored bytes per plan in `engine`'s database (at migration 0002 or later: before
    0003 there is no slots column, and its per-event rows count in the total)."""
    table = Table("subscriptions", MetaData(), autoload_with=engine)
    slots_column = table.c.slots if "slots" in table.c else literal(0)
    with engine.connect() as conn:
        plans = conn.execute(select(func.count()).select_from(table)).scalar_one()
        slots, choices = conn.execute(
            select(func.avg(func.length(slots_column)), func.avg(func.length(table.c.choices)))
        ).one()
        if engine.dialect.name == "sqlite":
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
            size = pages * conn.exec_driver_sql("PRAGMA page_size").scalar_one()
        else:
            size = conn.execute(text("SELECT pg_total_relation_size('subscriptions')")).scalar_one()
    return Sizes(size / max(plans, 1), float(slots or 0), float(choices or 0))


USAGE = "usage: DATABASE_URL=... bulk_load.py N [TOKENS_FILE] [--shapes K] [--starts]"


def main(argv: list[str]) -> int:
    """`--shapes K`: K distinct choice sets instead of SHAPES (fewer plans share one);
    `--starts`: start days as the plan page sets them (the day each plan was made)."""
    argv = list(argv)
    starts = "--starts" in argv
    if starts:
        argv.remove("--starts")
    count = SHAPES
    if "--shapes" in argv:
        at = argv.index("--shapes")
        if at + 1 >= len(argv) or not argv[at + 1].isdigit() or int(argv[at + 1]) < 1:
            print(USAGE, file=sys.stderr)
            return 2
        count = int(argv[at + 1])
        del argv[at : at + 2]
    if len(argv) not in (2, 3) or not argv[1].isdigit():
        print(USAGE, file=sys.stderr)
        return 2
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("Set DATABASE_URL to the database to fill.", file=sys.stderr)
        return 2
    engine = engine_for(url)
    try:
        upgrade(engine)
        tokens: list[str] = []
        library = load_library(DEFAULT_PLANS)
        seconds = load(engine, library, int(argv[1]), count, tokens, starts)
        sizes = bytes_per_plan(engine)
    finally:
        engine.dispose()
    if len(argv) == 3:
        # The load generator fetches /s/<token>.ics for these (one in TOKEN_SAMPLE plans).
        with open(argv[2], "w") as out:
            out.writelines(f"/s/{t}.ics\n" for t in tokens)
    rate = int(argv[1]) / seconds
    print(f"{int(argv[1]):,} plans in {seconds:.1f} s ({rate:,.0f}/s)")
    print(
        f"{sizes.total:,.0f} bytes stored per plan, {sizes.beyond_choices:,.0f} beyond its choices"
        f" ({sizes.choices:,.0f}), {sizes.slots:,.0f} of them packed slot states"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
