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
from urllib.parse import urlencode

import feeds_bench as fb
from flask import Flask
from werkzeug.test import EnvironBuilder

import feeds

TODAY = date.today()
WARM = 20
MOST = 60  # requests measured at most: the kinds below stay distinct that far


def page(_app: Flask, i: int) -> str:
    return f"/plans/half-marathon?race={TODAY + timedelta(weeks=17, days=i)}"


def stateless_new_options(_app: Flask, i: int) -> str:
    options = urlencode(fb.new_options(i))
    return f"/feeds/half-marathon.ics?race={TODAY + timedelta(weeks=17, days=i)}&{options}"


def stateless_new_race(_app: Flask, i: int) -> str:
    # Whole weeks apart, so each is a kept build moved; three distances keep the races near.
    distance = ("half-marathon", "marathon", "10k")[i // 30]
    return f"/feeds/{distance}.ics?race={TODAY + timedelta(weeks=17 + i % 30)}"


def managed_new_options(app: Flask, i: int) -> str:
    return fb.managed_feed_path(app, weeks=17 + i % 20, **fb.new_options(i))


KINDS: dict[str, Callable[[Flask, int], str]] = {
    "plan page": page,
    "stateless feed, new options": stateless_new_options,
    "stateless feed, a new race": stateless_new_race,
    "managed feed, new options": managed_new_options,
}


def main(argv: list[str]) -> int:
    kind, count = KINDS[argv[0]], int(argv[1])
    if not 0 <= count <= MOST:
        raise SystemExit(f"N must be 0 to {MOST}")
    app = fb.make_app(Path(tempfile.mkdtemp()), "app", CREATE_LIMIT="1000 per hour")
    # Every run makes the same plans (a managed kind's cost the same in both), asks some.
    paths = [kind(app, i) for i in range(WARM + MOST)][: WARM + count]
    environs = [EnvironBuilder(path=p, base_url=fb.BASE).get_environ() for p in paths]
    for environ in environs:
        fb.wsgi_call(app, environ, "200")
    print("done", Path(feeds.__file__).resolve().parent.parent)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
