"""The day simulation (bench/simulate.py): fetch counts, 304s and the arithmetic of scaling."""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import simulate
from simulate import DAY, MIN, Client, Day, Fetch, H, Scenario

THUNDERBIRD = Client("thunderbird", ((30 * MIN, 1),), "", True, "test")
APPLE_HOURLY = Client("apple", ((1 * H, 1),), "date", True, "test")
QUIET = Scenario(edits_per_day=0, unlock_share=0, new_share=0)


def only(client: Client, scenario: Scenario = QUIET) -> Scenario:
    return replace(scenario, clients=(client,), mix={client.name: 1.0})


def test_thunderbird_every_30_minutes_fetches_48_times_a_day() -> None:
    day = simulate.simulate(only(THUNDERBIRD), subscribers=50, seed=3)
    assert day.total() == 50 * 48
    assert day.total("200") == day.total()  # it sends no validator: every fetch is a full 200


def test_an_unchanged_plan_only_gets_304s() -> None:
    day = simulate.simulate(only(APPLE_HOURLY), subscribers=20, seed=3)
    assert day.total() == 20 * 24
    assert day.total("304 date") == day.total()
    assert day.not_modified_share() == 1.0


def test_a_new_subscriber_gets_one_200_then_304s() -> None:
    scenario = only(APPLE_HOURLY, replace(QUIET, new_share=1.0))
    fetches = simulate.subscriber_day(
        random.Random(5), scenario, APPLE_HOURLY, simulate.Clock(0.6, 15)
    )
    assert [f.status for f in fetches][:2] == [200, 304]
    assert {f.status for f in fetches[1:]} == {304}


def test_on_an_unlock_day_a_weekly_unlock_plan_changes_once_at_midnight() -> None:
    scenario = only(APPLE_HOURLY, replace(QUIET, unlock_share=1.0, unlock_day=True))
    day = simulate.simulate(scenario, subscribers=10, seed=3)
    assert day.total("200") == 10  # the day's first fetch of each plan
    assert day.total("304 date") == 10 * 23


def test_device_polls_follow_the_day_but_keep_their_count() -> None:
    clock = simulate.Clock(0.6, 15)
    times = [clock.wall(u * 60.0) for u in range(int(DAY / 60))]
    assert times == sorted(times) and times[0] >= 0 and times[-1] < DAY
    busy = sum(1 for t in times if 14 * H <= t < 16 * H)
    quiet = sum(1 for t in times if 2 * H <= t < 4 * H)
    assert busy > 3 * quiet  # 1.6 against 0.4 times the mean rate


def test_scaling_multiplies_rates_and_cpu_by_n_over_the_sample() -> None:
    day = Day(subscribers=10)
    for t in (0.0, 10.0, 20.0, 4 * H):
        day.add(Fetch(t, 200, ""))
    day.add(Fetch(5 * H, 304, "etag"))
    got = simulate.scale(day, 1000, {"200": 0.01, "304 etag": 0.001})
    assert got.mean_rate == 500 / DAY  # 5 fetches x 100
    assert got.peak_rate == 300 / simulate.BIN  # three fetches in the first 5 minutes
    assert got.not_modified == 0.2
    assert got.mean_cores == pytest.approx((400 * 0.01 + 100 * 0.001) / DAY)
    assert got.peak_cores == pytest.approx(300 * 0.01 / simulate.BIN)


def test_the_same_seed_gives_the_same_day() -> None:
    first = simulate.simulate(Scenario(), subscribers=300, seed=7)
    again = simulate.simulate(Scenario(), subscribers=300, seed=7)
    assert first.outcomes == again.outcomes


def test_the_report_prints_measured_costs_and_three_sizes() -> None:
    lines: list[str] = []
    argv = ["--sample", "200", "--calls", "2", "--plans", "5"]
    assert simulate.main(argv, out=lines.append) == 0
    text = "\n".join(lines)
    assert "managed feed 200, rendered" in text and " ms" in text
    assert "kB per 16-week plan" in text
    for n in ("100,000", "1,000,000", "10,000,000"):
        assert any(line.lstrip().startswith(n) for line in lines), n


def test_an_unknown_client_in_the_mix_is_refused() -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="sunbird"):
        simulate.parse_mix("google=1,sunbird=1")
