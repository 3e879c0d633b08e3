"""Benchmark: serving stateless feeds with the render cache against the uncached baseline.

Both are measured in the same run through the WSGI test client, on the same requests:
the baseline renders every feed (cache off); the candidate serves repeat subscribers from
the LRU, as happens when many runners subscribe to the same race with the same options.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date, timedelta

from freezegun import freeze_time

from feeds import create_app

TODAY = date(2026, 11, 25)
ROUNDS = 5


def urls() -> list[str]:
    races = [TODAY + timedelta(weeks=w, days=d) for w, d in ((18, 0), (20, 3), (26, 6), (30, 2))]
    out = []
    for distance in ("5k", "10k", "half-marathon", "marathon", "ultra"):
        for race in races:
            out.append(f"/feeds/{distance}.ics?race={race}")
            out.append(f"/feeds/{distance}.ics?race={race}&time=07:00&tz=Europe/Berlin")
    return out


def per_request_ms(cache_size: int, targets: list[str]) -> list[float]:
    """Milliseconds per request for each round over all targets."""
    app = create_app({"FEED_CACHE_SIZE": cache_size, "PUBLIC_URL": "https://plans.example.org/"})
    client = app.test_client()
    rounds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for url in targets:
            assert client.get(url).status_code == 200
        rounds.append((time.perf_counter() - start) * 1000 / len(targets))
    return rounds


def main() -> int:
    targets = urls()
    with freeze_time(TODAY, tick=True):
        baseline = per_request_ms(0, targets)
        cached = per_request_ms(256, targets)
    base, cand = statistics.median(baseline), statistics.median(cached[1:])
    print(f"requests per round: {len(targets)} distinct feeds, {ROUNDS} rounds")
    print(f"baseline (render every time): {base:.1f} ms per feed (median round)")
    print(f"cached (repeat subscribers):  {cand:.2f} ms per feed (median of warm rounds)")
    print(f"first, cold round with cache: {cached[0]:.1f} ms per feed")
    print(f"speed-up: {base / cand:.1f}x; one core serves ~{1000 / cand:.0f} feeds/s warm,")
    print(f"  ~{1000 / base:.0f} feeds/s uncached (each subscriber polls a few times a day)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
