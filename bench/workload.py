"""One kind of request the CPU rows of `make bench` time, repeated for `bench/instructions.py`.

    python bench/workload.py KIND N

Makes an app on a temporary SQLite file, answers WARM requests of KIND to warm what a worker's
first minutes would, then N more, each never asked before. When every answer was 200 it prints
"done" and the folder its code came from. Run twice under an instruction counter (N and 0), the
difference over N is one request's instructions. Races are counted from today (no clock is
faked: freezegun's dates are Python objects, and would be counted too), so runs on one day ask
the same.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import feeds_bench as fb
from flask import Flask
from werkzeug.test import EnvironBuilder

import feeds

WARM = 20
MOST = 60  # requests measured at most: the kinds below stay distinct that far


def new_race(_app: Flask, i: int) -> str:
    """`make bench`'s "a new race" (whole weeks apart: a kept build moved), over three distances
    so that 80 races stay within a year."""
    distance = ("half-marathon", "marathon", "10k")[i // 30]
    return f"/feeds/{distance}.ics?race={date.today() + timedelta(weeks=17 + i % 30)}"


KINDS: dict[str, Callable[[Flask, int], str]] = {
    "plan page": fb.new_page,
    "stateless feed, new options": fb.new_options_feed,
    "stateless feed, a new race": new_race,
    "managed feed, new options": fb.new_options_plan,
}


def main(argv: list[str]) -> int:
    kind, count = KINDS[argv[0]], int(argv[1])
    if not 0 <= count <= MOST:
        raise SystemExit(f"N must be 0 to {MOST}")
    app = fb.make_app(Path(tempfile.mkdtemp()), "app", CREATE_LIMIT="1000 per hour")
    # Every run makes the same plans (a managed kind's cost the same in both), asks some.
    paths = [kind(app, i) for i in range(WARM + MOST)][: WARM + count]
    environs = [
        EnvironBuilder(path=p, base_url=fb.BASE, headers=fb.headers_for(p)).get_environ()
        for p in paths
    ]
    for environ in environs:
        fb.wsgi_call(app, environ, "200")
    print("done", Path(feeds.__file__).resolve().parent.parent)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
