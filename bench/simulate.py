"""Simulate one day of calendar clients polling managed feeds, and the CPU it takes.

Every subscriber polls its secret feed `/s/<token>.ics` on its client's schedule; a fetch is a
200 when the client sends no validator or its copy is older than the plan's last change, else a
304. Per-request CPU is measured in the same run (in-process WSGI calls against `create_app` on a
temporary SQLite), so the cores printed come from this machine and this code, not from a guess.

Behaviour per subscriber does not depend on N: a sample of subscribers is simulated event by
event and scaled. What does depend on N (the per-worker caches) is stated with the costs.

Client facts come from /work/shared/ics-clients.md F4 and E4; where it is silent the choice is
marked "assumed" in DEFAULT_CLIENTS and can be changed on the command line.

    python bench/simulate.py [--seed 1] [--sample 50000] [--mix google=0.45,apple=0.35,...]
"""

from __future__ import annotations

import argparse
import bisect
import gc
import math
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

DAY = 86400.0
BIN = 300.0  # the peak is the busiest 5 minutes: shorter bursts are not modelled
H, MIN = 3600.0, 60.0
SIZES = (10**5, 10**6, 10**7)


@dataclass(frozen=True)
class Client:
    """One calendar client: how often it polls and which validator it sends."""

    name: str
    intervals: tuple[tuple[float, float], ...]  # (seconds between polls, weight)
    validator: str  # "etag" (If-None-Match), "date" (If-Modified-Since) or "" (none)
    diurnal: bool  # polls from the owner's device, so they follow the waking day
    source: str


DEFAULT_CLIENTS = (
    Client(
        "google",
        ((5 * H, 1), (12 * H, 1), (24 * H, 1)),
        "",
        False,
        "F4: ~12-24 h, observed 4-7 h; validators not reported (assumed none)",
    ),
    Client(
        "apple",
        ((15 * MIN, 1), (1 * H, 1), (24 * H, 1)),
        "date",
        True,
        "F4: user-chosen 5 min..weekly (assumed 15 min/1 h/1 day); E4: revalidates by date",
    ),
    Client(
        "outlook",
        ((3 * H, 2), (12 * H, 1), (24 * H, 1)),
        "",
        False,
        "F4: ~3 h, up to 24 h; validators not reported (assumed none)",
    ),
    Client(
        "thunderbird",
        ((30 * MIN, 1),),
        "",
        True,
        "F4: default 30 min; validators not reported (assumed none)",
    ),
    Client(
        "nextcloud",
        ((12 * H, 1),),
        "",
        False,
        "F4/A4: 1 week unless hinted, our REFRESH-INTERVAL is PT12H; validators not reported",
    ),
)
DEFAULT_MIX = {
    "google": 0.45,
    "apple": 0.35,
    "outlook": 0.10,
    "thunderbird": 0.05,
    "nextcloud": 0.05,
}


@dataclass(frozen=True)
class Scenario:
    """What the day looks like; every default is an assumption printed with the results."""

    clients: tuple[Client, ...] = DEFAULT_CLIENTS
    mix: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MIX))
    edits_per_day: float = 1 / 30  # a runner edits (race date, days, time) about once a month
    unlock_share: float = 0.25  # plans with weekly unlock
    unlock_day: bool = True  # the day simulated is a Sunday: weekly-unlock plans change at 00:00
    revision_at: float | None = None  # hour (UTC) a plan-data revision changes every plan
    new_share: float = 1 / 112  # new subscribers a day: plans last about 16 weeks
    amplitude: float = 0.6  # device polls: rate 1 +- amplitude over the day
    peak_hour: float = 15.0  # busiest hour for device polls (one zone: the worst case)


# The day's time line ----------------------------------------------------------------------------


class Clock:
    """Maps 'device time' (polls evenly spaced) to wall time, rate 1 + a*cos over the day."""

    def __init__(self, amplitude: float, peak_hour: float) -> None:
        grid = [i * MIN for i in range(int(DAY / MIN) + 1)]
        self.grid = grid
        self.warped = [self._warp(t, amplitude, peak_hour * H) for t in grid]

    @staticmethod
    def _warp(t: float, a: float, peak: float) -> float:
        w = 2 * math.pi / DAY
        return t + a / w * (math.sin(w * (t - peak)) - math.sin(-w * peak))

    def wall(self, u: float) -> float:
        """The wall time at which device time `u` falls (any day, by periodicity)."""
        days, u = divmod(u, DAY)
        i = max(1, bisect.bisect_left(self.warped, u))
        u0, u1 = self.warped[i - 1], self.warped[i]
        t0 = self.grid[i - 1]
        return days * DAY + t0 + (u - u0) / (u1 - u0) * MIN


@dataclass(frozen=True)
class Fetch:
    time: float  # seconds after 00:00 UTC of the simulated day
    status: int
    validator: str


def poll_times(
    rng: random.Random, interval: float, clock: Clock | None, start: float | None
) -> tuple[float, list[float]]:
    """The fetch before today (or the subscription time) and today's fetches."""
    u0 = rng.uniform(0, interval) if start is None else start
    device = [u0 + k * interval for k in range(int((DAY - u0) // interval) + 1)]
    device = [u for u in device if u < DAY]
    before = u0 - interval if start is None else math.nan
    if clock is None:
        return before, device
    return (math.nan if start is not None else clock.wall(before)), [clock.wall(u) for u in device]


def change_times(rng: random.Random, scenario: Scenario, since: float) -> list[float]:
    """When this plan's bytes change, from `since` to the end of the day."""
    changes = []
    t = since
    while scenario.edits_per_day > 0:
        t += rng.expovariate(scenario.edits_per_day / DAY)
        if t >= DAY:
            break
        changes.append(t)
    if scenario.unlock_day and rng.random() < scenario.unlock_share:
        changes.append(0.0)
    if scenario.revision_at is not None:
        changes.append(scenario.revision_at * H)
    return sorted(changes)


def subscriber_day(
    rng: random.Random, scenario: Scenario, client: Client, clock: Clock
) -> list[Fetch]:
    """One subscriber's fetches today, each a 200 or a 304."""
    interval = pick(rng, client.intervals)
    start = rng.uniform(0, DAY) if rng.random() < scenario.new_share else None
    before, times = poll_times(rng, interval, clock if client.diurnal else None, start)
    if not times:
        return []
    changes = change_times(rng, scenario, before if start is None else times[0])
    fetches, previous = [], before
    for t in times:
        fresh = math.isnan(previous) or any(previous < c <= t for c in changes)
        conditional = client.validator and not fresh
        fetches.append(Fetch(t, 304 if conditional else 200, client.validator))
        previous = t
    return fetches


def pick(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


# A day for a sample, scaled ---------------------------------------------------------------------


@dataclass
class Day:
    """Fetch counts of a sample of subscribers: per outcome, and per 5-minute bin."""

    subscribers: int
    outcomes: dict[str, list[int]] = field(default_factory=dict)

    def add(self, fetch: Fetch) -> None:
        outcome = "200" if fetch.status == 200 else f"304 {fetch.validator}"
        bins = self.outcomes.setdefault(outcome, [0] * int(DAY / BIN))
        bins[int(fetch.time // BIN)] += 1

    def total(self, outcome: str | None = None) -> int:
        return sum(sum(b) for o, b in self.outcomes.items() if outcome in (None, o))

    def not_modified_share(self) -> float:
        total = self.total()
        return (total - self.total("200")) / total if total else 0.0


def simulate(scenario: Scenario, subscribers: int, seed: int) -> Day:
    """Every fetch of `subscribers` subscribers over one day."""
    rng = random.Random(seed)
    clock = Clock(scenario.amplitude, scenario.peak_hour)
    by_name = {c.name: c for c in scenario.clients}
    mix = [(by_name[name], share) for name, share in scenario.mix.items() if share > 0]
    day = Day(subscribers)
    for _ in range(subscribers):
        for fetch in subscriber_day(rng, scenario, pick(rng, mix), clock):
            day.add(fetch)
    return day


@dataclass(frozen=True)
class Load:
    """A day scaled to N subscribers, with the CPU its fetches cost."""

    n: int
    mean_rate: float
    peak_rate: float
    not_modified: float
    mean_cores: float
    peak_cores: float


def scale(day: Day, n: int, costs: dict[str, float]) -> Load:
    """The sample's day for N subscribers; `costs`: CPU seconds per outcome."""
    factor = n / day.subscribers
    bins = len(next(iter(day.outcomes.values())))
    counts = [sum(b[i] for b in day.outcomes.values()) for i in range(bins)]
    cpu = [sum(costs[o] * b[i] for o, b in day.outcomes.items()) for i in range(bins)]
    return Load(
        n,
        day.total() * factor / DAY,
        max(counts) * factor / BIN,
        day.not_modified_share(),
        sum(cpu) * factor / DAY,
        max(cpu) * factor / BIN,
    )


# Per-request costs, measured --------------------------------------------------------------------

BASE = "https://plans.example.org"
PLANS = ("5k", "10k", "half-marathon", "marathon", "ultra")


@dataclass(frozen=True)
class Probe:
    title: str
    outcome: str  # the simulated outcome this cost stands for ("" = shown only)
    # "warm": the worker's render cache and ETag memo, but not the front layer (a secret feed is
    # rarely fetched twice within its check interval); "cold": no caches at all.
    app: str
    validator: str
    status: int
    # Plans with weekly unlock: their Last-Modified moves with the day, read from the schedule.
    unlock: bool = False


PROBES = (
    Probe("managed feed 200, rendered (no cache holds it)", "200", "cold", "", 200),
    Probe("managed feed 200, render-cache hit", "", "warm", "", 200),
    Probe("managed feed 304, If-None-Match, ETag memo hit", "304 etag", "warm", "etag", 304),
    Probe("managed feed 304, If-None-Match, no cache (stored plan)", "", "cold", "etag", 304),
    Probe("managed feed 304, If-Modified-Since (stored plan)", "304 date", "cold", "date", 304),
    Probe(
        "managed feed 304, If-Modified-Since, weekly unlock (schedule walk)",
        "304 date unlock",
        "cold",
        "date",
        304,
        unlock=True,
    ),
)


@dataclass(frozen=True)
class Measured:
    costs: list[tuple[Probe, float]]  # mean CPU seconds per request
    bytes_per_plan: float  # SQLite pages in use, per stored 16-week plan
    create_seconds: float  # CPU per plan created through the API


def measure(calls: int, plans: int = 100) -> Measured:
    """Per-request CPU of each probe, and per-plan storage, on a temporary SQLite."""
    with tempfile.TemporaryDirectory() as tmp:
        apps = {kind: _app(Path(tmp), kind) for kind in ("warm", "cold")}
        try:
            plans_of = {unlock: _plans(apps["warm"], unlock) for unlock in (False, True)}
            costs = [(p, _cost(apps[p.app], p, *plans_of[p.unlock], calls)) for p in PROBES]
            before = _used_bytes(Path(tmp))
            start = time.process_time()
            for i in range(plans):
                _create(apps["warm"].test_client(), PLANS[i % len(PLANS)], 20 + i % 20)
            create = (time.process_time() - start) / plans
            return Measured(costs, (_used_bytes(Path(tmp)) - before) / plans, create)
        finally:
            for each in apps.values():
                each.extensions["store"].close()


def _used_bytes(folder: Path) -> int:
    """Bytes of the SQLite pages in use, after moving the write-ahead log into the file."""
    with sqlite3.connect(folder / "plans.sqlite3") as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages, free, size = (
            db.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("page_count", "freelist_count", "page_size")
        )
    return int((pages - free) * size)


def _app(folder: Path, kind: str) -> Any:
    from feeds import create_app

    config: dict[str, int] = {"FRONT_CACHE_SIZE": 0}
    if kind == "cold":
        config |= {"FEED_CACHE_SIZE": 0, "ETAG_MEMO_SIZE": 0}
    return create_app(
        {
            "PUBLIC_URL": BASE + "/",
            "DATABASE_URL": f"sqlite:///{folder / 'plans.sqlite3'}",
            "SECRET_KEY": "simulate",
            "RATELIMIT_ENABLED": False,
            **config,
        }
    )


def _plans(app: Any, unlock: bool = False) -> tuple[list[str], dict[str, Any]]:
    """One 16-week plan per distance; their paths and first answers."""
    client = app.test_client()
    paths = [_create(client, distance, 20, unlock) for distance in PLANS]
    return paths, {p: client.get(p) for p in paths}


def _create(client: Any, distance: str, weeks: int, unlock: bool = False) -> str:
    race = date.today() + timedelta(weeks=weeks)
    body = {"distance": distance, "race": f"{race}", "unlock_weekly": unlock}
    created = client.post("/api/subscriptions", json=body)
    assert created.status_code == 201, created.get_json()
    return str(created.get_json()["feed_url"]).removeprefix(BASE)


def _cost(app: Any, probe: Probe, paths: list[str], first: dict[str, Any], calls: int) -> float:
    environs = [_environ(p, probe.validator, first[p]) for p in paths]
    for environ in environs:
        _call(app, environ, probe.status)  # fills the caches the warm probes rely on
    gc.collect()
    start = time.process_time()
    for i in range(calls):
        _call(app, environs[i % len(environs)], probe.status)
    return (time.process_time() - start) / calls


def _environ(path: str, validator: str, answer: Any) -> dict[str, Any]:
    from werkzeug.test import EnvironBuilder

    headers = {}
    if validator == "etag":
        headers["If-None-Match"] = answer.headers["ETag"]
    elif validator == "date":
        headers["If-Modified-Since"] = answer.headers["Last-Modified"]
    return dict(EnvironBuilder(path=path, base_url=BASE, headers=headers).get_environ())


def _call(app: Any, environ: dict[str, Any], status: int) -> None:
    def start_response(got: str, _headers: object, _exc: object = None) -> None:
        assert got.startswith(str(status)), (environ["PATH_INFO"], got)

    answer = app(dict(environ), start_response)
    for _chunk in answer:
        pass
    answer.close()


# Report -----------------------------------------------------------------------------------------


def assumptions(scenario: Scenario) -> Iterator[str]:
    yield "Clients (share, poll intervals, validator, diurnal; source):"
    for c in scenario.clients:
        share = scenario.mix.get(c.name, 0.0)
        spans = "/".join(_span(s) for s, _ in c.intervals)
        sends = {"etag": "If-None-Match", "date": "If-Modified-Since", "": "none"}[c.validator]
        yield f"  {c.name:12} {share:4.0%}  {spans:16} {sends:17} {'yes' if c.diurnal else 'no':3}"
        yield f"  {'':12} {c.source}"
    revision = "none" if scenario.revision_at is None else f"at {scenario.revision_at:g}:00 UTC"
    yield (
        f"Plans: {scenario.edits_per_day * 30:.2g} edits a month each; {scenario.unlock_share:.0%}"
        f" weekly unlock ({'an unlock day' if scenario.unlock_day else 'not an unlock day'});"
        f" plan-data revision {revision}; {scenario.new_share:.2%} new subscribers a day."
    )
    yield (
        f"Device polls follow the day: rate x(1 +- {scenario.amplitude:g}), busiest at"
        f" {scenario.peak_hour:g}:00, every subscriber in one zone (the worst case for peaks)."
    )


def _span(seconds: float) -> str:
    return f"{seconds / H:g}h" if seconds >= H else f"{seconds / MIN:g}m"


def report(scenario: Scenario, day: Day, measured: Measured) -> Iterator[str]:
    calls = day.total() / day.subscribers
    yield "Measured CPU per request (in-process WSGI calls, SQLite, mean):"
    for probe, seconds in measured.costs:
        used = f"  <- costs a simulated '{probe.outcome}'" if probe.outcome else ""
        yield f"  {probe.title:62} {seconds * 1000:6.2f} ms{used}"
    yield (
        f"  creating a plan (POST /api/subscriptions) {measured.create_seconds * 1000:6.2f} ms;"
        f" stored: {measured.bytes_per_plan / 1000:.1f} kB per 16-week plan in SQLite"
    )
    yield from assumptions(scenario)
    yield (
        f"Per subscriber and day: {calls:.1f} fetches, {calls * day.not_modified_share():.1f}"
        f" answered 304 ({day.subscribers:,} subscribers simulated, scaled)."
    )
    costs = _costs(scenario, measured)
    # What if every 304 cost a stored lookup (a weekly-unlock plan's also walks its schedule)?
    lean = {**costs, "304 date": costs["304 etag"]}
    yield f"{'fetches':>31} {'cores':>14}  cores if no 304 rendered"
    columns = ("mean/s", "peak/s", "304", "mean", "peak", "mean", "peak")
    yield f"{'N':>12} " + " ".join(
        f"{c:>{w}}" for c, w in zip(columns, (9, 9, 6, 6, 6, 6, 6), strict=True)
    )
    for n in SIZES:
        got, alt = scale(day, n, costs), scale(day, n, lean)
        yield (
            f"{n:12,} {got.mean_rate:9,.0f} {got.peak_rate:9,.0f} {got.not_modified:6.1%}"
            f" {got.mean_cores:6,.1f} {got.peak_cores:6,.1f}"
            f" {alt.mean_cores:6,.1f} {alt.peak_cores:6,.1f}"
        )


def _costs(scenario: Scenario, measured: Measured) -> dict[str, float]:
    """CPU seconds per simulated outcome; a date revalidation is priced by the share of plans
    with weekly unlock, which walk their schedule for it."""
    costs = {p.outcome: s for p, s in measured.costs if p.outcome}
    unlock = costs.pop("304 date unlock")
    share = scenario.unlock_share
    costs["304 date"] = (1 - share) * costs["304 date"] + share * unlock
    return costs


def parse_mix(text: str) -> dict[str, float]:
    names = {c.name for c in DEFAULT_CLIENTS}
    mix = {}
    for part in text.split(","):
        name, _, share = part.partition("=")
        if name not in names:
            raise argparse.ArgumentTypeError(f"unknown client {name!r}; known: {sorted(names)}")
        mix[name] = float(share)
    total = sum(mix.values())
    return {name: share / total for name, share in mix.items()}


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=50_000, help="subscribers simulated")
    parser.add_argument("--calls", type=int, default=60, help="timed calls per measured cost")
    parser.add_argument("--plans", type=int, default=100, help="plans created to measure storage")
    parser.add_argument("--mix", type=parse_mix, help="client shares, e.g. google=0.5,apple=0.5")
    parser.add_argument("--edits-per-month", type=float, default=1.0)
    parser.add_argument("--unlock-share", type=float, default=0.25)
    parser.add_argument("--not-unlock-day", action="store_true")
    parser.add_argument("--revision-at", type=float, help="hour (UTC) of a plan-data revision")
    args = parser.parse_args(argv)
    scenario = replace(
        Scenario(),
        mix=args.mix or dict(DEFAULT_MIX),
        edits_per_day=args.edits_per_month / 30,
        unlock_share=args.unlock_share,
        unlock_day=not args.not_unlock_day,
        revision_at=args.revision_at,
    )
    started = time.perf_counter()
    measured = measure(args.calls, args.plans)
    day = simulate(scenario, args.sample, args.seed)
    for line in report(scenario, day, measured):
        out(line)
    out(f"({time.perf_counter() - started:.0f} s, seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
